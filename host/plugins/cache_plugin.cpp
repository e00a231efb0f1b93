#include "plugins/cache_plugin.hpp"

namespace p2j::plugins {

CachePlugin::CachePlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      get_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_cache_get_v1")),
      set_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, uint64_t, p2j_buffer*)>("p2j_cache_set_v1")),
      delete_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_cache_delete_v1")),
      stats_(library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_cache_stats_v1")) {
  if (observability::metrics().enabled()) {
    hits_ = &observability::metrics()
                 .counter("cache_hits_total", "Cache lookups that found a value, by cache instance")
                 .Add({{"cache", this->name()}});
    misses_ = &observability::metrics()
                   .counter("cache_misses_total", "Cache lookups that found nothing or failed, by cache instance")
                   .Add({{"cache", this->name()}});
  }
}

std::optional<std::string> CachePlugin::get(std::string_view key) const {
  try {
    std::string value = call(get_, toAbi(key));
    if (hits_ != nullptr) hits_->Increment();
    return value;
  } catch (const PluginCallError& e) {
    if (misses_ != nullptr) misses_->Increment();
    if (e.status() == P2J_NOT_FOUND) return std::nullopt;
    throw;
  }
}

void CachePlugin::set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) const {
  call(set_, toAbi(key), toAbi(value), static_cast<uint64_t>(std::max<int64_t>(0, ttl.count())));
}

bool CachePlugin::erase(std::string_view key) const {
  const std::string text = call(delete_, toAbi(key));
  try {
    const rapidjson::Document answer = sdk::parseJson(text);
    const auto* deleted = sdk::findMember(answer, "deleted");
    if (deleted == nullptr || !deleted->IsBool()) throw sdk::FieldError("deleted", "must be true or false");
    return deleted->GetBool();
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the cache plugin returned a malformed answer: ") + e.what());
  }
}

sdk::CacheStats CachePlugin::stats() const {
  const std::string text = call(stats_);
  try {
    return sdk::cacheStatsFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the cache plugin returned malformed stats: ") + e.what());
  }
}

}  // namespace p2j::plugins
