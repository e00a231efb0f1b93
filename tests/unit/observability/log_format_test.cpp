#include "observability/log_format.hpp"
#include "observability/log_context.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <regex>

namespace p2j::observability {
namespace {

// 2026-01-31T12:00:00.123456Z
const auto kTime =
    std::chrono::system_clock::time_point(std::chrono::seconds(1769860800)) + std::chrono::microseconds(123456);

std::string format(spdlog::formatter& formatter, std::string_view text,
                   spdlog::level::level_enum level = spdlog::level::info, std::string_view logger = "p2j") {
  spdlog::details::log_msg msg(kTime, {}, {logger.data(), logger.size()}, level, {text.data(), text.size()});
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  return {out.data(), out.size()};
}

TEST(TextLogFormat, TimestampLevelLoggerMessage) {
  TextLogFormatter text;
  EXPECT_EQ(format(text, "serving", spdlog::level::warn, "storage"),
            "2026-01-31T12:00:00.123456Z warning storage: serving\n");
}

TEST(TextLogFormat, RequestIdAndFieldsFollowTheMessage) {
  TextLogFormatter text;
  const RequestLogScope request("req-1");
  const LogField fields[] = {{.key = "method", .value = "GET", .in_text = false},
                             {.key = "status", .value = "200", .number = true},
                             {.key = "client", .value = "127.0.0.1"}};
  const LogFieldsScope with(fields);
  EXPECT_EQ(format(text, "GET /livez", spdlog::level::info, "access"),
            "2026-01-31T12:00:00.123456Z info access: GET /livez status=200 client=127.0.0.1 request_id=req-1\n");
}

TEST(TextLogFormat, OneLinePerEntry) {
  TextLogFormatter text;
  EXPECT_EQ(format(text, "first\nsecond\r"), "2026-01-31T12:00:00.123456Z info p2j: first\\nsecond\\r\n");
  EXPECT_EQ(format(text, "\r\n\nthird"), "2026-01-31T12:00:00.123456Z info p2j: \\r\\n\\nthird\n");
}

TEST(TextLogFormat, MicrosecondsKeepTheirLeadingZeros) {
  TextLogFormatter text;
  for (const auto& [micros, expected] :
       {std::pair{0, ".000000Z"}, {7, ".000007Z"}, {40500, ".040500Z"}, {999999, ".999999Z"}}) {
    const auto time =
        std::chrono::system_clock::time_point(std::chrono::seconds(1769860800)) + std::chrono::microseconds(micros);
    spdlog::details::log_msg msg(time, {}, "p2j", spdlog::level::info, "x");
    spdlog::memory_buf_t out;
    text.format(msg, out);
    EXPECT_EQ(std::string(out.data(), out.size()), std::string("2026-01-31T12:00:00") + expected + " info p2j: x\n");
  }
}

TEST(TextLogFormat, ContextEndsWithItsScope) {
  TextLogFormatter text;
  {
    const RequestLogScope request("req-2");
    EXPECT_NE(format(text, "inside").find("request_id=req-2"), std::string::npos);
  }
  EXPECT_EQ(format(text, "outside").find("request_id"), std::string::npos);
}

TEST(JsonLogFormat, OneObjectPerLineWithTheFieldsAsKeys) {
  JsonLogFormatter json;
  const RequestLogScope request("req-3");
  const LogField fields[] = {{.key = "method", .value = "POST", .in_text = false},
                             {.key = "status", .value = "201", .number = true},
                             {.key = "duration_ms", .value = "0.412", .number = true},
                             {.key = "principal", .value = "-"}};
  const LogFieldsScope with(fields);
  const std::string line = format(json, "POST /generate \"quoted\"", spdlog::level::info, "access");
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const rapidjson::Document entry = sdk::parseJson(line);
  EXPECT_STREQ(entry["ts"].GetString(), "2026-01-31T12:00:00.123456Z");
  EXPECT_STREQ(entry["level"].GetString(), "info");
  EXPECT_STREQ(entry["logger"].GetString(), "access");
  EXPECT_STREQ(entry["msg"].GetString(), "POST /generate \"quoted\"");
  EXPECT_STREQ(entry["request_id"].GetString(), "req-3");
  EXPECT_STREQ(entry["method"].GetString(), "POST");
  EXPECT_EQ(entry["status"].GetInt(), 201);
  EXPECT_DOUBLE_EQ(entry["duration_ms"].GetDouble(), 0.412);
  EXPECT_STREQ(entry["principal"].GetString(), "-");
}

TEST(JsonLogFormat, NoRequestIdOutsideARequest) {
  JsonLogFormatter json;
  const rapidjson::Document entry = sdk::parseJson(format(json, "multi\nline", spdlog::level::err));
  EXPECT_FALSE(entry.HasMember("request_id"));
  EXPECT_STREQ(entry["msg"].GetString(), "multi\nline");
  EXPECT_STREQ(entry["level"].GetString(), "error");
}

TEST(JsonLogFormat, TextThatIsNotUtf8StillMakesValidJson) {
  JsonLogFormatter json;
  const std::string line = format(json, std::string("bad \xff\xfe bytes and a \0 nul", 24));
  ASSERT_TRUE(sdk::isStorableText(line)) << line;
  const rapidjson::Document entry = sdk::parseJson(line);
  EXPECT_STREQ(entry["msg"].GetString(), "bad ?? bytes and a ? nul");
}

}  // namespace
}  // namespace p2j::observability
