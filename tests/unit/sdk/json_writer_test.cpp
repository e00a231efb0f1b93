// sdk::JsonWriter writes literal keys as their bytes: the text must be what RapidJSON's own Key writes, in
// every position (first member, after a value, nested, after an array, in arrays of objects).
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

namespace p2j::sdk {
namespace {

template <typename WriteKey>
std::string document(WriteKey&& key) {
  rapidjson::StringBuffer text;
  JsonWriter w(text);
  w.StartObject();
  key(w, 0);
  w.Int(1);
  key(w, 1);
  w.StartArray();
  w.StartObject();
  key(w, 2);
  w.String("x");
  key(w, 3);
  w.StartObject();
  w.EndObject();
  w.EndObject();
  w.StartObject();
  key(w, 4);
  w.Null();
  w.EndObject();
  w.EndArray();
  key(w, 5);
  w.Bool(true);
  w.EndObject();
  EXPECT_TRUE(w.IsComplete());
  return {text.GetString(), text.GetSize()};
}

TEST(JsonWriter, LiteralKeysWriteWhatEscapedKeysWrite) {
  const char* const names[] = {"design_type", "materials", "type", "größe", "", "a b/c"};
  const std::string literal = document([](JsonWriter& w, int i) {
    switch (i) {
      case 0:
        w.Key("design_type");
        break;
      case 1:
        w.Key("materials");
        break;
      case 2:
        w.Key("type");
        break;
      case 3:
        w.Key("größe");
        break;
      case 4:
        w.Key("");
        break;
      default:
        w.Key("a b/c");
    }
  });
  const std::string escaped = document([&](JsonWriter& w, int i) { writeKey(w, names[i]); });
  EXPECT_EQ(literal, escaped);
  EXPECT_EQ(literal, R"({"design_type":1,"materials":[{"type":"x","größe":{}},{"":null}],"a b/c":true})");
  EXPECT_TRUE(parseJson(literal).IsObject());
}

TEST(JsonWriter, KeysThatNeedEscapingGoThroughWriteKey) {
  rapidjson::StringBuffer text;
  JsonWriter w(text);
  w.StartObject();
  writeKey(w, "say \"hi\"\n");
  w.Int(1);
  w.EndObject();
  EXPECT_EQ(std::string(text.GetString(), text.GetSize()), R"({"say \"hi\"\n":1})");
}

// RawValue is copied whole: the text must be RapidJSON's, with the commas of every position, and a raw root
// completes the document.
TEST(JsonWriter, RawValuesWriteWhatRapidJsonsRawValueWrites) {
  auto write = [](auto& w) {
    w.StartObject();
    w.Key("spec", 4);
    w.RawValue(R"({"a":[1,2]})", 11, rapidjson::kObjectType);
    w.Key("list", 4);
    w.StartArray();
    w.RawValue("[]", 2, rapidjson::kArrayType);
    w.RawValue("4.5", 3, rapidjson::kNumberType);
    w.EndArray();
    w.EndObject();
  };
  rapidjson::StringBuffer ours;
  JsonWriter our_writer(ours);
  write(our_writer);
  rapidjson::StringBuffer theirs;
  rapidjson::Writer<rapidjson::StringBuffer> their_writer(theirs);
  write(their_writer);
  EXPECT_EQ(std::string(ours.GetString(), ours.GetSize()), std::string(theirs.GetString(), theirs.GetSize()));
  EXPECT_EQ(std::string(ours.GetString(), ours.GetSize()), R"({"spec":{"a":[1,2]},"list":[[],4.5]})");

  rapidjson::StringBuffer root;
  JsonWriter root_writer(root);
  root_writer.RawValue("{}", 2, rapidjson::kObjectType);
  EXPECT_TRUE(root_writer.IsComplete());
  EXPECT_EQ(std::string(root.GetString(), root.GetSize()), "{}");
}

}  // namespace
}  // namespace p2j::sdk
