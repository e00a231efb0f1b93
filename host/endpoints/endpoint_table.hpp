#pragma once

#include "endpoints/action.hpp"
#include "endpoints/endpoint_policy.hpp"
#include "http/router.hpp"
#include "observability/http_metrics.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace p2j::endpoints {

// One endpoint of the config, bound once at start-up: its route, its action and what the action was made
// from (plugin instances, typed settings), and who may call it how often. The dispatcher needs nothing else.
struct EndpointBinding {
  std::string method;
  std::string path;  // the template, e.g. /specs/{id}; also the access log's route label
  const ActionDescriptor* descriptor = nullptr;
  std::map<std::string, std::shared_ptr<plugins::PluginInstance>> plugins;  // by setting key
  ActionSettings settings;
  EndpointPolicy policy;
  std::unique_ptr<Action> action;
};

// Checks endpoint `index` of the config against its action without creating anything: an unknown action,
// an unknown or missing setting, a dangling or wrongly-kinded instance reference, a value setting of the
// wrong type or out of range, storage that is needed but not configured, a path that lacks a parameter the
// action needs. Throws config::ConfigError. Returns the endpoint's value settings parsed: defaults filled
// in, relative paths resolved against the config file's directory.
ActionSettings validateEndpoint(const config::Config& config, size_t index, const PluginKindLookup& kind_of,
                                bool has_storage);

// validateEndpoint for every endpoint.
void validateEndpoints(const config::Config& config, const PluginKindLookup& kind_of, bool has_storage);

// The config's endpoints, one binding each, plus the router over them (its match index is the binding's).
// Built once; read-only afterwards.
class EndpointTable {
 public:
  // Validates (see validateEndpoint), builds each endpoint's policy and creates the actions.
  static std::unique_ptr<EndpointTable> bind(const config::Config& config, const ActionContext& context);

  const EndpointBinding& binding(size_t index) const { return bindings_[index]; }
  const std::vector<EndpointBinding>& bindings() const { return bindings_; }
  const http::Router& router() const { return *router_; }
  // The request metrics of every binding, resolved when it was bound; null when metrics are disabled.
  observability::HttpMetrics* metrics() const { return metrics_.get(); }

 private:
  std::vector<EndpointBinding> bindings_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<observability::HttpMetrics> metrics_;
};

}  // namespace p2j::endpoints
