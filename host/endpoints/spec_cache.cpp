#include "endpoints/spec_cache.hpp"

#include "auth/first_start.hpp"
#include "observability/logging.hpp"

#include <p2j/sdk/design_spec.hpp>

namespace p2j::endpoints {

SpecCache::SpecCache(std::shared_ptr<plugins::CachePlugin> cache, std::string agent_instance,
                     const plugins::AgentPlugin& agent, const std::string& agent_config_json, std::chrono::seconds ttl)
    : cache_(std::move(cache)),
      agent_instance_(std::move(agent_instance)),
      agent_fingerprint_(agent.info().name + '\n' + agent.info().version + '\n' + agent_config_json + '\n'),
      ttl_(ttl) {}

std::string SpecCache::keyFor(std::string_view prompt) const {
  return "generate:" + agent_instance_ + ":" + auth::sha256Hex(agent_fingerprint_ + std::string(prompt));
}

std::optional<std::string> SpecCache::find(std::string_view prompt) const {
  std::optional<std::string> cached;
  try {
    cached = cache_->get(keyFor(prompt));
  } catch (const plugins::PluginCallError& e) {
    observability::log(observability::Log::kPlugins)
        .warn("cache '{}' failed a lookup ({}); asking agent '{}'", cache_->name(), e.what(), agent_instance_);
    return std::nullopt;
  }
  if (!cached) return std::nullopt;
  try {
    // Parsed and written again: what the client gets is a DesignSpec, whatever the cache held.
    return sdk::serialize(sdk::designSpecFromJson(sdk::parseJson(*cached)));
  } catch (const std::exception& e) {
    observability::log(observability::Log::kPlugins)
        .warn("cache '{}' held something that is not a spec under {} ({}); asking agent '{}'", cache_->name(),
              keyFor(prompt), e.what(), agent_instance_);
    return std::nullopt;
  }
}

void SpecCache::keep(std::string_view prompt, std::string_view spec_json) const {
  try {
    cache_->set(keyFor(prompt), spec_json, ttl_);
  } catch (const plugins::PluginCallError& e) {
    observability::log(observability::Log::kPlugins)
        .warn("cache '{}' did not keep the spec ({})", cache_->name(), e.what());
  }
}

}  // namespace p2j::endpoints
