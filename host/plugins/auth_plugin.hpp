#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/auth.hpp>

namespace p2j::plugins {

class AuthPlugin : public PluginInstance {
 public:
  AuthPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  sdk::AuthVerdict authenticate(const sdk::AuthRequest& request) const;
  // The same with the request already serialised (sdk::serialize): an endpoint guarded by several schemes
  // serialises its request once for all of them.
  sdk::AuthVerdict authenticate(std::string_view request_json) const;
  // REFUSED for schemes that do not issue tokens, INVALID_INPUT for a bad refresh token.
  sdk::IssuedTokens issue(const sdk::TokenGrant& grant) const;

 private:
  decltype(&p2j_auth_authenticate_v1) authenticate_;
  decltype(&p2j_auth_issue_v1) issue_;
};

}  // namespace p2j::plugins
