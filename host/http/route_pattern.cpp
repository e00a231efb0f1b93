#include "http/route_pattern.hpp"

#include <cctype>
#include <set>
#include <stdexcept>

namespace p2j::http {
namespace {

bool isSegmentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~';
}

bool isParameterName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

RoutePattern RoutePattern::parse(std::string_view path) {
  if (path.empty() || path.front() != '/') throw std::invalid_argument("must start with '/'");
  RoutePattern pattern;
  pattern.text_ = std::string(path);
  if (path == "/") return pattern;
  std::set<std::string> names;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty()) throw std::invalid_argument("empty segment in \"" + std::string(path) + "\"");
    if (segment.front() == '{') {
      if (segment.back() != '}' || !isParameterName(segment.substr(1, segment.size() - 2))) {
        throw std::invalid_argument("a parameter is a whole segment like {id}, got \"" + std::string(segment) + "\"");
      }
      const std::string name(segment.substr(1, segment.size() - 2));
      if (!names.insert(name).second) throw std::invalid_argument("parameter {" + name + "} appears twice");
      pattern.segments_.push_back({name, true});
    } else {
      for (const char c : segment) {
        if (!isSegmentChar(c)) {
          throw std::invalid_argument(std::string("character '") + c + "' is not allowed in a path segment");
        }
      }
      pattern.segments_.push_back({std::string(segment), false});
    }
    start = end + 1;
  }
  return pattern;
}

std::optional<std::map<std::string, std::string>> RoutePattern::match(std::string_view path) const {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::map<std::string, std::string> parameters;
  size_t start = 1;
  size_t index = 0;
  if (path == "/") return segments_.empty() ? std::optional(parameters) : std::nullopt;
  while (start <= path.size()) {
    if (index >= segments_.size()) return std::nullopt;
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    const Segment& expected = segments_[index];
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
  if (index != segments_.size()) return std::nullopt;
  return parameters;
}

std::vector<std::string> RoutePattern::parameterNames() const {
  std::vector<std::string> names;
  for (const auto& segment : segments_) {
    if (segment.is_parameter) names.push_back(segment.text);
  }
  return names;
}

std::string RoutePattern::canonical() const {
  if (segments_.empty()) return "/";
  std::string out;
  for (const auto& segment : segments_) out += segment.is_parameter ? "/{}" : "/" + segment.text;
  return out;
}

}  // namespace p2j::http
