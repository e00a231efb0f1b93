#include "endpoints/endpoint_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <sstream>

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
  for (const auto& setting : descriptor.value_settings) names += (names.empty() ? "" : ", ") + setting.key;
  return names.empty() ? "none" : names;
}

const ValueSetting* findValueSetting(const ActionDescriptor& descriptor, const std::string& key) {
  for (const auto& setting : descriptor.value_settings) {
    if (setting.key == key) return &setting;
  }
  return nullptr;
}

std::string formatBound(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// Why `text` is not a valid value for `setting`, or an empty string when it is.
std::string valueProblem(const ValueSetting& setting, const std::string& text) {
  if (setting.kind == ValueSetting::Kind::kPath) return text.empty() ? "must name a file" : "";
  double value = 0;
  const char* end = text.data() + text.size();
  if (setting.kind == ValueSetting::Kind::kInteger) {
    int64_t integer = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), end, integer);
    if (ec != std::errc() || ptr != end) return "must be an integer";
    value = static_cast<double>(integer);
  } else {
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) return "must be a number";
  }
  if (value < setting.min || value > setting.max) {
    return "must be between " + formatBound(setting.min) + " and " + formatBound(setting.max);
  }
  return "";
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
      if (const ValueSetting* value_setting = findValueSetting(*descriptor, key)) {
        const std::string problem = valueProblem(*value_setting, setting.value);
        if (!problem.empty()) fail(setting.mark, key + ": '" + setting.value + "' " + problem);
        continue;
      }
      const auto wanted = std::find_if(descriptor->plugin_settings.begin(), descriptor->plugin_settings.end(),
                                       [&](const PluginSetting& s) { return s.key == key; });
      if (wanted == descriptor->plugin_settings.end()) {
        fail(setting.mark, "unknown key '" + key + "' for action '" + descriptor->name +
                               "' (it takes: " + knownSettings(*descriptor) + ")");
      }
      const auto kind = kind_of(setting.value);
      if (!kind) fail(setting.mark, key + ": no plugin instance named '" + setting.value + "' under plugins");
      if (*kind != wanted->kind) {
        fail(setting.mark, key + ": '" + setting.value + "' is " + plugins::kindWithArticle(*kind) + " plugin, but '" +
                               key + "' needs " + plugins::kindWithArticle(wanted->kind) + " plugin");
      }
    }
    for (const auto& setting : descriptor->plugin_settings) {
      if (!endpoint.settings.contains(setting.key)) {
        fail(endpoint.mark, "action '" + descriptor->name + "' needs '" + setting.key + ":' naming " +
                                plugins::kindWithArticle(setting.kind) + " plugin instance");
      }
    }
    for (const auto& setting : descriptor->value_settings) {
      if (!setting.default_value && !endpoint.settings.contains(setting.key)) {
        fail(endpoint.mark, "action '" + descriptor->name + "' needs '" + setting.key + ":'");
      }
    }
    if (descriptor->needs_storage && !has_storage) {
      fail(endpoint.action_mark,
           "action '" + descriptor->name + "' needs storage: set 'storage:' to a storage plugin instance");
    }
    if (descriptor->needs_metrics && !config.metrics.enabled) {
      fail(endpoint.action_mark, "action '" + descriptor->name +
                                     "' serves the metrics, which metrics.enabled: false turns off; remove the "
                                     "endpoint or enable them");
    }
    const auto names = http::RoutePattern::parse(endpoint.path).parameterNames();
    for (const auto& required : descriptor->path_parameters) {
      if (std::find(names.begin(), names.end(), required) == names.end()) {
        fail(endpoint.path_mark, "action '" + descriptor->name + "' needs a {" + required + "} parameter in its path");
      }
    }
  }
}

std::map<std::string, std::string> valueSettings(const ActionDescriptor& descriptor,
                                                 const config::EndpointConfig& endpoint,
                                                 const std::filesystem::path& base_dir) {
  std::map<std::string, std::string> values;
  for (const auto& setting : descriptor.value_settings) {
    const auto given = endpoint.settings.find(setting.key);
    std::string value = given != endpoint.settings.end() ? given->second.value : setting.default_value.value_or("");
    if (setting.kind == ValueSetting::Kind::kPath && std::filesystem::path(value).is_relative()) {
      value = (base_dir / value).lexically_normal().string();
    }
    values[setting.key] = std::move(value);
  }
  return values;
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
    ActionSetup setup{endpoint, context, {}, valueSettings(*descriptor, endpoint, config.base_dir)};
    for (const auto& [key, setting] : endpoint.settings) {
      if (!setup.values.contains(key)) setup.plugins[key] = context.plugins.get<plugins::PluginInstance>(setting.value);
    }
    table->endpoints_.push_back({endpoint.method, endpoint.path, descriptor, descriptor->make(setup)});
    routes.push_back({endpoint.method, http::RoutePattern::parse(endpoint.path)});
  }
  table->router_ = std::make_unique<http::Router>(std::move(routes));
  return table;
}

}  // namespace p2j::endpoints
