#pragma once

#include "observability/metrics.hpp"
#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/cache.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace p2j::plugins {

// A cache plugin instance (ABI 1.2): bytes under keys, for a while. Failures come as PluginCallError; the
// callers treat them as misses, since a cache only ever saves work.
class CachePlugin : public PluginInstance {
 public:
  CachePlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  // The value, or nullopt when the key is absent or expired.
  std::optional<std::string> get(std::string_view key) const;
  // ttl 0: the instance's default. INVALID_INPUT when the cache will not keep a value that large.
  void set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) const;
  // True when the key held something.
  bool erase(std::string_view key) const;
  // The plugin's counters, checked against the typed shape (a malformed answer is P2J_INTERNAL).
  sdk::CacheStats stats() const;

 private:
  decltype(&p2j_cache_get_v1) get_;
  decltype(&p2j_cache_set_v1) set_;
  decltype(&p2j_cache_delete_v1) delete_;
  decltype(&p2j_cache_stats_v1) stats_;
  // cache_hits_total / cache_misses_total{cache}: a failed lookup is a miss, as its callers treat it. Null when
  // metrics are disabled.
  prometheus::Counter* hits_ = nullptr;
  prometheus::Counter* misses_ = nullptr;
};

}  // namespace p2j::plugins
