// POST /token {"username", "password"} -> {"access_token", "token_type", "expires_in", "refresh_token"}
// POST /token/refresh {"refresh_token"} -> a new pair.
// The host checks passwords against the users file; the `issuer:` auth plugin instance mints the tokens.
#include "auth/user_store.hpp"
#include "endpoints/action.hpp"
#include "endpoints/json_body.hpp"
#include "http/http_error.hpp"
#include "observability/logging.hpp"
#include "plugins/auth_plugin.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::endpoints {
namespace {

// Credentials longer than this are refused before any hashing work.
constexpr size_t kMaxCredentialBytes = 1024;

std::string requireCredential(const rapidjson::Value& body, const char* field) {
  const auto* value = sdk::findMember(body, field);
  if (value == nullptr) throw http::unprocessable(std::string(field) + ": is required", field);
  if (!value->IsString()) throw http::unprocessable(std::string(field) + ": must be a string", field);
  if (value->GetStringLength() > kMaxCredentialBytes) {
    throw http::unprocessable(std::string(field) + ": is too long", field);
  }
  return {value->GetString(), value->GetStringLength()};
}

http::Response tokensResponse(const sdk::IssuedTokens& tokens) {
  http::Response response = http::jsonResponse(sdk::serialize(tokens));
  response.headers.emplace_back("Cache-Control", "no-store");  // RFC 6749 §5.1
  return response;
}

http::HttpError invalidCredentials() {
  return http::HttpError(401, "invalid_credentials", "invalid username or password")
      .withHeader("WWW-Authenticate", "Bearer realm=\"p2j\"");
}

class TokenAction : public Action {
 public:
  explicit TokenAction(const ActionSetup& setup)
      : issuer_(std::dynamic_pointer_cast<plugins::AuthPlugin>(setup.plugins.at("issuer"))),
        users_(setup.context.config.auth.users_file) {}

  http::Response handle(http::Request& request) const override {
    const rapidjson::Value& body = requireObjectBody(request.json);
    const std::string username = requireCredential(body, "username");
    const std::string password = requireCredential(body, "password");
    if (username.empty() || password.empty()) throw http::badRequest("username and password required");
    const auto user = users_.verify(username, password);
    if (!user) {
      observability::log(observability::Log::kAuth).info("/token refused for user '{}'", username.substr(0, 64));
      throw invalidCredentials();
    }
    return tokensResponse(issuer_->issue({"subject", user->name, user->roles, ""}));
  }

 private:
  std::shared_ptr<plugins::AuthPlugin> issuer_;
  mutable auth::UserStore users_;
};

class TokenRefreshAction : public Action {
 public:
  explicit TokenRefreshAction(const ActionSetup& setup)
      : issuer_(std::dynamic_pointer_cast<plugins::AuthPlugin>(setup.plugins.at("issuer"))) {}

  http::Response handle(http::Request& request) const override {
    const rapidjson::Value& body = requireObjectBody(request.json);
    const std::string refresh_token = requireCredential(body, "refresh_token");
    try {
      return tokensResponse(issuer_->issue({"refresh_token", "", {}, refresh_token}));
    } catch (const plugins::PluginCallError& e) {
      if (e.status() != P2J_INVALID_INPUT) throw;
      throw http::HttpError(401, "invalid_grant", "the refresh token is invalid or expired")
          .withHeader("WWW-Authenticate", "Bearer realm=\"p2j\", error=\"invalid_token\"");
    }
  }

 private:
  std::shared_ptr<plugins::AuthPlugin> issuer_;
};

}  // namespace

std::vector<ActionDescriptor> tokenActions() {
  return {
      {.name = "token",
       .summary = "Exchange a username and password (users file) for an access and a refresh token",
       .takes_json_body = true,
       .plugin_settings = {{"issuer", P2J_KIND_AUTH}},
       .make = [](const ActionSetup& setup) { return std::make_unique<TokenAction>(setup); }},
      {.name = "token_refresh",
       .summary = "Exchange a refresh token for a new token pair",
       .takes_json_body = true,
       .plugin_settings = {{"issuer", P2J_KIND_AUTH}},
       .make = [](const ActionSetup& setup) { return std::make_unique<TokenRefreshAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
