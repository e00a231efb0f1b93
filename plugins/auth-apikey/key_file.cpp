#include "key_file.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace p2j::auth_apikey {
namespace {

constexpr size_t kMaxNameLength = 64;

bool isNameCharacter(char c, bool allow_colon) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || (allow_colon && c == ':');
}

bool isValidName(std::string_view text, bool allow_colon) {
  return !text.empty() && text.size() <= kMaxNameLength &&
         std::all_of(text.begin(), text.end(), [&](char c) { return isNameCharacter(c, allow_colon); });
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parseDigest(std::string_view hex, Digest& digest) {
  if (hex.size() != digest.size() * 2) return false;
  for (size_t i = 0; i < digest.size(); ++i) {
    const int high = hexValue(hex[2 * i]);
    const int low = hexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return true;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isBlank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !isBlank(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

}  // namespace

Digest sha256(std::string_view bytes) {
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up in its providers on every digest,
  // which cost more than hashing a key (two thirds of the plugin's time per request).
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  if (algorithm == nullptr) throw std::runtime_error("SHA-256 is not available in libcrypto");
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, algorithm, nullptr) != 1 || size != digest.size()) {
    throw std::runtime_error("SHA-256 failed in libcrypto");
  }
  return digest;
}

bool isValidRole(std::string_view role) { return isValidName(role, true); }

std::vector<ApiKey> parseKeyFile(std::string_view text, const std::string& source) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) text.remove_prefix(kByteOrderMark.size());

  std::vector<ApiKey> keys;
  std::set<std::string, std::less<>> ids;
  std::set<Digest> digests;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    const auto fields = splitFields(line);
    if (fields.empty() || fields[0].front() == '#') continue;
    const auto fail = [&](const std::string& what) {
      throw std::invalid_argument(source + ":" + std::to_string(line_number) + ": " + what);
    };
    if (fields.size() < 2 || fields.size() > 3) fail("expected '<id> <sha256-hex-of-key> [role,role...]'");

    ApiKey key;
    key.id = std::string(fields[0]);
    if (!isValidName(key.id, false)) fail("the id must be 1-64 characters from A-Z a-z 0-9 . _ -");
    if (key.id == kEnvKeyId) fail("the id 'env' is reserved for the key from the environment variable");
    if (ids.count(key.id) != 0) fail("the id '" + key.id + "' is used on an earlier line");
    if (!parseDigest(fields[1], key.digest)) fail("the key digest must be 64 hex digits (the key's SHA-256)");
    if (digests.count(key.digest) != 0) fail("the same key is listed on an earlier line");
    if (fields.size() == 3) {
      std::string_view roles = fields[2];
      while (true) {
        const size_t comma = roles.find(',');
        const std::string_view role = roles.substr(0, comma);
        if (!isValidRole(role)) fail("roles are comma-separated names of 1-64 characters from A-Z a-z 0-9 . _ : -");
        key.roles.emplace_back(role);
        if (comma == std::string_view::npos) break;
        roles.remove_prefix(comma + 1);
      }
    }
    ids.insert(key.id);
    digests.insert(key.digest);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace p2j::auth_apikey
