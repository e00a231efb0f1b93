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

constexpr std::string_view kTokenRequest = R"json({
  "type": "object",
  "required": ["username", "password"],
  "properties": {
    "username": {"type": "string", "minLength": 1, "maxLength": 1024},
    "password": {"type": "string", "minLength": 1, "maxLength": 1024, "format": "password"}
  }
})json";

constexpr std::string_view kRefreshRequest = R"json({
  "type": "object",
  "required": ["refresh_token"],
  "properties": {"refresh_token": {"type": "string", "maxLength": 1024}}
})json";

// sdk::IssuedTokens
constexpr std::string_view kTokenPair = R"json({
  "type": "object",
  "required": ["access_token", "token_type", "expires_in", "refresh_token"],
  "additionalProperties": false,
  "properties": {
    "access_token": {"type": "string", "minLength": 1, "description": "Send it as Authorization: Bearer <token>"},
    "token_type": {"type": "string", "description": "bearer"},
    "expires_in": {"type": "integer", "description": "Seconds until the access token expires"},
    "refresh_token": {"type": "string", "description": "For POST /token/refresh; empty when the scheme issues none"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> tokenActions() {
  return {
      {.name = "token",
       .summary = "Exchange a username and password (users file) for an access and a refresh token",
       .takes_json_body = true,
       .plugin_settings = {{"issuer", P2J_KIND_AUTH}},
       .api = {.tag = "Authentication",
               .request_schema = kTokenRequest,
               .request_example =
                   R"json({"username": "admin", "password": "the password p2j printed at first start"})json",
               .responses = {{200, "A token pair (Cache-Control: no-store)", kTokenPair},
                             {400, "The username or the password is empty"},
                             {401, "Invalid username or password (error invalid_credentials)"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<TokenAction>(setup); }},
      {.name = "token_refresh",
       .summary = "Exchange a refresh token for a new token pair",
       .takes_json_body = true,
       .plugin_settings = {{"issuer", P2J_KIND_AUTH}},
       .api = {.tag = "Authentication",
               .request_schema = kRefreshRequest,
               .responses = {{200, "A new token pair (Cache-Control: no-store)", kTokenPair},
                             {401, "The refresh token is invalid or expired (error invalid_grant)"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<TokenRefreshAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
