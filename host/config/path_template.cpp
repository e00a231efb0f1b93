#include "config/path_template.hpp"

#include <cctype>
#include <set>
#include <stdexcept>

namespace p2j::config {
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

}  // namespace

PathTemplate PathTemplate::parse(std::string_view path) {
  if (path.empty() || path.front() != '/') throw std::invalid_argument("must start with '/'");
  PathTemplate pattern;
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

std::vector<std::string> PathTemplate::parameterNames() const {
  std::vector<std::string> names;
  for (const auto& segment : segments_) {
    if (segment.is_parameter) names.push_back(segment.text);
  }
  return names;
}

std::string PathTemplate::canonical() const {
  if (segments_.empty()) return "/";
  std::string out;
  for (const auto& segment : segments_) out += segment.is_parameter ? "/{}" : "/" + segment.text;
  return out;
}

}  // namespace p2j::config
