#include "app/application.hpp"

#include "auth/first_start.hpp"
#include "endpoints/dispatcher.hpp"
#include "endpoints/endpoint_policy.hpp"
#include "http/redis_rate_limit_store.hpp"
#include "http/server.hpp"
#include "observability/service_manager.hpp"

#include <spdlog/spdlog.h>

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
      spdlog::warn("storage '{}': cannot check the schema now ({}); serving, /readyz reports the storage",
                   storage.name(), e.what());
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

Application::Application(config::Config config) : config_(std::move(config)), catalog_(config_.plugin_dirs) {
  const auto resolved = checkConfig(config_, catalog_);
  std::filesystem::create_directories(config_.data_dir);
  std::filesystem::permissions(config_.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  // Secrets before plugins: the auth plugins read them when they are created.
  if (config_.auth.first_start_secrets || !config_.auth.users_file.empty()) {
    auth::prepareSecrets(auth::secretFilesIn(config_.data_dir, config_.auth), config_.auth.first_start_secrets,
                         std::cerr);
  }
  plugins_ = plugins::PluginSet::create(config_, resolved);
  std::shared_ptr<plugins::StoragePlugin> storage;
  if (!config_.storage.empty()) {
    storage = plugins_->get<plugins::StoragePlugin>(config_.storage);
    requireMigratedStorage(*storage, config_);
  }
  rate_limits_ = makeRateLimitStore(config_.rate_limits);
  context_ = std::make_unique<endpoints::ActionContext>(
      endpoints::ActionContext{config_, *plugins_, storage, state_, rate_limits_});
  endpoints_ = endpoints::EndpointTable::bind(config_, *context_);
}

Application::~Application() {
  // Actions hold plugin instances: release them before the instances are destroyed.
  endpoints_.reset();
  context_.reset();
  plugins_.reset();
}

int Application::serve(const sigset_t& stop_signals) {
  Poco::Net::HTTPRequestHandlerFactory::Ptr dispatcher = new endpoints::Dispatcher(*endpoints_, config_, rate_limits_);
  http::Server server(config_.server, dispatcher);
  server.start();

  bool healthy = true;
  for (const auto& instance : plugins_->all()) {
    const auto report = instance->health();
    if (report.state != sdk::HealthState::kOk) {
      spdlog::warn("plugin instance '{}' is {}: {}", instance->name(), sdk::healthStateName(report.state),
                   report.detail);
    }
    healthy = healthy && report.serving();
  }
  state_.set(observability::ServiceState::Phase::kReady);
  spdlog::info("p2j {} serving on http://{}:{} ({} endpoints, {} plugin instances, {} threads){}", P2J_VERSION,
               config_.server.host, server.port(), endpoints_->bindings().size(), plugins_->all().size(),
               config_.server.threads, healthy ? "" : "; /readyz reports the plugins that are down");
  observability::notifyServiceManager("READY=1\nSTATUS=serving on " + config_.server.host + ":" +
                                      std::to_string(server.port()));

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  state_.set(observability::ServiceState::Phase::kDraining);
  observability::notifyServiceManager("STOPPING=1\nSTATUS=draining");
  spdlog::info("received {}; draining for up to {}s", signal_number == SIGINT ? "SIGINT" : "SIGTERM",
               config_.server.drain_timeout_seconds);
  server.drain(std::chrono::seconds(config_.server.drain_timeout_seconds));
  spdlog::info("stopped");
  return 0;
}

}  // namespace p2j::app
