#include "app/generation.hpp"

#include "app/application.hpp"
#include "auth/first_start.hpp"
#include "observability/logging.hpp"

#include <iostream>

namespace p2j::app {

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
  generation->context_ = std::make_unique<endpoints::ActionContext>(
      endpoints::ActionContext{cfg, *generation->plugins_, storage, state, reloader});
  generation->table_ = endpoints::EndpointTable::bind(cfg, *generation->context_);
  // The counters survive a reload that keeps the strategy: nobody gets a fresh budget by reloading.
  std::shared_ptr<http::RateLimitStore> limits =
      previous != nullptr && previous->config_.rate_limits.sliding == cfg.rate_limits.sliding
          ? previous->serving_->rate_limits
          : std::make_shared<http::MemoryRateLimitStore>(cfg.rate_limits.sliding);
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
