// Who may call an endpoint and how often: the `auth`, `roles` and `rate_limit` keys of an endpoint,
// checked at start-up, bound with the endpoint and applied by the dispatcher before the action runs.
#pragma once

#include "config/config.hpp"
#include "plugins/auth_plugin.hpp"
#include "plugins/plugin_set.hpp"

#include <p2j/sdk/auth.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace p2j::endpoints {

struct EndpointPolicy {
  std::vector<std::shared_ptr<plugins::AuthPlugin>> auth;  // empty: public
  bool auth_any = false;
  std::vector<std::string> roles;  // the principal needs one of them
  std::optional<config::RateLimitSpec> rate_limit;
};

struct Principal {
  std::string subject;
  std::vector<std::string> roles;
};

// The kind of the plugin instance with this name, or nullopt when there is none.
using PluginKindLookup = std::function<std::optional<p2j_plugin_kind>(const std::string& instance)>;

// Throws config::ConfigError: an auth entry that is not an auth plugin instance, roles without auth,
// an /admin/ endpoint without auth.
void validateEndpointPolicies(const config::Config& config, const PluginKindLookup& kind_of);

// The policy of one config endpoint. Without rate_limit it gets rate_limits.default, except the health
// probes (health, livez, readyz); an /admin/ endpoint without roles needs "admin".
EndpointPolicy policyFor(const config::Config& config, const config::EndpointConfig& endpoint,
                         const plugins::PluginSet& plugins);

// Runs the policy's auth plugins: all must accept (or one, with auth_any). Returns the principal —
// the subject of the last scheme that accepted (key + JWT: the JWT's user) and the union of roles —
// or throws HttpError 401 with the schemes' challenges, or 403 when no required role is held.
Principal authenticate(const EndpointPolicy& policy, const sdk::AuthRequest& request);

}  // namespace p2j::endpoints
