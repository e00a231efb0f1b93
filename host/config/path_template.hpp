#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace p2j::config {

// An endpoint's path as the YAML writes it, such as /specs/{id}: literal segments and whole-segment
// {parameters}. Parsed here so a malformed path or a duplicate route is a load error; http::Router matches
// requests against it.
class PathTemplate {
 public:
  struct Segment {
    std::string text;  // literal text, or the parameter's name
    bool is_parameter = false;
  };

  // Throws std::invalid_argument naming what is wrong with the template.
  static PathTemplate parse(std::string_view path);

  // The template with parameter names erased ("/specs/{}"): two routes with the same canonical form and
  // method are the same route.
  std::string canonical() const;
  const std::string& text() const { return text_; }
  const std::vector<Segment>& segments() const { return segments_; }  // empty for "/"
  std::vector<std::string> parameterNames() const;

 private:
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace p2j::config
