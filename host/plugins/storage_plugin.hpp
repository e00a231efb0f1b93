#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/storage.hpp>

#include <array>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace p2j::plugins {

struct StoredId {
  std::string id;
  std::string created_at;
};

class StoragePlugin : public PluginInstance {
 public:
  StoragePlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  // Returns once the record is committed.
  StoredId insert(std::string_view collection, std::string_view record_json) const;
  // The same with the record as its top-level fields, each name once; a P2J_FIELD_JSON value must be
  // well-formed JSON (text the host wrote or checked). Plugins built against ABI 1.6 or newer take the fields
  // as they are; older ones get them written as one JSON object.
  StoredId insert(std::string_view collection, std::span<const p2j_record_field> fields) const;
  // Inserts the records in one transaction (a record may refer to an earlier one's id with a
  // P2J_FIELD_RECORD_ID field) and returns their ids in order once all are committed. Plugins built against
  // ABI 1.7 or newer commit them together; with older ones they are inserted one after another, and a
  // failure leaves the records before it stored.
  std::vector<StoredId> insertAll(std::span<const sdk::RecordOfBatch> records) const;
  // The record's JSON text, or nullopt when the id is unknown.
  std::optional<std::string> get(std::string_view collection, std::string_view id) const;
  // The matching records as a parsed JSON array.
  rapidjson::Document find(std::string_view collection, const sdk::FindQuery& query) const;
  sdk::PruneResult prune(std::string_view collection, std::string_view before) const;
  std::map<std::string, int64_t> counts() const;
  // The schema's state (apply=false), or applies the missing migrations first (apply=true).
  sdk::MigrationReport migrate(bool apply) const;

 private:
  enum Operation : size_t { kInsert, kInsertAll, kGet, kFind, kPrune, kCounts, kMigrate, kOperations };
  prometheus::Histogram* timed(Operation operation) const { return operation_durations_[operation]; }
  // The identity an insert call put in `packed`, as slices of the call's result `texts`; throws
  // PluginCallError when they are not within it.
  StoredId unpackInserted(const p2j_inserted& packed, const std::string& texts) const;

  // storage_operation_duration_seconds{storage,operation}; null when metrics are disabled.
  std::array<prometheus::Histogram*, kOperations> operation_durations_{};
  decltype(&p2j_storage_insert_v1) insert_;
  decltype(&p2j_storage_insert_v2) insert_fields_ = nullptr;   // ABI 1.6 and newer
  decltype(&p2j_storage_insert_all_v1) insert_all_ = nullptr;  // ABI 1.7 and newer
  decltype(&p2j_storage_get_v1) get_;
  decltype(&p2j_storage_find_v1) find_;
  decltype(&p2j_storage_prune_v1) prune_;
  decltype(&p2j_storage_counts_v1) counts_;
  decltype(&p2j_storage_migrate_v1) migrate_;
};

}  // namespace p2j::plugins
