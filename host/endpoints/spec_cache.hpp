// What /generate caches when its endpoint names a cache: the agent's spec per (agent instance, prompt), never
// the stored row. A cached answer is stored as a new specs row like a fresh one, so an id in a response
// always means a committed row, and the cache only saves the agent's work.
#pragma once

#include "plugins/agent_plugin.hpp"
#include "plugins/cache_plugin.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace p2j::endpoints {

class SpecCache {
 public:
  // `agent_config_json` is the agent instance's config as the YAML gave it: a changed config (like another
  // plugin version) makes other keys, so an agent never gets answers cached for another one.
  SpecCache(std::shared_ptr<plugins::CachePlugin> cache, std::string agent_instance, const plugins::AgentPlugin& agent,
            const std::string& agent_config_json, std::chrono::seconds ttl);

  // The cached spec as canonical JSON text, or nullopt on a miss. An entry that is not a valid spec (a cache
  // shared with something else, or tampered with) is a miss, and so is a cache that fails: a cache never
  // fails a request.
  std::optional<std::string> find(std::string_view prompt) const;
  // Keeps the agent's spec for the TTL; a failure is logged and otherwise ignored.
  void keep(std::string_view prompt, std::string_view spec_json) const;

  // generate:<agent instance>:<hex SHA-256 of the agent's plugin, version and config, and the prompt>.
  std::string keyFor(std::string_view prompt) const;

 private:
  std::shared_ptr<plugins::CachePlugin> cache_;
  std::string agent_instance_;
  std::string agent_fingerprint_;
  std::chrono::seconds ttl_;
};

}  // namespace p2j::endpoints
