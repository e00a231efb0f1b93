#include "jwt_auth.hpp"

namespace {

constexpr const char* kConfigSchema = R"schema({
  "type": "object",
  "properties": {
    "secret_file": {"type": "string", "minLength": 1, "format": "path",
                    "description": "HMAC secret for HS*: the file's text without trailing whitespace, at least 32 bytes (48 for HS384, 64 for HS512). The secret_env variable wins when set"},
    "secret_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "P2J_JWT_SECRET",
                   "description": "Environment variable holding the HMAC secret; used instead of secret_file when set"},
    "public_key_file": {"type": "string", "minLength": 1, "format": "path",
                        "description": "PEM public key (BEGIN PUBLIC KEY) that verifies RS256/ES256 tokens"},
    "private_key_file": {"type": "string", "minLength": 1, "format": "path",
                         "description": "Unencrypted PEM private key that signs RS256/ES256 tokens (its public half verifies when public_key_file is absent)"},
    "algorithms": {"type": "array", "minItems": 1, "uniqueItems": true, "default": ["HS256"],
                   "items": {"enum": ["HS256", "HS384", "HS512", "RS256", "ES256"]},
                   "description": "The only algorithms accepted in tokens (never none); the first signs the tokens this instance issues"},
    "expire_minutes": {"type": "integer", "minimum": 1, "maximum": 527040, "default": 60,
                       "description": "Lifetime of an access token"},
    "refresh_expire_minutes": {"type": "integer", "minimum": 1, "maximum": 527040, "default": 10080,
                               "description": "Lifetime of a refresh token"},
    "issuer": {"type": "string", "minLength": 1,
               "description": "iss of issued tokens; when set, accepted tokens must carry exactly it"},
    "audience": {"type": "string", "minLength": 1,
                 "description": "aud of issued tokens; when set, accepted tokens must name it, and when unset tokens naming any audience are refused"},
    "clock_skew_seconds": {"type": "integer", "minimum": 0, "maximum": 3600, "default": 30,
                           "description": "Tolerance for exp, nbf and iat between clocks"},
    "max_token_bytes": {"type": "integer", "minimum": 256, "maximum": 1048576, "default": 8192,
                        "description": "Longer tokens are refused before any decoding"},
    "verified_cache_size": {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 1024,
                            "description": "Access tokens remembered as verified until their exp, so a client's token is checked once; 0 checks every request"},
    "realm": {"type": "string", "pattern": "^[^\"\\\\]*$", "default": "p2j",
              "description": "Realm named in the WWW-Authenticate challenge"}
  },
  "additionalProperties": false
})schema";

}  // namespace

P2J_EXPORT_AUTH(p2j::auth_jwt::JwtAuth, "auth-jwt", "1.0.0",
                "Bearer JWTs (HS256/384/512, RS256, ES256): verifies access tokens and issues access + refresh pairs",
                kConfigSchema)
