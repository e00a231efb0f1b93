// How the SDK lays an auth verdict out for ABI 1.5: every text a slice of one buffer, the roles each ended by
// a NUL, and only as much of the struct as the host said it has.
#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace p2j::sdk {
namespace {

std::string_view sliceOf(const std::string& texts, const p2j_slice& slice) {
  return std::string_view(texts).substr(slice.offset, slice.size);
}

TEST(AuthVerdictAbi, AnAcceptedVerdictIsSlicesOfOneBuffer) {
  p2j_auth_verdict packed{};
  packed.struct_size = sizeof packed;
  const std::string texts = detail::packVerdict(AuthVerdict::allow("alice", {"admin", "ops"}), &packed);
  EXPECT_EQ(packed.struct_size, sizeof packed);
  EXPECT_EQ(packed.authenticated, 1u);
  EXPECT_EQ(sliceOf(texts, packed.subject), "alice");
  EXPECT_EQ(sliceOf(texts, packed.roles), std::string_view("admin\0ops\0", 10));
  EXPECT_EQ(sliceOf(texts, packed.token_use), "access");
  EXPECT_EQ(packed.error.size, 0u);
  EXPECT_EQ(texts.size(), 5u + 10u + 6u) << "one copy of each text, nothing else";
}

TEST(AuthVerdictAbi, ARefusalCarriesItsErrorMessageAndChallenge) {
  p2j_auth_verdict packed{};
  packed.struct_size = sizeof packed;
  const std::string texts = detail::packVerdict(
      AuthVerdict::deny("invalid_token", "the token expired", R"(Bearer realm="p2j", error="invalid_token")"), &packed);
  EXPECT_EQ(packed.authenticated, 0u);
  EXPECT_EQ(packed.roles.size, 0u);
  EXPECT_EQ(sliceOf(texts, packed.error), "invalid_token");
  EXPECT_EQ(sliceOf(texts, packed.message), "the token expired");
  EXPECT_EQ(sliceOf(texts, packed.challenge), R"(Bearer realm="p2j", error="invalid_token")");
}

// A host built against a header whose struct ended after `roles` gets exactly that much written.
TEST(AuthVerdictAbi, OnlyTheFieldsTheHostHasAreWritten) {
  constexpr size_t kOlderSize = offsetof(p2j_auth_verdict, token_use);
  p2j_auth_verdict packed{};
  packed.struct_size = kOlderSize;
  packed.token_use = {77, 77};  // beyond the older struct: must stay as the host left it
  const std::string texts = detail::packVerdict(AuthVerdict::allow("bob", {"viewer"}), &packed);
  EXPECT_EQ(packed.struct_size, kOlderSize);
  EXPECT_EQ(sliceOf(texts, packed.subject), "bob");
  EXPECT_EQ(packed.token_use.offset, 77u);
  EXPECT_EQ(packed.token_use.size, 77u);
}

TEST(AuthVerdictAbi, ARoleHoldingANulByteIsRefused) {
  p2j_auth_verdict packed{};
  packed.struct_size = sizeof packed;
  EXPECT_THROW(detail::packVerdict(AuthVerdict::allow("eve", {std::string("ad\0min", 6)}), &packed),
               std::invalid_argument);
}

}  // namespace
}  // namespace p2j::sdk
