// The operator's YAML file as typed, validated objects. Built once at start-up and shared read-only.
#pragma once

#include "config/config_error.hpp"
#include "config/env_expand.hpp"
#include "observability/log_settings.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace p2j::config {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;
  int threads = 64;  // Poco holds one thread per keep-alive connection: size for concurrent clients
  int max_queued = 1024;
  int64_t max_body_bytes = 1048576;
  int keep_alive_timeout_seconds = 15;
  int receive_timeout_seconds = 30;
  int drain_timeout_seconds = 30;
  int max_json_depth = 32;                   // deeper request bodies get 400
  int64_t max_string_bytes = 65536;          // longer JSON strings in a request body get 413
  std::vector<std::string> trusted_proxies;  // IPs or CIDRs whose X-Forwarded-For is believed
};

// "20/minute": at most `limit` requests per `window_seconds`.
struct RateLimitSpec {
  int64_t limit = 0;
  int64_t window_seconds = 60;
  std::string text;  // as written, for messages and headers
};

// rate_limits.redis: where the shared counters of `store: redis` live.
struct RedisRateLimitConfig {
  std::string address;  // redis://[[user]:password@]host[:port][/db], checked when read
  int connect_timeout_ms = 200;
  int timeout_ms = 200;  // per command
  int pool_size = 16;
  int retry_interval_ms = 1000;  // how long an unreachable Redis is left alone before it is tried again
  std::string key_prefix = "p2j:rl:";
  bool fail_open = true;  // on_failure: open (count per process) or closed (503)
};

struct RateLimitsConfig {
  std::optional<RateLimitSpec> default_limit;  // for endpoints that set none (health probes excepted)
  bool sliding = false;                        // fixed windows unless "sliding"
  enum class Store { kMemory, kRedis };
  Store store = Store::kMemory;
  RedisRateLimitConfig redis;  // with Store::kRedis
};

struct CorsConfig {
  bool enabled = false;
  std::vector<std::string> allow_origins;  // exact origins, or "*"
  std::vector<std::string> allow_methods = {"GET", "POST"};
  std::vector<std::string> allow_headers = {"Content-Type", "Authorization", "X-API-Key", "X-Request-ID"};
  std::vector<std::string> expose_headers = {"X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining",
                                             "RateLimit-Reset", "Retry-After"};
  bool allow_credentials = false;
  int max_age_seconds = 600;
};

struct AuthConfig {
  std::vector<std::pair<std::string, SourceMark>> default_auth;  // for endpoints that say nothing (probes excepted)
  std::filesystem::path users_file;                              // for /token; empty when no endpoint issues tokens
  bool first_start_secrets = false;  // generate missing keys, JWT secret and admin password in the data dir
};

struct LoggingConfig : observability::LogSettings {
  SourceMark file_mark;  // where logging.file / access_file are written, for "cannot open" errors
  SourceMark access_file_mark;
};

struct MetricsConfig {
  bool enabled = true;  // false: the request path records nothing (the `metrics` action is then refused)
};

struct PluginInstanceConfig {
  std::string name;
  std::string use;  // a plugin name looked up in plugin_dirs, or a path to a .so
  std::string config_json = "{}";
  std::map<std::string, SourceMark> config_marks;  // "a.b[0]" -> where that value is written
  SourceMark mark;
  SourceMark use_mark;
  SourceMark config_mark;
};

struct EndpointSetting {
  std::string value;
  SourceMark mark;
};

struct EndpointConfig {
  std::string method;
  std::string path;
  std::string action;
  std::map<std::string, EndpointSetting> settings;  // action-specific keys, e.g. agent: rules
  std::vector<EndpointSetting> auth;                // auth plugin instances
  bool auth_any = false;                            // any one of `auth` suffices (default: all must pass)
  bool auth_none = false;                           // `auth: none`: public even when auth.default is set
  std::vector<std::string> roles;                   // the principal needs one of these
  std::optional<RateLimitSpec> rate_limit;          // unset: the default; "none": unlimited
  bool rate_limit_none = false;
  SourceMark mark;
  SourceMark path_mark;
  SourceMark action_mark;
};

struct Config {
  std::string file;                // as given, for messages
  std::filesystem::path base_dir;  // relative paths in the file resolve against it
  std::filesystem::path data_dir;  // absolute: $P2J_DATA_DIR, else the file's data_dir, else ./data
  ServerConfig server;
  LoggingConfig logging;
  MetricsConfig metrics;
  RateLimitsConfig rate_limits;
  CorsConfig cors;
  AuthConfig auth;
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<PluginInstanceConfig> plugins;
  std::string storage;
  SourceMark storage_mark;
  std::vector<EndpointConfig> endpoints;

  const PluginInstanceConfig* findPlugin(const std::string& name) const;
};

// Parses and checks the structure: unknown keys, wrong types, missing fields, duplicate routes, and
// references to plugin instances that are not declared. What needs the plugins themselves (schemas,
// kinds) is checked when they are loaded. Throws ConfigError.
// ${P2J_DATA_DIR} always expands to the data directory: $P2J_DATA_DIR when `environment` sets it, else the
// file's `data_dir` (relative to `base_dir`), else ./data under the working directory.
Config loadConfig(const std::filesystem::path& file, const EnvironmentLookup& environment = processEnvironment);
Config parseConfig(const std::string& yaml_text, const std::string& file_name, const std::filesystem::path& base_dir,
                   const EnvironmentLookup& environment = processEnvironment);

// "20/minute", "5/second", "100/hour", "1000/day"; throws std::invalid_argument.
RateLimitSpec parseRateLimit(const std::string& text);

// "127.0.0.1:8000" / "[::1]:8000" / ":8000" -> host and port; throws std::invalid_argument.
std::pair<std::string, uint16_t> parseListenAddress(const std::string& text);

}  // namespace p2j::config
