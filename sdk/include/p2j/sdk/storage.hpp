// The storage calls' argument and result types, with their JSON mapping.
#pragma once

#include <p2j/sdk/abi.h>
#include <p2j/sdk/json.hpp>

#include <charconv>
#include <span>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace p2j::sdk {

struct InsertedRecord {
  std::string id;
  std::string created_at;
};

// One record of a batch inserted in one transaction (p2j_storage_insert_all_v1): its collection and its
// top-level fields, which it views. A field of kind P2J_FIELD_RECORD_ID holds the index of an earlier record
// of the batch, in decimal, and is stored as that record's id.
struct RecordOfBatch {
  std::string_view collection;
  std::span<const p2j_record_field> fields;
};

// `fields` with each P2J_FIELD_RECORD_ID field made the text field of the id it names among `earlier` (the
// identities of the batch's records before this one, in order; anything with an `id` string and a size()).
// The fields view those ids, which must outlive them. Throws FieldError for a reference that is not the
// index of an earlier record.
template <typename Identities>
std::vector<p2j_record_field> resolveRecordIds(std::span<const p2j_record_field> fields, const Identities& earlier) {
  std::vector<p2j_record_field> resolved(fields.begin(), fields.end());
  for (p2j_record_field& field : resolved) {
    if (field.kind != P2J_FIELD_RECORD_ID) continue;
    const std::string_view index_text =
        field.value.data != nullptr ? std::string_view(field.value.data, field.value.size) : std::string_view();
    size_t index = 0;
    const auto [end, error] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
    if (error != std::errc() || end != index_text.data() + index_text.size() || index >= earlier.size()) {
      throw FieldError(std::string(field.name.data, field.name.size),
                       "refers to record '" + std::string(index_text.substr(0, 20)) +
                           "', which is not an earlier record of the batch");
    }
    const std::string& id = earlier[index].id;
    field.value = {id.data(), id.size()};
    field.kind = P2J_FIELD_TEXT;
  }
  return resolved;
}

// Equality filters, an order and a limit: what p2j_storage_find_v1 takes.
struct FindQuery {
  static constexpr int64_t kDefaultLimit = 100;
  static constexpr int64_t kMaxLimit = 1000;

  std::vector<std::pair<std::string, std::variant<std::string, double>>> where;
  std::string order_by = "created_at";
  bool descending = false;
  int64_t limit = kDefaultLimit;
  // The fields each record carries besides "id" and "created_at"; empty: all of them. A caller that reads a
  // few small fields of many large records asks for those (a storage that ignores it returns everything).
  std::vector<std::string> fields;
};

struct PruneResult {
  int64_t pruned = 0;
  int64_t remaining = 0;
};

// What p2j_storage_migrate_v1 reports: the schema version, the newest the plugin knows, the migrations the
// call applied and those still missing (by file name without ".sql", oldest first).
struct MigrationReport {
  int64_t version = 0;
  int64_t latest = 0;
  std::vector<std::string> applied;
  std::vector<std::string> missing;
};

inline void writeJson(JsonWriter& w, const FindQuery& query) {
  w.StartObject();
  w.Key("where");
  w.StartObject();
  for (const auto& [field, value] : query.where) {
    writeKey(w, field);
    if (const auto* text = std::get_if<std::string>(&value)) {
      writeString(w, *text);
    } else {
      w.Double(std::get<double>(value));
    }
  }
  w.EndObject();
  w.Key("order_by");
  writeString(w, query.order_by);
  w.Key("descending");
  w.Bool(query.descending);
  w.Key("limit");
  w.Int64(query.limit);
  if (!query.fields.empty()) {
    w.Key("fields");
    writeStringList(w, query.fields);
  }
  w.EndObject();
}

inline FindQuery findQueryFromJson(const rapidjson::Value& value) {
  requireObject(value, "query");
  FindQuery query;
  if (const auto* where = findMember(value, "where")) {
    requireObject(*where, "where");
    for (auto it = where->MemberBegin(); it != where->MemberEnd(); ++it) {
      std::string field(it->name.GetString(), it->name.GetStringLength());
      if (it->value.IsString()) {
        query.where.emplace_back(field, std::string(it->value.GetString(), it->value.GetStringLength()));
      } else if (it->value.IsNumber()) {
        query.where.emplace_back(field, it->value.GetDouble());
      } else {
        throw FieldError(joinPath("where", field), "must be a string or a number");
      }
    }
  }
  query.order_by = optionalString(value, "order_by", "").value_or("created_at");
  if (const auto* descending = findMember(value, "descending")) {
    if (!descending->IsBool()) throw FieldError("descending", "must be true or false");
    query.descending = descending->GetBool();
  }
  query.limit = optionalInteger(value, "limit", "").value_or(FindQuery::kDefaultLimit);
  if (query.limit < 1 || query.limit > FindQuery::kMaxLimit) {
    throw FieldError("limit", "must be between 1 and " + std::to_string(FindQuery::kMaxLimit));
  }
  query.fields = optionalStringList(value, "fields", "");
  return query;
}

inline void writeJson(JsonWriter& w, const MigrationReport& report) {
  w.StartObject();
  w.Key("version");
  w.Int64(report.version);
  w.Key("latest");
  w.Int64(report.latest);
  w.Key("applied");
  writeStringList(w, report.applied);
  w.Key("missing");
  writeStringList(w, report.missing);
  w.EndObject();
}

inline MigrationReport migrationReportFromJson(const rapidjson::Value& value) {
  requireObject(value, "");
  MigrationReport report;
  report.version = optionalInteger(value, "version", "").value_or(0);
  report.latest = optionalInteger(value, "latest", "").value_or(0);
  report.applied = optionalStringList(value, "applied", "");
  report.missing = optionalStringList(value, "missing", "");
  return report;
}

}  // namespace p2j::sdk
