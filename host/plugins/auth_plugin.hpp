#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/auth.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2j::plugins {

// One request as the auth schemes of an endpoint see it: built once, shown to each scheme. It holds views
// of the method, path, address and header values, which must outlive it; header names are kept lower-cased.
class AuthInput {
 public:
  // `header_count`: how many addHeader calls follow, room made for them at once.
  AuthInput(std::string_view method, std::string_view path, std::string_view client_ip, size_t header_count = 0);
  // Views of `request`, which must outlive this input.
  explicit AuthInput(const sdk::AuthRequest& request);
  AuthInput(const AuthInput&) = delete;
  AuthInput& operator=(const AuthInput&) = delete;

  // `name` in any case; a header sent several times is added once each time, in order.
  void addHeader(std::string_view name, std::string_view value);

  // The request as ABI 1.3 passes it; valid until the next addHeader.
  const p2j_auth_request& abi() const;
  // The request as plugins built against ABI 1.0 to 1.2 read it, written on first use.
  const std::string& json() const;

 private:
  std::string_view method_;
  std::string_view path_;
  std::string_view client_ip_;
  std::vector<std::pair<std::string, std::string_view>> headers_;
  mutable std::vector<p2j_header> abi_headers_;
  mutable p2j_auth_request abi_{};
  mutable bool abi_current_ = false;
  mutable std::optional<std::string> json_;
};

class AuthPlugin : public PluginInstance {
 public:
  AuthPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  sdk::AuthVerdict authenticate(const AuthInput& input) const;
  sdk::AuthVerdict authenticate(const sdk::AuthRequest& request) const { return authenticate(AuthInput(request)); }
  // REFUSED for schemes that do not issue tokens, INVALID_INPUT for a bad refresh token.
  sdk::IssuedTokens issue(const sdk::TokenGrant& grant) const;

 private:
  // Exactly one of the three: v3 for plugins built against ABI 1.5 or newer, v2 for 1.3 and 1.4, v1 before.
  decltype(&p2j_auth_authenticate_v3) authenticate_v3_ = nullptr;
  decltype(&p2j_auth_authenticate_v2) authenticate_v2_ = nullptr;
  decltype(&p2j_auth_authenticate_v1) authenticate_v1_ = nullptr;
  decltype(&p2j_auth_issue_v1) issue_;
};

}  // namespace p2j::plugins
