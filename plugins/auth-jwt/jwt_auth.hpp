#pragma once

#include "key_ring.hpp"

#include <p2j/sdk/plugin.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace p2j::auth_jwt {

struct Settings {
  std::optional<std::string> secret_file;
  std::string secret_env = "P2J_JWT_SECRET";
  std::optional<std::string> public_key_file;
  std::optional<std::string> private_key_file;
  std::vector<Algorithm> algorithms{Algorithm::kHs256};  // pinned; the first one signs issued tokens
  int64_t expire_minutes = 60;
  int64_t refresh_expire_minutes = 7 * 24 * 60;
  std::optional<std::string> issuer;
  std::optional<std::string> audience;
  int64_t clock_skew_seconds = 30;
  size_t max_token_bytes = 8192;
  std::string realm = "p2j";

  static Settings fromJson(const rapidjson::Value& config);
};

// Bearer JWTs (RFC 7519 / RFC 6750): verifies access tokens on requests and issues access + refresh
// token pairs. Only the pinned algorithms are accepted, each with its own key, and every time claim is
// checked (exp is required). Immutable after construction, so request threads share it without locks.
class JwtAuth : public sdk::Auth {
 public:
  static constexpr bool kThreadSafe = true;  // immutable, see above

  explicit JwtAuth(const rapidjson::Value& config);

  sdk::AuthVerdict authenticate(const sdk::AuthRequest& request) override;
  sdk::IssuedTokens issue(const sdk::TokenGrant& grant) override;
  sdk::Health health() override;

 private:
  enum class TokenUse { kAccess, kRefresh };
  struct Principal {
    std::string subject;
    std::vector<std::string> roles;
  };

  // Throws TokenError with a reason fit for the client.
  Principal verify(std::string_view token, TokenUse expected) const;
  std::string mint(const Principal& principal, TokenUse use, int64_t now) const;
  sdk::AuthVerdict reject(const std::string& error, const std::string& description) const;

  Settings settings_;
  std::string secret_source_;  // where the HMAC secret came from, for /readyz (never the secret)
  std::unique_ptr<const KeyRing> keys_;
};

}  // namespace p2j::auth_jwt
