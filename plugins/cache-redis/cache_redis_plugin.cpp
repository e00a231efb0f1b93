// cache-redis: a cache in Redis shared by every p2j process, failing open to an in-process cache.
#include "redis_cache.hpp"

#include <p2j/sdk/plugin.hpp>

namespace p2j::cache_redis {
namespace {

constexpr const char* kConfigSchema = R"schema({
  "type": "object",
  "properties": {
    "address": {"type": "string", "minLength": 1,
                "description": "redis://[[user]:password@]host[:port][/db] or host:port"},
    "key_prefix": {"type": "string", "default": "p2j:cache:", "description": "Prepended to every key"},
    "connect_timeout_ms": {"type": "integer", "minimum": 1, "maximum": 600000, "default": 200,
                           "description": "How long opening a connection may take"},
    "timeout_ms": {"type": "integer", "minimum": 1, "maximum": 600000, "default": 200,
                   "description": "How long one command may take"},
    "pool_size": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 8,
                  "description": "Most connections open at once"},
    "retry_interval_ms": {"type": "integer", "minimum": 10, "maximum": 600000, "default": 1000,
                          "description": "How long an unreachable Redis is left alone before it is tried again"},
    "default_ttl_seconds": {"type": "integer", "minimum": 1, "maximum": 31536000, "default": 3600,
                            "description": "The time to live of a set that names none"},
    "max_value_bytes": {"type": "integer", "minimum": 1, "maximum": 536870912, "default": 1048576,
                        "description": "Larger values are refused"},
    "fallback_max_bytes": {"type": "integer", "minimum": 0, "maximum": 1099511627776, "default": 16777216,
                           "description": "The in-process cache that answers while Redis is unreachable (0: none)"}
  },
  "required": ["address"],
  "additionalProperties": false
})schema";

int64_t setting(const rapidjson::Value& config, const char* key, int64_t fallback) {
  return sdk::optionalInteger(config, key, "").value_or(fallback);
}

RedisCacheSettings settingsFrom(const rapidjson::Value& config) {
  RedisCacheSettings settings;
  try {
    settings.pool.address = redis::parseAddress(sdk::requireString(config, "address", ""));
  } catch (const std::invalid_argument& e) {
    throw sdk::InvalidInput(std::string("address: ") + e.what());
  }
  settings.pool.timeouts = {std::chrono::milliseconds(setting(config, "connect_timeout_ms", 200)),
                            std::chrono::milliseconds(setting(config, "timeout_ms", 200))};
  settings.pool.size = static_cast<size_t>(setting(config, "pool_size", 8));
  settings.pool.retry_interval = std::chrono::milliseconds(setting(config, "retry_interval_ms", 1000));
  settings.key_prefix = sdk::optionalString(config, "key_prefix", "").value_or("p2j:cache:");
  settings.max_value_bytes = static_cast<size_t>(setting(config, "max_value_bytes", 1 << 20));
  settings.fallback_max_bytes = static_cast<size_t>(setting(config, "fallback_max_bytes", 16 << 20));
  return settings;
}

class RedisCachePlugin : public sdk::Cache {
 public:
  static constexpr bool kThreadSafe = true;  // RedisCache: a connection pool and a locked MemoryCache

  explicit RedisCachePlugin(const rapidjson::Value& config)
      : default_ttl_(std::chrono::seconds(setting(config, "default_ttl_seconds", 3600))),
        cache_(settingsFrom(config)) {}

  std::optional<std::string> get(std::string_view key) override { return cache_.get(key); }

  void set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) override {
    try {
      cache_.set(key, value, ttl.count() > 0 ? ttl : default_ttl_);
    } catch (const std::invalid_argument& e) {
      throw sdk::InvalidInput(e.what());
    }
  }

  bool erase(std::string_view key) override {
    try {
      return cache_.erase(key);
    } catch (const redis::Unavailable& e) {
      throw sdk::Unavailable(std::string("the key may still be in Redis: ") + e.what());
    }
  }

  sdk::CacheStats stats() override {
    const RedisCacheStats redis = cache_.stats();
    sdk::CacheStats stats;
    stats.backend = "redis";
    stats.hits = redis.hits;
    stats.misses = redis.misses;
    stats.sets = redis.sets;
    stats.deletes = redis.deletes;
    stats.entries = redis.fallback.entries;
    stats.bytes = redis.fallback.bytes;
    stats.max_bytes = redis.fallback.max_bytes;
    stats.evictions = redis.fallback.evictions;
    stats.expirations = redis.fallback.expirations;
    stats.connected = redis.connected;
    return stats;
  }

  // Serving either way; degraded while the in-process cache stands in for Redis.
  sdk::Health health() override {
    if (cache_.reachable()) return {};
    rapidjson::StringBuffer text;
    sdk::JsonWriter writer(text);
    writer.StartObject();
    writer.Key("problem");
    sdk::writeString(writer, cache_.problem());
    writer.EndObject();
    return {sdk::HealthState::kDegraded, std::string(text.GetString(), text.GetSize())};
  }

 private:
  std::chrono::milliseconds default_ttl_;
  RedisCache cache_;
};

}  // namespace
}  // namespace p2j::cache_redis

P2J_EXPORT_CACHE(p2j::cache_redis::RedisCachePlugin, "cache-redis", "1.0.0",
                 "Cache in Redis shared by every p2j process (pooled, timeouts), failing open to an in-process cache",
                 p2j::cache_redis::kConfigSchema)
