// The /cache-stats body's "cache_stats", shared with /system-overview's "cache".
#pragma once

#include "plugins/cache_plugin.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::endpoints {

// The original's keys {"cache_type", "hits", "misses", "sets", "hit_rate_percent", "memory_cache_size",
// "redis_connected"} from the instance's real counters, plus "instance", "backend", "deletes", "bytes",
// "max_bytes", "evictions", "expirations". Without a cache: "cache_type": "none" and zeros. A cache whose
// stats fail is reported as "unavailable" (the reason goes to the log).
void writeCacheStats(sdk::JsonWriter& writer, const plugins::CachePlugin* cache);

}  // namespace p2j::endpoints
