#include "plugins/plugin_set.hpp"

#include "observability/logging.hpp"
#include "plugins/config_schema.hpp"

namespace p2j::plugins {
namespace {

std::shared_ptr<PluginInstance> makeProxy(const std::string& name, std::shared_ptr<PluginLibrary> library,
                                          p2j_instance handle) {
  switch (library->info().kind) {
    case P2J_KIND_AGENT:
      return std::make_shared<AgentPlugin>(name, library, handle);
    case P2J_KIND_EVALUATOR:
      return std::make_shared<EvaluatorPlugin>(name, library, handle);
    case P2J_KIND_STORAGE:
      return std::make_shared<StoragePlugin>(name, library, handle);
    case P2J_KIND_AUTH:
      return std::make_shared<AuthPlugin>(name, library, handle);
    case P2J_KIND_FEEDBACK:
      return std::make_shared<FeedbackPlugin>(name, library, handle);
    case P2J_KIND_CACHE:
      return std::make_shared<CachePlugin>(name, library, handle);
  }
  library->destroy(handle);
  throw PluginLoadError(library->info().file.string() + ": plugins of kind " + kindName(library->info().kind) +
                        " are not supported by this p2j version");
}

config::SourceMark markFor(const config::PluginInstanceConfig& plugin, const std::string& path) {
  if (auto it = plugin.config_marks.find(path); it != plugin.config_marks.end()) return it->second;
  return plugin.config_mark;
}

}  // namespace

std::vector<ResolvedPlugin> resolvePlugins(const config::Config& config, PluginCatalog& catalog) {
  std::vector<ResolvedPlugin> resolved;
  for (const auto& plugin : config.plugins) {
    const std::string where = "plugins." + plugin.name;
    std::shared_ptr<PluginLibrary> library;
    try {
      library = catalog.find(plugin.use);
    } catch (const PluginLoadError& e) {
      throw config::ConfigError(config.file, plugin.use_mark, where + ": " + e.what());
    }
    try {
      resolved.push_back(
          {&plugin, library,
           validatePluginConfig(library->info().config_schema_json, plugin.config_json, config.base_dir)});
    } catch (const SchemaViolation& violation) {
      const std::string field = violation.path.empty() ? where + ".config" : where + ".config." + violation.path;
      throw config::ConfigError(config.file, markFor(plugin, violation.path), field + ": " + violation.message);
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError(config.file, plugin.use_mark,
                                where + ": " + library->info().file.string() + ": " + e.what());
    }
  }
  return resolved;
}

std::unique_ptr<PluginSet> PluginSet::create(const config::Config& config, const std::vector<ResolvedPlugin>& resolved,
                                             const PluginSet* previous) {
  auto set = std::make_unique<PluginSet>();
  for (const auto& plugin : resolved) {
    set->configs_.push_back(plugin.validated_config_json);
    if (previous != nullptr) {
      if (auto kept = previous->same(plugin)) {
        set->instances_.push_back(std::move(kept));
        continue;
      }
    }
    try {
      p2j_instance handle = createInstance(*plugin.library, plugin.config->name, plugin.validated_config_json);
      set->instances_.push_back(makeProxy(plugin.config->name, plugin.library, handle));
      if (!plugin.library->info().thread_safe) {
        observability::log(observability::Log::kPlugins)
            .info("plugin instance '{}': {} does not declare itself thread-safe, so its calls take turns",
                  plugin.config->name, plugin.library->info().name);
      }
    } catch (const PluginLoadError& e) {
      throw config::ConfigError(config.file, plugin.config->mark, "plugins." + plugin.config->name + ": " + e.what());
    }
  }
  return set;
}

PluginSet::~PluginSet() {
  // Tear down in reverse order of creation, the way they were layered.
  while (!instances_.empty()) instances_.pop_back();
}

std::shared_ptr<PluginInstance> PluginSet::same(const ResolvedPlugin& plugin) const {
  for (size_t i = 0; i < instances_.size(); ++i) {
    const auto& instance = instances_[i];
    if (instance->name() == plugin.config->name && &instance->info() == &plugin.library->info() &&
        configs_[i] == plugin.validated_config_json) {
      return instance;
    }
  }
  return nullptr;
}

const PluginInstance* PluginSet::find(const std::string& name) const {
  for (const auto& instance : instances_) {
    if (instance->name() == name) return instance.get();
  }
  return nullptr;
}

}  // namespace p2j::plugins
