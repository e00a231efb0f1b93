// AuthInput: the one view of a request that every auth scheme of an endpoint is shown, as ABI 1.3's struct
// and as the JSON that plugins built against 1.0 to 1.2 read.
#include "plugins/auth_plugin.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

namespace p2j::plugins {
namespace {

std::string_view text(p2j_str view) { return {view.data, view.size}; }

TEST(AuthInput, TheStructHasLowerCaseNamesAndEveryValueInOrder) {
  AuthInput input("POST", "/generate", "10.0.0.7");
  input.addHeader("X-API-Key", "first");
  input.addHeader("Authorization", "Bearer t");
  input.addHeader("x-api-KEY", "second");
  const p2j_auth_request& request = input.abi();
  EXPECT_EQ(request.struct_size, sizeof(p2j_auth_request));
  EXPECT_EQ(text(request.method), "POST");
  EXPECT_EQ(text(request.path), "/generate");
  EXPECT_EQ(text(request.client_ip), "10.0.0.7");
  ASSERT_EQ(request.header_count, 3u);
  EXPECT_EQ(text(request.headers[0].name), "x-api-key");
  EXPECT_EQ(text(request.headers[0].value), "first");
  EXPECT_EQ(text(request.headers[1].name), "authorization");
  EXPECT_EQ(text(request.headers[2].name), "x-api-key");
  EXPECT_EQ(text(request.headers[2].value), "second");
}

TEST(AuthInput, TheJsonGroupsTheValuesOfEachName) {
  AuthInput input("GET", "/specs", "::1");
  input.addHeader("X-API-Key", "first");
  input.addHeader("Host", "p2j");
  input.addHeader("X-Api-Key", "sec\"ond");
  const rapidjson::Document json = sdk::parseJson(input.json());
  EXPECT_STREQ(json["method"].GetString(), "GET");
  EXPECT_STREQ(json["path"].GetString(), "/specs");
  EXPECT_STREQ(json["client_ip"].GetString(), "::1");
  ASSERT_EQ(json["headers"].MemberCount(), 2u);
  const auto& keys = json["headers"]["x-api-key"];
  ASSERT_EQ(keys.Size(), 2u);
  EXPECT_STREQ(keys[0].GetString(), "first");
  EXPECT_STREQ(keys[1].GetString(), "sec\"ond");
  EXPECT_STREQ(json["headers"]["host"][0].GetString(), "p2j");
}

TEST(AuthInput, AHeaderAddedLaterIsSeenByBothForms) {
  AuthInput input("GET", "/", "127.0.0.1");
  EXPECT_EQ(input.abi().header_count, 0u);
  EXPECT_EQ(sdk::parseJson(input.json())["headers"].MemberCount(), 0u);
  input.addHeader("Authorization", "Bearer t");
  EXPECT_EQ(input.abi().header_count, 1u);
  EXPECT_EQ(sdk::parseJson(input.json())["headers"].MemberCount(), 1u);
}

TEST(AuthInput, AnSdkRequestIsShownWithAllItsValues) {
  const sdk::AuthRequest request{
      "POST", "/iterate", "127.0.0.1", {{"x-api-key", "a"}, {"host", "p2j"}, {"x-api-key", "b"}}};
  const AuthInput input(request);
  ASSERT_EQ(input.abi().header_count, 3u);
  EXPECT_EQ(text(input.abi().path), "/iterate");
}

}  // namespace
}  // namespace p2j::plugins
