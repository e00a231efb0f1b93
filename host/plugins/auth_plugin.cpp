#include "plugins/auth_plugin.hpp"

namespace p2j::plugins {

AuthPlugin::AuthPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      authenticate_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_auth_authenticate_v1")),
      issue_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_auth_issue_v1")) {}

sdk::AuthVerdict AuthPlugin::authenticate(const sdk::AuthRequest& request) const {
  return authenticate(sdk::serialize(request));
}

sdk::AuthVerdict AuthPlugin::authenticate(std::string_view request_json) const {
  const std::string text = call(authenticate_, toAbi(request_json));
  try {
    return sdk::authVerdictFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the auth plugin returned a malformed verdict: ") + e.what());
  }
}

sdk::IssuedTokens AuthPlugin::issue(const sdk::TokenGrant& grant) const {
  const std::string grant_json = sdk::serialize(grant);
  const std::string text = call(issue_, toAbi(grant_json));
  try {
    return sdk::issuedTokensFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the auth plugin returned malformed tokens: ") + e.what());
  }
}

}  // namespace p2j::plugins
