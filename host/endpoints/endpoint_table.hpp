#pragma once

#include "endpoints/action.hpp"
#include "endpoints/endpoint_policy.hpp"
#include "http/router.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace p2j::endpoints {

struct BoundEndpoint {
  std::string method;
  std::string path;  // the template, e.g. /specs/{id}; also the access log's route label
  const ActionDescriptor* descriptor = nullptr;
  std::unique_ptr<Action> action;
};

// Checks every endpoint against its action without creating anything: an unknown action, an unknown
// or missing setting, a dangling or wrongly-kinded instance reference, a value setting of the wrong type
// or out of range, storage that is needed but not configured, a path that lacks a parameter the action
// needs. Throws config::ConfigError.
void validateEndpoints(const config::Config& config, const PluginKindLookup& kind_of, bool has_storage);

// The endpoint's value settings (checked by validateEndpoints) with the defaults filled in and relative
// paths resolved against `base_dir`, the config file's directory.
std::map<std::string, std::string> valueSettings(const ActionDescriptor& descriptor,
                                                 const config::EndpointConfig& endpoint,
                                                 const std::filesystem::path& base_dir);

// The config's endpoints bound to their actions and plugin instances, plus the router over them.
// Built once; read-only afterwards.
class EndpointTable {
 public:
  // Validates (see validateEndpoints) and creates the actions.
  static std::unique_ptr<EndpointTable> bind(const config::Config& config, const ActionContext& context);

  const BoundEndpoint& endpoint(size_t index) const { return endpoints_[index]; }
  const std::vector<BoundEndpoint>& endpoints() const { return endpoints_; }
  const http::Router& router() const { return *router_; }

 private:
  std::vector<BoundEndpoint> endpoints_;
  std::unique_ptr<http::Router> router_;
};

}  // namespace p2j::endpoints
