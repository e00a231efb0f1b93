// No default secrets: on the first start of a configuration that asks for it (auth.first_start_secrets),
// the host creates what is missing in the data directory — an API key, a JWT signing secret and an admin
// user — with mode 0600, and prints the API key and the admin password once. Later starts find the
// files and print nothing.
#pragma once

#include "config/config.hpp"

#include <filesystem>
#include <ostream>

namespace p2j::auth {

// The files, in the data directory: api-keys (`<id> <sha256-hex> [roles]` lines), jwt-secret (one line of
// random base64url text), and the users file of the config.
struct SecretFiles {
  std::filesystem::path api_keys;
  std::filesystem::path jwt_secret;
  std::filesystem::path users;
};

SecretFiles secretFilesIn(const std::filesystem::path& data_dir, const config::AuthConfig& auth);

// Creates the missing secrets (skipping those the environment provides: P2J_API_KEY, P2J_JWT_SECRET),
// printing the new API key and admin password to `announce`. With P2J_ADMIN_USER and P2J_ADMIN_PASSWORD
// set, that user is created or updated as an admin instead of generating one.
void prepareSecrets(const SecretFiles& files, bool generate_missing, std::ostream& announce);

// `bytes` random bytes as base64url without padding.
std::string randomToken(size_t bytes);

// Lower-case hex SHA-256 of `text`.
std::string sha256Hex(const std::string& text);

}  // namespace p2j::auth
