#pragma once

#include "config/path_template.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::http {

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  size_t endpoint = 0;  // index into the table the router was built from
  std::map<std::string, std::string> parameters;
  std::string allow;  // for kMethodNotAllowed: the methods the path takes, "GET, POST"
};

// Built once from the endpoint table; matching is read-only and thread-safe.
class Router {
 public:
  struct Route {
    std::string method;
    config::PathTemplate pattern;
  };

  explicit Router(std::vector<Route> routes);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace p2j::http
