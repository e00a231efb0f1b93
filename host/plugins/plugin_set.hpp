#pragma once

#include "config/config.hpp"
#include "plugins/agent_plugin.hpp"
#include "plugins/auth_plugin.hpp"
#include "plugins/cache_plugin.hpp"
#include "plugins/evaluator_plugin.hpp"
#include "plugins/feedback_plugin.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/storage_plugin.hpp"

#include <memory>
#include <string>
#include <vector>

namespace p2j::plugins {

// A plugin instance of the configuration whose library is loaded and whose config passed the plugin's
// schema, but which is not created yet (so `p2j check-config` has no side effects).
struct ResolvedPlugin {
  const config::PluginInstanceConfig* config = nullptr;
  std::shared_ptr<PluginLibrary> library;
  std::string validated_config_json;
};

// Loads every library named in the configuration and validates each instance's config. Every failure
// is a config::ConfigError pointing at the line that caused it.
std::vector<ResolvedPlugin> resolvePlugins(const config::Config& config, PluginCatalog& catalog);

// The plugin instances named in the configuration, created at start-up (and by a reload) and shared by
// every request thread (their proxies serialize the calls to instances that are not thread-safe).
class PluginSet {
 public:
  // Creates the instances in order; throws config::ConfigError when a plugin's create() fails. An instance
  // of `previous` with the same name, the same library and the same validated config is taken over instead
  // of created again: a reload keeps the storage it has rather than opening its database a second time.
  static std::unique_ptr<PluginSet> create(const config::Config& config, const std::vector<ResolvedPlugin>& resolved,
                                           const PluginSet* previous = nullptr);
  ~PluginSet();

  const PluginInstance* find(const std::string& name) const;
  template <typename Proxy>
  std::shared_ptr<Proxy> get(const std::string& name) const {
    for (const auto& instance : instances_) {
      if (instance->name() == name) return std::dynamic_pointer_cast<Proxy>(instance);
    }
    return nullptr;
  }
  const std::vector<std::shared_ptr<PluginInstance>>& all() const { return instances_; }

 private:
  // The instance of this set that `plugin` describes exactly, or null.
  std::shared_ptr<PluginInstance> same(const ResolvedPlugin& plugin) const;

  std::vector<std::shared_ptr<PluginInstance>> instances_;
  std::vector<std::string> configs_;  // each instance's validated config, for same()
};

}  // namespace p2j::plugins
