#include "plugins/storage_plugin.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::plugins {

StoragePlugin::StoragePlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      insert_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_insert_v1")),
      get_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_get_v1")),
      find_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_find_v1")),
      prune_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_prune_v1")),
      counts_(library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_storage_counts_v1")),
      migrate_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_storage_migrate_v1")) {}

StoredId StoragePlugin::insert(std::string_view collection, std::string_view record_json) const {
  const std::string text = call(insert_, toAbi(collection), toAbi(record_json));
  try {
    const rapidjson::Document answer = sdk::parseJson(text);
    return {sdk::requireString(answer, "id", ""), sdk::requireString(answer, "created_at", "")};
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the storage returned a malformed insert result: ") + e.what());
  }
}

std::optional<std::string> StoragePlugin::get(std::string_view collection, std::string_view id) const {
  try {
    return call(get_, toAbi(collection), toAbi(id));
  } catch (const PluginCallError& e) {
    if (e.status() == P2J_NOT_FOUND) return std::nullopt;
    throw;
  }
}

rapidjson::Document StoragePlugin::find(std::string_view collection, const sdk::FindQuery& query) const {
  const std::string query_json = sdk::serialize(query);
  const std::string text = call(find_, toAbi(collection), toAbi(query_json));
  rapidjson::Document records;
  try {
    records = sdk::parseJson(text);
  } catch (const sdk::JsonSyntaxError& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the storage returned malformed records: ") + e.what());
  }
  if (!records.IsArray())
    throw PluginCallError(P2J_INTERNAL, name(), "the storage returned records that are not an array");
  return records;
}

sdk::PruneResult StoragePlugin::prune(std::string_view collection, std::string_view before) const {
  const std::string text = call(prune_, toAbi(collection), toAbi(before));
  try {
    const rapidjson::Document answer = sdk::parseJson(text);
    return {sdk::optionalInteger(answer, "pruned", "").value_or(0),
            sdk::optionalInteger(answer, "remaining", "").value_or(0)};
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the storage returned a malformed prune result: ") + e.what());
  }
}

std::map<std::string, int64_t> StoragePlugin::counts() const {
  const std::string text = call(counts_);
  std::map<std::string, int64_t> counts;
  const rapidjson::Document answer = sdk::parseJson(text);
  if (!answer.IsObject()) throw PluginCallError(P2J_INTERNAL, name(), "the storage returned malformed counts");
  for (auto it = answer.MemberBegin(); it != answer.MemberEnd(); ++it) {
    if (it->value.IsInt64()) counts[it->name.GetString()] = it->value.GetInt64();
  }
  return counts;
}

sdk::MigrationReport StoragePlugin::migrate(bool apply) const {
  const std::string text = call(migrate_, toAbi(apply ? "apply" : "check"));
  try {
    return sdk::migrationReportFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the storage returned a malformed migration report: ") + e.what());
  }
}

}  // namespace p2j::plugins
