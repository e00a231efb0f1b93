#include "endpoints/endpoint_table.hpp"

#include <algorithm>

namespace p2j::endpoints {
namespace {

std::string knownActions() {
  std::string names;
  for (const auto& descriptor : actionCatalog()) names += (names.empty() ? "" : ", ") + descriptor.name;
  return names;
}

std::string knownSettings(const ActionDescriptor& descriptor) {
  std::string names;
  for (const auto& setting : descriptor.plugin_settings) names += (names.empty() ? "" : ", ") + setting.key;
  return names.empty() ? "none" : names;
}

}  // namespace

void validateEndpoints(const config::Config& config, const PluginKindLookup& kind_of, bool has_storage) {
  for (size_t i = 0; i < config.endpoints.size(); ++i) {
    const config::EndpointConfig& endpoint = config.endpoints[i];
    const std::string where = "endpoints[" + std::to_string(i) + "] (" + endpoint.method + " " + endpoint.path + ")";
    auto fail = [&](config::SourceMark mark, const std::string& message) {
      throw config::ConfigError(config.file, mark, where + ": " + message);
    };

    const ActionDescriptor* descriptor = findAction(endpoint.action);
    if (descriptor == nullptr) {
      fail(endpoint.action_mark, "unknown action '" + endpoint.action + "' (known: " + knownActions() + ")");
    }
    for (const auto& [key, setting] : endpoint.settings) {
      const auto wanted = std::find_if(descriptor->plugin_settings.begin(), descriptor->plugin_settings.end(),
                                       [&](const PluginSetting& s) { return s.key == key; });
      if (wanted == descriptor->plugin_settings.end()) {
        fail(setting.mark, "unknown key '" + key + "' for action '" + descriptor->name +
                               "' (it takes: " + knownSettings(*descriptor) + ")");
      }
      const auto kind = kind_of(setting.value);
      if (!kind) fail(setting.mark, key + ": no plugin instance named '" + setting.value + "' under plugins");
      if (*kind != wanted->kind) {
        fail(setting.mark, key + ": '" + setting.value + "' is a " + plugins::kindName(*kind) + " plugin, but '" + key +
                               "' needs a " + plugins::kindName(wanted->kind) + " plugin");
      }
    }
    for (const auto& setting : descriptor->plugin_settings) {
      if (!endpoint.settings.contains(setting.key)) {
        fail(endpoint.mark, "action '" + descriptor->name + "' needs '" + setting.key + ":' naming a " +
                                plugins::kindName(setting.kind) + " plugin instance");
      }
    }
    if (descriptor->needs_storage && !has_storage) {
      fail(endpoint.action_mark,
           "action '" + descriptor->name + "' needs storage: set 'storage:' to a storage plugin instance");
    }
    const auto names = http::RoutePattern::parse(endpoint.path).parameterNames();
    for (const auto& required : descriptor->path_parameters) {
      if (std::find(names.begin(), names.end(), required) == names.end()) {
        fail(endpoint.path_mark, "action '" + descriptor->name + "' needs a {" + required + "} parameter in its path");
      }
    }
  }
}

std::unique_ptr<EndpointTable> EndpointTable::bind(const config::Config& config, const ActionContext& context) {
  validateEndpoints(
      config,
      [&](const std::string& name) -> std::optional<p2j_plugin_kind> {
        const auto* instance = context.plugins.find(name);
        if (instance == nullptr) return std::nullopt;
        return instance->info().kind;
      },
      context.storage != nullptr);

  auto table = std::make_unique<EndpointTable>();
  std::vector<http::Router::Route> routes;
  for (const auto& endpoint : config.endpoints) {
    const ActionDescriptor* descriptor = findAction(endpoint.action);
    ActionSetup setup{endpoint, context, {}};
    for (const auto& [key, setting] : endpoint.settings) {
      setup.plugins[key] = context.plugins.get<plugins::PluginInstance>(setting.value);
    }
    table->endpoints_.push_back({endpoint.method, endpoint.path, descriptor, descriptor->make(setup)});
    routes.push_back({endpoint.method, http::RoutePattern::parse(endpoint.path)});
  }
  table->router_ = std::make_unique<http::Router>(std::move(routes));
  return table;
}

}  // namespace p2j::endpoints
