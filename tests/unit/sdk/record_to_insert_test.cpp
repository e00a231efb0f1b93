// sdk::RecordToInsert: the record a storage is asked to insert, parsed as parseJson would, with the exact text
// of each top-level object or array so that a storage keeps the host's bytes of a JSON field.
#include <p2j/sdk/collections.hpp>

#include <gtest/gtest.h>

#include <string>

namespace p2j::sdk {
namespace {

std::string syntaxErrorOf(std::string_view text) {
  try {
    RecordToInsert record(text);
  } catch (const JsonSyntaxError& e) {
    return e.what();
  }
  return "";
}

TEST(RecordToInsert, GivesEachTopLevelObjectAndArrayAsSent) {
  const std::string text =
      R"( { "prompt" : "a {tower}" ,"spec":  {"design_type": "tower", "dimensions": {"height": 1.50}, "tags": []},)"
      "\n"
      R"(  "changes":[ "taller", {"by": [1, 2]} ] , "score": 3, "note": null, "empty": {} } )";
  const RecordToInsert record(text);
  EXPECT_EQ(record.text(), text);
  EXPECT_EQ(record.fieldText("spec"), R"({"design_type": "tower", "dimensions": {"height": 1.50}, "tags": []})");
  EXPECT_EQ(record.fieldText("changes"), R"([ "taller", {"by": [1, 2]} ])");
  EXPECT_EQ(record.fieldText("empty"), "{}");
  EXPECT_EQ(std::string(record.fields()["prompt"].GetString()), "a {tower}");
  EXPECT_EQ(record.fields()["score"].GetInt(), 3);
  EXPECT_EQ(record.fields()["spec"]["dimensions"]["height"].GetDouble(), 1.5);
}

TEST(RecordToInsert, ScalarsNestedFieldsAndAbsentFieldsHaveNoText) {
  const RecordToInsert record(R"({"prompt": "p", "spec": {"height": {"m": 3}}, "rating": 4})");
  EXPECT_EQ(record.fieldText("prompt"), std::nullopt);
  EXPECT_EQ(record.fieldText("rating"), std::nullopt);
  EXPECT_EQ(record.fieldText("height"), std::nullopt) << "a key inside a field is not a field";
  EXPECT_EQ(record.fieldText("m"), std::nullopt);
  EXPECT_EQ(record.fieldText("missing"), std::nullopt);
  EXPECT_EQ(record.fieldText("spec"), R"({"height": {"m": 3}})");
}

// The record is parsed in place in a copy: escapes are undone in the fields, and kept in the text.
TEST(RecordToInsert, FieldsAreUnescapedAndTheTextKeepsItsEscapes) {
  const std::string text = R"({"prompt": "a \"b\" \u00e9", "spec": {"note": "line\nbreak \u00e9"}})";
  const RecordToInsert record(text);
  EXPECT_EQ(std::string(record.fields()["prompt"].GetString()), "a \"b\" \u00e9");
  EXPECT_EQ(std::string(record.fields()["spec"]["note"].GetString()), "line\nbreak \u00e9");
  EXPECT_EQ(record.fieldText("spec"), R"({"note": "line\nbreak \u00e9"})");
  EXPECT_EQ(record.text(), text);
}

// The first value of a key given twice, as findMember (and so validateRecord) reads it.
TEST(RecordToInsert, AKeyGivenTwiceIsItsFirstValue) {
  const RecordToInsert record(R"({"spec": {"first": true}, "spec": ["second"]})");
  EXPECT_EQ(record.fieldText("spec"), R"({"first": true})");
  EXPECT_TRUE(findMember(record.fields(), "spec")->IsObject());
}

TEST(RecordToInsert, RefusesWhatParseJsonRefusesWithTheSameMessage) {
  for (const std::string_view bad : {R"({"spec": {"a": 1})", R"({"spec": [1,]})", R"({} {})", "", R"({"a": "b)"}) {
    std::string expected;
    try {
      parseJson(bad);
    } catch (const JsonSyntaxError& e) {
      expected = e.what();
    }
    ASSERT_FALSE(expected.empty()) << bad;
    EXPECT_EQ(syntaxErrorOf(bad), expected) << bad;
  }
  EXPECT_EQ(syntaxErrorOf(std::string_view("{\"spec\": {}}\0{", 14)), "invalid JSON at byte 12: a NUL byte");
}

// The top level is read without the insides of object and array fields, which stand as empty ones of their
// kind; the text inside them is checked all the same.
TEST(RecordToInsert, TheTopLevelHoldsScalarsAndEmptyContainers) {
  const RecordToInsert record(R"({"prompt": "p", "spec": {"a": {"b": [1, "x"]}}, "changes": ["c"], "n": 2.5})");
  const rapidjson::Value& top = record.topLevel();
  ASSERT_TRUE(top.IsObject());
  EXPECT_EQ(top.MemberCount(), 4u);
  EXPECT_EQ(std::string(top["prompt"].GetString()), "p");
  EXPECT_TRUE(top["spec"].IsObject());
  EXPECT_EQ(top["spec"].MemberCount(), 0u);
  EXPECT_TRUE(top["changes"].IsArray());
  EXPECT_TRUE(top["changes"].Empty());
  EXPECT_EQ(top["n"].GetDouble(), 2.5);
  EXPECT_TRUE(record.nestedTextStorable());
  EXPECT_EQ(record.fields()["spec"]["a"]["b"][1].GetString(), std::string("x")) << "the whole record, on demand";
}

TEST(RecordToInsert, NotesUnstorableTextInsideAField) {
  EXPECT_FALSE(RecordToInsert("{\"spec\": {\"note\": \"\xff\"}}").nestedTextStorable()) << "not UTF-8";
  EXPECT_FALSE(RecordToInsert(R"({"spec": {"k\u0000": 1}})").nestedTextStorable()) << "a NUL in a key";
  EXPECT_TRUE(RecordToInsert(R"({"prompt": "\u0000", "spec": {}})").nestedTextStorable())
      << "the top level's own strings are validateRecord's to check";
}

TEST(RecordToInsert, ARootThatIsNotAnObjectHasNoFields) {
  const RecordToInsert record(R"([{"spec": {}}])");
  EXPECT_TRUE(record.fields().IsArray());
  EXPECT_EQ(record.fieldText("spec"), std::nullopt);
}

}  // namespace
}  // namespace p2j::sdk
