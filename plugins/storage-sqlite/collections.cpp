#include "collections.hpp"

#include <p2j/sdk/plugin.hpp>

namespace p2j::storage_sqlite {

const std::vector<Collection>& collections() {
  static const std::vector<Collection> all = {
      {"specs",
       "specs",
       {{"prompt", "prompt", ColumnType::kText, true},
        {"agent", "agent", ColumnType::kText, true},
        {"spec", "spec_data", ColumnType::kJson, true}}},
  };
  return all;
}

const Collection& findCollection(std::string_view name) {
  std::string known;
  for (const auto& collection : collections()) {
    if (collection.name == name) return collection;
    known += (known.empty() ? "" : ", ") + collection.name;
  }
  throw sdk::InvalidInput("unknown collection '" + std::string(name) + "' (known: " + known + ")");
}

std::string Collection::insertSql() const {
  std::string names = "id";
  std::string placeholders = "?1";
  int index = 2;
  for (const auto& column : columns) {
    names += ", " + column.column;
    placeholders += ", ?" + std::to_string(index++);
  }
  names += ", created_at";
  placeholders += ", ?" + std::to_string(index);
  return "INSERT INTO " + table + " (" + names + ") VALUES (" + placeholders + ")";
}

std::string Collection::selectColumns() const {
  std::string names = "id";
  for (const auto& column : columns) names += ", " + column.column;
  return names + ", created_at";
}

std::string Collection::selectByIdSql() const { return "SELECT " + selectColumns() + " FROM " + table + " WHERE id = ?1"; }

std::string Collection::selectWhereSql(const std::vector<std::string>& where_fields, const std::string& order_by,
                                       bool descending, int64_t limit) const {
  auto columnFor = [&](const std::string& field, const char* use) -> std::string {
    if (field == "created_at" || field == "id") return field;
    std::string filterable;
    for (const auto& column : columns) {
      if (column.field == field && column.filterable) return column.column;
      if (column.filterable) filterable += ", " + column.field;
    }
    throw sdk::InvalidInput("collection '" + name + "' cannot " + use + " '" + field + "' (it can: id, created_at" +
                            filterable + ")");
  };
  std::string sql = "SELECT " + selectColumns() + " FROM " + table;
  for (size_t i = 0; i < where_fields.size(); ++i) {
    sql += (i == 0 ? " WHERE " : " AND ") + columnFor(where_fields[i], "filter on") + " = ?" + std::to_string(i + 1);
  }
  const char* direction = descending ? " DESC" : " ASC";
  sql += " ORDER BY " + columnFor(order_by, "order by") + direction + ", rowid" + direction;
  return sql + " LIMIT " + std::to_string(limit);
}

std::string Collection::pruneSql() const { return "DELETE FROM " + table + " WHERE created_at < ?1"; }

std::string Collection::countSql() const { return "SELECT COUNT(*) FROM " + table; }

void validateRecord(const Collection& collection, const rapidjson::Value& record) {
  if (!record.IsObject()) throw sdk::FieldError("", "a record must be a JSON object");
  for (auto it = record.MemberBegin(); it != record.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    bool known = false;
    for (const auto& column : collection.columns) known = known || column.field == key;
    if (!known) throw sdk::FieldError(std::string(key), "is not a field of collection '" + collection.name + "'");
  }
  for (const auto& column : collection.columns) {
    const rapidjson::Value* value = sdk::findMember(record, column.field);
    if (value == nullptr) {
      if (column.required) throw sdk::FieldError(column.field, "is required");
      continue;
    }
    bool ok = false;
    switch (column.type) {
      case ColumnType::kText:
        ok = value->IsString();
        break;
      case ColumnType::kJson:
        ok = value->IsObject() || value->IsArray();
        break;
      case ColumnType::kReal:
        ok = value->IsNumber();
        break;
      case ColumnType::kInteger:
        ok = value->IsInt64();
        break;
    }
    if (!ok) throw sdk::FieldError(column.field, "has the wrong type");
  }
}

}  // namespace p2j::storage_sqlite
