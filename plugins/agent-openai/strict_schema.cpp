#include "strict_schema.hpp"

#include <rapidjson/pointer.h>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace p2j::agent_openai {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// The schema `node` stands for: itself, or what its "$ref" (a JSON Pointer into `root`) points at.
const rapidjson::Value& resolve(const rapidjson::Value& node, const rapidjson::Value& root) {
  if (!node.IsObject()) return node;
  const auto ref = node.FindMember("$ref");
  if (ref == node.MemberEnd() || !ref->value.IsString()) return node;
  const std::string_view target(ref->value.GetString(), ref->value.GetStringLength());
  if (target.empty() || target[0] != '#') return node;
  const rapidjson::Pointer pointer(target.data() + 1, target.size() - 1);
  const rapidjson::Value* found = pointer.IsValid() ? pointer.Get(root) : nullptr;
  return found != nullptr ? resolve(*found, root) : node;
}

bool isOpenObject(const rapidjson::Value& node) {
  if (!node.IsObject() || node.HasMember("properties")) return false;
  const auto type = node.FindMember("type");
  return type != node.MemberEnd() && type->value.IsString() && std::string_view(type->value.GetString()) == "object";
}

std::string jsonNumber(const rapidjson::Value& value) {
  if (value.IsInt64()) return std::to_string(value.GetInt64());
  char text[32];
  std::snprintf(text, sizeof text, "%g", value.GetDouble());
  return text;
}

// The constraint a dropped keyword expressed, in words for the description; empty for keywords that are
// not constraints on the value (or whose meaning validation alone enforces).
std::string restated(std::string_view keyword, const rapidjson::Value& value) {
  if (keyword == "minimum" && value.IsNumber()) return "at least " + jsonNumber(value);
  if (keyword == "exclusiveMinimum" && value.IsNumber()) return "more than " + jsonNumber(value);
  if (keyword == "maximum" && value.IsNumber()) return "at most " + jsonNumber(value);
  if (keyword == "exclusiveMaximum" && value.IsNumber()) return "less than " + jsonNumber(value);
  if (keyword == "minLength" && value.IsInt64()) {
    return value.GetInt64() == 1 ? "not empty" : "at least " + jsonNumber(value) + " characters";
  }
  if (keyword == "maxLength" && value.IsInt64()) return "at most " + jsonNumber(value) + " characters";
  if (keyword == "minItems" && value.IsInt64()) return "at least " + jsonNumber(value) + " item(s)";
  if (keyword == "maxItems" && value.IsInt64()) return "at most " + jsonNumber(value) + " items";
  if (keyword == "uniqueItems" && value.IsTrue()) return "no duplicates";
  if (keyword == "pattern" && value.IsString()) return std::string("matching ") + value.GetString();
  if (keyword == "format" && value.IsString()) return std::string("format ") + value.GetString();
  return "";
}

rapidjson::Value text(std::string_view value, Allocator& allocator) {
  return rapidjson::Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

const char* jsonTypeName(const rapidjson::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "boolean";
  if (value.IsInt64()) return "integer";
  if (value.IsNumber()) return "number";
  if (value.IsString()) return "string";
  if (value.IsArray()) return "array";
  return "object";
}

bool typeListHas(const rapidjson::Value& types, std::string_view name) {
  return std::any_of(types.Begin(), types.End(), [&](const rapidjson::Value& t) {
    return t.IsString() && std::string_view(t.GetString(), t.GetStringLength()) == name;
  });
}

// The types an "enum" ranges over, as a "type" value (a string, or a list when there are several).
rapidjson::Value typeOfEnum(const rapidjson::Value& values, Allocator& allocator) {
  rapidjson::Value types(rapidjson::kArrayType);
  for (const auto& value : values.GetArray()) {
    const char* name = jsonTypeName(value);
    if (!typeListHas(types, name)) types.PushBack(rapidjson::StringRef(name), allocator);
  }
  if (types.Size() == 1) return rapidjson::Value(types[0], allocator);
  return types;
}

void makeNullable(rapidjson::Value& node, Allocator& allocator) {
  auto type = node.FindMember("type");
  if (type != node.MemberEnd()) {
    if (type->value.IsString()) {
      if (std::string_view(type->value.GetString()) == "null") return;
      rapidjson::Value both(rapidjson::kArrayType);
      both.PushBack(rapidjson::Value(type->value, allocator), allocator);
      both.PushBack("null", allocator);
      type->value = both;
    } else if (type->value.IsArray() && !typeListHas(type->value, "null")) {
      type->value.PushBack("null", allocator);
    }
  }
  auto values = node.FindMember("enum");
  if (values != node.MemberEnd() && values->value.IsArray()) {
    const bool has_null =
        std::any_of(values->value.Begin(), values->value.End(), [](const rapidjson::Value& v) { return v.IsNull(); });
    if (!has_null) values->value.PushBack(rapidjson::Value(), allocator);
  }
}

bool isRequired(const rapidjson::Value& node, const rapidjson::Value& name) {
  const auto required = node.FindMember("required");
  if (required == node.MemberEnd() || !required->value.IsArray()) return false;
  return std::any_of(required->value.Begin(), required->value.End(),
                     [&](const rapidjson::Value& item) { return item == name; });
}

rapidjson::Value strictNode(const rapidjson::Value& node_or_ref, const rapidjson::Value& root,
                            const std::vector<std::string>& omitted, Allocator& allocator);

rapidjson::Value pairList(const rapidjson::Value& node, const rapidjson::Value& root, Allocator& allocator) {
  rapidjson::Value value_schema(rapidjson::kObjectType);
  const auto additional = node.FindMember("additionalProperties");
  if (additional != node.MemberEnd() && additional->value.IsObject()) {
    value_schema = strictNode(additional->value, root, {}, allocator);
  } else {
    value_schema.AddMember("type", "string", allocator);
  }
  rapidjson::Value name(rapidjson::kObjectType);
  name.AddMember("type", "string", allocator);
  rapidjson::Value properties(rapidjson::kObjectType);
  properties.AddMember("name", name, allocator);
  properties.AddMember("value", value_schema, allocator);
  rapidjson::Value required(rapidjson::kArrayType);
  required.PushBack("name", allocator).PushBack("value", allocator);
  rapidjson::Value item(rapidjson::kObjectType);
  item.AddMember("type", "object", allocator);
  item.AddMember("properties", properties, allocator);
  item.AddMember("required", required, allocator);
  item.AddMember("additionalProperties", false, allocator);

  std::string description;
  if (const auto given = node.FindMember("description"); given != node.MemberEnd() && given->value.IsString()) {
    description = std::string(given->value.GetString()) + " ";
  }
  description += "Name/value pairs, each name at most once; read as an object of those names.";
  rapidjson::Value list(rapidjson::kObjectType);
  list.AddMember("type", "array", allocator);
  list.AddMember("description", text(description, allocator), allocator);
  list.AddMember("items", item, allocator);
  return list;
}

rapidjson::Value strictNode(const rapidjson::Value& node_or_ref, const rapidjson::Value& root,
                            const std::vector<std::string>& omitted, Allocator& allocator) {
  const rapidjson::Value& node = resolve(node_or_ref, root);
  if (!node.IsObject()) return rapidjson::Value(rapidjson::kObjectType);
  if (isOpenObject(node)) return pairList(node, root, allocator);

  rapidjson::Value strict(rapidjson::kObjectType);
  std::string notes;
  for (auto it = node.MemberBegin(); it != node.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (key == "type" || key == "enum") {
      strict.AddMember(rapidjson::Value(it->name, allocator), rapidjson::Value(it->value, allocator), allocator);
    } else if (key == "const") {
      rapidjson::Value values(rapidjson::kArrayType);
      values.PushBack(rapidjson::Value(it->value, allocator), allocator);
      strict.AddMember("enum", values, allocator);
    } else if (key == "items") {
      strict.AddMember("items", strictNode(it->value, root, {}, allocator), allocator);
    } else if (const std::string note = restated(key, it->value); !note.empty()) {
      notes += (notes.empty() ? "" : "; ") + note;
    }
  }
  if (!strict.HasMember("type") && strict.HasMember("enum") && strict["enum"].IsArray()) {
    strict.AddMember("type", typeOfEnum(strict["enum"], allocator), allocator);
  }

  if (const auto properties = node.FindMember("properties");
      properties != node.MemberEnd() && properties->value.IsObject()) {
    rapidjson::Value strict_properties(rapidjson::kObjectType);
    rapidjson::Value required(rapidjson::kArrayType);
    for (auto it = properties->value.MemberBegin(); it != properties->value.MemberEnd(); ++it) {
      const std::string name(it->name.GetString(), it->name.GetStringLength());
      if (std::find(omitted.begin(), omitted.end(), name) != omitted.end()) continue;
      rapidjson::Value property = strictNode(it->value, root, {}, allocator);
      if (!isRequired(node, it->name)) makeNullable(property, allocator);
      strict_properties.AddMember(rapidjson::Value(it->name, allocator), property, allocator);
      required.PushBack(rapidjson::Value(it->name, allocator), allocator);
    }
    if (!strict.HasMember("type")) strict.AddMember("type", "object", allocator);
    strict.AddMember("properties", strict_properties, allocator);
    strict.AddMember("required", required, allocator);
    strict.AddMember("additionalProperties", false, allocator);
  }

  std::string description;
  if (const auto given = node.FindMember("description"); given != node.MemberEnd() && given->value.IsString()) {
    description = given->value.GetString();
  }
  // A description that already says it ("at least 1") is not told twice.
  if (!notes.empty() && description.find(notes) == std::string::npos) {
    description += (description.empty() ? "" : " ") + ("(" + notes + ")");
  }
  if (!description.empty()) strict.AddMember("description", text(description, allocator), allocator);
  return strict;
}

void restore(rapidjson::Value& answer, const rapidjson::Value& node_or_ref, const rapidjson::Value& root,
             Allocator& allocator) {
  const rapidjson::Value& node = resolve(node_or_ref, root);
  if (!node.IsObject()) return;
  if (isOpenObject(node)) {
    if (!answer.IsArray()) return;
    const bool pairs = std::all_of(answer.Begin(), answer.End(), [](const rapidjson::Value& item) {
      return item.IsObject() && item.HasMember("name") && item["name"].IsString() && item.HasMember("value");
    });
    if (!pairs) return;
    const auto additional = node.FindMember("additionalProperties");
    rapidjson::Value object(rapidjson::kObjectType);
    for (auto& item : answer.GetArray()) {
      rapidjson::Value& value = item["value"];
      if (additional != node.MemberEnd() && additional->value.IsObject()) {
        restore(value, additional->value, root, allocator);
      }
      auto existing = object.FindMember(item["name"]);
      if (existing != object.MemberEnd()) {
        existing->value = value;  // a repeated name: the last one wins, as in a JSON object
      } else {
        object.AddMember(rapidjson::Value(item["name"], allocator), value, allocator);
      }
    }
    answer = object;
    return;
  }
  if (const auto properties = node.FindMember("properties");
      properties != node.MemberEnd() && properties->value.IsObject() && answer.IsObject()) {
    for (auto it = properties->value.MemberBegin(); it != properties->value.MemberEnd(); ++it) {
      auto member = answer.FindMember(it->name);
      if (member != answer.MemberEnd()) restore(member->value, it->value, root, allocator);
    }
  }
  if (const auto items = node.FindMember("items"); items != node.MemberEnd() && answer.IsArray()) {
    for (auto& element : answer.GetArray()) restore(element, items->value, root, allocator);
  }
}

}  // namespace

rapidjson::Document strictSchema(const rapidjson::Value& schema, const std::vector<std::string>& omitted_properties) {
  rapidjson::Document strict;
  rapidjson::Value root = strictNode(schema, schema, omitted_properties, strict.GetAllocator());
  static_cast<rapidjson::Value&>(strict).Swap(root);
  return strict;
}

void restoreOpenObjects(rapidjson::Value& answer, const rapidjson::Value& schema, Allocator& allocator) {
  restore(answer, schema, schema, allocator);
}

}  // namespace p2j::agent_openai
