#include "app/application.hpp"

#include "app/restart_only.hpp"
#include "endpoints/endpoint_policy.hpp"
#include "http/redis_rate_limit_store.hpp"
#include "http/server.hpp"
#include "observability/logging.hpp"
#include "observability/metrics.hpp"
#include "observability/service_manager.hpp"

#include <unistd.h>

#include <cstring>
#include <iostream>

namespace p2j::app {

std::filesystem::path locateConfigFile(const ConfigOptions& options) {
  if (options.config_file) return *options.config_file;
  if (const auto from_env = config::processEnvironment("P2J_CONFIG"); from_env && !from_env->empty()) return *from_env;
  for (const std::filesystem::path candidate : {"config/p2j.yaml", "/etc/p2j/p2j.yaml"}) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  throw config::ConfigError("p2j", {}, "no configuration file: pass --config FILE or set P2J_CONFIG");
}

config::Config loadEffectiveConfig(const ConfigOptions& options) {
  config::Config config = config::loadConfig(locateConfigFile(options));
  if (options.listen) {
    try {
      std::tie(config.server.host, config.server.port) = config::parseListenAddress(*options.listen);
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError("--listen", {}, e.what());
    }
  }
  std::vector<std::filesystem::path> dirs;
  for (const auto& dir : options.plugin_dirs) dirs.push_back(std::filesystem::absolute(dir).lexically_normal());
  dirs.insert(dirs.end(), config.plugin_dirs.begin(), config.plugin_dirs.end());
  dirs.push_back(plugins::bundledPluginDir());
  config.plugin_dirs = std::move(dirs);
  return config;
}

std::vector<plugins::ResolvedPlugin> checkConfig(const config::Config& config, plugins::PluginCatalog& catalog) {
  std::vector<plugins::ResolvedPlugin> resolved = plugins::resolvePlugins(config, catalog);
  auto kind_of = [&](const std::string& name) -> std::optional<p2j_plugin_kind> {
    for (const auto& plugin : resolved) {
      if (plugin.config->name == name) return plugin.library->info().kind;
    }
    return std::nullopt;
  };
  if (!config.storage.empty() && kind_of(config.storage) != P2J_KIND_STORAGE) {
    throw config::ConfigError(config.file, config.storage_mark,
                              "storage: '" + config.storage + "' is " +
                                  plugins::kindWithArticle(*kind_of(config.storage)) + " plugin, not a storage plugin");
  }
  endpoints::validateEndpoints(config, kind_of, !config.storage.empty());
  endpoints::validateEndpointPolicies(config, kind_of);
  for (const auto& [file, mark] : {std::pair{config.logging.file, config.logging.file_mark},
                                   std::pair{config.logging.access_file, config.logging.access_file_mark}}) {
    if (file.empty()) continue;
    const bool exists = std::filesystem::exists(file);
    const std::filesystem::path& target = exists ? file : file.parent_path();
    if (::access(target.c_str(), W_OK) != 0) {
      throw config::ConfigError(
          config.file, mark,
          "logging: cannot write the log file " + file.string() + ": " + target.string() + ": " + std::strerror(errno));
    }
  }
  try {
    http::TrustedProxies proxies(config.server.trusted_proxies);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(config.file, {}, std::string("server.trusted_proxies: ") + e.what());
  }
  return resolved;
}

void requireMigratedStorage(const plugins::StoragePlugin& storage, const config::Config& config) {
  sdk::MigrationReport report;
  try {
    report = storage.migrate(false);
  } catch (const plugins::PluginCallError& e) {
    if (e.status() == P2J_UNAVAILABLE) {
      // Serving beats refusing here: a storage that can spool writes keeps them until its database is back.
      observability::log(observability::Log::kStorage)
          .warn("storage '{}': cannot check the schema now ({}); serving, /readyz reports the storage", storage.name(),
                e.what());
      return;
    }
    if (e.status() != P2J_INVALID_INPUT) throw;
    throw config::ConfigError(config.file, config.storage_mark, "storage '" + storage.name() + "': " + e.what());
  }
  if (report.missing.empty()) return;
  std::string missing;
  for (const auto& name : report.missing) missing += (missing.empty() ? "" : ", ") + name;
  throw config::ConfigError(config.file, config.storage_mark,
                            "storage '" + storage.name() + "': the database lacks migration" +
                                (report.missing.size() == 1 ? " " : "s ") + missing + " (schema version " +
                                std::to_string(report.version) + ", this p2j needs " + std::to_string(report.latest) +
                                "): run `p2j migrate --config " + config.file + "`");
}

std::shared_ptr<http::RateLimitStore> makeRateLimitStore(const config::RateLimitsConfig& limits) {
  if (limits.store == config::RateLimitsConfig::Store::kMemory) {
    return std::make_shared<http::MemoryRateLimitStore>(limits.sliding);
  }
  const config::RedisRateLimitConfig& redis = limits.redis;
  http::RedisRateLimitSettings settings;
  settings.pool.address = redis::parseAddress(redis.address);
  settings.pool.timeouts = {std::chrono::milliseconds(redis.connect_timeout_ms),
                            std::chrono::milliseconds(redis.timeout_ms)};
  settings.pool.size = static_cast<size_t>(redis.pool_size);
  settings.pool.retry_interval = std::chrono::milliseconds(redis.retry_interval_ms);
  settings.key_prefix = redis.key_prefix;
  settings.fail_open = redis.fail_open;
  return std::make_shared<http::RedisRateLimitStore>(std::move(settings), limits.sliding);
}

namespace {

// p2j_config_*: what an operator alerts on after a deployment changed the file.
struct ReloadMetrics {
  prometheus::Counter& succeeded;
  prometheus::Counter& failed;
  prometheus::Gauge& last_successful;
  prometheus::Gauge& last_success_time;
  prometheus::Gauge& generation;
};

ReloadMetrics& reloadMetrics() {
  auto& metrics = observability::metrics();
  auto& reloads = metrics.counter("p2j_config_reloads_total", "Configuration reloads (SIGHUP, POST /admin/reload)");
  static ReloadMetrics instance{
      reloads.Add({{"outcome", "success"}}),
      reloads.Add({{"outcome", "failure"}}),
      metrics.gauge("p2j_config_last_reload_successful", "1 when the last reload succeeded (or none was tried), else 0")
          .Add({}),
      metrics
          .gauge("p2j_config_last_reload_success_timestamp_seconds",
                 "When the configuration serving now was loaded (Unix time)")
          .Add({}),
      metrics.gauge("p2j_config_generation", "The configuration serving now: 1 at start-up, +1 per successful reload")
          .Add({}),
  };
  return instance;
}

void noteLoaded(int generation) {
  ReloadMetrics& metrics = reloadMetrics();
  metrics.last_successful.Set(1);
  metrics.last_success_time.SetToCurrentTime();
  metrics.generation.Set(generation);
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

}  // namespace

Application::Application(ConfigOptions options, config::Config config)
    : options_(std::move(options)), catalog_(config.plugin_dirs) {
  current_ = Generation::build(1, std::move(config), catalog_, state_, this, nullptr);
  dispatcher_ = std::make_shared<endpoints::Dispatcher>(current_->serving());
  noteLoaded(1);
}

Application::~Application() {
  // The dispatcher holds the serving generation: let go of both, the plugin instances last.
  dispatcher_.reset();
  current_.reset();
}

endpoints::ReloadReport Application::reload() {
  const std::lock_guard lock(reload_mutex_);
  // systemd shows the unit reloading until READY=1 comes back, whether the new configuration or the old one
  // then serves.
  observability::notifyServiceManager("RELOADING=1\nSTATUS=reloading the configuration");
  spdlog::logger& log = observability::log(observability::Log::kApplication);
  const config::Config& running = current_->config();
  endpoints::ReloadReport report;
  report.file = running.file;
  try {
    config::Config wanted = loadEffectiveConfig(options_);
    report.restart_required = restartOnlyChanges(running, wanted);
    auto next = Generation::build(current_->number() + 1, keepRestartOnly(running, std::move(wanted)), catalog_, state_,
                                  this, current_.get());
    for (const auto& instance : next->plugins().all()) {
      const auto* before = current_->plugins().find(instance->name());
      (before == instance.get() ? report.kept : report.created).push_back(instance->name());
    }
    for (const auto& instance : current_->plugins().all()) {
      if (next->plugins().find(instance->name()) != instance.get()) report.removed.push_back(instance->name());
    }
    observability::applyLogLevels(next->config().logging);
    dispatcher_->install(next->serving());
    report.success = true;
    report.generation = next->number();
    report.endpoints = next->endpoints().bindings().size();
    // The previous generation goes when its last request ends, maybe right here.
    std::shared_ptr<Generation> previous = std::exchange(current_, std::move(next));
    reloadMetrics().succeeded.Increment();
    noteLoaded(report.generation);
    log.info("reloaded {}: generation {}, {} endpoints; plugin instances created: {}; kept: {}; removed: {}",
             report.file, report.generation, report.endpoints, joined(report.created), joined(report.kept),
             joined(report.removed));
    if (!report.restart_required.empty()) {
      log.warn("{}: the running server keeps its {} (it needs a restart to change: {})", report.file,
               report.restart_required.size() == 1 ? "value" : "values", joined(report.restart_required));
    }
  } catch (const std::exception& e) {
    report = endpoints::ReloadReport();
    report.error = e.what();
    report.file = running.file;
    report.generation = current_->number();
    reloadMetrics().failed.Increment();
    reloadMetrics().last_successful.Set(0);
    log.error("reload failed: {}; the running configuration (generation {}) is unchanged", report.error,
              report.generation);
  }
  observability::notifyServiceManager("READY=1\nSTATUS=serving configuration generation " +
                                      std::to_string(report.generation) + (report.success ? "" : " (a reload failed)"));
  return report;
}

int Application::serve(const sigset_t& signals) {
  http::Server server(current_->config().server, dispatcher_);
  server.start();

  bool healthy = true;
  for (const auto& instance : current_->plugins().all()) {
    const auto report = instance->health();
    if (report.state != sdk::HealthState::kOk) {
      observability::log(observability::Log::kPlugins)
          .warn("plugin instance '{}' is {}: {}", instance->name(), sdk::healthStateName(report.state), report.detail);
    }
    healthy = healthy && report.serving();
  }
  state_.set(observability::ServiceState::Phase::kReady);
  spdlog::logger& log = observability::log(observability::Log::kApplication);
  log.info("p2j {} serving on http://{}:{} ({} endpoints, {} plugin instances, {} threads){}", P2J_VERSION,
           current_->config().server.host, server.port(), current_->endpoints().bindings().size(),
           current_->plugins().all().size(), current_->config().server.threads,
           healthy ? "" : "; /readyz reports the plugins that are down");
  observability::notifyServiceManager("READY=1\nSTATUS=serving on " + current_->config().server.host + ":" +
                                      std::to_string(server.port()));

  int signal_number = 0;
  for (;;) {
    sigwait(&signals, &signal_number);
    if (signal_number != SIGHUP) break;
    log.info("received SIGHUP: reloading {}", current_->config().file);
    reload();
  }
  state_.set(observability::ServiceState::Phase::kDraining);
  observability::notifyServiceManager("STOPPING=1\nSTATUS=draining");
  const int drain_seconds = current_->config().server.drain_timeout_seconds;
  log.info("received {}; draining for up to {}s", signal_number == SIGINT ? "SIGINT" : "SIGTERM", drain_seconds);
  server.drain(std::chrono::seconds(drain_seconds));
  log.info("stopped");
  observability::flushLogs();
  return 0;
}

}  // namespace p2j::app
