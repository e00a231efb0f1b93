// Host actions: what an endpoint does. The YAML names an action per endpoint (`action: generate`) and
// the plugin instances it uses (`agent: rules`); each action declares those settings so a typo or a
// wrong kind is a start-up error, not a runtime surprise.
#pragma once

#include "config/config.hpp"
#include "http/exchange.hpp"
#include "observability/service_state.hpp"
#include "plugins/plugin_set.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace p2j::endpoints {

class Action {
 public:
  virtual ~Action() = default;
  // Throws http::HttpError for client errors; any other exception is a 500 logged with the request id.
  virtual http::Response handle(http::Request& request) const = 0;
};

// Shared, long-lived services an action may keep references to.
struct ActionContext {
  const config::Config& config;
  const plugins::PluginSet& plugins;
  std::shared_ptr<plugins::StoragePlugin> storage;  // null when the config names no storage
  const observability::ServiceState& state;
};

struct PluginSetting {
  std::string key;  // the endpoint's YAML key, e.g. "agent"
  p2j_plugin_kind kind;
};

struct ActionSetup {
  const config::EndpointConfig& endpoint;
  const ActionContext& context;
  std::map<std::string, std::shared_ptr<plugins::PluginInstance>> plugins;  // by setting key
};

struct ActionDescriptor {
  std::string name;
  std::string summary;           // one line, for `p2j --help` and the API docs
  bool takes_json_body = false;  // the host enforces Content-Type and parses the body before the action
  bool needs_storage = false;
  std::vector<PluginSetting> plugin_settings = {};  // all required
  std::vector<std::string> path_parameters = {};    // the {names} the endpoint's path must have
  std::function<std::unique_ptr<Action>(const ActionSetup&)> make = {};
};

// Every action this host knows, by name.
const std::vector<ActionDescriptor>& actionCatalog();
const ActionDescriptor* findAction(const std::string& name);

// The descriptors of each endpoint family, gathered by actionCatalog().
std::vector<ActionDescriptor> generateActions();
std::vector<ActionDescriptor> specActions();
std::vector<ActionDescriptor> healthActions();

}  // namespace p2j::endpoints
