// One loaded configuration with everything it serves with: its plugin instances, the context its actions
// were bound to, its endpoint bindings and what the dispatcher applies before them. A reload builds the
// next generation beside the running one and swaps it in whole; a generation is released when the last
// request that started on it ends, and only then are the instances only it held destroyed.
#pragma once

#include "config/config.hpp"
#include "endpoints/dispatcher.hpp"
#include "endpoints/endpoint_table.hpp"
#include "observability/service_state.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_set.hpp"

#include <memory>

namespace p2j::app {

class Generation : public std::enable_shared_from_this<Generation> {
 public:
  // Every start-up check (checkConfig), the secrets, the instances (taking over from `previous` those that
  // are unchanged), the storage's schema, the bindings. Throws config::ConfigError; nothing it built
  // survives a failure, and `previous` is untouched either way.
  static std::shared_ptr<Generation> build(int number, config::Config config, plugins::PluginCatalog& catalog,
                                           const observability::ServiceState& state,
                                           endpoints::ConfigReloader* reloader, const Generation* previous);
  // Logs which plugin instances went with it.
  ~Generation();
  Generation(const Generation&) = delete;
  Generation& operator=(const Generation&) = delete;

  int number() const { return number_; }
  const config::Config& config() const { return config_; }
  const plugins::PluginSet& plugins() const { return *plugins_; }
  const endpoints::EndpointTable& endpoints() const { return *table_; }
  // What the dispatcher serves with; it keeps this whole generation alive.
  std::shared_ptr<const endpoints::Serving> serving() const;

 private:
  Generation(int number, config::Config config);

  int number_;
  bool built_ = false;
  config::Config config_;
  std::unique_ptr<plugins::PluginSet> plugins_;
  std::unique_ptr<endpoints::ActionContext> context_;
  std::unique_ptr<endpoints::EndpointTable> table_;
  std::unique_ptr<endpoints::Serving> serving_;
};

}  // namespace p2j::app
