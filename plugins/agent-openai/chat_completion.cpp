#include "chat_completion.hpp"

#include <p2j/sdk/json.hpp>

#include <stdexcept>

namespace p2j::agent_openai {
namespace {

std::optional<std::string> stringMember(const rapidjson::Value& object, const char* key) {
  const auto member = object.FindMember(key);
  if (member == object.MemberEnd() || !member->value.IsString()) return std::nullopt;
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

int64_t tokenCount(const rapidjson::Value& usage, const char* key) {
  const auto member = usage.FindMember(key);
  return member != usage.MemberEnd() && member->value.IsInt64() ? member->value.GetInt64() : 0;
}

// A short, safe excerpt of a server-chosen string for the log: bounded, printable ASCII only.
std::string loggable(const std::string& text) {
  std::string safe;
  for (const char c : text.substr(0, 64)) safe += (c >= 0x20 && c < 0x7f) ? c : '?';
  return safe;
}

}  // namespace

std::string chatRequestJson(const ChatRequest& request) {
  rapidjson::StringBuffer body;
  sdk::JsonWriter writer(body);
  writer.StartObject();
  writer.Key("model");
  sdk::writeString(writer, request.model);
  writer.Key("messages");
  writer.StartArray();
  for (const auto& message : request.messages) {
    writer.StartObject();
    writer.Key("role");
    sdk::writeString(writer, message.role);
    writer.Key("content");
    sdk::writeString(writer, message.content);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("temperature");
  writer.Double(request.temperature);
  sdk::writeKey(writer, request.max_tokens_field);
  writer.Int64(request.max_tokens);
  writer.Key("response_format");
  writer.StartObject();
  writer.Key("type");
  if (request.response_format == ResponseFormat::kJsonSchema) {
    writer.String("json_schema");
    writer.Key("json_schema");
    writer.StartObject();
    writer.Key("name");
    writer.String("design_spec");
    writer.Key("strict");
    writer.Bool(true);
    writer.Key("schema");
    writer.RawValue(request.strict_schema_json.data(), request.strict_schema_json.size(), rapidjson::kObjectType);
    writer.EndObject();
  } else {
    writer.String("json_object");
  }
  writer.EndObject();
  writer.Key("stream");
  writer.Bool(false);
  writer.EndObject();
  return {body.GetString(), body.GetSize()};
}

ChatAnswer parseChatAnswer(std::string_view body) {
  rapidjson::Document document;
  try {
    document = sdk::parseJson(body);
  } catch (const sdk::JsonSyntaxError&) {
    throw std::runtime_error("the answer is not JSON");
  }
  if (!document.IsObject()) throw std::runtime_error("the answer is not a JSON object");
  const auto choices = document.FindMember("choices");
  if (choices == document.MemberEnd() || !choices->value.IsArray() || choices->value.Empty()) {
    throw std::runtime_error("the answer has no choices");
  }
  const rapidjson::Value& choice = choices->value[0];
  if (!choice.IsObject()) throw std::runtime_error("the answer's first choice is not an object");
  const auto message = choice.FindMember("message");
  if (message == choice.MemberEnd() || !message->value.IsObject()) {
    throw std::runtime_error("the answer's first choice has no message");
  }
  ChatAnswer answer;
  answer.content = stringMember(message->value, "content");
  answer.refusal = stringMember(message->value, "refusal");
  answer.finish_reason = stringMember(choice, "finish_reason").value_or("");
  const auto usage = document.FindMember("usage");
  if (usage != document.MemberEnd() && usage->value.IsObject()) {
    answer.usage.reported = true;
    answer.usage.prompt_tokens = tokenCount(usage->value, "prompt_tokens");
    answer.usage.completion_tokens = tokenCount(usage->value, "completion_tokens");
    answer.usage.total_tokens = tokenCount(usage->value, "total_tokens");
    if (answer.usage.total_tokens == 0) {
      answer.usage.total_tokens = answer.usage.prompt_tokens + answer.usage.completion_tokens;
    }
  }
  return answer;
}

std::string errorSummary(std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject()) return "";
  const auto error = document.FindMember("error");
  if (error == document.MemberEnd() || !error->value.IsObject()) return "";
  std::string summary;
  for (const char* key : {"type", "code"}) {
    if (const auto value = stringMember(error->value, key)) {
      summary += (summary.empty() ? "" : ", ") + std::string(key) + " " + loggable(*value);
    }
  }
  return summary;
}

}  // namespace p2j::agent_openai
