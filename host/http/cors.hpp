#pragma once

#include "config/config.hpp"
#include "http/exchange.hpp"

#include <optional>
#include <string>

namespace p2j::http {

// Cross-origin rules from the config's `cors:` section. Origins are matched exactly (scheme, host and
// port); "*" allows any origin but never with credentials (the config refuses that combination).
class CorsPolicy {
 public:
  explicit CorsPolicy(const config::CorsConfig& config);

  bool enabled() const { return config_.enabled; }
  bool allows(const std::string& origin) const;

  // The answer to a preflight (OPTIONS with Origin and Access-Control-Request-Method): 204 with the
  // allowances, or 403 naming what is not allowed.
  Response preflight(const std::string& origin, const std::string& method, const std::string& request_headers,
                     const std::string& request_id) const;

  // Adds the headers an allowed cross-origin response carries (none for a disallowed origin: the
  // browser then withholds the response from the page).
  void decorate(const std::string& origin, Response& response) const;

 private:
  config::CorsConfig config_;
  bool wildcard_ = false;
};

}  // namespace p2j::http
