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

std::string Collection::selectByIdSql() const {
  std::string names = "id";
  for (const auto& column : columns) names += ", " + column.column;
  names += ", created_at";
  return "SELECT " + names + " FROM " + table + " WHERE id = ?1";
}

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
