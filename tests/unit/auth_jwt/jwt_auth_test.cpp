// auth-jwt through the host's AuthPlugin proxy. The attack tokens are built here, by hand or with
// Poco::JWT, never with the plugin's own code, so a bug there cannot hide itself.
#include "auth_request.hpp"
#include "plugins/auth_plugin.hpp"
#include "plugins/config_schema.hpp"
#include "plugins/plugin_catalog.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JSON/Array.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace p2j::plugins {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr const char* kNoEnv = R"("secret_env": "P2J_TEST_JWT_UNSET")";

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string base64Url(std::string_view bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

std::string hmac(const EVP_MD* digest, std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(digest, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

// "<input>.<HMAC of input>": a token whose base64url parts are exactly as the caller spelled them.
std::string signInput(const std::string& input, std::string_view key = kSecret, const EVP_MD* digest = EVP_sha256()) {
  return input + "." + base64Url(hmac(digest, key, input));
}

// A compact token from raw header and payload JSON text, HMAC-signed with `key`.
std::string forge(const std::string& header, const std::string& payload, std::string_view key = kSecret,
                  const EVP_MD* digest = EVP_sha256()) {
  return signInput(base64Url(header) + "." + base64Url(payload), key, digest);
}

constexpr const char* kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// Claims of a valid access token for alice, with `extra` members appended.
std::string claims(const std::string& extra = "", int64_t expires_in = 600) {
  return R"({"sub":"alice","roles":["admin"],"iat":)" + std::to_string(now()) + R"(,"exp":)" +
         std::to_string(now() + expires_in) + extra + "}";
}

std::shared_ptr<PluginLibrary> library() {
  static PluginCatalog catalog({testing::kPluginDir});
  return catalog.find("auth-jwt");
}

std::unique_ptr<AuthPlugin> open(const std::string& config) {
  return std::make_unique<AuthPlugin>("jwt", library(), createInstance(*library(), "jwt", config));
}

std::string createError(const std::string& config) {
  try {
    open(config);
  } catch (const PluginLoadError& e) {
    return e.what();
  }
  return "";
}

testing::OwnedAuthRequest request(const std::vector<std::string>& authorization) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& value : authorization) headers.emplace_back("authorization", value);
  return testing::OwnedAuthRequest(std::move(headers));
}

testing::OwnedAuthRequest bearer(const std::string& token) { return request({"Bearer " + token}); }

class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
};

class JwtAuthTest : public ::testing::Test {
 protected:
  // Key pairs are slow to make, so the suite makes one of each, as PEM files.
  static void SetUpTestSuite() {
    keys_ = new testing::TempDir();
    Poco::Crypto::RSAKey rsa(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
    rsa.save(rsaPublic(), rsaPrivate());
    Poco::Crypto::ECKey ec("prime256v1");
    ec.save(ecPublic(), ecPrivate());
    Poco::Crypto::RSAKey other(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
    other.save(otherRsaPublic(), otherRsaPrivate());
  }
  static void TearDownTestSuite() {
    delete keys_;
    keys_ = nullptr;
  }
  static std::string keyPath(const char* name) { return (keys_->path() / name).string(); }
  static std::string rsaPublic() { return keyPath("rsa.pub.pem"); }
  static std::string rsaPrivate() { return keyPath("rsa.pem"); }
  static std::string ecPublic() { return keyPath("ec.pub.pem"); }
  static std::string ecPrivate() { return keyPath("ec.pem"); }
  static std::string otherRsaPublic() { return keyPath("other.pub.pem"); }
  static std::string otherRsaPrivate() { return keyPath("other.pem"); }
  static std::string readFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::string text;
    Poco::StreamCopier::copyToString(file, text);
    return text;
  }

  std::string secretFile(const std::string& secret = kSecret) const {
    return dir_.write("jwt-secret", secret + "\n").string();
  }
  // An HS256 instance with the test secret from a file, plus `extra` config members.
  std::unique_ptr<AuthPlugin> openHs256(const std::string& extra = "") const {
    return open(R"({"secret_file": ")" + secretFile() + R"(", )" + kNoEnv + extra + "}");
  }
  static void expectRejected(AuthPlugin& auth, const std::string& token, const std::string& reason) {
    const sdk::AuthVerdict verdict = auth.authenticate(bearer(token));
    EXPECT_FALSE(verdict.authenticated) << "accepted: " << token;
    EXPECT_EQ(verdict.error, "invalid_token") << token;
    EXPECT_NE(verdict.message.find(reason), std::string::npos)
        << "'" << verdict.message << "' lacks '" << reason << "'";
    EXPECT_EQ(verdict.challenge,
              R"(Bearer realm="p2j", error="invalid_token", error_description=")" + verdict.message + "\"");
  }
  static void expectAccepted(AuthPlugin& auth, const std::string& token) {
    const sdk::AuthVerdict verdict = auth.authenticate(bearer(token));
    EXPECT_TRUE(verdict.authenticated) << verdict.message << ": " << token;
  }

  static testing::TempDir* keys_;
  testing::TempDir dir_;
};

testing::TempDir* JwtAuthTest::keys_ = nullptr;

TEST_F(JwtAuthTest, IssuedAccessTokenIsAccepted) {
  auto auth = openHs256();
  const sdk::IssuedTokens tokens = auth->issue({"subject", "alice", {"admin", "ops"}, ""});
  EXPECT_EQ(tokens.token_type, "bearer");
  EXPECT_EQ(tokens.expires_in, 3600);
  EXPECT_FALSE(tokens.refresh_token.empty());
  EXPECT_NE(tokens.access_token, tokens.refresh_token);

  const sdk::AuthVerdict verdict = auth->authenticate(bearer(tokens.access_token));
  ASSERT_TRUE(verdict.authenticated) << verdict.message;
  EXPECT_EQ(verdict.subject, "alice");
  EXPECT_EQ(verdict.roles, (std::vector<std::string>{"admin", "ops"}));
  EXPECT_EQ(verdict.token_use, "access");
}

TEST_F(JwtAuthTest, IssuedTokensCarryTheStandardClaimsForOtherLibraries) {
  auto auth = openHs256(R"(, "issuer": "p2j-test", "audience": "p2j-api", "expire_minutes": 5)");
  const sdk::IssuedTokens tokens = auth->issue({"subject", "bob", {}, ""});
  EXPECT_EQ(tokens.expires_in, 300);
  Poco::JWT::Signer signer(kSecret);
  const Poco::JWT::Token access = signer.verify(tokens.access_token);
  EXPECT_EQ(access.getAlgorithm(), "HS256");
  EXPECT_EQ(access.getSubject(), "bob");
  EXPECT_EQ(access.getIssuer(), "p2j-test");
  EXPECT_EQ(access.getAudience(), std::vector<std::string>{"p2j-api"});
  EXPECT_EQ(access.payload().getValue<std::string>("token_use"), "access");
  const int64_t exp = access.payload().getValue<int64_t>("exp");
  EXPECT_NEAR(static_cast<double>(exp - now()), 300, 5);
  EXPECT_LE(access.payload().getValue<int64_t>("nbf"), now());
  EXPECT_LE(access.payload().getValue<int64_t>("iat"), now());
  const Poco::JWT::Token refresh = signer.verify(tokens.refresh_token);
  EXPECT_EQ(refresh.payload().getValue<std::string>("token_use"), "refresh");
  EXPECT_NEAR(static_cast<double>(refresh.payload().getValue<int64_t>("exp") - now()), 7 * 24 * 3600, 5);
  EXPECT_GE(access.getId().size(), 16u);
  EXPECT_NE(access.getId(), refresh.getId());
  EXPECT_NE(access.getId(), signer.verify(auth->issue({"subject", "bob", {}, ""}).access_token).getId());
}

TEST_F(JwtAuthTest, TokensSignedByPocoJwtAreAccepted) {
  auto auth = openHs256();
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject("carol");
  token.setIssuedAt(Poco::Timestamp());
  token.setExpiration(Poco::Timestamp::fromEpochTime(now() + 600));
  Poco::JSON::Array roles;
  roles.add("viewer");
  token.payload().set("roles", roles);
  const sdk::AuthVerdict verdict = auth->authenticate(bearer(Poco::JWT::Signer(kSecret).sign(token, "HS256")));
  ASSERT_TRUE(verdict.authenticated) << verdict.message;
  EXPECT_EQ(verdict.subject, "carol");
  EXPECT_EQ(verdict.roles, std::vector<std::string>{"viewer"});
}

TEST_F(JwtAuthTest, BearerSchemeIsCaseInsensitive) {
  auto auth = openHs256();
  const std::string token = forge(kHs256Header, claims());
  for (const auto& value : std::vector<std::string>{"bearer " + token, "BEARER " + token, "Bearer   " + token,
                                                    " Bearer " + token + " ", "bEaReR\t" + token}) {
    EXPECT_TRUE(auth->authenticate(request({value})).authenticated) << value;
  }
}

TEST_F(JwtAuthTest, MissingTokenGetsAChallengeWithoutAnErrorCode) {
  auto auth = openHs256();
  const sdk::AuthVerdict verdict = auth->authenticate(request({}));
  EXPECT_FALSE(verdict.authenticated);
  EXPECT_EQ(verdict.error, "");
  EXPECT_EQ(verdict.challenge, R"(Bearer realm="p2j")");
  EXPECT_FALSE(verdict.message.empty());
}

TEST_F(JwtAuthTest, OtherSchemesAreNotBearerTokens) {
  auto auth = openHs256();
  const std::string token = forge(kHs256Header, claims());
  for (const auto& value : std::vector<std::string>{"Basic YWxpY2U6c2VjcmV0", "Token " + token, token, "Bearer" + token,
                                                    "Bearers " + token, "ApiKey " + token}) {
    const sdk::AuthVerdict verdict = auth->authenticate(request({value}));
    EXPECT_FALSE(verdict.authenticated) << value;
    EXPECT_EQ(verdict.error, "") << value;
    EXPECT_EQ(verdict.challenge, R"(Bearer realm="p2j")") << value;
  }
  const sdk::AuthVerdict empty = auth->authenticate(request({"Bearer "}));
  EXPECT_FALSE(empty.authenticated);
  EXPECT_EQ(empty.error, "invalid_request");
}

TEST_F(JwtAuthTest, DuplicateAuthorizationHeadersAreRejected) {
  auto auth = openHs256();
  const std::string token = "Bearer " + forge(kHs256Header, claims());
  const sdk::AuthVerdict verdict = auth->authenticate(request({token, token}));
  EXPECT_FALSE(verdict.authenticated);
  EXPECT_EQ(verdict.error, "invalid_request");
  EXPECT_NE(verdict.challenge.find(R"(error="invalid_request")"), std::string::npos) << verdict.challenge;
}

TEST_F(JwtAuthTest, AlgNoneIsRejected) {
  auto auth = openHs256();
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = std::string(R"({"alg":")") + alg + R"(","typ":"JWT"})";
    const std::string unsigned_token = base64Url(header) + "." + base64Url(claims()) + ".";
    expectRejected(*auth, unsigned_token, "not signed");
    expectRejected(*auth, forge(header, claims()), "algorithm");
  }
  expectRejected(*auth, base64Url(R"({"typ":"JWT"})") + "." + base64Url(claims()) + ".c2ln", "no algorithm");
  expectRejected(*auth, forge(R"({"alg":"","typ":"JWT"})", claims()), "algorithm");
  expectRejected(*auth, forge(R"({"alg":["HS256"],"typ":"JWT"})", claims()), "no algorithm");
}

TEST_F(JwtAuthTest, AlgorithmsOutsideThePinnedListAreRejected) {
  auto auth = openHs256();
  expectRejected(*auth, forge(R"({"alg":"HS512","typ":"JWT"})", claims(), kSecret, EVP_sha512()), "algorithm");
  expectRejected(*auth, forge(R"({"alg":"hs256","typ":"JWT"})", claims()), "algorithm");
  auto hs512 = open(R"({"secret_file": ")" + secretFile() + R"(", "algorithms": ["HS512"], )" + kNoEnv + "}");
  expectAccepted(*hs512, forge(R"({"alg":"HS512","typ":"JWT"})", claims(), kSecret, EVP_sha512()));
  expectRejected(*hs512, forge(kHs256Header, claims()), "algorithm");
}

TEST_F(JwtAuthTest, HmacTokenSignedWithThePublicKeyIsRejected) {
  const std::string public_pem = readFile(rsaPublic());
  const std::string confused = forge(kHs256Header, claims(), public_pem);

  auto rs256_only = open(R"({"algorithms": ["RS256"], "public_key_file": ")" + rsaPublic() + R"(", )" + kNoEnv + "}");
  expectRejected(*rs256_only, confused, "algorithm");

  // Even with HS256 pinned too, HS256 is checked with the HMAC secret, never with the RSA key.
  auto both = open(R"({"algorithms": ["RS256", "HS256"], "public_key_file": ")" + rsaPublic() +
                   R"(", "secret_file": ")" + secretFile() + R"(", )" + kNoEnv + "}");
  expectRejected(*both, confused, "signature");
  std::string trimmed = public_pem;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  expectRejected(*both, forge(kHs256Header, claims(), trimmed), "signature");
}

TEST_F(JwtAuthTest, TamperedTokensAreRejected) {
  auto auth = openHs256();
  const std::string token = auth->issue({"subject", "mallory", {"viewer"}, ""}).access_token;
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  const std::string header = token.substr(0, first);
  const std::string signature = token.substr(second + 1);

  const std::string promoted = R"({"sub":"mallory","roles":["admin"],"exp":)" + std::to_string(now() + 600) + "}";
  expectRejected(*auth, header + "." + base64Url(promoted) + "." + signature, "signature");
  expectRejected(*auth, forge(kHs256Header, claims(), std::string(kSecret).replace(0, 1, "X")), "signature");

  std::string flipped = signature;
  flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
  expectRejected(*auth, token.substr(0, second + 1) + flipped, "signature");
  expectRejected(*auth, token.substr(0, second + 1) + signature.substr(0, signature.size() - 4), "signature");
  expectRejected(*auth, base64Url(R"({"typ":"JWT","alg":"HS256"})") + token.substr(first), "signature");
}

TEST_F(JwtAuthTest, TimeClaimsAreEnforcedWithClockSkew) {
  auto auth = openHs256();
  const std::string t = std::to_string(now());
  const auto at = [](int64_t offset) { return std::to_string(now() + offset); };
  expectRejected(*auth, forge(kHs256Header, claims("", -3600)), "expired");
  expectRejected(*auth, forge(kHs256Header, claims("", -31)), "expired");
  expectAccepted(*auth, forge(kHs256Header, claims("", -10)));  // within the default 30 s of skew
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"nbf":)" + at(3600))), "not valid yet");
  expectAccepted(*auth, forge(kHs256Header, claims(R"(,"nbf":)" + at(10))));
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"alice","iat":)" + at(3600) + R"(,"exp":)" + at(7200) + "}"),
                 "issued in the future");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"alice","iat":)" + t + "}"), "no expiry");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"alice","exp":null})"), "not a valid time");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"alice","exp":")" + at(600) + "\"}"), "not a valid time");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"alice","exp":1e300})"), "not a valid time");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"alice","exp":-1})"), "not a valid time");
  expectAccepted(*auth, forge(kHs256Header, R"({"sub":"alice","exp":)" + at(600) + ".5}"));

  auto strict = openHs256(R"(, "clock_skew_seconds": 0)");
  expectRejected(*strict, forge(kHs256Header, claims("", -10)), "expired");
  expectRejected(*strict, forge(kHs256Header, claims(R"(,"nbf":)" + at(10))), "not valid yet");
}

TEST_F(JwtAuthTest, IssuerAndAudienceAreCheckedWhenConfigured) {
  auto auth = openHs256(R"(, "issuer": "p2j-test", "audience": "p2j-api")");
  const std::string good = R"(,"iss":"p2j-test","aud":"p2j-api")";
  expectAccepted(*auth, forge(kHs256Header, claims(good)));
  expectAccepted(*auth, forge(kHs256Header, claims(R"(,"iss":"p2j-test","aud":["other","p2j-api"])")));
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"iss":"evil","aud":"p2j-api")")), "issuer");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"aud":"p2j-api")")), "issuer");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"iss":["p2j-test"],"aud":"p2j-api")")), "issuer");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"iss":"p2j-test","aud":"other")")), "audience");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"iss":"p2j-test")")), "audience");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"iss":"p2j-test","aud":[])")), "audience");
  expectAccepted(*auth, auth->issue({"subject", "alice", {}, ""}).access_token);

  // Without a configured audience, a token meant for some audience is not for us.
  auto plain = openHs256();
  expectRejected(*plain, forge(kHs256Header, claims(R"(,"aud":"billing")")), "audience");
  expectAccepted(*plain, forge(kHs256Header, claims(R"(,"iss":"anyone")")));
}

TEST_F(JwtAuthTest, MalformedTokensAreRejected) {
  auto auth = openHs256();
  const std::string token = forge(kHs256Header, claims());
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  expectRejected(*auth, token.substr(0, second), "three");
  expectRejected(*auth, token + ".x", "three");
  expectRejected(*auth, "." + token.substr(first + 1), "empty part");
  expectRejected(*auth, "..", "empty part");
  expectRejected(*auth, "!!!." + token.substr(first + 1), "base64url");
  expectRejected(*auth, token.substr(0, first) + "=" + token.substr(first), "base64url");
  std::string standard_alphabet = token;
  standard_alphabet[first - 2] = '+';
  expectRejected(*auth, standard_alphabet, "base64url");
  expectRejected(*auth, token + "=", "base64url");
  expectRejected(*auth, token.substr(0, second + 1) + "AA" + token.substr(second + 1), "base64url");
  expectRejected(*auth, token.substr(0, first) + " " + token.substr(first), "base64url");

  // {"alg":"HS256" } is 16 bytes, so its last base64url character carries 4 unused bits: 'Q' is the
  // one spelling with them zero, 'R' another spelling of the same bytes, which must not be accepted.
  const std::string header = base64Url(R"({"alg":"HS256" })");
  ASSERT_EQ(header.back(), 'Q');
  const std::string payload = base64Url(claims());
  expectAccepted(*auth, signInput(header + "." + payload));
  expectRejected(*auth, signInput(header.substr(0, header.size() - 1) + "R." + payload), "base64url");

  expectRejected(*auth, forge("not json", claims()), "not valid JSON");
  expectRejected(*auth, forge(R"(["HS256"])", claims()), "not a JSON object");
  expectRejected(*auth, forge(R"({"alg":"HS256"} trailing)", claims()), "not valid JSON");
  expectRejected(*auth, forge(R"({"alg":"HS256","alg":"none"})", claims()), "repeats");
  expectRejected(*auth, forge(R"({"alg":"HS256","typ":"JWE"})", claims()), "typ");
  expectRejected(*auth, forge(R"({"alg":"HS256","crit":["exp"],"exp":1})", claims()), "extensions");
  expectRejected(*auth, forge(kHs256Header, "{not json"), "not valid JSON");
  expectRejected(*auth, forge(kHs256Header, "[1]"), "not a JSON object");
  expectRejected(*auth, forge(kHs256Header, "{\"sub\":\"\xC3\x28\"}"), "not valid JSON");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"sub":"admin")")), "repeats");
  expectRejected(*auth, forge(kHs256Header, R"({"exp":)" + std::to_string(now() + 60) + "}"), "subject");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"a","roles":"admin","exp":)" + std::to_string(now() + 60) + "}"),
                 "roles");
  expectRejected(*auth, forge(kHs256Header, R"({"sub":"a","roles":[1],"exp":)" + std::to_string(now() + 60) + "}"),
                 "roles");
  expectRejected(*auth, forge(std::string(2500, '[') + std::string(2500, ']'), claims()), "not a JSON object");
  expectAccepted(*auth, forge(R"({"alg":"HS256","typ":"at+jwt","kid":"k1"})", claims()));
  expectAccepted(*auth, forge(R"({"alg":"HS256"})", claims()));
}

TEST_F(JwtAuthTest, OversizedTokensAreRejectedBeforeDecoding) {
  auto auth = openHs256(R"(, "max_token_bytes": 512)");
  const std::string padding = R"(,"pad":")" + std::string(600, 'x') + "\"";
  expectRejected(*auth, forge(kHs256Header, claims(padding)), "larger than 512 bytes");
  expectRejected(*auth, std::string(10000, 'a'), "larger than");
  expectAccepted(*auth, forge(kHs256Header, claims()));

  auto default_limit = openHs256();
  expectRejected(*default_limit, forge(kHs256Header, claims(R"(,"pad":")" + std::string(8192, 'x') + "\"")),
                 "larger than 8192 bytes");
  try {
    auth->issue({"subject", std::string(600, 's'), {}, ""});
    FAIL() << "a token the instance could not accept itself was issued";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_INVALID_INPUT);
  }
}

TEST_F(JwtAuthTest, RefreshTokenCannotBeUsedAsAccessToken) {
  auto auth = openHs256();
  const sdk::IssuedTokens tokens = auth->issue({"subject", "alice", {"admin"}, ""});
  expectRejected(*auth, tokens.refresh_token, "refresh token");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"token_use":"refresh")")), "refresh token");
  expectRejected(*auth, forge(kHs256Header, claims(R"(,"token_use":"id")")), "token_use");
  expectAccepted(*auth, forge(kHs256Header, claims(R"(,"token_use":"access")")));
}

TEST_F(JwtAuthTest, RefreshGrantIssuesANewPairForTheSamePrincipal) {
  auto auth = openHs256(R"(, "issuer": "p2j-test")");
  const sdk::IssuedTokens first = auth->issue({"subject", "alice", {"admin", "ops"}, ""});
  const sdk::IssuedTokens second = auth->issue({"refresh_token", "", {}, first.refresh_token});
  EXPECT_NE(second.access_token, first.access_token);
  EXPECT_NE(second.refresh_token, first.refresh_token);
  EXPECT_EQ(second.expires_in, 3600);
  const sdk::AuthVerdict verdict = auth->authenticate(bearer(second.access_token));
  ASSERT_TRUE(verdict.authenticated) << verdict.message;
  EXPECT_EQ(verdict.subject, "alice");
  EXPECT_EQ(verdict.roles, (std::vector<std::string>{"admin", "ops"}));
  EXPECT_NO_THROW(auth->issue({"refresh_token", "", {}, second.refresh_token}));
}

TEST_F(JwtAuthTest, InvalidRefreshTokensAreInvalidInput) {
  auto auth = openHs256(R"(, "issuer": "p2j-test")");
  const sdk::IssuedTokens tokens = auth->issue({"subject", "alice", {}, ""});
  const std::string refresh_claims = R"(,"iss":"p2j-test","token_use":"refresh")";
  auto other_issuer = openHs256(R"(, "issuer": "someone-else")");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {tokens.access_token, "not a refresh token"},
      {"garbage", "three"},
      {"", "three"},
      {forge(kHs256Header, claims(refresh_claims, -3600)), "expired"},
      {forge(kHs256Header, claims(R"(,"token_use":"refresh")")), "issuer"},
      {forge(kHs256Header, claims(refresh_claims), "another-secret-of-at-least-32-bytes!!"), "signature"},
      {other_issuer->issue({"subject", "alice", {}, ""}).refresh_token, "issuer"},
      {base64Url(R"({"alg":"none"})") + "." + base64Url(claims(refresh_claims)) + ".", "not signed"},
  };
  for (const auto& [token, reason] : cases) {
    try {
      auth->issue({"refresh_token", "", {}, token});
      ADD_FAILURE() << "refreshed with " << token;
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_INVALID_INPUT) << token;
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
  }
  try {
    auth->issue({"subject", "", {}, ""});
    ADD_FAILURE() << "issued a token without a subject";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_INVALID_INPUT);
  }
}

TEST_F(JwtAuthTest, CreateRefusesMissingOrShortSecrets) {
  const std::string no_secret = createError(std::string("{") + kNoEnv + "}");
  EXPECT_NE(no_secret.find("no JWT secret configured"), std::string::npos) << no_secret;
  EXPECT_NE(no_secret.find("P2J_TEST_JWT_UNSET"), std::string::npos) << no_secret;

  const std::string short_file = dir_.write("short", std::string(31, 's') + "\n").string();
  const std::string short_secret = createError(R"({"secret_file": ")" + short_file + R"(", )" + kNoEnv + "}");
  EXPECT_NE(short_secret.find("is 31 bytes"), std::string::npos) << short_secret;
  EXPECT_NE(short_secret.find("at least 32"), std::string::npos) << short_secret;
  EXPECT_EQ(short_secret.find(std::string(31, 's')), std::string::npos) << "the secret must not be echoed";

  const std::string hs512 = createError(R"({"secret_file": ")" + secretFile(std::string(48, 'k')) +
                                        R"(", "algorithms": ["HS512"], )" + kNoEnv + "}");
  EXPECT_NE(hs512.find("HS512 needs at least 64"), std::string::npos) << hs512;

  const std::string blank =
      createError(R"({"secret_file": ")" + dir_.write("blank", "\n\n").string() + R"(", )" + kNoEnv + "}");
  EXPECT_NE(blank.find("is empty"), std::string::npos) << blank;

  const std::string missing =
      createError(R"({"secret_file": ")" + (dir_.path() / "absent").string() + R"(", )" + kNoEnv + "}");
  EXPECT_NE(missing.find("cannot read secret_file"), std::string::npos) << missing;

  const ScopedEnv short_env("P2J_TEST_JWT_SHORT", "tiny");
  const std::string env = createError(R"({"secret_env": "P2J_TEST_JWT_SHORT"})");
  EXPECT_NE(env.find("P2J_TEST_JWT_SHORT environment variable is 4 bytes"), std::string::npos) << env;
}

TEST_F(JwtAuthTest, SecretFromTheEnvironmentWinsOverTheFile) {
  const std::string env_secret = "environment-secret-0123456789abcdef-0123456789";
  const ScopedEnv env("P2J_TEST_JWT_SECRET", env_secret);
  auto auth = open(R"({"secret_file": ")" + secretFile() + R"(", "secret_env": "P2J_TEST_JWT_SECRET"})");
  expectAccepted(*auth, forge(kHs256Header, claims(), env_secret));
  expectRejected(*auth, forge(kHs256Header, claims()), "signature");
  EXPECT_NE(auth->health().detail.find("P2J_TEST_JWT_SECRET environment variable"), std::string::npos);
  EXPECT_EQ(auth->health().detail.find(env_secret), std::string::npos);
}

TEST_F(JwtAuthTest, CreateRefusesUnsafeAlgorithmLists) {
  const std::string secret = R"("secret_file": ")" + secretFile() + R"(", )" + kNoEnv;
  EXPECT_NE(createError("{" + secret + R"(, "algorithms": ["none"]})").find("never accepted"), std::string::npos);
  EXPECT_NE(createError("{" + secret + R"(, "algorithms": ["HS256", "None"]})").find("never accepted"),
            std::string::npos);
  EXPECT_NE(createError("{" + secret + R"(, "algorithms": []})").find("at least one"), std::string::npos);
  EXPECT_NE(createError("{" + secret + R"(, "algorithms": ["PS256"]})").find("not one of"), std::string::npos);
  EXPECT_NE(createError("{" + secret + R"(, "algorithms": ["HS256", "HS256"]})").find("twice"), std::string::npos);
  EXPECT_NE(createError("{" + secret + R"(, "algorithms": ["RS256"]})").find("HS256"), std::string::npos)
      << "a secret_file with no HS algorithm is a mistake";
}

TEST_F(JwtAuthTest, Rs256AndEs256SignAndVerify) {
  for (const auto& [alg, public_key, private_key] :
       {std::tuple{"RS256", rsaPublic(), rsaPrivate()}, std::tuple{"ES256", ecPublic(), ecPrivate()}}) {
    SCOPED_TRACE(alg);
    auto auth = open(std::string(R"({"algorithms": [")") + alg + R"("], "private_key_file": ")" + private_key +
                     R"(", "public_key_file": ")" + public_key + R"(", )" + kNoEnv + "}");
    const sdk::IssuedTokens tokens = auth->issue({"subject", "dave", {"ops"}, ""});
    expectAccepted(*auth, tokens.access_token);
    expectAccepted(*auth, auth->issue({"refresh_token", "", {}, tokens.refresh_token}).access_token);
    expectRejected(*auth, tokens.refresh_token, "refresh token");

    // Interoperability both ways with Poco::JWT's own RS256 / ES256.
    Poco::JWT::Signer signer;
    if (std::string(alg) == "RS256") {
      signer.setRSAKey(new Poco::Crypto::RSAKey(public_key, private_key));
    } else {
      signer.setECKey(new Poco::Crypto::ECKey(public_key, private_key));
    }
    signer.addAlgorithm(alg);
    EXPECT_EQ(signer.verify(tokens.access_token).getSubject(), "dave");
    Poco::JWT::Token token;
    token.setSubject("erin");
    token.setExpiration(Poco::Timestamp::fromEpochTime(now() + 600));
    const std::string poco_token = signer.sign(token, alg);
    expectAccepted(*auth, poco_token);

    // A verify-only instance: accepts tokens, refuses to issue.
    auto verifier = open(std::string(R"({"algorithms": [")") + alg + R"("], "public_key_file": ")" + public_key +
                         R"(", )" + kNoEnv + "}");
    expectAccepted(*verifier, poco_token);
    try {
      verifier->issue({"subject", "x", {}, ""});
      ADD_FAILURE() << "a verify-only instance issued a token";
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_REFUSED);
    }
    // The private key alone verifies too.
    expectAccepted(*open(std::string(R"({"algorithms": [")") + alg + R"("], "private_key_file": ")" + private_key +
                         R"(", )" + kNoEnv + "}"),
                   poco_token);
  }
}

TEST_F(JwtAuthTest, AsymmetricTokensFromAnotherKeyAreRejected) {
  auto auth = open(R"({"algorithms": ["RS256"], "public_key_file": ")" + rsaPublic() + R"(", )" + kNoEnv + "}");
  Poco::JWT::Signer other;
  other.setRSAKey(new Poco::Crypto::RSAKey(otherRsaPublic(), otherRsaPrivate()));
  other.addAlgorithm("RS256");
  Poco::JWT::Token token;
  token.setSubject("mallory");
  token.setExpiration(Poco::Timestamp::fromEpochTime(now() + 600));
  expectRejected(*auth, other.sign(token, "RS256"), "signature");

  auto es256 = open(R"({"algorithms": ["ES256"], "public_key_file": ")" + ecPublic() + R"(", )" + kNoEnv + "}");
  const std::string header = base64Url(R"({"alg":"ES256","typ":"JWT"})");
  const std::string payload = base64Url(claims());
  expectRejected(*es256, header + "." + payload + "." + base64Url(std::string(64, '\0')), "signature");
  expectRejected(*es256, header + "." + payload + "." + base64Url(std::string(63, '\x01')), "signature");
  expectRejected(*es256, header + "." + payload + "." + base64Url(std::string(72, '\x01')), "signature");
}

TEST_F(JwtAuthTest, CreateRefusesKeysThatDoNotFit) {
  const auto config = [](const std::string& alg, const std::string& members) {
    return R"({"algorithms": [")" + alg + R"("], )" + members + ", " + kNoEnv + "}";
  };
  EXPECT_NE(createError(R"({"algorithms": ["RS256"], )" + std::string(kNoEnv) + "}").find("public_key_file"),
            std::string::npos);
  EXPECT_NE(createError(config("ES256", R"("public_key_file": ")" + rsaPublic() + "\"")).find("P-256"),
            std::string::npos);
  EXPECT_NE(createError(config("RS256", R"("public_key_file": ")" + ecPublic() + "\"")).find("RSA key"),
            std::string::npos);
  EXPECT_NE(createError(config("RS256", R"("public_key_file": ")" + otherRsaPublic() + R"(", "private_key_file": ")" +
                                            rsaPrivate() + "\""))
                .find("not the public half"),
            std::string::npos);
  const std::string not_pem = dir_.write("not.pem", "hello").string();
  EXPECT_NE(createError(config("RS256", R"("public_key_file": ")" + not_pem + "\"")).find("not a PEM public key"),
            std::string::npos);
  EXPECT_NE(createError(config("RS256", R"("private_key_file": ")" + not_pem + "\"")).find("not an unencrypted PEM"),
            std::string::npos);
  EXPECT_NE(createError(R"({"public_key_file": ")" + rsaPublic() + R"(", "secret_file": ")" + secretFile() + R"(", )" +
                        kNoEnv + "}")
                .find("lists no RS256 or ES256"),
            std::string::npos);
}

TEST_F(JwtAuthTest, ConcurrentIssueAndAuthenticate) {
  auto auth = openHs256();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const std::string subject = "user" + std::to_string(t);
        const sdk::IssuedTokens tokens = auth->issue({"subject", subject, {}, ""});
        const sdk::AuthVerdict verdict = auth->authenticate(bearer(tokens.access_token));
        if (!verdict.authenticated || verdict.subject != subject) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
}

// Verified access tokens are remembered (verified_cache_size) so that a client's token is checked once; that
// must change no verdict.
TEST_F(JwtAuthTest, ARememberedTokenIsRefusedOnceItExpires) {
  auto auth = openHs256(R"(, "clock_skew_seconds": 0)");
  const int64_t expires = now() + 2;
  const std::string token =
      forge(kHs256Header, R"({"sub":"alice","roles":["admin"],"exp":)" + std::to_string(expires) + "}");
  expectAccepted(*auth, token);
  expectAccepted(*auth, token);
  while (now() < expires) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  expectRejected(*auth, token, "expired");
}

TEST_F(JwtAuthTest, TokensDifferingFromARememberedOneAreCheckedThemselves) {
  auto auth = openHs256();
  const std::string token = auth->issue({"subject", "mallory", {"viewer"}, ""}).access_token;
  const sdk::AuthVerdict first = auth->authenticate(bearer(token));
  ASSERT_TRUE(first.authenticated) << first.message;
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  expectRejected(*auth, flipped, "signature");
  expectRejected(*auth, token.substr(0, token.size() - 1), "signature");
  const size_t second_dot = token.rfind('.');
  const std::string promoted = R"({"sub":"mallory","roles":["admin"],"exp":)" + std::to_string(now() + 600) + "}";
  expectRejected(*auth, token.substr(0, token.find('.') + 1) + base64Url(promoted) + token.substr(second_dot),
                 "signature");
  const sdk::AuthVerdict again = auth->authenticate(bearer(token));
  EXPECT_TRUE(again.authenticated);
  EXPECT_EQ(again.subject, "mallory");
  EXPECT_EQ(again.roles, std::vector<std::string>{"viewer"});
}

TEST_F(JwtAuthTest, TheVerifiedTokenCacheIsBounded) {
  const auto cached = [](AuthPlugin& auth) {
    const auto detail = sdk::parseJson(auth.health().detail);
    return detail["verified_tokens_cached"].GetUint64();
  };
  auto small = openHs256(R"(, "verified_cache_size": 16)");
  auto none = openHs256(R"(, "verified_cache_size": 0)");
  for (int i = 0; i < 100; ++i) {
    const std::string token =
        forge(kHs256Header, R"({"sub":"user)" + std::to_string(i) + R"(","exp":)" + std::to_string(now() + 600) + "}");
    for (int repeat = 0; repeat < 2; ++repeat) {
      const sdk::AuthVerdict verdict = small->authenticate(bearer(token));
      EXPECT_TRUE(verdict.authenticated);
      EXPECT_EQ(verdict.subject, "user" + std::to_string(i));
      expectAccepted(*none, token);
    }
  }
  EXPECT_GT(cached(*small), 0u);
  EXPECT_LE(cached(*small), 16u);
  EXPECT_EQ(cached(*none), 0u);
  // Refused tokens are never remembered.
  auto fresh = openHs256();
  expectRejected(*fresh, forge(kHs256Header, claims(), "wrong-secret-wrong-secret-wrong-secret!"), "signature");
  EXPECT_EQ(cached(*fresh), 0u);
}

TEST_F(JwtAuthTest, ConfigSchemaIsStrict) {
  const std::string schema = library()->info().config_schema_json;
  const auto violation = [&](const std::string& config) -> std::string {
    try {
      validatePluginConfig(schema, config, dir_.path());
    } catch (const SchemaViolation& e) {
      return e.path + ": " + e.message;
    }
    return "";
  };
  EXPECT_EQ(violation(R"({"secret_file": "jwt-secret", "expire_minutes": 60})"), "");
  EXPECT_EQ(violation(R"({"algorithms": ["RS256"], "public_key_file": "k.pem", "private_key_file": "p.pem",
                          "issuer": "p2j", "audience": "api", "clock_skew_seconds": 0, "max_token_bytes": 4096,
                          "refresh_expire_minutes": 120, "secret_env": "MY_SECRET", "realm": "p2j"})"),
            "");
  EXPECT_NE(violation(R"({"secret": "inline-secrets-are-not-a-thing"})"), "");
  EXPECT_NE(violation(R"({"algorithms": ["none"]})"), "");
  EXPECT_NE(violation(R"({"algorithms": ["HS256", "none"]})"), "");
  EXPECT_NE(violation(R"({"algorithms": []})"), "");
  EXPECT_NE(violation(R"({"algorithms": ["HS256", "HS256"]})"), "");
  EXPECT_NE(violation(R"({"algorithms": "HS256"})"), "");
  EXPECT_NE(violation(R"({"expire_minutes": 0})"), "");
  EXPECT_NE(violation(R"({"clock_skew_seconds": -1})"), "");
  EXPECT_NE(violation(R"({"max_token_bytes": 10})"), "");
  EXPECT_EQ(violation(R"({"verified_cache_size": 0})"), "");
  EXPECT_NE(violation(R"({"verified_cache_size": -1})"), "");
  EXPECT_NE(violation(R"({"issuer": ""})"), "");

  const std::string resolved = validatePluginConfig(schema, R"({"secret_file": "data/jwt-secret"})", dir_.path());
  EXPECT_NE(resolved.find((dir_.path() / "data/jwt-secret").string()), std::string::npos) << resolved;
}

}  // namespace
}  // namespace p2j::plugins
