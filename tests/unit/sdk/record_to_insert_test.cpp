// sdk::RecordToInsert: the record a storage is asked to insert, parsed as parseJson would, with the exact text
// of each top-level object or array so that a storage keeps the host's bytes of a JSON field; and the same
// record given as its top-level fields (ABI 1.6), which it reads as it reads the JSON text.
#include <p2j/sdk/collections.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

bool storableAsFields(std::string_view spec) {
  const p2j_record_field fields[] = {recordField("spec", spec, P2J_FIELD_JSON)};
  return RecordToInsert(fields).nestedTextStorable();
}

TEST(RecordToInsertFromFields, ReadsAsTheSameRecordSentAsJson) {
  const std::string spec = R"({"design_type":"tower","dimensions":{"height":1.5},"tags":["a \"b\""]})";
  const std::vector<p2j_record_field> fields = {recordField("prompt", "a \"tall\" {tower}\n", P2J_FIELD_TEXT),
                                                recordField("spec", spec, P2J_FIELD_JSON),
                                                recordField("changes", "[]", P2J_FIELD_JSON),
                                                recordField("score", "87.5", P2J_FIELD_NUMBER),
                                                recordField("rating", "-4", P2J_FIELD_NUMBER),
                                                recordField("big", "18446744073709551615", P2J_FIELD_NUMBER)};
  const RecordToInsert record(fields);
  EXPECT_TRUE(RecordToInsert(fields).fields() == parseJson(record.text())) << "the whole record, before its text";
  const RecordToInsert sent(record.text());
  EXPECT_EQ(record.text(), R"({"prompt":"a \"tall\" {tower}\n","spec":)" + spec +
                               R"(,"changes":[],"score":87.5,"rating":-4,"big":18446744073709551615})");
  EXPECT_TRUE(record.topLevel() == sent.topLevel()) << "the same top level, scalars and empty containers";
  EXPECT_EQ(record.fieldText("spec"), spec);
  EXPECT_EQ(record.fieldText("changes"), "[]");
  EXPECT_EQ(record.fieldText("prompt"), std::nullopt);
  EXPECT_EQ(record.fieldText("absent"), std::nullopt);
  EXPECT_TRUE(record.topLevel()["rating"].IsInt());
  EXPECT_TRUE(record.topLevel()["big"].IsUint64());
  EXPECT_EQ(record.fieldText("spec")->data(), spec.data()) << "the host's bytes, not a copy";
  EXPECT_TRUE(record.fields() == sent.fields());
  EXPECT_TRUE(record.nestedTextStorable());
}

TEST(RecordToInsertFromFields, ANameGivenTwiceIsItsFirstValue) {
  const p2j_record_field fields[] = {recordField("spec", "prose", P2J_FIELD_TEXT),
                                     recordField("spec", "{}", P2J_FIELD_JSON)};
  const RecordToInsert record(fields);
  EXPECT_TRUE(findMember(record.topLevel(), "spec")->IsString());
  EXPECT_EQ(record.fieldText("spec"), std::nullopt);
}

// What the JSON path finds by decoding every string, the fields path finds by scanning the text.
TEST(RecordToInsertFromFields, NotesUnstorableTextAsTheJsonPathDoes) {
  const std::vector<std::string> specs = {
      R"({"note":"plain"})",   "{\"note\":\"\xff\"}",        R"({"k\u0000":1})",           R"({"note":"a\u0000"})",
      R"({"note":"\\u0000"})", R"({"note":"\\\u0000"})",     R"({"note":"\ud83d\ude00"})", R"({"note":"\ud83d"})",
      R"({"note":"\ude00"})",  R"({"note":"\uD83D\uDE00"})", R"(["\u00e9", "\n\t\/"])",    "{\"note\":\"\xc3\xa9\"}"};
  for (const std::string& spec : specs) {
    const std::string record = R"({"spec":)" + spec + "}";
    bool storable_as_json = false;
    try {
      storable_as_json = RecordToInsert(record).nestedTextStorable();
    } catch (const JsonSyntaxError&) {
      storable_as_json = false;  // RapidJSON refuses a lone high surrogate: not a spec the host passes on
    }
    EXPECT_EQ(storableAsFields(spec), storable_as_json) << spec;
  }
  EXPECT_FALSE(storableAsFields(R"({"note":"\ude00"})")) << "half a surrogate pair";
  EXPECT_TRUE(storableAsFields(R"({"note":"\\u0000"})")) << "an escaped backslash, then text";
}

TEST(RecordToInsertFromFields, RefusesAFieldThatIsNotOfItsKind) {
  auto error = [](const p2j_record_field& field) -> std::string {
    try {
      RecordToInsert record(std::span<const p2j_record_field>(&field, 1));
    } catch (const JsonSyntaxError& e) {
      return std::string("syntax: ") + e.what();
    } catch (const FieldError& e) {
      return std::string("field: ") + e.what();
    }
    return "";
  };
  EXPECT_EQ(error(recordField("score", "high", P2J_FIELD_NUMBER)), "syntax: field 'score' is not a JSON number");
  EXPECT_EQ(error(recordField("score", "1 2", P2J_FIELD_NUMBER)), "syntax: field 'score' is not a JSON number");
  EXPECT_EQ(error(recordField("score", "\"1\"", P2J_FIELD_NUMBER)), "syntax: field 'score' is not a JSON number");
  EXPECT_EQ(error(recordField("spec", "\"text\"", P2J_FIELD_JSON)),
            "syntax: field 'spec' is not a JSON object or array");
  EXPECT_EQ(error(recordField("spec", "", P2J_FIELD_JSON)), "syntax: field 'spec' is not a JSON object or array");
  EXPECT_NE(error(recordField("spec", "{}", static_cast<p2j_field_kind>(9))).find("field: "), std::string::npos);
  EXPECT_EQ(error(recordField("prompt", "text", P2J_FIELD_TEXT)), "");
  EXPECT_EQ(error({{"prompt", 6}, {nullptr, 4}, P2J_FIELD_TEXT}),
            "syntax: a field's name or value has a size but no bytes");
}

// An empty view may come without a pointer, as a default std::string_view converts.
TEST(RecordToInsertFromFields, AnEmptyValueWithoutAPointerIsEmptyText) {
  const p2j_record_field fields[] = {{{"prompt", 6}, {nullptr, 0}, P2J_FIELD_TEXT}};
  const RecordToInsert record(fields);
  EXPECT_EQ(std::string(findMember(record.topLevel(), "prompt")->GetString()), "");
  EXPECT_EQ(record.text(), R"({"prompt":""})");
}

}  // namespace
}  // namespace p2j::sdk
