// The data directory a configuration file names (`data_dir`), as the packaged /etc/p2j/p2j.yaml does:
// the first-start secrets and the database go there, whatever directory p2j is started from.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace p2j::testing {
namespace {

constexpr const char* kConfig = R"(
data_dir: state
auth: { default: [key], first_start_secrets: true }
plugins:
  db:  { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  key: { use: auth-apikey, config: { keys_file: "${P2J_DATA_DIR}/api-keys" } }
storage: db
endpoints:
  - { method: GET, path: /livez, action: livez }
  - { method: GET, path: /basic-metrics, action: basic_metrics }
)";

TEST(DataDir, TheConfigFileNamesWhereSecretsAndDataGo) {
  ServerProcess server(kConfig, {{"P2J_DATA_DIR", ""}});
  server.start();
  const std::filesystem::path state = server.dir().path() / "state";  // relative to the config file
  EXPECT_TRUE(std::filesystem::is_regular_file(state / "api-keys"));
  EXPECT_TRUE(std::filesystem::is_regular_file(state / "users"));
  EXPECT_TRUE(std::filesystem::is_regular_file(state / "p2j.db"));
  EXPECT_EQ(std::filesystem::status(state).permissions(), std::filesystem::perms::owner_all);

  const std::string err = server.stderrText();
  const auto at = err.find("X-API-Key: ");
  ASSERT_NE(at, std::string::npos) << err;
  const std::string key = err.substr(at + 11, err.find('\n', at) - at - 11);
  EXPECT_EQ(server.request("GET", "/basic-metrics", "", {{"X-API-Key", key}}).status, 200);
  EXPECT_EQ(server.request("GET", "/basic-metrics").status, 401);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(DataDir, TheEnvironmentWinsOverTheFile) {
  const TempDir elsewhere;
  ServerProcess server(kConfig, {{"P2J_DATA_DIR", (elsewhere.path() / "blue").string()}});
  server.start();
  EXPECT_TRUE(std::filesystem::is_regular_file(elsewhere.path() / "blue" / "api-keys"));
  EXPECT_FALSE(std::filesystem::exists(server.dir().path() / "state"));
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

}  // namespace
}  // namespace p2j::testing
