#include "app/restart_only.hpp"

#include <gtest/gtest.h>

namespace p2j::app {
namespace {

config::Config parse(const std::string& yaml) { return config::parseConfig(yaml, "test.yaml", "/etc/p2j"); }

constexpr const char* kRunning = R"(
server: { listen: "127.0.0.1:8000", threads: 16, max_queued: 100, max_body_bytes: 1000 }
logging: { level: info, format: text }
metrics: { enabled: true }
rate_limits: { default: 20/minute }
endpoints: []
)";

TEST(RestartOnly, NothingWhenOnlyReloadableSettingsChange) {
  const auto running = parse(kRunning);
  const auto wanted = parse(R"(
server: { listen: "127.0.0.1:8000", threads: 16, max_queued: 100, max_body_bytes: 5000, drain_timeout_seconds: 3 }
logging: { level: debug, levels: { storage: trace }, access_log: false }
rate_limits: { default: 5/second }
endpoints: []
)");
  EXPECT_TRUE(restartOnlyChanges(running, wanted).empty());
}

TEST(RestartOnly, NamesEachChangedSettingAsTheYamlDoes) {
  const auto running = parse(kRunning);
  const auto wanted = parse(R"(
server: { listen: "0.0.0.0:9000", threads: 32, max_queued: 200, keep_alive_timeout_seconds: 5, receive_timeout_seconds: 9 }
logging: { format: json, file: /var/log/p2j.log, access_file: /var/log/access.log, rotation: { keep: 3 } }
metrics: { enabled: false }
plugin_dirs: [/opt/p2j/plugins]
endpoints: []
)");
  EXPECT_EQ(restartOnlyChanges(running, wanted),
            (std::vector<std::string>{"server.listen", "server.threads", "server.max_queued",
                                      "server.keep_alive_timeout_seconds", "server.receive_timeout_seconds",
                                      "logging.format", "logging.file", "logging.access_file", "logging.rotation",
                                      "metrics.enabled", "plugin_dirs"}));
}

TEST(RestartOnly, KeepsTheRunningValuesAndTakesTheRest) {
  const auto running = parse(kRunning);
  const auto kept = keepRestartOnly(running, parse(R"(
server: { listen: "0.0.0.0:9000", threads: 32, max_body_bytes: 5000 }
logging: { level: warn, format: json, file: /var/log/p2j.log }
metrics: { enabled: false }
endpoints: []
)"));
  EXPECT_EQ(kept.server.port, 8000);
  EXPECT_EQ(kept.server.host, "127.0.0.1");
  EXPECT_EQ(kept.server.threads, 16);
  EXPECT_EQ(kept.server.max_body_bytes, 5000);
  EXPECT_EQ(kept.logging.level, "warn");
  EXPECT_FALSE(kept.logging.json);
  EXPECT_TRUE(kept.logging.file.empty());
  EXPECT_TRUE(kept.metrics.enabled);
  EXPECT_TRUE(restartOnlyChanges(running, kept).empty());
}

}  // namespace
}  // namespace p2j::app
