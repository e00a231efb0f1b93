// The storage calls' argument and result types, with their JSON mapping.
#pragma once

#include <p2j/sdk/json.hpp>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace p2j::sdk {

struct InsertedRecord {
  std::string id;
  std::string created_at;
};

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
