#include "config/config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace p2j::config {
namespace {

std::optional<std::string> noEnvironment(const std::string&) { return std::nullopt; }

Config parse(const std::string& yaml, EnvironmentLookup env = noEnvironment) {
  return parseConfig(yaml, "test.yaml", "/etc/p2j", env);
}

// Parses `yaml`, expecting a ConfigError at `line` whose message contains `fragment`.
void expectError(const std::string& yaml, int line, const std::string& fragment) {
  try {
    parse(yaml);
    FAIL() << "expected a ConfigError containing \"" << fragment << "\"";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.mark().line, line) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    const std::string prefix = line > 0 ? "test.yaml:" + std::to_string(line) + ":" : "test.yaml: ";
    EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  }
}

constexpr const char* kMinimal = R"(
plugins:
  rules: { use: agent-rules }
  db: { use: storage-sqlite, config: { path: "./data/p2j.db", read_connections: 2 } }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET, path: "/specs/{id}", action: get_spec }
)";

TEST(Config, ParsesTheDesignShape) {
  const Config config = parse(kMinimal);
  ASSERT_EQ(config.plugins.size(), 2u);
  EXPECT_EQ(config.plugins[0].name, "rules");
  EXPECT_EQ(config.plugins[0].use, "agent-rules");
  EXPECT_EQ(config.plugins[0].config_json, "{}");
  EXPECT_EQ(config.plugins[1].config_json, R"({"path":"./data/p2j.db","read_connections":2})");
  EXPECT_EQ(config.storage, "db");
  ASSERT_EQ(config.endpoints.size(), 2u);
  EXPECT_EQ(config.endpoints[0].settings.at("agent").value, "rules");
  EXPECT_EQ(config.endpoints[1].path, "/specs/{id}");
  EXPECT_EQ(config.server.port, 8000);  // defaults
  EXPECT_EQ(config.server.threads, 64);
}

TEST(Config, ServerSettings) {
  const Config config = parse(R"(
server: { listen: "0.0.0.0:9100", threads: 8, max_queued: 100, max_body_bytes: 2048 }
endpoints: []
)");
  EXPECT_EQ(config.server.host, "0.0.0.0");
  EXPECT_EQ(config.server.port, 9100);
  EXPECT_EQ(config.server.threads, 8);
  EXPECT_EQ(config.server.max_queued, 100);
  EXPECT_EQ(config.server.max_body_bytes, 2048);
}

TEST(Config, ExpandsEnvironmentInValuesAndTypesTheResult) {
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "THREADS") return "12";
    if (name == "DATA") return "/var/lib/p2j";
    return std::nullopt;
  };
  const Config config = parse(R"(
server: { threads: "${THREADS}", listen: "${LISTEN:-127.0.0.1:8123}" }
plugins:
  db:
    use: storage-sqlite
    config:
      path: "${DATA}/p2j.db"
      max_batch: ${BATCH:-64}
endpoints: []
)",
                              env);
  EXPECT_EQ(config.server.threads, 12);
  EXPECT_EQ(config.server.port, 8123);
  EXPECT_EQ(config.plugins[0].config_json, R"({"path":"/var/lib/p2j/p2j.db","max_batch":64})");
}

TEST(Config, RelativePluginDirsResolveAgainstTheConfigDirectory) {
  const Config config = parse("plugin_dirs: [plugins, /opt/p2j/plugins]\nendpoints: []\n");
  ASSERT_EQ(config.plugin_dirs.size(), 2u);
  EXPECT_EQ(config.plugin_dirs[0], "/etc/p2j/plugins");
  EXPECT_EQ(config.plugin_dirs[1], "/opt/p2j/plugins");
}

TEST(DataDir, DefaultsToDataUnderTheWorkingDirectory) {
  const Config config = parse(
      "plugins: { db: { use: storage-sqlite, config: { path: \"${P2J_DATA_DIR}/p2j.db\" } } }\n"
      "endpoints: []\n");
  const std::filesystem::path expected = std::filesystem::absolute("data").lexically_normal();
  EXPECT_EQ(config.data_dir, expected);
  EXPECT_EQ(config.plugins[0].config_json, R"({"path":")" + expected.string() + R"(/p2j.db"})");
}

TEST(DataDir, TheFileNamesIt) {
  const Config config = parse(R"(
data_dir: /var/lib/p2j
auth: { users_file: "${P2J_DATA_DIR}/users" }
plugins: { db: { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } } }
endpoints: []
)");
  EXPECT_EQ(config.data_dir, "/var/lib/p2j");
  EXPECT_EQ(config.auth.users_file, "/var/lib/p2j/users");
  EXPECT_EQ(config.plugins[0].config_json, R"({"path":"/var/lib/p2j/p2j.db"})");
}

TEST(DataDir, RelativeToTheConfigDirectoryAndExpanded) {
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "INSTANCE") return "blue";
    return std::nullopt;
  };
  EXPECT_EQ(parse("data_dir: state/${INSTANCE}\nendpoints: []\n", env).data_dir, "/etc/p2j/state/blue");
}

TEST(DataDir, TheEnvironmentWinsOverTheFile) {
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "P2J_DATA_DIR") return "/var/lib/p2j/blue";
    return std::nullopt;
  };
  const Config config =
      parse("data_dir: /var/lib/p2j\nauth: { users_file: \"${P2J_DATA_DIR}/users\" }\nendpoints: []\n", env);
  EXPECT_EQ(config.data_dir, "/var/lib/p2j/blue");
  EXPECT_EQ(config.auth.users_file, "/var/lib/p2j/blue/users");
}

TEST(ConfigErrors, DataDirEmptyOrNotAString) {
  expectError("endpoints: []\ndata_dir: \"\"\n", 2, "data_dir must not be empty");
  expectError("endpoints: []\ndata_dir: [a]\n", 2, "data_dir must be a string");
  expectError("data_dir: \"${P2J_DATA_DIR}/x\"\nendpoints: []\n", 1, "P2J_DATA_DIR");
}

TEST(Config, RemembersWhereEachPluginConfigValueIs) {
  const Config config = parse(kMinimal);
  EXPECT_EQ(config.plugins[1].config_marks.at("read_connections").line, 4);
}

TEST(ConfigErrors, InvalidYaml) { expectError("endpoints: [\n  { method: GET\n", 3, "invalid YAML"); }

TEST(ConfigErrors, UnknownTopLevelKey) { expectError("endpoints: []\nendpiont: []\n", 2, "unknown key 'endpiont'"); }

TEST(ConfigErrors, UnknownServerKey) {
  expectError("server:\n  listen: \"127.0.0.1:1\"\n  thread: 4\nendpoints: []\n", 3, "unknown key 'thread' in server");
}

TEST(ConfigErrors, WrongType) {
  expectError("server:\n  threads: many\nendpoints: []\n", 2, "server.threads must be an integer");
  expectError("server:\n  threads: [1]\nendpoints: []\n", 2, "server.threads must be an integer");
  expectError("plugins: [a, b]\nendpoints: []\n", 1, "plugins must be a mapping");
  expectError("endpoints: {a: b}\n", 1, "endpoints must be a list");
}

TEST(ConfigErrors, OutOfRange) { expectError("server: { threads: 0 }\nendpoints: []\n", 1, "between 1 and 4096"); }

TEST(ConfigErrors, BadListenAddress) {
  expectError("server:\n  listen: \"localhost\"\nendpoints: []\n", 2, "expected HOST:PORT");
  expectError("server:\n  listen: \"localhost:99999\"\nendpoints: []\n", 2, "invalid port");
}

TEST(ConfigErrors, MissingEndpoints) { expectError("plugins: {}\n", 1, "'endpoints' is required"); }

TEST(ConfigErrors, PluginWithoutUse) {
  expectError("plugins:\n  rules: { config: {} }\nendpoints: []\n", 2, "'use' is required");
}

TEST(ConfigErrors, UnknownPluginInstanceKey) {
  expectError("plugins:\n  rules: { use: agent-rules, confg: {} }\nendpoints: []\n", 2, "unknown key 'confg'");
}

TEST(ConfigErrors, DanglingStorageReference) {
  expectError("plugins:\n  db: { use: storage-sqlite }\nstorage: dbb\nendpoints: []\n", 3,
              "no plugin instance named 'dbb'");
}

TEST(ConfigErrors, DuplicateRoute) {
  expectError(R"(endpoints:
  - { method: GET, path: "/specs/{id}", action: get_spec }
  - { method: GET, path: /health, action: health }
  - { method: GET, path: "/specs/{spec}", action: get_spec }
)",
              4, "duplicate route GET /specs/{spec} (already defined at line 2)");
}

TEST(ConfigErrors, SamePathDifferentMethodsIsFine) {
  EXPECT_NO_THROW(parse(
      "endpoints:\n  - { method: GET, path: /x, action: health }\n  - { method: POST, path: /x, action: health }\n"));
}

TEST(ConfigErrors, EndpointFieldsRequired) {
  expectError("endpoints:\n  - { method: GET, action: health }\n", 2, "'path' is required");
  expectError("endpoints:\n  - { path: /a, action: health }\n", 2, "'method' is required");
}

TEST(ConfigErrors, BadMethodAndPath) {
  expectError("endpoints:\n  - { method: FETCH, path: /a, action: health }\n", 2, "method must be one of");
  expectError("endpoints:\n  - { method: GET, path: a, action: health }\n", 2, "must start with '/'");
  expectError("endpoints:\n  - { method: GET, path: \"/a/{id\", action: health }\n", 2,
              "a parameter is a whole segment");
}

TEST(ConfigErrors, UnsetEnvironmentVariable) {
  expectError("plugins:\n  db: { use: storage-sqlite, config: { path: \"${NOPE}/x.db\" } }\nendpoints: []\n", 2,
              "environment variable NOPE is not set");
}

TEST(ConfigErrors, DuplicateKeys) {
  expectError("endpoints: []\nendpoints: []\n", 2, "duplicate key 'endpoints'");
  expectError("plugins:\n  a: { use: x }\n  a: { use: y }\nendpoints: []\n", 3, "duplicate plugin instance 'a'");
}

TEST(ConfigErrors, EmptyFile) { expectError("", 0, "the configuration is empty"); }

TEST(Config, LoggingSettings) {
  const Config config = parse(R"(
logging:
  level: warn
  levels: { access: error, storage: debug }
  format: json
  file: logs/p2j.log
  access_file: /var/log/p2j/access.log
  rotation: { max_bytes: 1048576, interval: hourly, keep: 3 }
endpoints: []
)");
  EXPECT_EQ(config.logging.level, "warn");
  EXPECT_EQ(config.logging.levels, (std::map<std::string, std::string>{{"access", "error"}, {"storage", "debug"}}));
  EXPECT_TRUE(config.logging.json);
  EXPECT_EQ(config.logging.file, "/etc/p2j/logs/p2j.log");  // relative to the config file's directory
  EXPECT_EQ(config.logging.file_mark.line, 6);
  EXPECT_EQ(config.logging.access_file, "/var/log/p2j/access.log");
  EXPECT_EQ(config.logging.rotation.max_bytes, 1048576);
  EXPECT_EQ(config.logging.rotation.interval, observability::LogRotation::Interval::kHourly);
  EXPECT_EQ(config.logging.rotation.keep, 3);
}

TEST(Config, LoggingDefaults) {
  const Config config = parse("endpoints: []\n");
  EXPECT_EQ(config.logging.level, "info");
  EXPECT_TRUE(config.logging.levels.empty());
  EXPECT_FALSE(config.logging.json);
  EXPECT_TRUE(config.logging.file.empty());
  EXPECT_TRUE(config.logging.access_log);
  EXPECT_EQ(config.logging.rotation.interval, observability::LogRotation::Interval::kDaily);
  EXPECT_TRUE(config.metrics.enabled);
}

TEST(ConfigErrors, LoggingKeys) {
  expectError("logging:\n  levels: { acess: warn }\nendpoints: []\n", 2,
              "unknown key 'acess' in logging.levels (known keys: access, auth, http, p2j, plugins, storage)");
  expectError("logging:\n  levels:\n    storage: verbose\nendpoints: []\n", 3,
              "logging.levels.storage must be one of trace, debug, info, warn, error, critical, off");
  expectError("logging: { level: loud }\nendpoints: []\n", 1, "logging.level must be one of");
  expectError("logging: { format: xml }\nendpoints: []\n", 1, "logging.format must be text or json");
  expectError("logging: { file: \"\" }\nendpoints: []\n", 1, "logging.file must name a file");
  expectError("logging:\n  rotation: { interval: weekly }\nendpoints: []\n", 2,
              "logging.rotation.interval must be none, hourly or daily");
  expectError("logging:\n  rotation: { max_bytes: 100 }\nendpoints: []\n", 2, "at least 4096");
  expectError("logging:\n  rotation: { keep: -1 }\nendpoints: []\n", 2, "logging.rotation.keep must be between");
  expectError("logging:\n  rotation: { size: 5 }\nendpoints: []\n", 2, "unknown key 'size' in logging.rotation");
}

TEST(ConfigErrors, MetricsKeys) {
  EXPECT_FALSE(parse("metrics: { enabled: false }\nendpoints: []\n").metrics.enabled);
  expectError("metrics: { enabled: maybe }\nendpoints: []\n", 1, "metrics.enabled must be true or false");
  expectError("metrics: { port: 9100 }\nendpoints: []\n", 1, "unknown key 'port' in metrics");
}

TEST(ListenAddress, Forms) {
  EXPECT_EQ(parseListenAddress("127.0.0.1:80"), std::make_pair(std::string("127.0.0.1"), uint16_t{80}));
  EXPECT_EQ(parseListenAddress(":8080"), std::make_pair(std::string("0.0.0.0"), uint16_t{8080}));
  EXPECT_EQ(parseListenAddress("[::1]:9"), std::make_pair(std::string("::1"), uint16_t{9}));
  EXPECT_THROW(parseListenAddress("host:"), std::invalid_argument);
  EXPECT_THROW(parseListenAddress("host:8o"), std::invalid_argument);
}

TEST(Config, RateLimitsDefaultToCountersInTheProcess) {
  const Config config = parse("endpoints: []\n");
  EXPECT_EQ(config.rate_limits.store, RateLimitsConfig::Store::kMemory);
}

TEST(Config, RateLimitsInRedis) {
  const Config config = parse(R"(
rate_limits:
  default: 20/minute
  strategy: sliding
  store: redis
  redis:
    address: "redis://:${PASSWORD}@cache.internal:6380/2"
    connect_timeout_ms: 100
    timeout_ms: 50
    pool_size: 4
    retry_interval_ms: 2000
    key_prefix: "shop:rl:"
    on_failure: closed
endpoints: []
)",
                              [](const std::string& name) -> std::optional<std::string> {
                                if (name == "PASSWORD") return "pw";
                                return std::nullopt;
                              });
  EXPECT_EQ(config.rate_limits.store, RateLimitsConfig::Store::kRedis);
  const RedisRateLimitConfig& redis = config.rate_limits.redis;
  EXPECT_EQ(redis.address, "redis://:pw@cache.internal:6380/2");
  EXPECT_EQ(redis.connect_timeout_ms, 100);
  EXPECT_EQ(redis.timeout_ms, 50);
  EXPECT_EQ(redis.pool_size, 4);
  EXPECT_EQ(redis.retry_interval_ms, 2000);
  EXPECT_EQ(redis.key_prefix, "shop:rl:");
  EXPECT_FALSE(redis.fail_open);
}

TEST(Config, RedisRateLimitDefaults) {
  const Config config =
      parse("rate_limits:\n  store: redis\n  redis: { address: \"127.0.0.1:6379\" }\nendpoints: []\n");
  const RedisRateLimitConfig& redis = config.rate_limits.redis;
  EXPECT_EQ(redis.connect_timeout_ms, 200);
  EXPECT_EQ(redis.timeout_ms, 200);
  EXPECT_EQ(redis.pool_size, 16);
  EXPECT_EQ(redis.retry_interval_ms, 1000);
  EXPECT_EQ(redis.key_prefix, "p2j:rl:");
  EXPECT_TRUE(redis.fail_open);
}

TEST(ConfigErrors, RateLimitStore) {
  expectError("rate_limits:\n  store: memcached\nendpoints: []\n", 2, "rate_limits.store must be memory or redis");
  expectError("rate_limits:\n  store: redis\nendpoints: []\n", 2, "needs rate_limits.redis");
  expectError("rate_limits:\n  redis: { address: \"127.0.0.1:6379\" }\nendpoints: []\n", 2,
              "rate_limits.redis is used only with store: redis");
  expectError("rate_limits:\n  store: redis\n  redis: { timeout_ms: 10 }\nendpoints: []\n", 3,
              "rate_limits.redis.address is required");
  expectError("rate_limits:\n  store: redis\n  redis:\n    address: \"rediss://cache\"\nendpoints: []\n", 4,
              "rate_limits.redis.address: rediss:// (TLS) is not supported");
  expectError("rate_limits:\n  store: redis\n  redis:\n    address: cache\n    on_failure: maybe\nendpoints: []\n", 5,
              "on_failure must be open");
  expectError("rate_limits:\n  store: redis\n  redis:\n    address: cache\n    timeout_ms: 0\nendpoints: []\n", 5,
              "rate_limits.redis.timeout_ms must be between 1 and 600000");
  expectError("rate_limits:\n  store: redis\n  redis:\n    address: cache\n    tls: true\nendpoints: []\n", 5,
              "unknown key 'tls' in rate_limits.redis");
}

}  // namespace
}  // namespace p2j::config
