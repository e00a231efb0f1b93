// sdk::parseJson: exactly one JSON text, whatever the bytes around it, with the byte offset of what is wrong.
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace p2j::sdk {
namespace {

std::string syntaxErrorOf(std::string_view text) {
  try {
    parseJson(text);
  } catch (const JsonSyntaxError& e) {
    return e.what();
  }
  return "";
}

TEST(ParseJson, TakesOneValueWithWhitespaceAround) {
  const rapidjson::Document document = parseJson(" \r\n\t{\"prompt\": \"a house\", \"n\": [1, 2.5, null]} \n");
  ASSERT_TRUE(document.IsObject());
  EXPECT_STREQ(document["prompt"].GetString(), "a house");
  EXPECT_EQ(document["n"].Size(), 3u);
  EXPECT_TRUE(parseJson("42").IsInt());
}

// Only the view's bytes are read: what follows it in memory is not part of the text.
TEST(ParseJson, ReadsOnlyTheViewsBytes) {
  const std::string buffer = R"({"a": 1}{"b": 2})";
  EXPECT_TRUE(parseJson(std::string_view(buffer).substr(0, 8)).HasMember("a"));
}

TEST(ParseJson, RefusesAnythingAfterTheValue) {
  EXPECT_NE(syntaxErrorOf(R"({"prompt": "a house"} garbage)").find("at byte 22"), std::string::npos)
      << syntaxErrorOf(R"({"prompt": "a house"} garbage)");
  EXPECT_NE(syntaxErrorOf(R"({"a": 1}{"b": 2})"), "");
  EXPECT_NE(syntaxErrorOf("[1] ]"), "");
}

TEST(ParseJson, RefusesNulBytesAnywhere) {
  using namespace std::string_literals;
  for (const std::string& text : {"{\"a\": 1}\0"s, "{\"a\": \"x\0y\"}"s, "\0{}"s, "{\"a\": 1}\0{\"b\": 2}"s}) {
    const std::string error = syntaxErrorOf(text);
    EXPECT_NE(error.find("NUL"), std::string::npos) << error;
  }
}

TEST(ParseJson, NamesTheOffsetOfASyntaxError) {
  EXPECT_NE(syntaxErrorOf(R"({"a": tru})").find("at byte"), std::string::npos);
  EXPECT_NE(syntaxErrorOf(""), "");
  EXPECT_NE(syntaxErrorOf("   "), "");
  EXPECT_NE(syntaxErrorOf(R"({"a": "unterminated)"), "");
}

}  // namespace
}  // namespace p2j::sdk
