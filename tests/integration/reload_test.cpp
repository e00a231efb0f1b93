// Hot reload through the real binary: POST /admin/reload and SIGHUP re-read the configuration file; a file
// that is wrong in any way leaves the running configuration serving and says why; settings a running server
// cannot change are reported, not half-applied.
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <thread>

namespace p2j::testing {
namespace {

constexpr const char* kAdminKey = "reload-admin-key-0123456789abcdef";
constexpr const char* kUserKey = "reload-user-key-0123456789abcdef";
constexpr const char* kPrompt = R"({"prompt": "Design a wooden dining table for 6 people"})";

// `extra_plugins` and `extra_endpoints` are YAML lines added to the plugins and the endpoints.
std::string config(const std::string& extra_plugins = "", const std::string& extra_endpoints = "",
                   const std::string& server = "server: { threads: 8 }\n") {
  return server + R"(
plugin_dirs: [")" +
         std::string(kBrokenPluginDir) +
         R"("]
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  key:   { use: auth-apikey, config: { env_roles: [admin] } }
  user:  { use: auth-apikey, config: { env: P2J_USER_KEY } }
)" + extra_plugins +
         R"(storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET,  path: /livez, action: livez }
  - { method: GET,  path: /readyz, action: readyz }
  - { method: GET,  path: /metrics, action: metrics }
  - { method: POST, path: /admin/reload, action: reload, auth: { any: [key, user] } }
)" + extra_endpoints;
}

const std::string kSecondAgent = "  rules-v2: { use: agent-rules }\n";
const std::string kSecondEndpoint = "  - { method: POST, path: /v2/generate, action: generate, agent: rules-v2 }\n";

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        config(), std::map<std::string, std::string>{{"P2J_API_KEY", kAdminKey}, {"P2J_USER_KEY", kUserKey}});
    server_->start();
  }
  void TearDown() override { EXPECT_EQ(server_->stop(), 0) << server_->stderrText(); }

  HttpResult reload(const std::string& key = kAdminKey) const {
    return server_->request("POST", "/admin/reload", "", {{"X-API-Key", key}});
  }
  void write(const std::string& yaml) const { server_->dir().write("p2j.yaml", yaml); }
  int v2Status() const { return server_->request("POST", "/v2/generate", kPrompt).status; }
  std::optional<double> metric(const std::string& series) const {
    const std::string body = server_->request("GET", "/metrics").body;
    const size_t at = body.find("\n" + series + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(body.substr(at + series.size() + 2));
  }
  std::string configFile() const { return (server_->dir().path() / "p2j.yaml").string(); }

  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ReloadTest, AddsAndRemovesAnEndpointAndKeepsWhatIsUnchanged) {
  EXPECT_EQ(v2Status(), 404);
  write(config(kSecondAgent, kSecondEndpoint));
  const auto answer = reload();
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = sdk::parseJson(answer.body);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(body["generation"].GetInt(), 2);
  EXPECT_EQ(std::string(body["file"].GetString()), configFile());
  EXPECT_EQ(body["endpoints"].GetInt(), 6);
  EXPECT_EQ(sdk::toJsonText(body["plugins"]["created"]), R"(["rules-v2"])");
  EXPECT_EQ(sdk::toJsonText(body["plugins"]["kept"]), R"(["rules","db","key","user"])");
  EXPECT_EQ(sdk::toJsonText(body["plugins"]["removed"]), "[]");
  EXPECT_EQ(sdk::toJsonText(body["restart_required"]), "[]");
  EXPECT_EQ(v2Status(), 200);
  EXPECT_EQ(metric("p2j_config_generation"), 2);

  write(config());
  const auto back = sdk::parseJson(reload().body);
  EXPECT_EQ(sdk::toJsonText(back["plugins"]["removed"]), R"(["rules-v2"])");
  EXPECT_EQ(v2Status(), 404);
  EXPECT_EQ(metric(R"(p2j_config_reloads_total{outcome="success"})"), 2);
  // The instance only the old generation had is destroyed once nothing uses it any more.
  for (int i = 0; i < 100 && server_->stderrText().find("generation 2 retired") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(server_->stderrText().find("configuration generation 2 retired (destroyed: rules-v2)"), std::string::npos)
      << server_->stderrText();
}

TEST_F(ReloadTest, SighupReloadsTheSameFile) {
  write(config(kSecondAgent, kSecondEndpoint));
  ASSERT_EQ(::kill(server_->pid(), SIGHUP), 0);
  int status = 0;
  for (int i = 0; i < 250 && status != 200; ++i) {
    status = v2Status();
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200) << server_->stderrText();
  EXPECT_NE(server_->stderrText().find("received SIGHUP: reloading " + configFile()), std::string::npos)
      << server_->stderrText();
  EXPECT_TRUE(server_->running());
}

TEST_F(ReloadTest, BrokenYamlKeepsTheRunningConfigurationAndSaysWhy) {
  write(config(kSecondAgent, kSecondEndpoint) + "  - { method: GET, path: /broken\n");
  const auto answer = reload();
  EXPECT_EQ(answer.status, 422) << answer.body;
  const auto body = sdk::parseJson(answer.body);
  EXPECT_STREQ(body["error"].GetString(), "invalid_configuration");
  const std::string message = body["message"].GetString();
  EXPECT_TRUE(std::regex_search(message, std::regex(std::regex_replace(configFile(), std::regex(R"([.])"), R"(\.)") +
                                                    R"(:\d+:\d+: invalid YAML)")))
      << message;
  EXPECT_NE(message.find("the running configuration is unchanged"), std::string::npos) << message;
  EXPECT_EQ(v2Status(), 404) << "still the old endpoints";
  EXPECT_EQ(server_->request("POST", "/generate", kPrompt).status, 200);
  EXPECT_EQ(metric("p2j_config_last_reload_successful"), 0);
  EXPECT_EQ(metric(R"(p2j_config_reloads_total{outcome="failure"})"), 1);
  EXPECT_EQ(metric("p2j_config_generation"), 1);
  EXPECT_NE(server_->stderrText().find("reload failed: " + configFile() + ":"), std::string::npos)
      << server_->stderrText();

  // The same through SIGHUP: logged, and still serving.
  ASSERT_EQ(::kill(server_->pid(), SIGHUP), 0);
  for (int i = 0; i < 100 && metric(R"(p2j_config_reloads_total{outcome="failure"})") != 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(metric(R"(p2j_config_reloads_total{outcome="failure"})"), 2);
  EXPECT_EQ(server_->request("GET", "/readyz").status, 200);

  write(config(kSecondAgent, kSecondEndpoint));
  EXPECT_EQ(reload().status, 200);
  EXPECT_EQ(metric("p2j_config_last_reload_successful"), 1);
  EXPECT_EQ(v2Status(), 200);
}

TEST_F(ReloadTest, EveryStartUpCheckAppliesAndNothingChangesOnFailure) {
  struct Case {
    std::string yaml;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {config("  count: { use: example-feature-count, config: { points_per_feature: 500 } }\n"),
       "plugins.count.config.points_per_feature"},
      {config("", "  - { method: POST, path: /v3/generate, action: generate, agent: nobody }\n"),
       "agent: no plugin instance named 'nobody'"},
      {config("  broken: { use: broken-create-fails }\n"), "could not create instance 'broken'"},
      {config("", "", "server: { threads: 8, colour: blue }\n"), "unknown key 'colour' in server"},
      {config("  rules-v2: { use: no-such-plugin }\n", kSecondEndpoint), "plugin 'no-such-plugin' not found"},
  };
  for (const auto& item : cases) {
    write(item.yaml);
    const auto answer = reload();
    EXPECT_EQ(answer.status, 422) << item.fragment << ": " << answer.body;
    EXPECT_NE(answer.body.find(item.fragment), std::string::npos) << answer.body;
    EXPECT_NE(answer.body.find(configFile() + ":"), std::string::npos) << answer.body;
    EXPECT_EQ(server_->request("POST", "/generate", kPrompt).status, 200);
  }
  EXPECT_EQ(metric(R"(p2j_config_reloads_total{outcome="failure"})"), cases.size());
  EXPECT_EQ(metric("p2j_config_generation"), 1);
}

TEST_F(ReloadTest, RestartOnlySettingsAreReportedAndKept) {
  write(config("", "", "server: { threads: 4, listen: \"127.0.0.1:1\" }\nlogging: { format: json, level: debug }\n"));
  const auto answer = reload();
  ASSERT_EQ(answer.status, 200) << answer.body;
  // --listen (which the test server is started with) wins over the file's listen at start-up and at reload.
  EXPECT_EQ(sdk::toJsonText(sdk::parseJson(answer.body)["restart_required"]), R"(["server.threads","logging.format"])");
  EXPECT_EQ(server_->request("GET", "/livez").status, 200) << "still on the port it started on";
  EXPECT_NE(server_->stderrText().find("needs a restart to change: server.threads, logging.format"), std::string::npos)
      << server_->stderrText();
  // The level did change (it is not restart-only): the storage's debug lines appear.
  EXPECT_EQ(server_->request("POST", "/generate", kPrompt).status, 200);
  EXPECT_NE(server_->stderrText().find("storage 'db': insert specs done"), std::string::npos);
}

TEST_F(ReloadTest, OnlyAdminsMayReload) {
  EXPECT_EQ(server_->request("POST", "/admin/reload").status, 401);
  EXPECT_EQ(reload(kUserKey).status, 403);
  EXPECT_EQ(reload().status, 200);
}

}  // namespace
}  // namespace p2j::testing
