// p2j's record collections (the SDK's contract, p2j/sdk/collections.hpp) mapped to SQL tables: each field of a
// record is a column of one table. storage-sqlite and storage-postgres build every statement from these
// definitions, so the two cannot drift. Adding a collection is an entry in the SDK's contract, its table here,
// and the same migration in migrations/sqlite/ and migrations/postgres/; the storage conformance suite then
// runs every call on it against both.
#pragma once

#include "sql_value.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>
#include <p2j/sdk/storage.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::storage_common {

// How a field is kept: kText as text, kJson as the JSON text (SQLite) or jsonb (PostgreSQL), kReal and
// kInteger as numbers.
using ColumnType = sdk::FieldType;

struct Column {
  std::string field;   // the key in the record
  std::string column;  // the table column
  ColumnType type;
  bool required;
  bool filterable = false;  // usable in find()'s where and order_by (the table has an index for it)
};

// How one database spells what the generated statements need.
struct SqlDialect {
  std::string_view placeholder_prefix;  // "?" (SQLite) or "$" (PostgreSQL), followed by the 1-based index
  std::string_view insertion_order;     // the column numbering rows in insertion order, which breaks ties
  std::string_view created_at_select;   // reads created_at back as the canonical UTC text
  std::string_view insert_suffix;       // appended to every INSERT
};

// A find() checked against its collection: the SELECT and the values of its placeholders, in order.
struct FindStatement {
  std::string sql;
  std::vector<SqlValue> parameters;
  std::vector<const Column*> columns;  // what the SELECT returns between id and created_at (the query's fields)
  bool matches_nothing = false;        // a filter no record can match (an id that is not a UUID): skip the query
};

struct Collection {
  std::string name;
  std::string table;
  std::vector<Column> columns;                      // besides id and created_at, which every table has
  const sdk::RecordCollection* contract = nullptr;  // what the SDK says its records are

  // INSERT with placeholders for id, the columns in order, created_at: bind insertValues().
  std::string insertSql(const SqlDialect& dialect) const;
  std::vector<SqlValue> insertValues(const sdk::InsertedRecord& identity, const sdk::RecordToInsert& record) const;
  // SELECT of one record by id (placeholder 1), the row as writeRecord() reads it.
  std::string selectByIdSql(const SqlDialect& dialect) const;
  // SELECT ... WHERE <field> = ... ORDER BY <order_by>, insertion order LIMIT ...: throws sdk::InvalidInput
  // naming a field that cannot be filtered or ordered on, a value of the wrong type, or an unknown field asked
  // for. The row has id, the query's fields (all columns when it names none) and created_at.
  FindStatement findStatement(const sdk::FindQuery& query, const SqlDialect& dialect) const;
  // DELETE of the records created before placeholder 1 (bind canonicalUtcTimestamp's answer).
  std::string pruneSql(const SqlDialect& dialect) const;
  std::string countSql() const;

 private:
  // id, the columns, created_at: what every SELECT here returns.
  std::string selectColumns(const SqlDialect& dialect) const;
  std::string selectColumns(const SqlDialect& dialect, const std::vector<const Column*>& selected) const;
};

const std::vector<Collection>& collections();

// One statement of every collection in one dialect (Collection::insertSql, say), built once: a storage binds
// the same text on every call, and building it is string work better kept off the request path.
class CollectionStatements {
 public:
  CollectionStatements(const SqlDialect& dialect, std::string (Collection::*statement)(const SqlDialect&) const);
  // `collection` must be one of collections().
  const std::string& operator[](const Collection& collection) const;

 private:
  std::vector<std::string> texts_;  // in the order of collections()
};
// Throws sdk::InvalidInput naming the known collections.
const Collection& findCollection(std::string_view name);

// sdk::validateRecord against the collection's contract: throws sdk::FieldError naming the field.
void validateRecord(const Collection& collection, const sdk::RecordToInsert& record);

// `before` of a prune() in canonical form; throws sdk::InvalidInput when it is not a UTC timestamp.
std::string pruneBoundary(std::string_view before);

namespace detail {
inline const Column& column(const Column& column) { return column; }
inline const Column& column(const Column* column) { return *column; }
}  // namespace detail

// Writes a row of a SELECT built above as the record the SDK returns: {"id", the fields, "created_at"}, the
// fields being `columns` (a Collection's columns, or a FindStatement's). Row has isNull(i), text(i) ->
// string_view, real(i) -> double and int64(i) for the select's column i.
template <typename Columns, typename Row>
void writeRecord(sdk::JsonWriter& writer, const Columns& columns, const Row& row) {
  writer.StartObject();
  writer.Key("id");
  sdk::writeString(writer, row.text(0));
  int index = 1;
  for (const auto& item : columns) {
    const Column& column = detail::column(item);
    sdk::writeKey(writer, column.field);
    if (row.isNull(index)) {
      writer.Null();
    } else {
      switch (column.type) {
        case ColumnType::kText:
          sdk::writeString(writer, row.text(index));
          break;
        case ColumnType::kJson: {
          const std::string_view json = row.text(index);
          writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
          break;
        }
        case ColumnType::kReal:
          writer.Double(row.real(index));
          break;
        case ColumnType::kInteger:
          writer.Int64(row.int64(index));
          break;
      }
    }
    ++index;
  }
  writer.Key("created_at");
  sdk::writeString(writer, row.text(index));
  writer.EndObject();
}

// The same record from its validated JSON form and its identity (a record not yet in a table).
void writeRecord(sdk::JsonWriter& writer, const Collection& collection, const sdk::InsertedRecord& identity,
                 const rapidjson::Value& record);

}  // namespace p2j::storage_common
