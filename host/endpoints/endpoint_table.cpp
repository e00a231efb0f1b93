#include "endpoints/endpoint_table.hpp"

#include "config/path_template.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

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

// `text` as a value of `setting`; throws std::invalid_argument saying why it is not one.
ActionSettings::Value parseValue(const ValueSetting& setting, const std::string& text,
                                 const std::filesystem::path& base_dir) {
  if (setting.kind == ValueSetting::Kind::kPath) {
    if (text.empty()) throw std::invalid_argument("must name a file");
    const std::filesystem::path path(text);
    if (path.is_relative()) return (base_dir / path).lexically_normal();
    return path;
  }
  ActionSettings::Value parsed;
  double value = 0;
  const char* end = text.data() + text.size();
  if (setting.kind == ValueSetting::Kind::kInteger) {
    int64_t integer = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), end, integer);
    if (ec != std::errc() || ptr != end) throw std::invalid_argument("must be an integer");
    value = static_cast<double>(integer);
    parsed = integer;
  } else {
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) throw std::invalid_argument("must be a number");
    parsed = value;
  }
  if (value < setting.min || value > setting.max) {
    throw std::invalid_argument("must be between " + formatBound(setting.min) + " and " + formatBound(setting.max));
  }
  return parsed;
}

}  // namespace

ActionSettings validateEndpoint(const config::Config& config, size_t index, const PluginKindLookup& kind_of,
                                bool has_storage) {
  const config::EndpointConfig& endpoint = config.endpoints[index];
  const std::string where = "endpoints[" + std::to_string(index) + "] (" + endpoint.method + " " + endpoint.path + ")";
  auto fail = [&](config::SourceMark mark, const std::string& message) {
    throw config::ConfigError(config.file, mark, where + ": " + message);
  };

  const ActionDescriptor* descriptor = findAction(endpoint.action);
  if (descriptor == nullptr) {
    fail(endpoint.action_mark, "unknown action '" + endpoint.action + "' (known: " + knownActions() + ")");
  }
  ActionSettings settings;
  for (const auto& [key, setting] : endpoint.settings) {
    if (const ValueSetting* value_setting = findValueSetting(*descriptor, key)) {
      try {
        settings.set(key, parseValue(*value_setting, setting.value, config.base_dir));
      } catch (const std::invalid_argument& problem) {
        fail(setting.mark, key + ": '" + setting.value + "' " + problem.what());
      }
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
    if (!wanted->unlike.empty()) {
      const auto other = endpoint.settings.find(wanted->unlike);
      if (other != endpoint.settings.end() && other->second.value == setting.value) {
        fail(setting.mark, key + ": '" + setting.value + "' is already this endpoint's " + wanted->unlike +
                               "; name another instance");
      }
    }
  }
  for (const auto& setting : descriptor->plugin_settings) {
    if (setting.required && !endpoint.settings.contains(setting.key)) {
      fail(endpoint.mark, "action '" + descriptor->name + "' needs '" + setting.key + ":' naming " +
                              plugins::kindWithArticle(setting.kind) + " plugin instance");
    }
  }
  for (const auto& setting : descriptor->value_settings) {
    if (const auto given = endpoint.settings.find(setting.key);
        given != endpoint.settings.end() && !setting.needs.empty() && !endpoint.settings.contains(setting.needs)) {
      fail(given->second.mark, setting.key + " needs '" + setting.needs + ":' on the same endpoint");
    }
    if (endpoint.settings.contains(setting.key)) continue;
    if (!setting.default_value) fail(endpoint.mark, "action '" + descriptor->name + "' needs '" + setting.key + ":'");
    try {
      settings.set(setting.key, parseValue(setting, *setting.default_value, config.base_dir));
    } catch (const std::invalid_argument& problem) {
      throw std::logic_error("action '" + descriptor->name + "': the default of " + setting.key + " " + problem.what());
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
  for (const auto& needed : descriptor->needs_actions) {
    const bool wired = std::any_of(config.endpoints.begin(), config.endpoints.end(),
                                   [&](const auto& other) { return other.action == needed && other.method == "GET"; });
    if (!wired) {
      fail(endpoint.action_mark,
           "action '" + descriptor->name + "' needs a GET endpoint wired to action '" + needed + "'");
    }
  }
  const auto names = config::PathTemplate::parse(endpoint.path).parameterNames();
  for (const auto& required : descriptor->path_parameters) {
    if (std::find(names.begin(), names.end(), required) == names.end()) {
      fail(endpoint.path_mark, "action '" + descriptor->name + "' needs a {" + required + "} parameter in its path");
    }
  }
  return settings;
}

void validateEndpoints(const config::Config& config, const PluginKindLookup& kind_of, bool has_storage) {
  for (size_t i = 0; i < config.endpoints.size(); ++i) validateEndpoint(config, i, kind_of, has_storage);
}

std::unique_ptr<EndpointTable> EndpointTable::bind(const config::Config& config, const ActionContext& context) {
  const PluginKindLookup kind_of = [&](const std::string& name) -> std::optional<p2j_plugin_kind> {
    const auto* instance = context.plugins.find(name);
    if (instance == nullptr) return std::nullopt;
    return instance->info().kind;
  };
  std::vector<ActionSettings> settings;
  for (size_t i = 0; i < config.endpoints.size(); ++i) {
    settings.push_back(validateEndpoint(config, i, kind_of, context.storage != nullptr));
  }

  auto table = std::make_unique<EndpointTable>();
  std::vector<http::Router::Route> routes;
  for (size_t i = 0; i < config.endpoints.size(); ++i) {
    const config::EndpointConfig& endpoint = config.endpoints[i];
    const ActionDescriptor* descriptor = findAction(endpoint.action);
    EndpointBinding binding{.method = endpoint.method,
                            .path = endpoint.path,
                            .descriptor = descriptor,
                            .plugins = {},
                            .settings = std::move(settings[i]),
                            .policy = policyFor(config, endpoint, context.plugins),
                            .action = nullptr};
    for (const auto& setting : descriptor->plugin_settings) {
      const auto named = endpoint.settings.find(setting.key);
      if (named == endpoint.settings.end()) continue;  // an optional setting the endpoint leaves out
      binding.plugins[setting.key] = context.plugins.get<plugins::PluginInstance>(named->second.value);
    }
    binding.action = descriptor->make({endpoint, context, binding.plugins, binding.settings});
    table->bindings_.push_back(std::move(binding));
    routes.push_back({endpoint.method, config::PathTemplate::parse(endpoint.path)});
  }
  table->router_ = std::make_unique<http::Router>(std::move(routes));
  if (observability::metrics().enabled()) {
    std::vector<std::pair<std::string, std::string>> handlers;
    for (const auto& binding : table->bindings_) handlers.emplace_back(binding.path, binding.method);
    table->metrics_ = std::make_unique<observability::HttpMetrics>(handlers);
  }
  return table;
}

}  // namespace p2j::endpoints
