#include "key_ring.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace p2j::auth_jwt {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr size_t kP256CoordinateBytes = 32;

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* pointer) const {
    Free(pointer);
  }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using MdContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using EcdsaSignature = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using BigNumber = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

// The reason of the newest libcrypto error; also empties the thread's error queue, which would otherwise
// leak into the next unrelated OpenSSL caller on this thread.
std::string takeOpenSslError() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason = "unknown OpenSSL error";
  if (code != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    reason = text.data();
  }
  ERR_clear_error();
  return reason;
}

const EVP_MD* digestOf(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kHs384:
      return EVP_sha384();
    case Algorithm::kHs512:
      return EVP_sha512();
    case Algorithm::kHs256:
    case Algorithm::kRs256:
    case Algorithm::kEs256:
      break;
  }
  return EVP_sha256();
}

Bio openFile(const std::string& path, const std::string& what) {
  Bio bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) throw std::invalid_argument("cannot read " + what + " " + path + ": " + takeOpenSslError());
  return bio;
}

EvpKey adopt(EVP_PKEY* key) { return EvpKey(key, EVP_PKEY_free); }

std::string hmac(Algorithm algorithm, std::string_view secret, std::string_view input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (HMAC(digestOf(algorithm), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &size) == nullptr) {
    throw std::runtime_error("HMAC failed: " + takeOpenSslError());
  }
  return std::string(reinterpret_cast<const char*>(mac.data()), size);
}

// JWS carries an ECDSA signature as the fixed-size R || S (RFC 7518 §3.4); libcrypto speaks DER.
std::string derToRaw(std::string_view der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSignature signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!signature) throw std::runtime_error("ECDSA signature is not DER: " + takeOpenSslError());
  std::string raw(2 * kP256CoordinateBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, kP256CoordinateBytes) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + kP256CoordinateBytes, kP256CoordinateBytes) < 0) {
    throw std::runtime_error("ECDSA signature does not fit P-256");
  }
  return raw;
}

std::optional<std::string> rawToDer(std::string_view raw) {
  if (raw.size() != 2 * kP256CoordinateBytes) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BigNumber r(BN_bin2bn(bytes, kP256CoordinateBytes, nullptr));
  BigNumber s(BN_bin2bn(bytes + kP256CoordinateBytes, kP256CoordinateBytes, nullptr));
  EcdsaSignature signature(ECDSA_SIG_new());
  if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1) {
    takeOpenSslError();
    return std::nullopt;
  }
  r.release();  // owned by the signature now
  s.release();
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(signature.get(), &der);
  if (size <= 0) {
    takeOpenSslError();
    return std::nullopt;
  }
  std::string text(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return text;
}

}  // namespace

std::optional<Algorithm> algorithmNamed(std::string_view name) {
  if (name == "HS256") return Algorithm::kHs256;
  if (name == "HS384") return Algorithm::kHs384;
  if (name == "HS512") return Algorithm::kHs512;
  if (name == "RS256") return Algorithm::kRs256;
  if (name == "ES256") return Algorithm::kEs256;
  return std::nullopt;
}

std::string_view algorithmName(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kHs256:
      return "HS256";
    case Algorithm::kHs384:
      return "HS384";
    case Algorithm::kHs512:
      return "HS512";
    case Algorithm::kRs256:
      return "RS256";
    case Algorithm::kEs256:
      return "ES256";
  }
  return "?";
}

bool isHmac(Algorithm algorithm) {
  return algorithm == Algorithm::kHs256 || algorithm == Algorithm::kHs384 || algorithm == Algorithm::kHs512;
}

size_t minimumSecretBytes(Algorithm algorithm) {
  return algorithm == Algorithm::kHs512 ? 64 : algorithm == Algorithm::kHs384 ? 48 : 32;
}

EvpKey loadPrivateKeyPem(const std::string& path) {
  Bio bio = openFile(path, "private_key_file");
  // An encrypted key would make libcrypto prompt on the terminal; refuse it instead.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return -1; };
  EvpKey key = adopt(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    throw std::invalid_argument("private_key_file " + path +
                                " is not an unencrypted PEM private key: " + takeOpenSslError());
  }
  return key;
}

EvpKey loadPublicKeyPem(const std::string& path) {
  Bio bio = openFile(path, "public_key_file");
  EvpKey key = adopt(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    throw std::invalid_argument("public_key_file " + path +
                                " is not a PEM public key (BEGIN PUBLIC KEY): " + takeOpenSslError());
  }
  return key;
}

bool sameKey(const EvpKey& public_key, const EvpKey& private_key) {
  const bool same = EVP_PKEY_eq(public_key.get(), private_key.get()) == 1;
  ERR_clear_error();
  return same;
}

std::optional<std::string> keyMismatch(const EvpKey& key, Algorithm algorithm) {
  if (algorithm == Algorithm::kRs256) {
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return "RS256 needs an RSA key";
    if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
      return "RS256 needs an RSA key of at least " + std::to_string(kMinRsaBits) + " bits, this one has " +
             std::to_string(EVP_PKEY_get_bits(key.get()));
    }
  } else if (algorithm == Algorithm::kEs256) {
    std::array<char, 64> group{};
    size_t size = 0;
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC ||
        EVP_PKEY_get_group_name(key.get(), group.data(), group.size(), &size) != 1 ||
        std::string_view(group.data(), size) != SN_X9_62_prime256v1) {
      ERR_clear_error();
      return "ES256 needs an EC key on the P-256 curve (prime256v1)";
    }
  }
  return std::nullopt;
}

std::string randomBytes(size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
    throw std::runtime_error("the random generator failed: " + takeOpenSslError());
  return bytes;
}

KeyRing::KeyRing(std::string hmac_secret, EvpKey verify_key, EvpKey sign_key)
    : hmac_secret_(std::move(hmac_secret)), verify_key_(std::move(verify_key)), sign_key_(std::move(sign_key)) {}

bool KeyRing::canSign(Algorithm algorithm) const {
  return isHmac(algorithm) ? !hmac_secret_.empty() : sign_key_ != nullptr;
}

std::string KeyRing::sign(Algorithm algorithm, std::string_view input) const {
  if (!canSign(algorithm)) throw std::logic_error("no key to sign " + std::string(algorithmName(algorithm)));
  if (isHmac(algorithm)) return hmac(algorithm, hmac_secret_, input);

  MdContext context(EVP_MD_CTX_new());
  size_t size = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, digestOf(algorithm), nullptr, sign_key_.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    throw std::runtime_error("signing failed: " + takeOpenSslError());
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("signing failed: " + takeOpenSslError());
  }
  signature.resize(size);
  return algorithm == Algorithm::kEs256 ? derToRaw(signature) : signature;
}

bool KeyRing::verify(Algorithm algorithm, std::string_view input, std::string_view signature) const {
  if (isHmac(algorithm)) {
    if (hmac_secret_.empty()) return false;
    const std::string expected = hmac(algorithm, hmac_secret_, input);
    return signature.size() == expected.size() &&
           CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
  }
  if (!verify_key_) return false;
  std::string der;
  if (algorithm == Algorithm::kEs256) {
    auto converted = rawToDer(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  MdContext context(EVP_MD_CTX_new());
  const bool valid =
      context && EVP_DigestVerifyInit(context.get(), nullptr, digestOf(algorithm), nullptr, verify_key_.get()) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  ERR_clear_error();
  return valid;
}

}  // namespace p2j::auth_jwt
