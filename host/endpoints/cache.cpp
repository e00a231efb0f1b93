// GET /cache-stats -> {"success", "cache_stats": {...}, "timestamp"}: the original's shape, from the counters
// of the cache instance the endpoint names.
#include "endpoints/cache_report.hpp"
#include "endpoints/pipeline_binding.hpp"
#include "observability/logging.hpp"

#include <p2j/sdk/time.hpp>

#include <cmath>

namespace p2j::endpoints {

void writeCacheStats(sdk::JsonWriter& writer, const plugins::CachePlugin* cache) {
  sdk::CacheStats stats;
  std::string type = "none";
  if (cache != nullptr) {
    try {
      stats = cache->stats();
      type = stats.backend == "redis" ? "Redis" : stats.backend == "memory" ? "Memory" : stats.backend;
    } catch (const plugins::PluginCallError& e) {
      observability::log(observability::Log::kPlugins)
          .warn("cache '{}' did not report its stats: {}", cache->name(), e.what());
      type = "unavailable";
    }
  }
  const uint64_t lookups = stats.hits + stats.misses;
  const double hit_rate =
      lookups == 0 ? 0 : std::round(static_cast<double>(stats.hits) * 10000.0 / static_cast<double>(lookups)) / 100.0;
  writer.StartObject();
  writer.Key("cache_type");
  sdk::writeString(writer, type);
  const auto count = [&](const char* key, uint64_t value) {
    sdk::writeKey(writer, key);
    writer.Uint64(value);
  };
  count("hits", stats.hits);
  count("misses", stats.misses);
  count("sets", stats.sets);
  writer.Key("hit_rate_percent");
  writer.Double(hit_rate);
  count("memory_cache_size", stats.entries);
  writer.Key("redis_connected");
  writer.Bool(stats.connected.value_or(false));
  writer.Key("instance");
  if (cache != nullptr) {
    sdk::writeString(writer, cache->name());
  } else {
    writer.Null();
  }
  writer.Key("backend");
  sdk::writeString(writer, stats.backend.empty() ? type : stats.backend);
  count("deletes", stats.deletes);
  count("bytes", stats.bytes);
  count("max_bytes", stats.max_bytes);
  count("evictions", stats.evictions);
  count("expirations", stats.expirations);
  writer.EndObject();
}

namespace {

class CacheStatsAction : public Action {
 public:
  explicit CacheStatsAction(const ActionSetup& setup)
      : cache_(std::dynamic_pointer_cast<plugins::CachePlugin>(setup.plugins.at("cache"))) {}

  http::Response handle(http::Request& /*request*/) const override {
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("cache_stats");
    writeCacheStats(writer, cache_.get());
    writer.Key("timestamp");
    sdk::writeString(writer, sdk::utcNow());
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  std::shared_ptr<plugins::CachePlugin> cache_;
};

constexpr std::string_view kCacheStatsAnswer = R"json({
  "type": "object",
  "required": ["success", "cache_stats", "timestamp"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "cache_stats": {"$ref": "#/components/schemas/CacheStats"},
    "timestamp": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> cacheActions() {
  return {{
      .name = "cache_stats",
      .summary = "Hits, misses, sets, hit rate and size of a cache instance",
      .plugin_settings = {{"cache", P2J_KIND_CACHE}},
      .api = {.tag = "Operations", .responses = {{200, "The cache's counters", kCacheStatsAnswer}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<CacheStatsAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
