#include "config/config.hpp"

#include "config/path_template.hpp"
#include "config/yaml_json.hpp"
#include "redis_address.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace p2j::config {

const PluginInstanceConfig* Config::findPlugin(const std::string& name) const {
  for (const auto& plugin : plugins) {
    if (plugin.name == name) return &plugin;
  }
  return nullptr;
}

std::pair<std::string, uint16_t> parseListenAddress(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("expected HOST:PORT, got \"" + text + "\"");
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  size_t consumed = 0;
  int port = -1;
  try {
    port = std::stoi(port_text, &consumed);
  } catch (const std::exception&) {
    consumed = 0;
  }
  if (consumed != port_text.size() || port < 0 || port > 65535) {
    throw std::invalid_argument("invalid port \"" + port_text + "\" in \"" + text + "\"");
  }
  return {host, static_cast<uint16_t>(port)};
}

RateLimitSpec parseRateLimit(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos)
    throw std::invalid_argument("expected N/unit such as 20/minute, got \"" + text + "\"");
  const std::string count = text.substr(0, slash);
  const std::string unit = text.substr(slash + 1);
  size_t consumed = 0;
  int64_t limit = 0;
  try {
    limit = std::stoll(count, &consumed);
  } catch (const std::exception&) {
    consumed = 0;
  }
  if (consumed == 0 || consumed != count.size() || limit < 1) {
    throw std::invalid_argument("the count in \"" + text + "\" must be a positive integer");
  }
  static const std::map<std::string, int64_t> kUnits = {{"second", 1},  {"sec", 1},  {"s", 1},       {"minute", 60},
                                                        {"min", 60},    {"m", 60},   {"hour", 3600}, {"h", 3600},
                                                        {"day", 86400}, {"d", 86400}};
  const auto it = kUnits.find(unit);
  if (it == kUnits.end())
    throw std::invalid_argument("unknown unit \"" + unit + "\" in \"" + text + "\" (second, minute, hour, day)");
  return {limit, it->second, text};
}

namespace {

class Reader {
 public:
  Reader(std::string file, const EnvironmentLookup& environment) : file_(std::move(file)), environment_(environment) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    throw ConfigError(file_, markOf(node), message);
  }

  void requireMap(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) fail(node, what + " must be a mapping");
  }

  // Rejects keys outside `allowed` and keys written twice, naming the offending key.
  void checkKeys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& where) const {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      if (!seen.insert(key).second) fail(entry.first, "duplicate key '" + key + "' in " + where);
      if (!allowed.contains(key)) {
        std::string known;
        for (const auto& name : allowed) known += (known.empty() ? "" : ", ") + name;
        fail(entry.first, "unknown key '" + key + "' in " + where + " (known keys: " + known + ")");
      }
    }
  }

  std::string string(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a string");
    return expand(node);
  }

  int64_t integer(const YAML::Node& node, const std::string& what, int64_t min, int64_t max) const {
    if (!node.IsScalar()) fail(node, what + " must be an integer");
    const std::string text = expand(node);
    int64_t value = 0;
    size_t consumed = 0;
    try {
      value = std::stoll(text, &consumed);
    } catch (const std::exception&) {
      consumed = 0;
    }
    if (consumed == 0 || consumed != text.size()) fail(node, what + " must be an integer, got \"" + text + "\"");
    if (value < min || value > max) {
      fail(node, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
    }
    return value;
  }

  bool boolean(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be true or false");
    const std::string text = expand(node);
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    fail(node, what + " must be true or false, got \"" + text + "\"");
  }

  std::vector<std::string> stringList(const YAML::Node& node, const std::string& what) const {
    if (!node.IsSequence()) fail(node, what + " must be a list");
    std::vector<std::string> items;
    for (const auto& item : node) items.push_back(string(item, what + "[]"));
    return items;
  }

  std::string expand(const YAML::Node& node) const {
    try {
      return expandEnvironment(node.Scalar(), environment_);
    } catch (const ExpansionError& e) {
      fail(node, e.what());
    }
  }

  SourceMark markOf(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {};
    return {mark.line + 1, mark.column + 1};
  }

  const std::string& file() const { return file_; }
  const EnvironmentLookup& environment() const { return environment_; }

 private:
  std::string file_;
  const EnvironmentLookup& environment_;
};

std::filesystem::path resolvePath(const std::filesystem::path& base_dir, const std::string& text) {
  std::filesystem::path path(text);
  if (path.is_relative()) path = base_dir / path;
  return path.lexically_normal();
}

void readServer(const Reader& reader, const YAML::Node& node, ServerConfig& server) {
  reader.requireMap(node, "server");
  reader.checkKeys(
      node,
      {"listen", "threads", "max_queued", "max_body_bytes", "keep_alive_timeout_seconds", "receive_timeout_seconds",
       "drain_timeout_seconds", "max_json_depth", "max_string_bytes", "trusted_proxies"},
      "server");
  if (const auto listen = node["listen"]) {
    try {
      std::tie(server.host, server.port) = parseListenAddress(reader.string(listen, "server.listen"));
    } catch (const std::invalid_argument& e) {
      reader.fail(listen, std::string("server.listen: ") + e.what());
    }
  }
  if (const auto n = node["threads"]) server.threads = static_cast<int>(reader.integer(n, "server.threads", 1, 4096));
  if (const auto n = node["max_queued"]) {
    server.max_queued = static_cast<int>(reader.integer(n, "server.max_queued", 1, 1000000));
  }
  if (const auto n = node["max_body_bytes"]) {
    server.max_body_bytes = reader.integer(n, "server.max_body_bytes", 1, int64_t{1} << 30);
  }
  if (const auto n = node["keep_alive_timeout_seconds"]) {
    server.keep_alive_timeout_seconds =
        static_cast<int>(reader.integer(n, "server.keep_alive_timeout_seconds", 1, 3600));
  }
  if (const auto n = node["receive_timeout_seconds"]) {
    server.receive_timeout_seconds = static_cast<int>(reader.integer(n, "server.receive_timeout_seconds", 1, 3600));
  }
  if (const auto n = node["drain_timeout_seconds"]) {
    server.drain_timeout_seconds = static_cast<int>(reader.integer(n, "server.drain_timeout_seconds", 0, 3600));
  }
  if (const auto n = node["max_json_depth"]) {
    server.max_json_depth = static_cast<int>(reader.integer(n, "server.max_json_depth", 1, 512));
  }
  if (const auto n = node["max_string_bytes"]) {
    server.max_string_bytes = reader.integer(n, "server.max_string_bytes", 1, int64_t{1} << 30);
  }
  if (const auto proxies = node["trusted_proxies"]) {
    server.trusted_proxies = reader.stringList(proxies, "server.trusted_proxies");
  }
}

void readRedisRateLimits(const Reader& reader, const YAML::Node& node, RedisRateLimitConfig& settings) {
  reader.requireMap(node, "rate_limits.redis");
  reader.checkKeys(
      node,
      {"address", "connect_timeout_ms", "timeout_ms", "pool_size", "retry_interval_ms", "key_prefix", "on_failure"},
      "rate_limits.redis");
  const auto address = node["address"];
  if (!address) reader.fail(node, "rate_limits.redis.address is required (e.g. redis://127.0.0.1:6379/0)");
  settings.address = reader.string(address, "rate_limits.redis.address");
  try {
    redis::parseAddress(settings.address);
  } catch (const std::invalid_argument& e) {
    reader.fail(address, std::string("rate_limits.redis.address: ") + e.what());
  }
  const auto milliseconds = [&](const char* key, int& value, int64_t min) {
    if (const auto n = node[key]) {
      value = static_cast<int>(reader.integer(n, std::string("rate_limits.redis.") + key, min, 600000));
    }
  };
  milliseconds("connect_timeout_ms", settings.connect_timeout_ms, 1);
  milliseconds("timeout_ms", settings.timeout_ms, 1);
  milliseconds("retry_interval_ms", settings.retry_interval_ms, 10);
  if (const auto n = node["pool_size"]) {
    settings.pool_size = static_cast<int>(reader.integer(n, "rate_limits.redis.pool_size", 1, 1024));
  }
  if (const auto n = node["key_prefix"]) settings.key_prefix = reader.string(n, "rate_limits.redis.key_prefix");
  if (const auto n = node["on_failure"]) {
    const std::string mode = reader.string(n, "rate_limits.redis.on_failure");
    if (mode != "open" && mode != "closed") {
      reader.fail(n,
                  "rate_limits.redis.on_failure must be open (count in each process while Redis is down) or "
                  "closed (answer 503)");
    }
    settings.fail_open = mode == "open";
  }
}

void readRateLimits(const Reader& reader, const YAML::Node& node, RateLimitsConfig& limits) {
  reader.requireMap(node, "rate_limits");
  reader.checkKeys(node, {"default", "strategy", "store", "redis"}, "rate_limits");
  if (const auto value = node["default"]) {
    const std::string text = reader.string(value, "rate_limits.default");
    if (text != "none") {
      try {
        limits.default_limit = parseRateLimit(text);
      } catch (const std::invalid_argument& e) {
        reader.fail(value, std::string("rate_limits.default: ") + e.what());
      }
    }
  }
  if (const auto value = node["strategy"]) {
    const std::string strategy = reader.string(value, "rate_limits.strategy");
    if (strategy != "fixed" && strategy != "sliding")
      reader.fail(value, "rate_limits.strategy must be fixed or sliding");
    limits.sliding = strategy == "sliding";
  }
  if (const auto value = node["store"]) {
    const std::string store = reader.string(value, "rate_limits.store");
    if (store != "memory" && store != "redis") reader.fail(value, "rate_limits.store must be memory or redis");
    limits.store = store == "redis" ? RateLimitsConfig::Store::kRedis : RateLimitsConfig::Store::kMemory;
  }
  const auto redis_node = node["redis"];
  if (limits.store == RateLimitsConfig::Store::kRedis) {
    if (!redis_node) reader.fail(node, "rate_limits.store: redis needs rate_limits.redis with at least an address");
    readRedisRateLimits(reader, redis_node, limits.redis);
  } else if (redis_node) {
    reader.fail(redis_node, "rate_limits.redis is used only with store: redis");
  }
}

void readCors(const Reader& reader, const YAML::Node& node, CorsConfig& cors) {
  reader.requireMap(node, "cors");
  reader.checkKeys(
      node,
      {"allow_origins", "allow_methods", "allow_headers", "expose_headers", "allow_credentials", "max_age_seconds"},
      "cors");
  cors.enabled = true;
  const auto origins = node["allow_origins"];
  if (!origins) reader.fail(node, "cors.allow_origins is required (a list of origins, or [\"*\"])");
  cors.allow_origins = reader.stringList(origins, "cors.allow_origins");
  if (const auto n = node["allow_methods"]) cors.allow_methods = reader.stringList(n, "cors.allow_methods");
  if (const auto n = node["allow_headers"]) cors.allow_headers = reader.stringList(n, "cors.allow_headers");
  if (const auto n = node["expose_headers"]) cors.expose_headers = reader.stringList(n, "cors.expose_headers");
  if (const auto n = node["allow_credentials"]) cors.allow_credentials = reader.boolean(n, "cors.allow_credentials");
  if (const auto n = node["max_age_seconds"]) {
    cors.max_age_seconds = static_cast<int>(reader.integer(n, "cors.max_age_seconds", 0, 86400));
  }
  const bool wildcard =
      std::find(cors.allow_origins.begin(), cors.allow_origins.end(), "*") != cors.allow_origins.end();
  if (wildcard && cors.allow_credentials) {
    reader.fail(node["allow_credentials"],
                "cors: allow_credentials cannot be used with the origin \"*\" (list the origins instead)");
  }
}

void readAuth(const Reader& reader, const YAML::Node& node, const std::filesystem::path& base_dir, AuthConfig& auth) {
  reader.requireMap(node, "auth");
  reader.checkKeys(node, {"default", "users_file", "first_start_secrets"}, "auth");
  if (const auto n = node["default"]) {
    if (!n.IsSequence() || n.size() == 0)
      reader.fail(n, "auth.default must be a non-empty list of auth plugin instances");
    for (const auto& item : n)
      auth.default_auth.emplace_back(reader.string(item, "auth.default[]"), reader.markOf(item));
  }
  if (const auto n = node["users_file"]) auth.users_file = resolvePath(base_dir, reader.string(n, "auth.users_file"));
  if (const auto n = node["first_start_secrets"])
    auth.first_start_secrets = reader.boolean(n, "auth.first_start_secrets");
}

std::string readLogLevel(const Reader& reader, const YAML::Node& node, const std::string& what) {
  std::string level = reader.string(node, what);
  if (!observability::isLogLevel(level)) {
    reader.fail(node, what + " must be one of trace, debug, info, warn, error, critical, off, got \"" + level + "\"");
  }
  return level;
}

void readLogRotation(const Reader& reader, const YAML::Node& node, observability::LogRotation& rotation) {
  reader.requireMap(node, "logging.rotation");
  reader.checkKeys(node, {"max_bytes", "interval", "keep"}, "logging.rotation");
  if (const auto n = node["max_bytes"]) {
    rotation.max_bytes = reader.integer(n, "logging.rotation.max_bytes", 0, int64_t{1} << 40);
    if (rotation.max_bytes > 0 && rotation.max_bytes < 4096) {
      reader.fail(n, "logging.rotation.max_bytes must be 0 (never by size) or at least 4096");
    }
  }
  if (const auto n = node["interval"]) {
    const std::string interval = reader.string(n, "logging.rotation.interval");
    if (interval == "none") {
      rotation.interval = observability::LogRotation::Interval::kNone;
    } else if (interval == "hourly") {
      rotation.interval = observability::LogRotation::Interval::kHourly;
    } else if (interval == "daily") {
      rotation.interval = observability::LogRotation::Interval::kDaily;
    } else {
      reader.fail(n, "logging.rotation.interval must be none, hourly or daily, got \"" + interval + "\"");
    }
  }
  if (const auto n = node["keep"])
    rotation.keep = static_cast<int>(reader.integer(n, "logging.rotation.keep", 0, 1000));
}

void readLogging(const Reader& reader, const YAML::Node& node, const std::filesystem::path& base_dir,
                 LoggingConfig& logging) {
  reader.requireMap(node, "logging");
  reader.checkKeys(node, {"level", "levels", "access_log", "format", "file", "access_file", "rotation"}, "logging");
  if (const auto level = node["level"]) logging.level = readLogLevel(reader, level, "logging.level");
  if (const auto levels = node["levels"]) {
    reader.requireMap(levels, "logging.levels");
    const auto& names = observability::loggerNames();
    reader.checkKeys(levels, std::set<std::string>(names.begin(), names.end()), "logging.levels");
    for (const auto& entry : levels) {
      const std::string logger = entry.first.Scalar();
      logging.levels[logger] = readLogLevel(reader, entry.second, "logging.levels." + logger);
    }
  }
  if (const auto access = node["access_log"]) logging.access_log = reader.boolean(access, "logging.access_log");
  if (const auto format = node["format"]) {
    const std::string text = reader.string(format, "logging.format");
    if (text != "text" && text != "json")
      reader.fail(format, "logging.format must be text or json, got \"" + text + "\"");
    logging.json = text == "json";
  }
  auto readFile = [&](const char* key, std::filesystem::path& path, SourceMark& mark) {
    const auto file = node[key];
    if (!file) return;
    const std::string what = std::string("logging.") + key;
    const std::string text = reader.string(file, what);
    if (text.empty()) reader.fail(file, what + " must name a file (leave it out for the console)");
    path = resolvePath(base_dir, text);
    mark = reader.markOf(file);
  };
  readFile("file", logging.file, logging.file_mark);
  readFile("access_file", logging.access_file, logging.access_file_mark);
  if (const auto rotation = node["rotation"]) readLogRotation(reader, rotation, logging.rotation);
}

void readMetrics(const Reader& reader, const YAML::Node& node, MetricsConfig& metrics) {
  reader.requireMap(node, "metrics");
  reader.checkKeys(node, {"enabled"}, "metrics");
  if (const auto enabled = node["enabled"]) metrics.enabled = reader.boolean(enabled, "metrics.enabled");
}

void readPlugins(const Reader& reader, const YAML::Node& node, Config& config) {
  reader.requireMap(node, "plugins");
  std::set<std::string> seen;
  for (const auto& entry : node) {
    PluginInstanceConfig plugin;
    plugin.name = entry.first.Scalar();
    plugin.mark = reader.markOf(entry.first);
    if (!seen.insert(plugin.name).second) reader.fail(entry.first, "duplicate plugin instance '" + plugin.name + "'");
    const std::string where = "plugins." + plugin.name;
    reader.requireMap(entry.second, where);
    reader.checkKeys(entry.second, {"use", "config"}, where);
    const auto use = entry.second["use"];
    if (!use) reader.fail(entry.second, where + ": 'use' is required (the plugin to load)");
    plugin.use = reader.string(use, where + ".use");
    plugin.use_mark = reader.markOf(use);
    if (plugin.use.find('/') != std::string::npos) plugin.use = resolvePath(config.base_dir, plugin.use).string();
    if (const auto plugin_config = entry.second["config"]) {
      plugin.config_mark = reader.markOf(plugin_config);
      if (!plugin_config.IsMap()) reader.fail(plugin_config, where + ".config must be a mapping");
      try {
        plugin.config_json = yamlToJson(plugin_config, reader.environment(), plugin.config_marks);
      } catch (const YamlJsonError& e) {
        throw ConfigError(reader.file(), e.mark(), where + ".config: " + e.what());
      }
    } else {
      plugin.config_mark = plugin.use_mark;
    }
    config.plugins.push_back(std::move(plugin));
  }
}

// `auth: [a, b]` (all must pass) or `auth: {any: [a, b]}` (one suffices).
void readEndpointAuth(const Reader& reader, const YAML::Node& node, const std::string& where,
                      EndpointConfig& endpoint) {
  if (node.IsScalar() && reader.expand(node) == "none") {
    endpoint.auth_none = true;
    return;
  }
  YAML::Node list = node;
  if (node.IsMap()) {
    reader.checkKeys(node, {"any", "all"}, where + ".auth");
    if (node.size() != 1) reader.fail(node, where + ".auth takes one of any: [...] or all: [...]");
    endpoint.auth_any = static_cast<bool>(node["any"]);
    list = endpoint.auth_any ? node["any"] : node["all"];
  }
  if (!list.IsSequence() || list.size() == 0)
    reader.fail(list, where + ".auth must be a non-empty list of auth plugin instances");
  for (const auto& item : list) endpoint.auth.push_back({reader.string(item, where + ".auth[]"), reader.markOf(item)});
}

void readEndpoints(const Reader& reader, const YAML::Node& node, Config& config) {
  if (!node.IsSequence()) reader.fail(node, "endpoints must be a list");
  std::map<std::string, SourceMark> routes;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string where = "endpoints[" + std::to_string(i) + "]";
    reader.requireMap(item, where);
    EndpointConfig endpoint;
    endpoint.mark = reader.markOf(item);
    std::set<std::string> seen;
    for (const auto& entry : item) {
      const std::string key = entry.first.Scalar();
      if (!seen.insert(key).second) reader.fail(entry.first, "duplicate key '" + key + "' in " + where);
      if (key == "method") {
        endpoint.method = reader.string(entry.second, where + ".method");
        static const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
        if (!kMethods.contains(endpoint.method)) {
          reader.fail(entry.second, where + ".method must be one of GET, POST, PUT, PATCH, DELETE");
        }
      } else if (key == "path") {
        endpoint.path = reader.string(entry.second, where + ".path");
        endpoint.path_mark = reader.markOf(entry.second);
        try {
          PathTemplate::parse(endpoint.path);
        } catch (const std::invalid_argument& e) {
          reader.fail(entry.second, where + ".path: " + e.what());
        }
      } else if (key == "action") {
        endpoint.action = reader.string(entry.second, where + ".action");
        endpoint.action_mark = reader.markOf(entry.second);
      } else if (key == "auth") {
        readEndpointAuth(reader, entry.second, where, endpoint);
      } else if (key == "roles") {
        endpoint.roles = reader.stringList(entry.second, where + ".roles");
      } else if (key == "rate_limit") {
        const std::string text = reader.string(entry.second, where + ".rate_limit");
        if (text == "none") {
          endpoint.rate_limit_none = true;
        } else {
          try {
            endpoint.rate_limit = parseRateLimit(text);
          } catch (const std::invalid_argument& e) {
            reader.fail(entry.second, where + ".rate_limit: " + e.what());
          }
        }
      } else {
        // Action-specific settings (plugin references and the like) are checked against the action.
        endpoint.settings[key] = {reader.string(entry.second, where + "." + key), reader.markOf(entry.first)};
      }
    }
    for (const char* required : {"method", "path", "action"}) {
      if (!seen.contains(required)) reader.fail(item, where + ": '" + required + "' is required");
    }
    const std::string route = endpoint.method + " " + PathTemplate::parse(endpoint.path).canonical();
    if (const auto [it, inserted] = routes.emplace(route, endpoint.mark); !inserted) {
      reader.fail(item, "duplicate route " + endpoint.method + " " + endpoint.path + " (already defined at line " +
                            std::to_string(it->second.line) + ")");
    }
    config.endpoints.push_back(std::move(endpoint));
  }
}

Config parseDocument(const YAML::Node& root, const Reader& reader, Config config) {
  if (root.IsNull()) reader.fail(root, "the configuration is empty");
  reader.requireMap(root, "the configuration");
  reader.checkKeys(root,
                   {"data_dir", "server", "logging", "metrics", "rate_limits", "cors", "auth", "plugin_dirs", "plugins",
                    "storage", "endpoints"},
                   "the configuration");
  if (const auto server = root["server"]) readServer(reader, server, config.server);
  if (const auto logging = root["logging"]) readLogging(reader, logging, config.base_dir, config.logging);
  if (const auto metrics = root["metrics"]) readMetrics(reader, metrics, config.metrics);
  if (const auto limits = root["rate_limits"]) readRateLimits(reader, limits, config.rate_limits);
  if (const auto cors = root["cors"]) readCors(reader, cors, config.cors);
  if (const auto auth = root["auth"]) readAuth(reader, auth, config.base_dir, config.auth);
  if (const auto dirs = root["plugin_dirs"]) {
    if (!dirs.IsSequence()) reader.fail(dirs, "plugin_dirs must be a list of directories");
    for (const auto& dir : dirs)
      config.plugin_dirs.push_back(resolvePath(config.base_dir, reader.string(dir, "plugin_dirs[]")));
  }
  if (const auto plugins = root["plugins"]) readPlugins(reader, plugins, config);
  if (const auto storage = root["storage"]) {
    config.storage = reader.string(storage, "storage");
    config.storage_mark = reader.markOf(storage);
    if (config.findPlugin(config.storage) == nullptr) {
      reader.fail(storage, "storage: no plugin instance named '" + config.storage + "' under plugins");
    }
  }
  const auto endpoints = root["endpoints"];
  if (!endpoints) reader.fail(root, "'endpoints' is required: without it the server serves nothing");
  readEndpoints(reader, endpoints, config);
  return config;
}

constexpr const char* kDataDirVariable = "P2J_DATA_DIR";

// The environment wins over the file so that one packaged file can serve several instances, each started
// with a data directory of its own (p2j@.service does that).
std::filesystem::path resolveDataDir(const YAML::Node& root, const Reader& reader,
                                     const std::filesystem::path& base_dir, const EnvironmentLookup& environment) {
  if (const auto from_env = environment(kDataDirVariable); from_env && !from_env->empty()) {
    return std::filesystem::absolute(*from_env).lexically_normal();
  }
  if (root.IsMap()) {
    if (const auto node = root["data_dir"]) {
      const std::string text = reader.string(node, "data_dir");
      if (text.empty()) reader.fail(node, "data_dir must not be empty");
      return resolvePath(base_dir, text);
    }
  }
  return std::filesystem::absolute("data").lexically_normal();
}

}  // namespace

Config parseConfig(const std::string& yaml_text, const std::string& file_name, const std::filesystem::path& base_dir,
                   const EnvironmentLookup& environment) {
  Config config;
  config.file = file_name;
  config.base_dir = base_dir;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(file_name, {e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + e.msg);
  }
  try {
    config.data_dir = resolveDataDir(root, Reader(file_name, environment), base_dir, environment);
    const std::string data_dir = config.data_dir.string();
    const EnvironmentLookup with_data_dir = [&](const std::string& name) -> std::optional<std::string> {
      if (name == kDataDirVariable) return data_dir;
      return environment(name);
    };
    const Reader reader(file_name, with_data_dir);
    return parseDocument(root, reader, std::move(config));
  } catch (const YAML::Exception& e) {
    throw ConfigError(file_name, {e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
}

Config loadConfig(const std::filesystem::path& file, const EnvironmentLookup& environment) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string(), {}, "cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  const std::filesystem::path absolute = std::filesystem::absolute(file);
  return parseConfig(text.str(), file.string(), absolute.parent_path(), environment);
}

}  // namespace p2j::config
