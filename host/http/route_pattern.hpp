#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::http {

// A path template such as /specs/{id}: literal segments and whole-segment {parameters}.
class RoutePattern {
 public:
  // Throws std::invalid_argument naming what is wrong with the template.
  static RoutePattern parse(std::string_view path);

  // Parameters by name when `path` (already without its query string) matches, else nullopt.
  std::optional<std::map<std::string, std::string>> match(std::string_view path) const;

  // The template with parameter names erased ("/specs/{}"): two routes with the same canonical form and
  // method are the same route.
  std::string canonical() const;
  const std::string& text() const { return text_; }
  std::vector<std::string> parameterNames() const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter's name
    bool is_parameter = false;
  };
  std::string text_;
  std::vector<Segment> segments_;
};

// Decodes %XX escapes; returns nullopt for a malformed escape.
std::optional<std::string> percentDecode(std::string_view text);

}  // namespace p2j::http
