#include "endpoints/endpoint_policy.hpp"

#include "http/http_error.hpp"

#include <algorithm>
#include <set>

namespace p2j::endpoints {
namespace {

bool isAdminPath(const std::string& path) { return path.starts_with("/admin/"); }

bool isHealthProbe(const std::string& action) { return action == "health" || action == "livez" || action == "readyz"; }

}  // namespace

namespace {

// The auth plugin instances that guard `endpoint`: its own list, else auth.default (not for `auth: none`
// or the health probes, which a load balancer must reach without credentials).
std::vector<config::EndpointSetting> effectiveAuth(const config::Config& config,
                                                   const config::EndpointConfig& endpoint) {
  if (!endpoint.auth.empty() || endpoint.auth_none || isHealthProbe(endpoint.action)) return endpoint.auth;
  std::vector<config::EndpointSetting> defaults;
  for (const auto& [name, mark] : config.auth.default_auth) defaults.push_back({name, mark});
  return defaults;
}

}  // namespace

void validateEndpointPolicies(const config::Config& config, const PluginKindLookup& kind_of) {
  for (const auto& [name, mark] : config.auth.default_auth) {
    const auto kind = kind_of(name);
    if (kind != P2J_KIND_AUTH) {
      throw config::ConfigError(config.file, mark,
                                "auth.default: '" + name + "' is not an auth plugin instance under plugins");
    }
  }
  for (size_t i = 0; i < config.endpoints.size(); ++i) {
    const config::EndpointConfig& endpoint = config.endpoints[i];
    const std::string where = "endpoints[" + std::to_string(i) + "] (" + endpoint.method + " " + endpoint.path + ")";
    for (const auto& entry : endpoint.auth) {
      const auto kind = kind_of(entry.value);
      if (!kind) {
        throw config::ConfigError(config.file, entry.mark,
                                  where + ": auth: no plugin instance named '" + entry.value + "'");
      }
      if (*kind != P2J_KIND_AUTH) {
        throw config::ConfigError(config.file, entry.mark,
                                  where + ": auth: '" + entry.value + "' is " + plugins::kindWithArticle(*kind) +
                                      " plugin, not an auth plugin");
      }
    }
    const auto guards = effectiveAuth(config, endpoint);
    if (guards.empty() && !endpoint.roles.empty()) {
      throw config::ConfigError(config.file, endpoint.mark,
                                where + ": roles need auth: say which auth plugin instances identify the caller");
    }
    if (endpoint.action == "token" && config.auth.users_file.empty()) {
      throw config::ConfigError(config.file, endpoint.action_mark,
                                where + ": action 'token' checks passwords in auth.users_file: set it");
    }
    if (guards.empty() && isAdminPath(endpoint.path)) {
      throw config::ConfigError(config.file, endpoint.mark,
                                where + ": an /admin/ endpoint needs auth (and the admin role)");
    }
  }
}

EndpointPolicy policyFor(const config::Config& config, const config::EndpointConfig& endpoint,
                         const plugins::PluginSet& plugins) {
  EndpointPolicy policy;
  for (const auto& entry : effectiveAuth(config, endpoint)) {
    policy.auth.push_back(plugins.get<plugins::AuthPlugin>(entry.value));
  }
  policy.auth_any = endpoint.auth_any;
  policy.roles = endpoint.roles;
  if (policy.roles.empty() && isAdminPath(endpoint.path)) policy.roles = {"admin"};
  if (endpoint.rate_limit) {
    policy.rate_limit = endpoint.rate_limit;
  } else if (!endpoint.rate_limit_none && !isHealthProbe(endpoint.action)) {
    policy.rate_limit = config.rate_limits.default_limit;
  }
  return policy;
}

Principal authenticate(const EndpointPolicy& policy, const sdk::AuthRequest& request) {
  Principal principal;
  std::set<std::string> roles;
  std::vector<sdk::AuthVerdict> refusals;
  bool accepted_any = false;
  for (const auto& scheme : policy.auth) {
    sdk::AuthVerdict verdict = scheme->authenticate(request);
    if (verdict.authenticated) {
      accepted_any = true;
      principal.subject = verdict.subject;
      roles.insert(verdict.roles.begin(), verdict.roles.end());
      if (policy.auth_any) break;
    } else {
      refusals.push_back(std::move(verdict));
      if (!policy.auth_any) break;
    }
  }
  const bool passed = policy.auth_any ? accepted_any : refusals.empty();
  if (!passed) {
    http::HttpError error(401, "unauthorized", refusals.front().message);
    for (const auto& refusal : refusals) {
      if (!refusal.challenge.empty()) error.withHeader("WWW-Authenticate", refusal.challenge);
    }
    throw error;
  }
  principal.roles.assign(roles.begin(), roles.end());
  if (!policy.roles.empty() && std::none_of(policy.roles.begin(), policy.roles.end(),
                                            [&](const std::string& role) { return roles.contains(role); })) {
    std::string needed;
    for (const auto& role : policy.roles) needed += (needed.empty() ? "" : " or ") + role;
    throw http::HttpError(403, "forbidden", "this endpoint needs the " + needed + " role")
        .withHeader("WWW-Authenticate",
                    "Bearer realm=\"p2j\", error=\"insufficient_scope\", scope=\"" + policy.roles.front() + "\"");
  }
  return principal;
}

}  // namespace p2j::endpoints
