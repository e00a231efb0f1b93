#include "migration_plan.hpp"

#include <p2j/sdk/plugin.hpp>

#include <algorithm>

namespace p2j::storage_common {

sdk::MigrationReport MigrationPlan::report(const std::vector<std::string>& applied_now) const {
  sdk::MigrationReport report;
  report.version = version;
  report.latest = latest;
  report.applied = applied_now;
  for (const Migration* migration : missing) report.missing.emplace_back(migration->name);
  return report;
}

MigrationPlan planMigrations(const std::map<int64_t, std::string>& applied, const std::vector<Migration>& known,
                             std::string_view plugin_name) {
  MigrationPlan plan;
  plan.latest = known.empty() ? 0 : known.back().version;
  plan.version = applied.empty() ? 0 : applied.rbegin()->first;
  for (const auto& [version, name] : applied) {
    const auto match =
        std::find_if(known.begin(), known.end(), [&](const Migration& m) { return m.version == version; });
    if (match == known.end()) {
      const std::string where = "the database has schema version " + std::to_string(version) + " (" + name + ")";
      if (version > plan.latest) {
        throw sdk::InvalidInput(where + " but this " + std::string(plugin_name) + " knows only up to " +
                                std::to_string(plan.latest) + ": upgrade p2j, or point it at another database");
      }
      throw sdk::InvalidInput(where + ", which this " + std::string(plugin_name) +
                              " does not know: the database was migrated by another build of p2j");
    }
    if (name != match->name) {
      throw sdk::InvalidInput("migration " + std::to_string(version) + " is recorded as '" + name + "' but this " +
                              std::string(plugin_name) + " has '" + match->name + "'");
    }
  }
  for (const auto& migration : known) {
    if (!applied.contains(migration.version)) plan.missing.push_back(&migration);
  }
  return plan;
}

}  // namespace p2j::storage_common
