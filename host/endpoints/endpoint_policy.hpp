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

// The same, by name: what EndpointPolicy is built from and what /openapi.json documents.
struct EndpointAccess {
  std::vector<std::string> auth;  // auth plugin instance names; empty: public
  bool auth_any = false;
  std::vector<std::string> roles;
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

// An endpoint's access as configured: its own auth, else auth.default; its rate_limit, else
// rate_limits.default — except for actions that are public by default (the health probes, the
// metrics, the API docs), which take neither default; /admin/ endpoints without roles need "admin".
EndpointAccess endpointAccess(const config::Config& config, const config::EndpointConfig& endpoint);

// The policy of one config endpoint, from endpointAccess.
EndpointPolicy policyFor(const config::Config& config, const config::EndpointConfig& endpoint,
                         const plugins::PluginSet& plugins);

// Runs the policy's auth plugins: all must accept (or one, with auth_any). Returns the principal —
// the subject of the last scheme that accepted (key + JWT: the JWT's user) and the union of roles —
// or throws HttpError 401 with the schemes' challenges, or 403 when no required role is held.
Principal authenticate(const EndpointPolicy& policy, const plugins::AuthInput& request);

}  // namespace p2j::endpoints
