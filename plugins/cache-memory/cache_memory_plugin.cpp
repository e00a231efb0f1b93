// cache-memory: the in-process cache (memory_cache.hpp) as a cache plugin.
#include "memory_cache.hpp"

#include <p2j/sdk/plugin.hpp>

namespace p2j::cache_memory {
namespace {

constexpr const char* kConfigSchema = R"schema({
  "type": "object",
  "properties": {
    "max_bytes": {"type": "integer", "minimum": 65536, "maximum": 1099511627776, "default": 67108864,
                  "description": "The most the entries may cost: keys, values and 128 bytes of bookkeeping each"},
    "shards": {"type": "integer", "minimum": 1, "maximum": 256, "default": 16,
               "description": "Independently locked parts (fewer when a part would get less than 64 KiB)"},
    "default_ttl_seconds": {"type": "integer", "minimum": 1, "maximum": 31536000, "default": 3600,
                            "description": "The time to live of a set that names none"}
  },
  "additionalProperties": false
})schema";

class MemoryCachePlugin : public sdk::Cache {
 public:
  static constexpr bool kThreadSafe = true;  // MemoryCache locks each shard

  explicit MemoryCachePlugin(const rapidjson::Value& config)
      : default_ttl_(std::chrono::seconds(sdk::optionalInteger(config, "default_ttl_seconds", "").value_or(3600))),
        cache_(static_cast<size_t>(sdk::optionalInteger(config, "max_bytes", "").value_or(64 << 20)),
               static_cast<size_t>(sdk::optionalInteger(config, "shards", "").value_or(16))) {}

  std::optional<std::string> get(std::string_view key) override { return cache_.get(key, Clock::now()); }

  void set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) override {
    if (!cache_.set(key, value, ttl.count() > 0 ? ttl : default_ttl_, Clock::now())) {
      throw sdk::InvalidInput("the entry would cost " + std::to_string(MemoryCache::entryCost(key, value)) +
                              " bytes; this cache holds entries of at most " + std::to_string(cache_.maxEntryCost()));
    }
  }

  bool erase(std::string_view key) override { return cache_.erase(key); }

  sdk::CacheStats stats() override {
    const MemoryCacheStats memory = cache_.stats(Clock::now());
    sdk::CacheStats stats;
    stats.backend = "memory";
    stats.hits = memory.hits;
    stats.misses = memory.misses;
    stats.sets = memory.sets;
    stats.deletes = memory.deletes;
    stats.entries = memory.entries;
    stats.bytes = memory.bytes;
    stats.max_bytes = memory.max_bytes;
    stats.evictions = memory.evictions;
    stats.expirations = memory.expirations;
    return stats;
  }

 private:
  std::chrono::milliseconds default_ttl_;
  MemoryCache cache_;
};

}  // namespace
}  // namespace p2j::cache_memory

P2J_EXPORT_CACHE(p2j::cache_memory::MemoryCachePlugin, "cache-memory", "1.0.0",
                 "In-process cache: LRU within a byte budget, a TTL per entry, sharded",
                 p2j::cache_memory::kConfigSchema)
