// The cache in Redis, shared by every p2j process that uses the same Redis and key prefix, failing open: while
// Redis cannot be used, gets and sets go to an in-process MemoryCache, so callers keep getting answers (from
// what this process cached during the outage) and never wait for a dead Redis longer than one timeout per
// retry interval. When Redis answers again the in-process entries are dropped: Redis is the cache again.
#pragma once

#include "memory_cache.hpp"
#include "redis_pool.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace p2j::cache_redis {

struct RedisCacheSettings {
  redis::PoolSettings pool;
  std::string key_prefix = "p2j:cache:";
  size_t max_value_bytes = 1 << 20;
  size_t fallback_max_bytes = 16 << 20;  // the in-process cache used while Redis is unreachable
};

struct RedisCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t sets = 0;
  uint64_t deletes = 0;
  uint64_t redis_errors = 0;  // calls Redis could not answer (each then went to the in-process cache)
  bool connected = false;     // Redis answered a PING just now
  std::string problem;        // why Redis failed last, when it is down
  cache_memory::MemoryCacheStats fallback;
};

class RedisCache {
 public:
  explicit RedisCache(RedisCacheSettings settings);

  std::optional<std::string> get(std::string_view key);
  // Throws std::invalid_argument for a value over max_value_bytes (nothing is stored, an older value under
  // the key is removed).
  void set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl);
  // True when an entry was removed. Throws redis::Unavailable while Redis is unreachable: the key may still
  // be in Redis, and a delete must not say it is gone when it is not.
  bool erase(std::string_view key);
  // Asks Redis (a PING, bounded by the timeouts) whether it answers.
  RedisCacheStats stats();
  // Whether Redis answers a PING now (false at once while the pool leaves a failed Redis alone).
  bool reachable();
  std::string problem() const { return pool_.problem(); }
  const RedisCacheSettings& settings() const { return settings_; }

 private:
  std::string redisKey(std::string_view key) const;
  // Notes that Redis answered: the first answer after an outage drops what the outage cached here.
  void answered();
  void unavailable(const redis::Unavailable& e);

  const RedisCacheSettings settings_;
  redis::Pool pool_;
  cache_memory::MemoryCache fallback_;
  std::atomic<bool> falling_back_{false};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> sets_{0};
  std::atomic<uint64_t> deletes_{0};
  std::atomic<uint64_t> redis_errors_{0};
};

}  // namespace p2j::cache_redis
