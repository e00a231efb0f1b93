// The attack suite: the real binary with API key + JWT auth, roles, rate limits, CORS and input limits.
// Every forged, stale or misplaced credential is refused; valid calls are accepted.
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace p2j::testing {
namespace {

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::string base64url(const std::string& raw) {
  std::ostringstream text;
  Poco::Base64Encoder encoder(text, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder.rdbuf()->setLineLength(0);
  encoder << raw;
  encoder.close();
  return text.str();
}

constexpr const char* kAuthConfig = R"(
server: { threads: 16 }
auth:
  default: [key, jwt]
  users_file: "${P2J_DATA_DIR}/users"
  first_start_secrets: true
rate_limits: { default: 1000/minute }
cors:
  allow_origins: ["http://allowed.example"]
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  key:   { use: auth-apikey, config: { keys_file: "${P2J_DATA_DIR}/api-keys" } }
  jwt:   { use: auth-jwt, config: { secret_file: "${P2J_DATA_DIR}/jwt-secret", expire_minutes: 5, max_token_bytes: 4096 } }
storage: db
endpoints:
  - { method: POST, path: /token,         action: token, issuer: jwt, auth: [key], rate_limit: 500/minute }
  - { method: POST, path: /token/refresh, action: token_refresh, issuer: jwt, auth: [key] }
  - { method: POST, path: /generate,      action: generate, agent: rules }
  - { method: GET,  path: "/specs/{id}",  action: get_spec }
  - { method: GET,  path: /health,        action: health }
  - { method: GET,  path: /livez,         action: livez }
  - { method: GET,  path: /admin/status,  action: health, auth: [key, jwt] }
  - { method: GET,  path: "/limited/{id}", action: get_spec, auth: none, rate_limit: 20/minute }
  - { method: GET,  path: /fast,          action: health, auth: none, rate_limit: 3/second }
)";

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(kAuthConfig);
    server_->start();
    const std::string announced = server_->stderrText();
    std::smatch match;
    ASSERT_TRUE(std::regex_search(announced, match, std::regex("X-API-Key: (p2j_[A-Za-z0-9_-]+)"))) << announced;
    api_key_ = match[1];
    ASSERT_TRUE(std::regex_search(announced, match, std::regex("password: ([A-Za-z0-9_-]+)"))) << announced;
    admin_password_ = match[1];
    secret_ = trimmed(readText(server_->dataDir() / "jwt-secret"));
    const auto added = runProcess({kP2jBinary, "user", "add", "viewer", "--password-stdin", "--config",
                                   (server_->dir().path() / "p2j.yaml").string()},
                                  {{"P2J_DATA_DIR", server_->dataDir().string()}}, "viewer-password-1\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
  }

  static HttpResult call(const std::string& method, const std::string& path, const Headers& headers,
                         const std::string& body = "") {
    return server_->request(method, path, body, headers);
  }
  static std::pair<std::string, std::string> login(const std::string& user, const std::string& password) {
    const auto result = call("POST", "/token", {{"X-API-Key", api_key_}},
                             R"({"username": ")" + user + R"(", "password": ")" + password + "\"}");
    EXPECT_EQ(result.status, 200) << result.body;
    const auto body = sdk::parseJson(result.body);
    return {body["access_token"].GetString(), body["refresh_token"].GetString()};
  }
  static Headers withToken(const std::string& token, const std::string& scheme = "Bearer") {
    return {{"X-API-Key", api_key_}, {"Authorization", scheme + " " + token}};
  }
  // An HS256 token signed with the server's secret, with the claims the caller sets.
  static std::string forge(const std::function<void(Poco::JWT::Token&)>& claims, const std::string& key = "") {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject("admin");
    token.payload().set("token_use", "access");
    token.setIssuedAt(Poco::Timestamp());
    token.setExpiration(Poco::Timestamp() + Poco::Timespan(300, 0));
    claims(token);
    Poco::JWT::Signer signer(key.empty() ? secret_ : key);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
  }
  static void expectUnauthorized(const HttpResult& result, const std::string& why) {
    EXPECT_EQ(result.status, 401) << why << ": " << result.body;
    EXPECT_FALSE(result.header("WWW-Authenticate").empty()) << why;
    EXPECT_STREQ(sdk::parseJson(result.body)["error"].GetString(), "unauthorized") << why;
  }

  static ServerProcess* server_;
  static std::string api_key_;
  static std::string admin_password_;
  static std::string secret_;
};

ServerProcess* AuthTest::server_ = nullptr;
std::string AuthTest::api_key_;
std::string AuthTest::admin_password_;
std::string AuthTest::secret_;

const std::string kPrompt = R"({"prompt": "Design a small wooden chair"})";

TEST_F(AuthTest, HealthProbesArePublic) {
  EXPECT_EQ(call("GET", "/health", {}).status, 200);
  EXPECT_EQ(call("GET", "/livez", {}).status, 200);
}

TEST_F(AuthTest, NoKeyWrongKeyAndKeyInTheWrongHeaderAreRefused) {
  const auto [access, refresh] = login("admin", admin_password_);
  expectUnauthorized(call("POST", "/generate", {{"Authorization", "Bearer " + access}}, kPrompt), "no key");
  expectUnauthorized(
      call("POST", "/generate", {{"X-API-Key", api_key_ + "x"}, {"Authorization", "Bearer " + access}}, kPrompt),
      "wrong key");
  expectUnauthorized(
      call("POST", "/generate", {{"X-Api-Token", api_key_}, {"Authorization", "Bearer " + access}}, kPrompt),
      "key in the wrong header");
  expectUnauthorized(call("POST", "/token", {}, R"({"username": "admin", "password": "x"})"), "token without key");
}

// A 401 is decided before the body is read: the body must still leave the connection, or its bytes would
// be read as the next request (a 400 without X-Request-ID, seen by the property-based API test).
TEST_F(AuthTest, ABodyRefusedBefore401DoesNotPoisonTheConnection) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  const std::string body = kPrompt;
  const std::string bytes =
      "POST /generate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body + "GET /livez HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string answer;
  char buffer[4096];
  for (int got = 1; got > 0;) {
    try {
      got = socket.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      break;
    }
    if (got > 0) answer.append(buffer, static_cast<size_t>(got));
  }
  ASSERT_TRUE(answer.starts_with("HTTP/1.1 401")) << answer;
  const size_t second = answer.find("HTTP/1.1", 1);
  ASSERT_NE(second, std::string::npos) << answer;
  EXPECT_TRUE(answer.substr(second).starts_with("HTTP/1.1 200")) << answer;
}

TEST_F(AuthTest, ValidCallsAreAccepted) {
  const auto [access, refresh] = login("admin", admin_password_);
  const auto generated = call("POST", "/generate", withToken(access), kPrompt);
  ASSERT_EQ(generated.status, 200) << generated.body;
  EXPECT_EQ(call("POST", "/generate", withToken(access, "bearer"), kPrompt).status, 200) << "lower-case bearer";
  const std::string id = sdk::parseJson(generated.body)["spec_id"].GetString();
  EXPECT_EQ(call("GET", "/specs/" + id, withToken(access)).status, 200);
}

TEST_F(AuthTest, TokenEndpointShapeAndBadCredentials) {
  const auto result = call("POST", "/token", {{"X-API-Key", api_key_}},
                           R"({"username": "admin", "password": ")" + admin_password_ + "\"}");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = sdk::parseJson(result.body);
  EXPECT_STREQ(body["token_type"].GetString(), "bearer");
  EXPECT_EQ(body["expires_in"].GetInt(), 300);
  EXPECT_TRUE(body["access_token"].IsString());
  EXPECT_TRUE(body["refresh_token"].IsString());
  EXPECT_EQ(result.header("Cache-Control"), "no-store");
  EXPECT_EQ(call("POST", "/token", {{"X-API-Key", api_key_}}, R"({"username": "admin", "password": "wrong"})").status,
            401);
  EXPECT_EQ(call("POST", "/token", {{"X-API-Key", api_key_}}, R"({"username": "nobody", "password": "wrong"})").status,
            401);
  EXPECT_EQ(call("POST", "/token", {{"X-API-Key", api_key_}}, R"({"username": "", "password": ""})").status, 400);
  EXPECT_EQ(call("POST", "/token", {{"X-API-Key", api_key_}}, R"({"username": "admin"})").status, 422);
}

TEST_F(AuthTest, MissingOrMalformedBearerIsRefused) {
  expectUnauthorized(call("POST", "/generate", {{"X-API-Key", api_key_}}, kPrompt), "no token");
  expectUnauthorized(call("POST", "/generate", withToken("not.a.token"), kPrompt), "malformed base64");
  expectUnauthorized(call("POST", "/generate", withToken("%%%.###.$$$"), kPrompt), "garbage");
  expectUnauthorized(call("POST", "/generate", withToken(std::string(6000, 'a') + ".b.c"), kPrompt), "oversized token");
  EXPECT_EQ(call("POST", "/generate", withToken(std::string(10000, 'a')), kPrompt).status, 431)
      << "a header field over 8 KiB is refused by the HTTP layer itself";
  const auto [access, refresh] = login("admin", admin_password_);
  expectUnauthorized(call("POST", "/generate", withToken(access, "Basic"), kPrompt), "wrong scheme");
}

TEST_F(AuthTest, AlgNoneIsRefused) {
  const std::string header = base64url(R"({"alg":"none","typ":"JWT"})");
  const long exp = static_cast<long>(std::time(nullptr)) + 300;
  const std::string payload =
      base64url(R"({"sub":"admin","roles":["admin"],"token_use":"access","exp":)" + std::to_string(exp) + "}");
  expectUnauthorized(call("POST", "/generate", withToken(header + "." + payload + "."), kPrompt), "alg none");
}

TEST_F(AuthTest, TamperedPayloadIsRefused) {
  const auto [access, refresh] = login("viewer", "viewer-password-1");
  const size_t first = access.find('.');
  const size_t second = access.find('.', first + 1);
  const long exp = static_cast<long>(std::time(nullptr)) + 300;
  const std::string payload =
      base64url(R"({"sub":"viewer","roles":["admin"],"token_use":"access","exp":)" + std::to_string(exp) + "}");
  const std::string tampered = access.substr(0, first + 1) + payload + access.substr(second);
  expectUnauthorized(call("GET", "/admin/status", withToken(tampered)), "tampered payload");
}

TEST_F(AuthTest, ExpiredFutureAndExpLessTokensAreRefused) {
  EXPECT_EQ(call("POST", "/generate", withToken(forge([](Poco::JWT::Token&) {})), kPrompt).status, 200)
      << "the forging helper itself makes valid tokens";
  expectUnauthorized(
      call("POST", "/generate",
           withToken(forge([](Poco::JWT::Token& t) { t.setExpiration(Poco::Timestamp() - Poco::Timespan(600, 0)); })),
           kPrompt),
      "expired");
  expectUnauthorized(
      call("POST", "/generate",
           withToken(forge([](Poco::JWT::Token& t) { t.setNotBefore(Poco::Timestamp() + Poco::Timespan(600, 0)); })),
           kPrompt),
      "nbf in the future");
  expectUnauthorized(
      call("POST", "/generate", withToken(forge([](Poco::JWT::Token& t) { t.payload().remove("exp"); })), kPrompt),
      "missing exp");
  expectUnauthorized(
      call("POST", "/generate", withToken(forge([](Poco::JWT::Token&) {}, std::string(40, 'k'))), kPrompt),
      "signed with another secret");
}

TEST_F(AuthTest, DuplicateAuthorizationHeadersAreRefused) {
  const auto [access, refresh] = login("admin", admin_password_);
  expectUnauthorized(
      call("POST", "/generate",
           {{"X-API-Key", api_key_}, {"Authorization", "Bearer " + access}, {"Authorization", "Bearer " + access}},
           kPrompt),
      "two Authorization headers");
}

TEST_F(AuthTest, RefreshTokenIsNotAnAccessTokenAndRefreshWorks) {
  const auto [access, refresh] = login("admin", admin_password_);
  expectUnauthorized(call("POST", "/generate", withToken(refresh), kPrompt), "refresh token used as access token");
  const auto renewed =
      call("POST", "/token/refresh", {{"X-API-Key", api_key_}}, R"({"refresh_token": ")" + refresh + "\"}");
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  const std::string new_access = sdk::parseJson(renewed.body)["access_token"].GetString();
  EXPECT_EQ(call("POST", "/generate", withToken(new_access), kPrompt).status, 200);
  const auto misuse =
      call("POST", "/token/refresh", {{"X-API-Key", api_key_}}, R"({"refresh_token": ")" + access + "\"}");
  EXPECT_EQ(misuse.status, 401) << "an access token is not a refresh token";
  EXPECT_STREQ(sdk::parseJson(misuse.body)["error"].GetString(), "invalid_grant");
}

TEST_F(AuthTest, AdminEndpointsNeedTheAdminRole) {
  const auto [viewer, viewer_refresh] = login("viewer", "viewer-password-1");
  const auto refused = call("GET", "/admin/status", withToken(viewer));
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
  const auto [admin, admin_refresh] = login("admin", admin_password_);
  EXPECT_EQ(call("GET", "/admin/status", withToken(admin)).status, 200);
}

TEST_F(AuthTest, TheTwentyFirstCallInAMinuteIs429WithHeaders) {
  HttpResult last;
  for (int i = 0; i < 20; ++i) {
    last = call("GET", "/limited/00000000-0000-4000-8000-000000000000", {});
    ASSERT_EQ(last.status, 404) << "call " << i + 1;
    EXPECT_EQ(last.header("RateLimit-Limit"), "20");
    EXPECT_EQ(last.header("RateLimit-Remaining"), std::to_string(19 - i));
  }
  const auto limited = call("GET", "/limited/00000000-0000-4000-8000-000000000000", {});
  EXPECT_EQ(limited.status, 429);
  EXPECT_STREQ(sdk::parseJson(limited.body)["error"].GetString(), "rate_limited");
  EXPECT_EQ(limited.header("RateLimit-Remaining"), "0");
  const int retry_after = std::stoi(limited.header("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(limited.header("RateLimit-Reset"), limited.header("Retry-After"));
}

TEST_F(AuthTest, TheWindowResets) {
  for (int i = 0; i < 3; ++i) call("GET", "/fast", {});
  const auto limited = call("GET", "/fast", {});
  if (limited.status != 429) GTEST_SKIP() << "the 1 s window turned over during the burst; rerun";
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(call("GET", "/fast", {}).status, 200);
}

TEST_F(AuthTest, ForwardedForIsIgnoredFromUntrustedPeers) {
  // Changing X-Forwarded-For on each call must not buy a fresh budget.
  int refused = 0;
  for (int i = 0; i < 25; ++i) {
    const auto result = call("GET", "/limited/11111111-0000-4000-8000-000000000000",
                             {{"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
    refused += result.status == 429;
  }
  EXPECT_GE(refused, 5);
}

TEST_F(AuthTest, CorsPreflightFromAllowedAndDisallowedOrigins) {
  const auto allowed = call("OPTIONS", "/generate",
                            {{"Origin", "http://allowed.example"},
                             {"Access-Control-Request-Method", "POST"},
                             {"Access-Control-Request-Headers", "Content-Type, X-API-Key, Authorization"}});
  EXPECT_EQ(allowed.status, 204) << allowed.body;
  EXPECT_EQ(allowed.header("Access-Control-Allow-Origin"), "http://allowed.example");
  EXPECT_NE(allowed.header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  const auto disallowed =
      call("OPTIONS", "/generate", {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(disallowed.status, 403);
  EXPECT_TRUE(disallowed.header("Access-Control-Allow-Origin").empty());
  EXPECT_EQ(call("GET", "/health", {{"Origin", "http://allowed.example"}}).header("Access-Control-Allow-Origin"),
            "http://allowed.example");
  EXPECT_TRUE(
      call("GET", "/health", {{"Origin", "http://evil.example"}}).header("Access-Control-Allow-Origin").empty());
}

TEST_F(AuthTest, InputLimits) {
  const auto [access, refresh] = login("admin", admin_password_);
  std::string deep = R"({"prompt": "Design a house", "x": )" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(call("POST", "/generate", withToken(access), deep).status, 400);
  const std::string long_string = R"({"prompt": "Design a house", "x": ")" + std::string(70000, 'a') + "\"}";
  EXPECT_EQ(call("POST", "/generate", withToken(access), long_string).status, 413);
  Headers many = withToken(access);
  for (int i = 0; i < 120; ++i) many.emplace_back("X-Filler-" + std::to_string(i), "1");
  EXPECT_EQ(call("POST", "/generate", many, kPrompt).status, 431) << "too many header fields";
}

TEST_F(AuthTest, SecretsAreFilesWithMode0600AndArePrintedOnce) {
  for (const char* name : {"api-keys", "jwt-secret", "users"}) {
    struct stat info {};
    ASSERT_EQ(::stat((server_->dataDir() / name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << name;
  }
  struct stat dir {};
  ASSERT_EQ(::stat(server_->dataDir().c_str(), &dir), 0);
  EXPECT_EQ(dir.st_mode & 0777, 0700u);
  EXPECT_EQ(readText(server_->dataDir() / "api-keys").find(api_key_), std::string::npos)
      << "only the key's hash is stored";
  EXPECT_EQ(server_->stdoutText().find(api_key_), std::string::npos) << "the access log never has the key";

  // A second start finds the files: it prints no secret and keeps the old ones working.
  ServerProcess again(kAuthConfig, {{"P2J_DATA_DIR", server_->dataDir().string()}});
  again.start();
  EXPECT_EQ(again.stderrText().find(api_key_), std::string::npos);
  EXPECT_EQ(again.stderrText().find(admin_password_), std::string::npos);
  EXPECT_EQ(again.stderrText().find("password:"), std::string::npos);
  const auto result = again.request(
      "POST", "/token", R"({"username": "admin", "password": ")" + admin_password_ + "\"}", {{"X-API-Key", api_key_}});
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(again.stop(), 0);
  // The access log is written in blocks; after the drain it is complete, including the /token call above.
  EXPECT_NE(again.stdoutText().find("/token"), std::string::npos) << again.stdoutText();
  EXPECT_EQ(again.stdoutText().find(api_key_), std::string::npos) << "the access log never has the key";
}

// RS256 with issuer and audience: algorithm confusion and wrong claims.
TEST(AuthRs256, AlgorithmConfusionAndWrongIssuerOrAudienceAreRefused) {
  TempDir keys;
  Poco::SharedPtr<Poco::Crypto::RSAKey> rsa(
      new Poco::Crypto::RSAKey(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE));
  std::ostringstream public_pem;
  std::ostringstream private_pem;
  rsa->save(&public_pem, &private_pem);
  const auto public_file = keys.write("public.pem", public_pem.str());
  const auto private_file = keys.write("private.pem", private_pem.str());
  ServerProcess server(std::string(R"(
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  jwt:
    use: auth-jwt
    config:
      algorithms: [RS256]
      public_key_file: ")") +
                       public_file.string() + R"("
      private_key_file: ")" +
                       private_file.string() + R"("
      issuer: "https://issuer.example"
      audience: "p2j-api"
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, auth: [jwt] }
  - { method: GET,  path: /livez,    action: livez }
)");
  server.start();
  auto token = [&](const std::string& issuer, const std::string& audience) {
    Poco::JWT::Token t;
    t.setSubject("someone");
    t.setIssuer(issuer);
    t.setAudience(audience);
    t.payload().set("token_use", "access");
    t.setIssuedAt(Poco::Timestamp());
    t.setExpiration(Poco::Timestamp() + Poco::Timespan(300, 0));
    return t;
  };
  Poco::JWT::Signer rs_signer(rsa);
  auto rs256 = [&](Poco::JWT::Token t) { return rs_signer.sign(t, Poco::JWT::Signer::ALGO_RS256); };
  auto bearer = [](const std::string& jwt) { return Headers{{"Authorization", "Bearer " + jwt}}; };

  EXPECT_EQ(
      server.request("POST", "/generate", kPrompt, bearer(rs256(token("https://issuer.example", "p2j-api")))).status,
      200);
  EXPECT_EQ(
      server.request("POST", "/generate", kPrompt, bearer(rs256(token("https://evil.example", "p2j-api")))).status, 401)
      << "wrong issuer";
  EXPECT_EQ(
      server.request("POST", "/generate", kPrompt, bearer(rs256(token("https://issuer.example", "other")))).status, 401)
      << "wrong audience";
  Poco::JWT::Signer confused(public_pem.str());  // HS256 keyed with the public key: algorithm confusion
  auto forged = token("https://issuer.example", "p2j-api");
  EXPECT_EQ(
      server.request("POST", "/generate", kPrompt, bearer(confused.sign(forged, Poco::JWT::Signer::ALGO_HS256))).status,
      401)
      << "HS256 signed with the public key";
  EXPECT_EQ(server.stop(), 0);
}

// Auth schemes built against ABI 1.5 (the verdict as a struct), 1.4 (the request as a struct) and 1.2 (the
// request as JSON) see the same request: the header name in lower case whatever case it was sent in, and the
// path. Each accepts only its key, and the access log names the scheme's subject, so the call it was asked
// through is seen.
TEST(AuthAbi, SchemesBuiltAgainstTheStructAndTheJsonAbiSeeTheSameRequest) {
  for (const std::string scheme : {"raw-auth", "abi14-auth", "abi12-auth"}) {
    SCOPED_TRACE(scheme);
    ServerProcess server(std::string("plugin_dirs: [\"") + kBrokenPluginDir + R"("]
logging: { access_log: true }
plugins:
  raw: { use: )" + scheme +
                         R"( }
endpoints:
  - { method: GET, path: /guard, action: livez, auth: [raw] }
  - { method: GET, path: /other, action: livez, auth: [raw] }
)");
    server.start();
    EXPECT_EQ(server.request("GET", "/guard", "", {{"X-RAW-KEY", "open-sesame"}}).status, 200);
    EXPECT_EQ(server.request("GET", "/guard", "", {{"x-raw-key", "open-sesame"}}).status, 200);
    EXPECT_EQ(server.request("GET", "/guard", "", {{"X-Raw-Key", "open-sesame!"}}).status, 401);
    EXPECT_EQ(server.request("GET", "/guard").status, 401);
    EXPECT_EQ(server.request("GET", "/other", "", {{"X-Raw-Key", "open-sesame"}}).status, 401) << "the path is passed";
    EXPECT_EQ(server.stop(), 0);
    const std::string subject = scheme == "raw-auth" ? "raw-v3" : scheme == "abi14-auth" ? "raw-v2" : "raw-v1";
    EXPECT_NE(server.stdoutText().find(subject), std::string::npos) << server.stdoutText();
  }
}

// A verdict whose text lies outside the plugin's buffer is the plugin's failure: 500 without detail for the
// client, the reason in the log, and the server goes on serving.
TEST(AuthAbi, AVerdictPointingOutsideItsBufferIsAnInternalError) {
  ServerProcess server(std::string("plugin_dirs: [\"") + kBrokenPluginDir + R"("]
plugins:
  raw: { use: broken-verdict-auth }
endpoints:
  - { method: GET, path: /guard, action: livez, auth: [raw] }
  - { method: GET, path: /livez, action: livez }
)");
  server.start();
  const auto refused = server.request("GET", "/guard", "", {{"X-Raw-Key", "open-sesame"}});
  EXPECT_EQ(refused.status, 500);
  EXPECT_EQ(refused.body.find("buffer"), std::string::npos) << "internal detail in the body: " << refused.body;
  EXPECT_EQ(server.request("GET", "/livez").status, 200);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_NE(server.stderrText().find("malformed verdict"), std::string::npos) << server.stderrText();
}

}  // namespace
}  // namespace p2j::testing
