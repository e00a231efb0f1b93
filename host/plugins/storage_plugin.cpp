#include "plugins/storage_plugin.hpp"

#include "observability/logging.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>

#include <cstddef>
#include <exception>

namespace p2j::plugins {
namespace {

// One storage call on the `storage` logger at debug level, when the scope ends: which, how long, and
// whether it failed. Costs a level check when debug is off.
class CallLog {
 public:
  CallLog(const std::string& storage, const char* operation, std::string_view target)
      : log_(observability::log(observability::Log::kStorage)),
        active_(log_.should_log(spdlog::level::debug)),
        storage_(storage),
        operation_(operation),
        target_(target),
        exceptions_(std::uncaught_exceptions()),
        started_(active_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{}) {}
  ~CallLog() {
    if (!active_) return;
    log_.debug("storage '{}': {} {} {} in {:.3f} ms", storage_, operation_, target_,
               std::uncaught_exceptions() > exceptions_ ? "failed" : "done",
               observability::secondsSince(started_) * 1000);
  }
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

 private:
  spdlog::logger& log_;
  bool active_;
  const std::string& storage_;
  const char* operation_;
  std::string_view target_;
  int exceptions_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

StoragePlugin::StoragePlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      insert_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_insert_v1")),
      get_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_get_v1")),
      find_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_find_v1")),
      prune_(library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_storage_prune_v1")),
      counts_(library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_storage_counts_v1")),
      migrate_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_storage_migrate_v1")) {
  if (library->info().abi.minor >= 6) {
    insert_fields_ =
        library
            ->function<p2j_status(p2j_instance, p2j_str, const p2j_record_field*, size_t, p2j_inserted*, p2j_buffer*)>(
                "p2j_storage_insert_v2");
  }
  if (library->info().abi.minor >= 7) {
    insert_all_ = library->function<p2j_status(p2j_instance, const p2j_record_to_insert*, size_t, p2j_inserted* const*,
                                               p2j_buffer*)>("p2j_storage_insert_all_v1");
  }
  if (!observability::metrics().enabled()) return;
  auto& durations = observability::metrics().histogram(
      "storage_operation_duration_seconds", "Time a storage operation takes, from the host's call to its answer");
  static constexpr std::array<const char*, kOperations> kNames = {"insert", "insert_all", "get",    "find",
                                                                  "prune",  "counts",     "migrate"};
  for (size_t operation = 0; operation < kOperations; ++operation) {
    operation_durations_[operation] =
        &durations.Add({{"storage", this->name()}, {"operation", kNames[operation]}}, observability::latencyBuckets());
  }
}

StoredId StoragePlugin::insert(std::string_view collection, std::string_view record_json) const {
  const observability::ScopedTimer timer(timed(kInsert));
  const CallLog call_log(name(), "insert", collection);
  const std::string text = call(insert_, toAbi(collection), toAbi(record_json));
  try {
    const rapidjson::Document answer = sdk::parseJson(text);
    return {sdk::requireString(answer, "id", ""), sdk::requireString(answer, "created_at", "")};
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the storage returned a malformed insert result: ") + e.what());
  }
}

StoredId StoragePlugin::insert(std::string_view collection, std::span<const p2j_record_field> fields) const {
  if (insert_fields_ == nullptr) return insert(collection, sdk::recordFieldsJson(fields));
  const observability::ScopedTimer timer(timed(kInsert));
  const CallLog call_log(name(), "insert", collection);
  p2j_inserted packed{};
  packed.struct_size = sizeof packed;
  const std::string texts = call(insert_fields_, toAbi(collection), fields.data(), fields.size(), &packed);
  return unpackInserted(packed, texts);
}

std::vector<StoredId> StoragePlugin::insertAll(std::span<const sdk::RecordOfBatch> records) const {
  std::vector<StoredId> stored;
  stored.reserve(records.size());
  if (insert_all_ == nullptr) {
    for (const sdk::RecordOfBatch& record : records) {
      std::vector<p2j_record_field> fields;
      try {
        fields = sdk::resolveRecordIds(record.fields, stored);
      } catch (const sdk::FieldError& e) {
        // As a storage of ABI 1.7 refuses it.
        throw PluginCallError(P2J_INVALID_INPUT, name(), e.what());
      }
      stored.push_back(insert(record.collection, fields));
    }
    return stored;
  }
  const observability::ScopedTimer timer(timed(kInsertAll));
  const CallLog call_log(name(), "insert_all", records.empty() ? std::string_view() : records.front().collection);
  std::vector<p2j_record_to_insert> abi_records;
  abi_records.reserve(records.size());
  for (const sdk::RecordOfBatch& record : records) {
    abi_records.push_back({toAbi(record.collection), record.fields.data(), record.fields.size()});
  }
  std::vector<p2j_inserted> packed(records.size());
  std::vector<p2j_inserted*> results;
  results.reserve(records.size());
  for (p2j_inserted& result : packed) {
    result.struct_size = sizeof result;
    results.push_back(&result);
  }
  const std::string texts = call(insert_all_, abi_records.data(), abi_records.size(), results.data());
  for (const p2j_inserted& result : packed) stored.push_back(unpackInserted(result, texts));
  return stored;
}

StoredId StoragePlugin::unpackInserted(const p2j_inserted& packed, const std::string& texts) const {
  auto malformed = [&](const std::string& why) {
    return PluginCallError(P2J_INTERNAL, name(), "the storage returned a malformed insert result: " + why);
  };
  // ABI 1.6's fields; a later minor may append more, which a 1.6 plugin leaves out of its struct_size.
  if (packed.struct_size < offsetof(p2j_inserted, created_at) + sizeof(p2j_slice)) {
    throw malformed("its struct_size " + std::to_string(packed.struct_size) + " leaves out the id or created_at");
  }
  auto text = [&](const p2j_slice& slice, const char* field) {
    if (slice.offset > texts.size() || slice.size > texts.size() - slice.offset) {
      throw malformed(std::string(field) + " lies outside its buffer");
    }
    return std::string(texts, slice.offset, slice.size);
  };
  StoredId stored{text(packed.id, "id"), text(packed.created_at, "created_at")};
  if (stored.id.empty()) throw malformed("no id");
  return stored;
}

std::optional<std::string> StoragePlugin::get(std::string_view collection, std::string_view id) const {
  const observability::ScopedTimer timer(timed(kGet));
  const CallLog call_log(name(), "get", collection);
  try {
    return call(get_, toAbi(collection), toAbi(id));
  } catch (const PluginCallError& e) {
    if (e.status() == P2J_NOT_FOUND) return std::nullopt;
    throw;
  }
}

rapidjson::Document StoragePlugin::find(std::string_view collection, const sdk::FindQuery& query) const {
  const observability::ScopedTimer timer(timed(kFind));
  const CallLog call_log(name(), "find", collection);
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
  const observability::ScopedTimer timer(timed(kPrune));
  const CallLog call_log(name(), "prune", collection);
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
  const observability::ScopedTimer timer(timed(kCounts));
  const CallLog call_log(name(), "counts", "");
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
  const observability::ScopedTimer timer(timed(kMigrate));
  const CallLog call_log(name(), "migrate", apply ? "apply" : "check");
  const std::string text = call(migrate_, toAbi(apply ? "apply" : "check"));
  try {
    return sdk::migrationReportFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the storage returned a malformed migration report: ") + e.what());
  }
}

}  // namespace p2j::plugins
