// auth-apikey through the host's AuthPlugin proxy, as the server calls it.
#include "auth_request.hpp"
#include "plugins/auth_plugin.hpp"
#include "plugins/config_schema.hpp"
#include "plugins/plugin_catalog.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

namespace p2j::plugins {
namespace {

constexpr const char* kKeyA = "k_9f2c1e7b4a6d8e0f3b5c7a9d1e3f5a7b";
constexpr const char* kKeyB = "k_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
constexpr const char* kChallenge = R"(ApiKey realm="p2j", header="X-API-Key")";

std::string sha256Hex(const std::string& key) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(key);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::shared_ptr<PluginLibrary> library() {
  static PluginCatalog catalog({testing::kPluginDir});
  return catalog.find("auth-apikey");
}

std::unique_ptr<AuthPlugin> open(const std::string& config) {
  return std::make_unique<AuthPlugin>("key", library(), createInstance(*library(), "key", config));
}

// The message create() failed with, or "" when it did not fail.
std::string createError(const std::string& config) {
  try {
    open(config);
  } catch (const PluginLoadError& e) {
    return e.what();
  }
  return "";
}

// Each name's values in order; the host lower-cases the names on the way to the plugin.
testing::OwnedAuthRequest request(const std::map<std::string, std::vector<std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> flat;
  for (const auto& [name, values] : headers) {
    for (const auto& value : values) flat.emplace_back(name, value);
  }
  return testing::OwnedAuthRequest(std::move(flat));
}

testing::OwnedAuthRequest withKey(const std::string& key) { return request({{"x-api-key", {key}}}); }

// Each test names its own environment variable, so tests never see each other's keys nor the CI's.
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

class ApiKeyAuthTest : public ::testing::Test {
 protected:
  std::string keysFile(const std::string& content, const std::string& name = "api-keys") const {
    return dir_.write(name, content).string();
  }
  // A keys file with key A as "ci" (admin, ops) and key B as "viewer" (no roles).
  std::string standardKeysFile() const {
    return keysFile("# id digest roles\nci " + sha256Hex(kKeyA) + " admin,ops\nviewer " + sha256Hex(kKeyB) + "\n");
  }
  // Replaces the keys file the way an operator rotates it: write a new file, rename it over the old one.
  void rotate(const std::string& path, const std::string& content) const {
    const std::string staging = path + ".new";
    std::ofstream(staging, std::ios::binary) << content;
    std::filesystem::rename(staging, path);
  }
  static std::string config(const std::string& keys_file, const std::string& extra = "") {
    return R"({"keys_file": ")" + keys_file + R"(", "env": "P2J_TEST_APIKEY_UNSET")" + extra + "}";
  }

  testing::TempDir dir_;
};

TEST_F(ApiKeyAuthTest, ValidKeyIsAcceptedWithItsIdAndRoles) {
  auto auth = open(config(standardKeysFile()));
  const sdk::AuthVerdict admin = auth->authenticate(withKey(kKeyA));
  ASSERT_TRUE(admin.authenticated) << admin.message;
  EXPECT_EQ(admin.subject, "apikey:ci");
  EXPECT_EQ(admin.roles, (std::vector<std::string>{"admin", "ops"}));
  const sdk::AuthVerdict viewer = auth->authenticate(withKey(kKeyB));
  ASSERT_TRUE(viewer.authenticated);
  EXPECT_EQ(viewer.subject, "apikey:viewer");
  EXPECT_TRUE(viewer.roles.empty());
}

TEST_F(ApiKeyAuthTest, HeaderNameIsCaseInsensitive) {
  auto auth = open(config(standardKeysFile()));
  EXPECT_TRUE(auth->authenticate(request({{"X-API-KEY", {kKeyA}}})).authenticated);
}

TEST_F(ApiKeyAuthTest, MissingKeyIsDeniedWithAChallenge) {
  auto auth = open(config(standardKeysFile()));
  const sdk::AuthVerdict verdict = auth->authenticate(request({}));
  EXPECT_FALSE(verdict.authenticated);
  EXPECT_EQ(verdict.error, "invalid_request");
  EXPECT_EQ(verdict.challenge, kChallenge);
  EXPECT_NE(verdict.message.find("X-API-Key"), std::string::npos) << verdict.message;
}

TEST_F(ApiKeyAuthTest, WrongKeyIsDenied) {
  auto auth = open(config(standardKeysFile()));
  for (const auto& key :
       std::vector<std::string>{"wrong", "k_9f2c1e7b4a6d8e0f3b5c7a9d1e3f5a7", "k_9f2c1e7b4a6d8e0f3b5c7a9d1e3f5a7bX",
                                " k_9f2c1e7b4a6d8e0f3b5c7a9d1e3f5a7b", sha256Hex(kKeyA)}) {
    const sdk::AuthVerdict verdict = auth->authenticate(withKey(key));
    EXPECT_FALSE(verdict.authenticated) << key;
    EXPECT_EQ(verdict.error, "invalid_key");
    EXPECT_EQ(verdict.challenge, kChallenge);
  }
}

TEST_F(ApiKeyAuthTest, KeyInTheWrongHeaderIsMissing) {
  auto auth = open(config(standardKeysFile()));
  for (const char* header : {"authorization", "x-api-token", "api-key", "cookie"}) {
    const sdk::AuthVerdict verdict = auth->authenticate(request({{header, {kKeyA}}}));
    EXPECT_FALSE(verdict.authenticated) << header;
    EXPECT_EQ(verdict.error, "invalid_request") << header;
  }
  const sdk::AuthVerdict bearer = auth->authenticate(request({{"authorization", {std::string("Bearer ") + kKeyA}}}));
  EXPECT_FALSE(bearer.authenticated);
}

TEST_F(ApiKeyAuthTest, DuplicateOrEmptyHeaderIsDenied) {
  auto auth = open(config(standardKeysFile()));
  const sdk::AuthVerdict twice = auth->authenticate(request({{"x-api-key", {kKeyA, kKeyA}}}));
  EXPECT_FALSE(twice.authenticated);
  EXPECT_EQ(twice.error, "invalid_request");
  const sdk::AuthVerdict mixed = auth->authenticate(request({{"x-api-key", {"wrong", kKeyA}}}));
  EXPECT_FALSE(mixed.authenticated);
  const sdk::AuthVerdict empty = auth->authenticate(withKey(""));
  EXPECT_FALSE(empty.authenticated);
  EXPECT_EQ(empty.error, "invalid_request");
}

TEST_F(ApiKeyAuthTest, KeyFromTheEnvironmentIsAccepted) {
  const ScopedEnv env("P2J_TEST_APIKEY_ENV", kKeyB);
  auto auth = open(R"({"env": "P2J_TEST_APIKEY_ENV", "env_roles": ["automation"]})");
  const sdk::AuthVerdict verdict = auth->authenticate(withKey(kKeyB));
  ASSERT_TRUE(verdict.authenticated) << verdict.message;
  EXPECT_EQ(verdict.subject, "apikey:env");
  EXPECT_EQ(verdict.roles, std::vector<std::string>{"automation"});
  EXPECT_FALSE(auth->authenticate(withKey(kKeyA)).authenticated);
}

TEST_F(ApiKeyAuthTest, FileAndEnvironmentKeysWorkTogether) {
  const ScopedEnv env("P2J_TEST_APIKEY_BOTH", "k_environment_key_0123456789abcdef");
  const std::string file = keysFile("ci " + sha256Hex(kKeyA) + "\n");
  auto auth = open(R"({"keys_file": ")" + file + R"(", "env": "P2J_TEST_APIKEY_BOTH"})");
  EXPECT_EQ(auth->authenticate(withKey(kKeyA)).subject, "apikey:ci");
  EXPECT_EQ(auth->authenticate(withKey("k_environment_key_0123456789abcdef")).subject, "apikey:env");
}

TEST_F(ApiKeyAuthTest, MissingKeysFileIsFineWhileTheEnvironmentHasAKey) {
  const ScopedEnv env("P2J_TEST_APIKEY_NOFILE", kKeyB);
  const std::string file = (dir_.path() / "later" / "api-keys").string();
  auto auth = open(R"({"keys_file": ")" + file + R"(", "env": "P2J_TEST_APIKEY_NOFILE", "reload_interval_ms": 0})");
  EXPECT_EQ(auth->authenticate(withKey(kKeyB)).subject, "apikey:env");
  EXPECT_FALSE(auth->authenticate(withKey(kKeyA)).authenticated);
  EXPECT_NE(auth->health().detail.find("No such file"), std::string::npos) << auth->health().detail;

  dir_.write("later/api-keys", "ci " + sha256Hex(kKeyA) + "\n");
  EXPECT_EQ(auth->authenticate(withKey(kKeyA)).subject, "apikey:ci");
  EXPECT_EQ(auth->authenticate(withKey(kKeyB)).subject, "apikey:env");
  EXPECT_EQ(auth->health().detail.find("reload_error"), std::string::npos) << auth->health().detail;
}

TEST_F(ApiKeyAuthTest, HeaderAndRealmAreConfigurable) {
  auto auth = open(config(standardKeysFile(), R"(, "header": "X-Service-Key", "realm": "ops")"));
  EXPECT_TRUE(auth->authenticate(request({{"x-service-key", {kKeyA}}})).authenticated);
  const sdk::AuthVerdict default_header = auth->authenticate(withKey(kKeyA));
  EXPECT_FALSE(default_header.authenticated);
  EXPECT_EQ(default_header.challenge, R"(ApiKey realm="ops", header="X-Service-Key")");
}

TEST_F(ApiKeyAuthTest, CreateRefusesToRunWithoutAnyKey) {
  const std::string error = createError(R"({"env": "P2J_TEST_APIKEY_UNSET"})");
  EXPECT_NE(error.find("no API key configured"), std::string::npos) << error;
  EXPECT_NE(error.find("P2J_TEST_APIKEY_UNSET"), std::string::npos) << error;

  const std::string empty_file = keysFile("# nothing yet\n\n");
  const std::string no_keys = createError(config(empty_file));
  EXPECT_NE(no_keys.find("lists no key"), std::string::npos) << no_keys;

  const std::string missing = createError(config((dir_.path() / "absent").string()));
  EXPECT_NE(missing.find("cannot open keys_file"), std::string::npos) << missing;
}

TEST_F(ApiKeyAuthTest, CreateRefusesAShortEnvironmentKey) {
  const ScopedEnv env("P2J_TEST_APIKEY_SHORT", "secret");
  const std::string error = createError(R"({"env": "P2J_TEST_APIKEY_SHORT"})");
  EXPECT_NE(error.find("at least 16"), std::string::npos) << error;
  EXPECT_EQ(error.find("secret\""), std::string::npos) << "the key itself must not be echoed: " << error;
}

TEST_F(ApiKeyAuthTest, MalformedLinesFailCreateWithTheLineNumber) {
  const std::string good = "ci " + sha256Hex(kKeyA) + "\n";
  const std::string digest = sha256Hex(kKeyB);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"viewer", "expected '<id> <sha256-hex-of-key>"},
      {"viewer " + digest + " admin extra", "expected '<id> <sha256-hex-of-key>"},
      {"viewer " + digest.substr(1), "64 hex digits"},
      {"viewer " + digest.substr(1) + "g", "64 hex digits"},
      {"viewer " + std::string(kKeyB), "64 hex digits"},
      {"vie/wer " + digest, "the id must be"},
      {"ci " + digest, "used on an earlier line"},
      {"env " + digest, "reserved"},
      {"viewer " + sha256Hex(kKeyA), "same key"},
      {"viewer " + digest + " admin,,ops", "roles are"},
      {"viewer " + digest + " admin,", "roles are"},
      {"viewer " + digest + " #comment", "roles are"},
  };
  for (const auto& [line, reason] : cases) {
    const std::string file = keysFile(good + "\n" + line + "\n");
    const std::string error = createError(config(file));
    EXPECT_NE(error.find(file + ":3: "), std::string::npos) << line << " -> " << error;
    EXPECT_NE(error.find(reason), std::string::npos) << line << " -> " << error;
  }
}

TEST_F(ApiKeyAuthTest, CommentsBlankLinesAndLayoutVariantsAreAccepted) {
  std::string hex = sha256Hex(kKeyA);
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string file = keysFile("\xEF\xBB\xBF# keys for p2j\r\n\r\n   # indented comment\n\tci\t" + hex +
                                    "  admin \r\nviewer " + sha256Hex(kKeyB));
  auto auth = open(config(file));
  const sdk::AuthVerdict verdict = auth->authenticate(withKey(kKeyA));
  ASSERT_TRUE(verdict.authenticated) << verdict.message;
  EXPECT_EQ(verdict.roles, std::vector<std::string>{"admin"});
  EXPECT_TRUE(auth->authenticate(withKey(kKeyB)).authenticated);
}

TEST_F(ApiKeyAuthTest, RotatedKeysFileIsReloadedWithoutRestart) {
  const std::string file = keysFile("ci " + sha256Hex(kKeyA) + " admin\n");
  auto auth = open(config(file, R"(, "reload_interval_ms": 0)"));
  ASSERT_TRUE(auth->authenticate(withKey(kKeyA)).authenticated);

  rotate(file, "ci2 " + sha256Hex(kKeyB) + " ops\n");
  EXPECT_FALSE(auth->authenticate(withKey(kKeyA)).authenticated) << "a revoked key must stop working";
  const sdk::AuthVerdict rotated = auth->authenticate(withKey(kKeyB));
  ASSERT_TRUE(rotated.authenticated);
  EXPECT_EQ(rotated.subject, "apikey:ci2");

  // Edited in place (same inode, new size) rather than renamed.
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      << "ci " << sha256Hex(kKeyA) << "\nci2 " << sha256Hex(kKeyB) << " ops\n";
  EXPECT_TRUE(auth->authenticate(withKey(kKeyA)).authenticated);
  EXPECT_TRUE(auth->authenticate(withKey(kKeyB)).authenticated);
}

TEST_F(ApiKeyAuthTest, KeysFileIsCheckedAtMostOncePerInterval) {
  const std::string file = keysFile("ci " + sha256Hex(kKeyA) + "\n");
  auto auth = open(config(file, R"(, "reload_interval_ms": 600000)"));
  rotate(file, "ci2 " + sha256Hex(kKeyB) + "\n");
  EXPECT_TRUE(auth->authenticate(withKey(kKeyA)).authenticated);
  EXPECT_FALSE(auth->authenticate(withKey(kKeyB)).authenticated);
}

TEST_F(ApiKeyAuthTest, BrokenReloadKeepsTheLastGoodKeysAndSaysWhy) {
  const std::string file = keysFile("ci " + sha256Hex(kKeyA) + "\n");
  auto auth = open(config(file, R"(, "reload_interval_ms": 0)"));
  rotate(file, "ci " + sha256Hex(kKeyA) + "\nbroken line here\n");
  EXPECT_TRUE(auth->authenticate(withKey(kKeyA)).authenticated);
  HealthReport health = auth->health();
  EXPECT_EQ(health.state, sdk::HealthState::kOk);
  EXPECT_NE(health.detail.find(file + ":2: "), std::string::npos) << health.detail;

  std::filesystem::remove(file);
  EXPECT_TRUE(auth->authenticate(withKey(kKeyA)).authenticated);
  EXPECT_NE(auth->health().detail.find("cannot stat"), std::string::npos) << auth->health().detail;

  rotate(file, "ci " + sha256Hex(kKeyA) + "\nviewer " + sha256Hex(kKeyB) + "\n");
  EXPECT_TRUE(auth->authenticate(withKey(kKeyB)).authenticated);
  health = auth->health();
  EXPECT_EQ(health.detail.find("reload_error"), std::string::npos) << health.detail;
  EXPECT_NE(health.detail.find(R"("keys":2)"), std::string::npos) << health.detail;
}

TEST_F(ApiKeyAuthTest, ConcurrentRequestsDuringRotationSeeOneKeySetOrTheOther) {
  const std::string file = keysFile("ci " + sha256Hex(kKeyA) + "\n");
  auto auth = open(config(file, R"(, "reload_interval_ms": 0)"));
  std::atomic<bool> stop{false};
  std::atomic<int> wrong_subjects{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        const sdk::AuthVerdict verdict = auth->authenticate(withKey(kKeyA));
        if (verdict.authenticated && verdict.subject != "apikey:ci" && verdict.subject != "apikey:again")
          ++wrong_subjects;
      }
    });
  }
  for (int i = 0; i < 200; ++i) rotate(file, (i % 2 == 0 ? "again " : "ci ") + sha256Hex(kKeyA) + "\n");
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong_subjects, 0);
  EXPECT_EQ(auth->authenticate(withKey(kKeyA)).subject, "apikey:ci");
}

TEST_F(ApiKeyAuthTest, ConfigSchemaIsStrict) {
  const std::string schema = library()->info().config_schema_json;
  const auto violation = [&](const std::string& config) -> std::string {
    try {
      validatePluginConfig(schema, config, dir_.path());
    } catch (const SchemaViolation& e) {
      return e.path + ": " + e.message;
    }
    return "";
  };
  EXPECT_EQ(violation(R"({"keys_file": "keys"})"), "");
  EXPECT_EQ(violation(R"({"keys_file": "k", "env": "MY_KEY", "env_roles": ["admin"], "header": "X-Key",
                          "realm": "p2j", "reload_interval_ms": 0})"),
            "");
  EXPECT_NE(violation(R"({"keys_file": "keys", "keys": ["plain"]})"), "");
  EXPECT_NE(violation(R"({"keys_file": ""})"), "");
  EXPECT_NE(violation(R"({"header": "X API Key"})"), "");
  EXPECT_NE(violation(R"({"env": "1BAD"})"), "");
  EXPECT_NE(violation(R"({"env_roles": ["has space"]})"), "");
  EXPECT_NE(violation(R"({"realm": "a\"b"})"), "");
  EXPECT_NE(violation(R"({"reload_interval_ms": -1})"), "");

  const std::string resolved = validatePluginConfig(schema, R"({"keys_file": "data/api-keys"})", dir_.path());
  EXPECT_NE(resolved.find((dir_.path() / "data/api-keys").string()), std::string::npos) << resolved;
}

}  // namespace
}  // namespace p2j::plugins
