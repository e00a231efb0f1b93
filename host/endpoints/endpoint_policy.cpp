#include "endpoints/endpoint_policy.hpp"

#include "endpoints/action.hpp"
#include "http/http_error.hpp"

#include <algorithm>
#include <set>

namespace p2j::endpoints {
namespace {

bool isAdminPath(const std::string& path) { return path.starts_with("/admin/"); }

bool isPublicByDefault(const std::string& action) {
  const ActionDescriptor* descriptor = findAction(action);
  return descriptor != nullptr && descriptor->public_by_default;
}

// The auth plugin instances that guard `endpoint`: its own list, else auth.default (not for `auth: none`
// or the actions that are public by default).
std::vector<config::EndpointSetting> effectiveAuth(const config::Config& config,
                                                   const config::EndpointConfig& endpoint) {
  if (!endpoint.auth.empty() || endpoint.auth_none || isPublicByDefault(endpoint.action)) return endpoint.auth;
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

EndpointAccess endpointAccess(const config::Config& config, const config::EndpointConfig& endpoint) {
  EndpointAccess access;
  for (const auto& entry : effectiveAuth(config, endpoint)) access.auth.push_back(entry.value);
  access.auth_any = endpoint.auth_any;
  access.roles = endpoint.roles;
  if (access.roles.empty() && isAdminPath(endpoint.path)) access.roles = {"admin"};
  if (endpoint.rate_limit) {
    access.rate_limit = endpoint.rate_limit;
  } else if (!endpoint.rate_limit_none && !isPublicByDefault(endpoint.action)) {
    access.rate_limit = config.rate_limits.default_limit;
  }
  return access;
}

EndpointPolicy policyFor(const config::Config& config, const config::EndpointConfig& endpoint,
                         const plugins::PluginSet& plugins) {
  EndpointAccess access = endpointAccess(config, endpoint);
  EndpointPolicy policy;
  for (const auto& name : access.auth) policy.auth.push_back(plugins.get<plugins::AuthPlugin>(name));
  policy.auth_any = access.auth_any;
  policy.roles = std::move(access.roles);
  policy.rate_limit = std::move(access.rate_limit);
  return policy;
}

Principal authenticate(const EndpointPolicy& policy, const plugins::AuthInput& request) {
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
