// The keys a JWT instance signs and verifies with, and the algorithms it knows (RFC 7518).
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace p2j::auth_jwt {

enum class Algorithm { kHs256, kHs384, kHs512, kRs256, kEs256 };

// Exact, case-sensitive names; "none" is deliberately not one of them.
std::optional<Algorithm> algorithmNamed(std::string_view name);
std::string_view algorithmName(Algorithm algorithm);
bool isHmac(Algorithm algorithm);
// RFC 7518 §3.2: an HMAC key at least as long as the hash output.
size_t minimumSecretBytes(Algorithm algorithm);

using EvpKey = std::shared_ptr<EVP_PKEY>;

// PEM files: a private key (PKCS#8 or traditional, unencrypted) or a public key (SubjectPublicKeyInfo,
// "BEGIN PUBLIC KEY"). Throw std::invalid_argument naming the file.
EvpKey loadPrivateKeyPem(const std::string& path);
EvpKey loadPublicKeyPem(const std::string& path);
bool sameKey(const EvpKey& public_key, const EvpKey& private_key);
// Why `key` cannot be used with `algorithm` (RS256: RSA of 2048 bits or more; ES256: EC on P-256),
// or nothing when it can.
std::optional<std::string> keyMismatch(const EvpKey& key, Algorithm algorithm);

std::string randomBytes(size_t count);

// Every algorithm family has its own key: an HS* token is checked with the HMAC secret and never with a
// public key, which is what stops algorithm confusion. Read-only after construction, so it is shared by
// all request threads without locking.
class KeyRing {
 public:
  KeyRing(std::string hmac_secret, EvpKey verify_key, EvpKey sign_key);

  bool canSign(Algorithm algorithm) const;
  // The raw signature of `input`; throws std::logic_error without the key for it.
  std::string sign(Algorithm algorithm, std::string_view input) const;
  bool verify(Algorithm algorithm, std::string_view input, std::string_view signature) const;

 private:
  std::string hmac_secret_;
  EvpKey verify_key_;
  EvpKey sign_key_;
};

}  // namespace p2j::auth_jwt
