// The record collections this storage knows, as data: each maps a JSON record's fields to the columns
// of one table. Adding a collection is a migration plus an entry here.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

namespace p2j::storage_sqlite {

enum class ColumnType {
  kText,     // a JSON string
  kJson,     // any JSON object or array, stored as its text
  kReal,     // a JSON number
  kInteger,  // a JSON integer
};

struct Column {
  std::string field;   // the key in the record
  std::string column;  // the table column
  ColumnType type;
  bool required;
  bool filterable = false;  // usable in find()'s where and order_by (the table has an index for it)
};

struct Collection {
  std::string name;
  std::string table;
  std::vector<Column> columns;  // besides id and created_at, which every table has

  std::string insertSql() const;
  std::string selectByIdSql() const;
  // SELECT ... WHERE <field> = ?1 AND ... ORDER BY <order_by>, insertion order LIMIT <limit>; throws
  // sdk::InvalidInput naming a field that cannot be filtered or ordered on.
  std::string selectWhereSql(const std::vector<std::string>& where_fields, const std::string& order_by,
                             bool descending, int64_t limit) const;
  std::string pruneSql() const;
  std::string countSql() const;
  // The column list every SELECT returns: id, the columns, created_at.
  std::string selectColumns() const;
};

const std::vector<Collection>& collections();
// Throws sdk::InvalidInput naming the known collections.
const Collection& findCollection(std::string_view name);

// Checks a record against its collection (required fields, types, no unknown fields); throws
// sdk::FieldError naming the field.
void validateRecord(const Collection& collection, const rapidjson::Value& record);

}  // namespace p2j::storage_sqlite
