#include "collections.hpp"

#include "identifiers.hpp"

#include <p2j/sdk/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace p2j::storage_common {

namespace {

// Where a collection lives in SQL: its table, and the columns whose names are not their fields' names.
struct Table {
  std::string_view collection;
  std::string_view table;
  std::vector<std::pair<std::string_view, std::string_view>> renamed;  // field -> column
};

const std::vector<Table> kTables = {
    {"specs", "specs", {{"spec", "spec_data"}}},
    {"evaluations", "evaluations", {{"spec", "spec_data"}, {"evaluation", "eval_data"}}},
    {"iterations", "iterations", {{"evaluation", "evaluation_data"}, {"feedback", "feedback_data"}}},
    {"feedback", "feedback", {}},
    {"value_logs", "value_logs", {}},
    {"policies", "policies", {}},
};

}  // namespace

const std::vector<Collection>& collections() {
  static const std::vector<Collection> all = [] {
    std::vector<Collection> built;
    for (const auto& contract : sdk::recordCollections()) {
      const auto table = std::find_if(kTables.begin(), kTables.end(),
                                      [&](const Table& candidate) { return candidate.collection == contract.name; });
      if (table == kTables.end()) {
        throw std::logic_error("collection '" + std::string(contract.name) + "' has no table");
      }
      Collection collection{std::string(contract.name), std::string(table->table), {}, &contract};
      for (const auto& field : contract.fields) {
        std::string column(field.name);
        for (const auto& [renamed_field, renamed_column] : table->renamed) {
          if (renamed_field == field.name) column = renamed_column;
        }
        collection.columns.push_back({std::string(field.name), column, field.type, field.required, field.filterable});
      }
      built.push_back(std::move(collection));
    }
    return built;
  }();
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

namespace {

std::string placeholder(const SqlDialect& dialect, int index) {
  return std::string(dialect.placeholder_prefix) + std::to_string(index);
}

// A field find() may filter or order on: id, created_at, or a filterable column.
struct QueryField {
  std::string column;
  const Column* definition = nullptr;  // null for id and created_at
};

QueryField queryField(const Collection& collection, const std::string& field, const char* use) {
  if (field == "id" || field == "created_at") return {field, nullptr};
  std::string filterable;
  for (const auto& column : collection.columns) {
    if (column.field == field && column.filterable) return {column.column, &column};
    if (column.filterable) filterable += ", " + column.field;
  }
  throw sdk::InvalidInput("collection '" + collection.name + "' cannot " + use + " '" + field +
                          "' (it can: id, created_at" + filterable + ")");
}

// The value a where condition binds, checked against its field's type the same way for every database.
SqlValue whereValue(const QueryField& target, const std::string& field, const std::variant<std::string, double>& value,
                    bool& matches_nothing) {
  const std::string path = sdk::joinPath("where", field);
  const auto* text = std::get_if<std::string>(&value);
  if (target.definition == nullptr || target.definition->type == ColumnType::kText) {
    if (text == nullptr) throw sdk::InvalidInput(path + " must be a string");
    // Text no record can hold matches no record (and PostgreSQL would refuse to even bind it).
    if (!sdk::isStorableText(*text)) {
      matches_nothing = true;
      return std::string();
    }
    if (field == "id") {
      const auto id = canonicalUuid(*text);
      matches_nothing = matches_nothing || !id;
      return id.value_or(*text);
    }
    if (field == "created_at") {
      const auto timestamp = canonicalUtcTimestamp(*text);
      if (!timestamp) throw sdk::InvalidInput(path + " must be a UTC timestamp like 2026-11-30T12:00:00Z");
      return *timestamp;
    }
    return *text;
  }
  if (text != nullptr) throw sdk::InvalidInput(path + " must be a number");
  const double number = std::get<double>(value);
  switch (target.definition->type) {
    case ColumnType::kReal:
      return number;
    case ColumnType::kInteger:
      if (std::trunc(number) != number || std::fabs(number) > 9007199254740992.0) {
        throw sdk::InvalidInput(path + " must be an integer");
      }
      return static_cast<int64_t>(number);
    default:
      throw std::logic_error("collection '" + target.definition->field + "': JSON columns cannot be filterable");
  }
}

}  // namespace

std::string Collection::selectColumns(const SqlDialect& dialect) const {
  std::string names = "id";
  for (const auto& column : columns) names += ", " + column.column;
  return names + ", " + std::string(dialect.created_at_select);
}

std::string Collection::selectColumns(const SqlDialect& dialect, const std::vector<const Column*>& selected) const {
  std::string names = "id";
  for (const Column* column : selected) names += ", " + column->column;
  return names + ", " + std::string(dialect.created_at_select);
}

std::string Collection::insertSql(const SqlDialect& dialect) const {
  std::string names = "id";
  std::string placeholders = placeholder(dialect, 1);
  int index = 2;
  for (const auto& column : columns) {
    names += ", " + column.column;
    placeholders += ", " + placeholder(dialect, index++);
  }
  names += ", created_at";
  placeholders += ", " + placeholder(dialect, index);
  return "INSERT INTO " + table + " (" + names + ") VALUES (" + placeholders + ")" + std::string(dialect.insert_suffix);
}

std::vector<SqlValue> Collection::insertValues(const sdk::InsertedRecord& identity,
                                               const sdk::RecordToInsert& record) const {
  std::vector<SqlValue> values;
  values.reserve(columns.size() + 2);
  values.emplace_back(identity.id);
  for (const auto& column : columns) {
    const rapidjson::Value* field = sdk::findMember(record.topLevel(), column.field);
    if (field == nullptr) {
      values.emplace_back(std::monostate{});
      continue;
    }
    switch (column.type) {
      case ColumnType::kText:
        values.emplace_back(std::string(field->GetString(), field->GetStringLength()));
        break;
      case ColumnType::kJson:
        // The bytes as sent; written from the parsed value only for a record no validateRecord() has seen
        // (a spooled one replayed), whose field may not be an object or an array.
        if (const auto text = record.fieldText(column.field)) {
          values.emplace_back(std::string(*text));
        } else {
          values.emplace_back(sdk::toJsonText(*field));
        }
        break;
      case ColumnType::kReal:
        values.emplace_back(field->GetDouble());
        break;
      case ColumnType::kInteger:
        values.emplace_back(field->GetInt64());
        break;
    }
  }
  values.emplace_back(identity.created_at);
  return values;
}

std::string Collection::selectByIdSql(const SqlDialect& dialect) const {
  return "SELECT " + selectColumns(dialect) + " FROM " + table + " WHERE id = " + placeholder(dialect, 1);
}

FindStatement Collection::findStatement(const sdk::FindQuery& query, const SqlDialect& dialect) const {
  FindStatement statement;
  if (query.fields.empty()) {
    for (const auto& column : columns) statement.columns.push_back(&column);
  } else {
    for (const auto& field : query.fields) {
      const auto found =
          std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.field == field; });
      if (found == columns.end()) {
        if (field == "id" || field == "created_at") continue;  // every record has them
        throw sdk::InvalidInput("collection '" + name + "' has no field '" + field + "'");
      }
      if (std::find(statement.columns.begin(), statement.columns.end(), &*found) == statement.columns.end())
        statement.columns.push_back(&*found);
    }
  }
  statement.sql = "SELECT " + selectColumns(dialect, statement.columns) + " FROM " + table;
  int index = 1;
  for (const auto& [field, value] : query.where) {
    const QueryField target = queryField(*this, field, "filter on");
    statement.parameters.push_back(whereValue(target, field, value, statement.matches_nothing));
    statement.sql += (index == 1 ? " WHERE " : " AND ") + target.column + " = " + placeholder(dialect, index);
    ++index;
  }
  const std::string direction = query.descending ? " DESC" : " ASC";
  statement.sql += " ORDER BY " + queryField(*this, query.order_by, "order by").column + direction + ", " +
                   std::string(dialect.insertion_order) + direction + " LIMIT " + placeholder(dialect, index);
  statement.parameters.emplace_back(query.limit);
  return statement;
}

std::string Collection::pruneSql(const SqlDialect& dialect) const {
  return "DELETE FROM " + table + " WHERE created_at < " + placeholder(dialect, 1);
}

std::string Collection::countSql() const { return "SELECT COUNT(*) FROM " + table; }

CollectionStatements::CollectionStatements(const SqlDialect& dialect,
                                           std::string (Collection::*statement)(const SqlDialect&) const) {
  for (const auto& collection : collections()) texts_.push_back((collection.*statement)(dialect));
}

const std::string& CollectionStatements::operator[](const Collection& collection) const {
  return texts_[static_cast<size_t>(&collection - collections().data())];
}

void validateRecord(const Collection& collection, const sdk::RecordToInsert& record) {
  sdk::validateRecord(*collection.contract, record);
}

std::string pruneBoundary(std::string_view before) {
  const auto boundary = canonicalUtcTimestamp(before);
  if (!boundary) throw sdk::InvalidInput("before must be a UTC timestamp like 2026-11-30T12:00:00Z");
  return *boundary;
}

void writeRecord(sdk::JsonWriter& writer, const Collection& collection, const sdk::InsertedRecord& identity,
                 const rapidjson::Value& record) {
  writer.StartObject();
  writer.Key("id");
  sdk::writeString(writer, identity.id);
  for (const auto& column : collection.columns) {
    sdk::writeKey(writer, column.field);
    if (const rapidjson::Value* value = sdk::findMember(record, column.field)) {
      value->Accept(writer);
    } else {
      writer.Null();
    }
  }
  writer.Key("created_at");
  sdk::writeString(writer, identity.created_at);
  writer.EndObject();
}

}  // namespace p2j::storage_common
