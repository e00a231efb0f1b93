// Host actions: what an endpoint does. The YAML names an action per endpoint (`action: generate`) and
// the plugin instances it uses (`agent: rules`); each action declares those settings so a typo or a
// wrong kind is a start-up error, not a runtime surprise.
#pragma once

#include "config/config.hpp"
#include "endpoints/action_settings.hpp"
#include "endpoints/config_reloader.hpp"
#include "http/exchange.hpp"
#include "http/rate_limiter.hpp"
#include "observability/service_state.hpp"
#include "plugins/plugin_set.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::endpoints {

class Action {
 public:
  virtual ~Action() = default;
  // Throws http::HttpError for client errors; any other exception is a 500 logged with the request id.
  virtual http::Response handle(http::Request& request) const = 0;
};

// The services an action may keep references to: those of the configuration it was bound for (a reload
// binds new actions to a new context) and the process's.
struct ActionContext {
  const config::Config& config;
  const plugins::PluginSet& plugins;
  std::shared_ptr<plugins::StoragePlugin> storage;  // null when the config names no storage
  const observability::ServiceState& state;
  ConfigReloader* reloader = nullptr;  // the serving process's; null where nothing serves (offline commands)
  std::shared_ptr<http::RateLimitStore> rate_limits;  // null in commands that serve nothing
};

struct PluginSetting {
  std::string key;  // the endpoint's YAML key, e.g. "agent"
  p2j_plugin_kind kind;
  bool required = true;
  std::string unlike = {};  // another setting's key this one must not name the same instance as
};

// A typed endpoint key that is not a plugin reference (a bound, a target score, a file), checked at
// start-up like the plugin settings so a typo or an out-of-range value never reaches a request.
struct ValueSetting {
  enum class Kind { kInteger, kNumber, kPath };
  std::string key;
  Kind kind;
  double min = 0;  // numbers: the inclusive range
  double max = 0;
  std::optional<std::string> default_value = {};  // as the YAML would write it; nullopt: the YAML must set it
  std::string needs = {};  // an optional plugin setting without which this one means nothing, e.g. "cache"
};

// What an action is made from: its endpoint, the shared services, and what its binding holds (the
// plugin instances and typed settings). Only valid while the action is made: an action keeps copies.
struct ActionSetup {
  const config::EndpointConfig& endpoint;
  const ActionContext& context;
  const std::map<std::string, std::shared_ptr<plugins::PluginInstance>>& plugins;  // by setting key
  // Every value setting, validated, defaults applied; paths made absolute against the config's directory.
  const ActionSettings& settings;
};

// One answer an action gives, for /openapi.json. `schema` is JSON Schema text in the subset OpenAPI 3.1
// (JSON Schema 2020-12) shares with draft 7, so the tests can check real answers against it; it may refer
// to the shared shapes as {"$ref": "#/components/schemas/<Name>"} (api_components.hpp). An error answer
// leaves it empty: its body is the error envelope.
struct ApiResponse {
  int status;
  std::string_view description;
  std::string_view schema = {};
  std::string_view content_type = "application/json";
};

struct ApiQueryParameter {
  std::string_view name;
  std::string_view description;
  std::string_view schema;
};

// What an action tells API clients: the body it reads and every answer it gives itself. The host adds
// what it answers around the action (400, 401/403 when the endpoint has auth, 413, 415, 429 when it is
// rate limited, 500, 503 for actions that call plugins), so only the action's own statuses go here.
struct ApiDescription {
  std::string_view tag;                   // one of apiTags(), to group the operations in the docs
  std::string_view request_schema = {};   // the JSON body's schema; empty unless takes_json_body
  std::string_view request_example = {};  // a body that succeeds, as JSON text
  std::vector<ApiQueryParameter> query = {};
  std::vector<ApiResponse> responses = {};  // at least one 2xx
};

struct ActionDescriptor {
  std::string name;
  std::string summary;           // one line, for `p2j --help` and the API docs
  bool takes_json_body = false;  // the host enforces Content-Type and parses the body before the action
  bool needs_storage = false;
  // auth.default and rate_limits.default do not apply (an endpoint may still set its own auth and
  // rate_limit): the health probes, which a load balancer must reach, and the API's own documentation.
  bool public_by_default = false;
  bool needs_metrics = false;                       // refused while metrics.enabled is false
  std::vector<PluginSetting> plugin_settings = {};  // all required
  std::vector<ValueSetting> value_settings = {};
  std::vector<std::string> path_parameters = {};  // the {names} the endpoint's path must have
  std::vector<std::string> needs_actions = {};    // actions some other endpoint must be wired to
  ApiDescription api = {};
  std::function<std::unique_ptr<Action>(const ActionSetup&)> make = {};
};

// Every action this host knows, by name.
const std::vector<ActionDescriptor>& actionCatalog();
const ActionDescriptor* findAction(const std::string& name);

// The descriptors of each endpoint family, gathered by actionCatalog().
std::vector<ActionDescriptor> generateActions();
std::vector<ActionDescriptor> specActions();
std::vector<ActionDescriptor> healthActions();
std::vector<ActionDescriptor> schemaActions();
std::vector<ActionDescriptor> tokenActions();
std::vector<ActionDescriptor> evaluateActions();
std::vector<ActionDescriptor> iterateActions();
std::vector<ActionDescriptor> learningActions();
std::vector<ActionDescriptor> valueActions();
std::vector<ActionDescriptor> adminActions();
std::vector<ActionDescriptor> cacheActions();
std::vector<ActionDescriptor> infoActions();
std::vector<ActionDescriptor> documentationActions();
std::vector<ActionDescriptor> webAssetActions();
std::vector<ActionDescriptor> metricsActions();

}  // namespace p2j::endpoints
