#include "http/router.hpp"

#include <set>

namespace p2j::http {

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  std::set<std::string> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    auto parameters = routes_[i].pattern.match(path);
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
