#include "app/generation.hpp"

#include "app/application.hpp"
#include "auth/first_start.hpp"
#include "observability/logging.hpp"

#include <iostream>

namespace p2j::app {
namespace {

bool sameRateLimitStore(const config::Config& a, const config::Config& b) {
  const config::RateLimitsConfig& x = a.rate_limits;
  const config::RateLimitsConfig& y = b.rate_limits;
  if (x.sliding != y.sliding || x.store != y.store) return false;
  if (x.store == config::RateLimitsConfig::Store::kMemory) return true;
  return x.redis.address == y.redis.address && x.redis.connect_timeout_ms == y.redis.connect_timeout_ms &&
         x.redis.timeout_ms == y.redis.timeout_ms && x.redis.pool_size == y.redis.pool_size &&
         x.redis.retry_interval_ms == y.redis.retry_interval_ms && x.redis.key_prefix == y.redis.key_prefix &&
         x.redis.fail_open == y.redis.fail_open;
}

}  // namespace

Generation::Generation(int number, config::Config config) : number_(number), config_(std::move(config)) {}

std::shared_ptr<Generation> Generation::build(int number, config::Config config, plugins::PluginCatalog& catalog,
                                              const observability::ServiceState& state,
                                              endpoints::ConfigReloader* reloader, const Generation* previous) {
  std::shared_ptr<Generation> generation(new Generation(number, std::move(config)));
  const config::Config& cfg = generation->config_;
  const auto resolved = checkConfig(cfg, catalog);
  std::filesystem::create_directories(cfg.data_dir);
  std::filesystem::permissions(cfg.data_dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  // Secrets before plugins: the auth plugins read them when they are created.
  if (cfg.auth.first_start_secrets || !cfg.auth.users_file.empty()) {
    auth::prepareSecrets(auth::secretFilesIn(cfg.data_dir, cfg.auth), cfg.auth.first_start_secrets, std::cerr);
  }
  generation->plugins_ =
      plugins::PluginSet::create(cfg, resolved, previous != nullptr ? previous->plugins_.get() : nullptr);
  std::shared_ptr<plugins::StoragePlugin> storage;
  if (!cfg.storage.empty()) {
    storage = generation->plugins_->get<plugins::StoragePlugin>(cfg.storage);
    requireMigratedStorage(*storage, cfg);
  }
  // The counters survive a reload that keeps their store and strategy: nobody gets a fresh budget by
  // reloading (and a Redis store keeps its connections).
  std::shared_ptr<http::RateLimitStore> limits = previous != nullptr && sameRateLimitStore(previous->config_, cfg)
                                                     ? previous->serving_->rate_limits
                                                     : makeRateLimitStore(cfg.rate_limits);
  generation->context_ = std::make_unique<endpoints::ActionContext>(
      endpoints::ActionContext{cfg, *generation->plugins_, storage, state, reloader, limits});
  generation->table_ = endpoints::EndpointTable::bind(cfg, *generation->context_);
  generation->serving_ = std::make_unique<endpoints::Serving>(*generation->table_, cfg, std::move(limits));
  generation->built_ = true;
  return generation;
}

Generation::~Generation() {
  // Actions and bindings hold plugin instances: release them first, so that what is left in the set is
  // held by this generation alone (or also by the one that took it over).
  serving_.reset();
  table_.reset();
  context_.reset();
  if (!built_) return;  // a failed build: what it created goes quietly, the running generation says the rest
  std::string destroyed;
  for (const auto& instance : plugins_->all()) {
    if (instance.use_count() == 1) destroyed += (destroyed.empty() ? "" : ", ") + instance->name();
  }
  plugins_.reset();
  observability::log(observability::Log::kApplication)
      .info("configuration generation {} retired{}", number_,
            destroyed.empty() ? std::string(" (every plugin instance kept)") : " (destroyed: " + destroyed + ")");
}

std::shared_ptr<const endpoints::Serving> Generation::serving() const {
  return std::shared_ptr<const endpoints::Serving>(shared_from_this(), serving_.get());
}

}  // namespace p2j::app
