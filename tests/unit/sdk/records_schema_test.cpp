// The host-storage contract, stated twice: p2j/sdk/collections.hpp for C++ storages and
// sdk/schemas/records.schema.json for the others. They must say the same, and validateRecord must hold what
// they say.
#include "test_paths.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace p2j::sdk {
namespace {

rapidjson::Document recordsSchema() {
  std::ifstream in(std::filesystem::path(testing::kSourceDir) / "sdk" / "schemas" / "records.schema.json");
  std::ostringstream text;
  text << in.rdbuf();
  return parseJson(text.str());
}

// The JSON Schema "type" of a field as the contract types it; optional fields may be null.
std::vector<std::string> schemaTypes(const RecordField& field) {
  std::vector<std::string> types;
  switch (field.type) {
    case FieldType::kText:
      types = {"string"};
      break;
    case FieldType::kJson:
      types = {"object", "array"};
      break;
    case FieldType::kReal:
      types = {"number"};
      break;
    case FieldType::kInteger:
      types = {"integer"};
      break;
  }
  if (!field.required) types.emplace_back("null");
  return types;
}

std::vector<std::string> typesOf(const rapidjson::Value& property) {
  const auto& type = property["type"];
  if (type.IsString()) return {type.GetString()};
  std::vector<std::string> types;
  for (const auto& item : type.GetArray()) types.emplace_back(item.GetString());
  return types;
}

TEST(RecordsSchema, SaysWhatTheHeaderSays) {
  const rapidjson::Document schema = recordsSchema();
  const auto& definitions = schema["definitions"];
  ASSERT_EQ(definitions.MemberCount(), recordCollections().size());
  for (const auto& collection : recordCollections()) {
    const std::string name(collection.name);
    SCOPED_TRACE(name);
    ASSERT_TRUE(definitions.HasMember(name.c_str()));
    const auto& definition = definitions[name.c_str()];
    EXPECT_FALSE(definition["additionalProperties"].GetBool());
    const auto& properties = definition["properties"];
    ASSERT_EQ(properties.MemberCount(), collection.fields.size());
    std::vector<std::string> required;
    auto property = properties.MemberBegin();
    for (const auto& field : collection.fields) {
      const std::string field_name(field.name);
      SCOPED_TRACE(field_name);
      EXPECT_EQ(std::string(property->name.GetString()), field_name) << "the fields in the header's order";
      EXPECT_EQ(typesOf(property->value), schemaTypes(field));
      const auto* filterable = findMember(property->value, "x-p2j-filterable");
      EXPECT_EQ(filterable != nullptr && filterable->GetBool(), field.filterable);
      const auto* minimum = findMember(property->value, "minimum");
      const auto* maximum = findMember(property->value, "maximum");
      EXPECT_EQ(minimum ? std::optional<int64_t>(minimum->GetInt64()) : std::nullopt, field.minimum);
      EXPECT_EQ(maximum ? std::optional<int64_t>(maximum->GetInt64()) : std::nullopt, field.maximum);
      if (field.required) required.push_back(field_name);
      ++property;
    }
    std::vector<std::string> listed;
    for (const auto& item : definition["required"].GetArray()) listed.emplace_back(item.GetString());
    EXPECT_EQ(listed, required);
  }
}

// What validateRecord says of `record`, the same whether it is given the parsed document or the record as a
// storage receives it (RecordToInsert, which parses the insides of object and array fields only to name an
// unstorable string's path).
std::string validationError(std::string_view collection, const std::string& record) {
  auto errorOf = [&](auto&& validate) -> std::string {
    try {
      validate();
    } catch (const FieldError& e) {
      return e.what();
    }
    return "";
  };
  const RecordCollection& contract = *findRecordCollection(collection);
  const std::string from_document = errorOf([&] { validateRecord(contract, parseJson(record)); });
  const std::string from_record = errorOf([&] { validateRecord(contract, RecordToInsert(record)); });
  EXPECT_EQ(from_record, from_document) << record;
  return from_document;
}

TEST(RecordsSchema, ValidateRecordHoldsTheContract) {
  EXPECT_EQ(validationError("feedback", R"({"spec_id": "s", "rating": 5})"), "");
  EXPECT_EQ(validationError("feedback", R"({"spec_id": "s", "rating": 1, "comment": null})"), "");
  EXPECT_EQ(validationError("feedback", R"({"rating": 5})"), "spec_id: is required");
  EXPECT_EQ(validationError("feedback", R"({"spec_id": null, "rating": 5})"), "spec_id: is required");
  EXPECT_EQ(validationError("feedback", R"({"spec_id": "s", "rating": 6})"), "rating: must be between 1 and 5");
  EXPECT_EQ(validationError("feedback", R"({"spec_id": "s", "rating": 1.5})"), "rating: has the wrong type");
  EXPECT_EQ(validationError("feedback", R"({"spec_id": "s", "rating": 3, "mood": "x"})"),
            "mood: is not a field of collection 'feedback'");
  EXPECT_EQ(validationError("specs", R"({"prompt": "p", "agent": "a", "spec": 3})"), "spec: has the wrong type");
  EXPECT_EQ(validationError("specs", R"({"prompt": "p", "agent": "a", "spec": {"k\u0000": 1}})"),
            "spec: must be valid UTF-8 without NUL characters");
  EXPECT_EQ(
      validationError("specs", "{\"prompt\": \"p\", \"agent\": \"a\", \"spec\": {\"rooms\": [{\"name\": \"\xff\"}]}}"),
      "spec.rooms[0].name: must be valid UTF-8 without NUL characters");
  EXPECT_EQ(validationError("specs", R"({"prompt": "p\u0000", "agent": "a", "spec": {}})"),
            "prompt: must be valid UTF-8 without NUL characters");
  EXPECT_EQ(validationError("iterations", R"([])"), "a record must be a JSON object");
  EXPECT_EQ(findRecordCollection("nope"), nullptr);
}

}  // namespace
}  // namespace p2j::sdk
