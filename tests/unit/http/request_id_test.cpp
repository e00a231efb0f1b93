#include "http/request_id.hpp"
#include "http/exchange.hpp"
#include "http/http_error.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <set>

namespace p2j::http {
namespace {

TEST(RequestId, EchoesASaneClientValue) { EXPECT_EQ(requestIdFor("req-123_abc.9:x"), "req-123_abc.9:x"); }

TEST(RequestId, ReplacesUnsafeOrOversizedValues) {
  for (const std::string& bad : {std::string(""), std::string("a b"), std::string("x\r\nSet-Cookie: y"),
                                 std::string(129, 'a'), std::string("<script>")}) {
    const std::string id = requestIdFor(bad);
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
}

TEST(RequestId, GeneratedIdsAreUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(requestIdFor(""));
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(ErrorBody, HasTheEnvelopeKeys) {
  const auto body = sdk::parseJson(errorBody(422, "validation_error", "prompt: is required", "rid", "prompt"));
  EXPECT_STREQ(body["error"].GetString(), "validation_error");
  EXPECT_STREQ(body["message"].GetString(), "prompt: is required");
  EXPECT_EQ(body["status_code"].GetInt(), 422);
  EXPECT_STREQ(body["request_id"].GetString(), "rid");
  EXPECT_STREQ(body["field"].GetString(), "prompt");
  EXPECT_FALSE(sdk::parseJson(errorBody(404, "not_found", "x", "r")).HasMember("field"));
}

TEST(ErrorBody, EscapesText) {
  const auto body = sdk::parseJson(errorBody(400, "bad_request", "quote \" and \n newline", "r"));
  EXPECT_STREQ(body["message"].GetString(), "quote \" and \n newline");
}

TEST(QueryParameter, DecodesValues) {
  Request request;
  request.query = "retention_days=30&name=a%20b+c&flag";
  EXPECT_EQ(request.queryParameter("retention_days"), "30");
  EXPECT_EQ(request.queryParameter("name"), "a b c");
  EXPECT_EQ(request.queryParameter("flag"), "");
  EXPECT_EQ(request.queryParameter("missing"), std::nullopt);
}

}  // namespace
}  // namespace p2j::http
