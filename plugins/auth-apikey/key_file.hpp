// The API keys file: which keys exist, under which id, with which roles.
//
// One key per line:
//
//   <id> <sha256-hex-of-key> [role,role...]
//
//   id      1-64 characters from A-Z a-z 0-9 . _ -, unique in the file ("env" is reserved for the key
//           taken from the environment); the principal is "apikey:<id>"
//   digest  SHA-256 of the key's bytes, 64 hex digits (either case)
//   roles   optional, comma-separated, each 1-64 characters from A-Z a-z 0-9 . _ : -
//
// Fields are separated by spaces or tabs. Blank lines and lines whose first non-blank character is '#'
// are ignored; a '#' anywhere else is an error, so a comment never silently swallows a role.
// Keys are high-entropy random tokens, so a fast digest already makes a leaked file useless; the slow
// salted hashes that passwords need would only cost every request time.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::auth_apikey {

using Digest = std::array<unsigned char, 32>;

struct ApiKey {
  std::string id;
  Digest digest{};
  std::vector<std::string> roles;
};

// The id of the key read from the environment variable, which no file line may use.
inline constexpr std::string_view kEnvKeyId = "env";

Digest sha256(std::string_view bytes);

// Throws std::invalid_argument "<source>:<line>: what is wrong" for the first bad line.
std::vector<ApiKey> parseKeyFile(std::string_view text, const std::string& source);

// 1-64 characters from A-Z a-z 0-9 . _ : -, the roles a keys file line or env_roles may name.
bool isValidRole(std::string_view role);

}  // namespace p2j::auth_apikey
