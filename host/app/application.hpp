#pragma once

#include "app/generation.hpp"
#include "config/config.hpp"
#include "endpoints/action.hpp"
#include "endpoints/config_reloader.hpp"
#include "endpoints/dispatcher.hpp"
#include "endpoints/endpoint_table.hpp"
#include "observability/service_state.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_set.hpp"

#include <csignal>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace p2j::app {

// What the command line may say about where configuration and plugins come from.
struct ConfigOptions {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> listen;
  std::vector<std::filesystem::path> plugin_dirs;
};

// The configuration file to use: --config, else $P2J_CONFIG, else ./config/p2j.yaml, else
// /etc/p2j/p2j.yaml. Throws config::ConfigError when none exists.
std::filesystem::path locateConfigFile(const ConfigOptions& options);

// Loads the file (with ${P2J_DATA_DIR} always defined, see config::loadConfig) and applies the command-line
// overrides: --listen replaces server.listen, --plugin-dir is searched before the file's plugin_dirs, and
// the bundled plugin directory is searched last.
config::Config loadEffectiveConfig(const ConfigOptions& options);

// Every check `p2j serve` makes before it binds, with no side effects: YAML, plugin libraries, plugin
// config schemas, storage kind, endpoint bindings. Throws config::ConfigError.
std::vector<plugins::ResolvedPlugin> checkConfig(const config::Config& config, plugins::PluginCatalog& catalog);

// Throws config::ConfigError naming the migrations the storage's database lacks (and how to apply them),
// or why the database cannot be used (written by a newer p2j). An unreachable database only warns.
void requireMigratedStorage(const plugins::StoragePlugin& storage, const config::Config& config);

// The counters rate_limits.store names: in this process, or in Redis.
std::shared_ptr<http::RateLimitStore> makeRateLimitStore(const config::RateLimitsConfig& limits);

// A configured server: plugins created, endpoints bound. serve() runs it until SIGTERM/SIGINT; reload()
// swaps in the configuration file's current content.
class Application : public endpoints::ConfigReloader {
 public:
  // `config` is what loadEffectiveConfig(`options`) gave; a reload asks it again.
  Application(ConfigOptions options, config::Config config);
  ~Application() override;

  // Serves until SIGTERM or SIGINT (blocked in every thread, like SIGHUP, in `signals`) arrives, then drains;
  // SIGHUP reloads. Returns the exit code.
  int serve(const sigset_t& signals);

  // Re-reads the configuration file, checks it as start-up does, builds the new generation (keeping the
  // unchanged plugin instances) and installs it; on any failure the running one stays and the report says
  // why. One reload at a time. The entry point of SIGHUP and POST /admin/reload.
  endpoints::ReloadReport reload() override;

 private:
  ConfigOptions options_;
  plugins::PluginCatalog catalog_;
  observability::ServiceState state_;
  std::mutex reload_mutex_;
  std::shared_ptr<Generation> current_;  // written under reload_mutex_
  std::shared_ptr<endpoints::Dispatcher> dispatcher_;
};

}  // namespace p2j::app
