#include "api_key_auth.hpp"

namespace {

constexpr const char* kConfigSchema = R"schema({
  "type": "object",
  "properties": {
    "keys_file": {"type": "string", "minLength": 1, "format": "path",
                  "description": "Keys file, one key per line: '<id> <sha256-hex-of-key> [role,role...]'; '#' starts a comment line. Re-read when it changes"},
    "env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "P2J_API_KEY",
            "description": "Environment variable holding one raw key (at least 16 bytes), used when set; its principal is apikey:env"},
    "env_roles": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}, "uniqueItems": true,
                  "default": [], "description": "Roles of the key from the environment variable"},
    "header": {"type": "string", "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", "default": "X-API-Key",
               "description": "Request header that carries the key"},
    "realm": {"type": "string", "pattern": "^[^\"\\\\]*$", "default": "p2j",
              "description": "Realm named in the WWW-Authenticate challenge"},
    "reload_interval_ms": {"type": "integer", "minimum": 0, "maximum": 3600000, "default": 1000,
                           "description": "How often at most the keys file is checked for changes (0: on every request)"}
  },
  "additionalProperties": false
})schema";

}  // namespace

P2J_EXPORT_AUTH(
    p2j::auth_apikey::ApiKeyAuth, "auth-apikey", "1.0.0",
    "API keys in a request header, checked against SHA-256 digests in a keys file or one key from the environment",
    kConfigSchema)
