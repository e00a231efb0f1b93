#include "http/router.hpp"

#include "http/percent_decode.hpp"

#include <optional>
#include <set>

namespace p2j::http {
namespace {

// Parameters by name when `path` (already without its query string) matches `pattern`, else nullopt.
std::optional<std::map<std::string, std::string>> matchPath(const config::PathTemplate& pattern,
                                                            std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  const auto& segments = pattern.segments();
  std::map<std::string, std::string> parameters;
  size_t start = 1;
  size_t index = 0;
  if (path == "/") return segments.empty() ? std::optional(parameters) : std::nullopt;
  while (start <= path.size()) {
    if (index >= segments.size()) return std::nullopt;
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    const config::PathTemplate::Segment& expected = segments[index];
    if (expected.is_parameter) {
      if (segment.empty()) return std::nullopt;
      auto decoded = percentDecode(segment);
      if (!decoded) return std::nullopt;
      parameters.emplace(expected.text, std::move(*decoded));
    } else if (segment != expected.text) {
      return std::nullopt;
    }
    ++index;
    start = end + 1;
  }
  if (index != segments.size()) return std::nullopt;
  return parameters;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  std::set<std::string> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    auto parameters = matchPath(routes_[i].pattern, path);
    if (!parameters) continue;
    if (routes_[i].method == method || (method == "HEAD" && routes_[i].method == "GET")) {
      result.outcome = RouteMatch::Outcome::kFound;
      result.endpoint = i;
      result.parameters = std::move(*parameters);
      return result;
    }
    allowed.insert(routes_[i].method);
  }
  if (!allowed.empty()) {
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    if (allowed.contains("GET")) allowed.insert("HEAD");
    for (const auto& name : allowed) result.allow += (result.allow.empty() ? "" : ", ") + name;
  }
  return result;
}

}  // namespace p2j::http
