#include "chat_completion.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

namespace p2j::agent_openai {
namespace {

ChatRequest request(ResponseFormat format) {
  ChatRequest r;
  r.model = "gpt-4o-mini";
  r.messages = {{"system", "be a designer"}, {"user", "a \"quoted\" chair"}};
  r.temperature = 0.2;
  r.max_tokens = 1500;
  r.response_format = format;
  r.strict_schema_json = R"({"type":"object","properties":{},"required":[],"additionalProperties":false})";
  return r;
}

TEST(ChatCompletion, RequestsStrictJsonSchemaOutput) {
  const rapidjson::Document body = sdk::parseJson(chatRequestJson(request(ResponseFormat::kJsonSchema)));
  EXPECT_STREQ(body["model"].GetString(), "gpt-4o-mini");
  ASSERT_EQ(body["messages"].Size(), 2u);
  EXPECT_STREQ(body["messages"][0]["role"].GetString(), "system");
  EXPECT_STREQ(body["messages"][1]["content"].GetString(), "a \"quoted\" chair");
  EXPECT_DOUBLE_EQ(body["temperature"].GetDouble(), 0.2);
  EXPECT_EQ(body["max_tokens"].GetInt(), 1500);
  EXPECT_FALSE(body["stream"].GetBool());
  const auto& format = body["response_format"];
  EXPECT_STREQ(format["type"].GetString(), "json_schema");
  EXPECT_STREQ(format["json_schema"]["name"].GetString(), "design_spec");
  EXPECT_TRUE(format["json_schema"]["strict"].GetBool());
  EXPECT_FALSE(format["json_schema"]["schema"]["additionalProperties"].GetBool());
}

TEST(ChatCompletion, JsonObjectModeAndTheCompletionTokensField) {
  ChatRequest r = request(ResponseFormat::kJsonObject);
  r.max_tokens_field = "max_completion_tokens";
  const rapidjson::Document body = sdk::parseJson(chatRequestJson(r));
  EXPECT_EQ(sdk::toJsonText(body["response_format"]), R"({"type":"json_object"})");
  EXPECT_FALSE(body.HasMember("max_tokens"));
  EXPECT_EQ(body["max_completion_tokens"].GetInt(), 1500);
}

TEST(ChatCompletion, ReadsContentFinishReasonAndUsage) {
  const ChatAnswer answer = parseChatAnswer(R"({"choices": [{"index": 0, "finish_reason": "stop",
      "message": {"role": "assistant", "content": "{\"a\": 1}", "refusal": null}}],
      "usage": {"prompt_tokens": 900, "completion_tokens": 100, "total_tokens": 1000}})");
  EXPECT_EQ(answer.content, "{\"a\": 1}");
  EXPECT_FALSE(answer.refusal);
  EXPECT_EQ(answer.finish_reason, "stop");
  EXPECT_TRUE(answer.usage.reported);
  EXPECT_EQ(answer.usage.total_tokens, 1000);
}

TEST(ChatCompletion, ReadsARefusalAndAMissingUsage) {
  const ChatAnswer answer = parseChatAnswer(R"({"choices": [{"finish_reason": "stop",
      "message": {"role": "assistant", "content": null, "refusal": "I cannot help with that."}}]})");
  EXPECT_FALSE(answer.content);
  EXPECT_EQ(answer.refusal, "I cannot help with that.");
  EXPECT_FALSE(answer.usage.reported);
  const ChatAnswer partial = parseChatAnswer(
      R"({"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": 5, "completion_tokens": 7}})");
  EXPECT_EQ(partial.usage.total_tokens, 12) << "total computed when a server leaves it out";
  EXPECT_EQ(partial.finish_reason, "");
}

TEST(ChatCompletion, RefusesWhatIsNoChatCompletion) {
  EXPECT_THROW(parseChatAnswer("<html>502</html>"), std::runtime_error);
  EXPECT_THROW(parseChatAnswer("[]"), std::runtime_error);
  EXPECT_THROW(parseChatAnswer(R"({"choices": []})"), std::runtime_error);
  EXPECT_THROW(parseChatAnswer(R"({"choices": [{"text": "completions API"}]})"), std::runtime_error);
  EXPECT_THROW(parseChatAnswer(R"({"choices": [1]})"), std::runtime_error);
}

TEST(ChatCompletion, AnErrorSummaryNeverQuotesTheMessage) {
  const std::string body = R"({"error": {"message": "Incorrect API key provided: sk-abc***xyz",
      "type": "invalid_request_error", "code": "invalid_api_key"}})";
  const std::string summary = errorSummary(body);
  EXPECT_EQ(summary, "type invalid_request_error, code invalid_api_key");
  EXPECT_EQ(summary.find("sk-"), std::string::npos);
  EXPECT_EQ(errorSummary("not json"), "");
  EXPECT_EQ(errorSummary(R"({"detail": "x"})"), "");
  EXPECT_EQ(errorSummary("{\"error\": {\"type\": \"a\\nb\\u0000c\"}}"), "type a?b?c")
      << "no control characters in logs";
}

}  // namespace
}  // namespace p2j::agent_openai
