// sdk::isStorableText: valid UTF-8 without NUL, wherever in the text the offending bytes stand (its ASCII fast
// path reads eight bytes at a time, so every position around a word boundary is tried).
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace p2j::sdk {
namespace {

struct Piece {
  std::string bytes;
  bool storable;
  const char* what;
};

TEST(StorableText, FindsEachOffendingSequenceAtEveryPosition) {
  const Piece pieces[] = {
      {"e", true, "ASCII"},
      {std::string(1, '\0'), false, "a NUL"},
      {"\xc3\xa9", true, "two-byte UTF-8"},
      {"\xe2\x82\xac", true, "three-byte UTF-8"},
      {"\xf0\x9f\x98\x80", true, "four-byte UTF-8"},
      {"\xff", false, "a byte no UTF-8 has"},
      {"\x80", false, "a lone continuation byte"},
      {"\xc0\x80", false, "an overlong NUL"},
      {"\xed\xa0\x80", false, "a surrogate"},
      {"\xf4\x90\x80\x80", false, "past U+10FFFF"},
      {"\xe2\x82", false, "a sequence cut short"},
  };
  for (const Piece& piece : pieces) {
    for (size_t before = 0; before <= 17; ++before) {
      for (size_t after : {0, 1, 7, 8, 9}) {
        const std::string text = std::string(before, 'a') + piece.bytes + std::string(after, 'z');
        EXPECT_EQ(isStorableText(text), piece.storable) << piece.what << " after " << before << " bytes";
      }
    }
  }
  EXPECT_TRUE(isStorableText(""));
  EXPECT_FALSE(isStorableText(std::string(64, 'a') + "\xe2\x82")) << "cut short at the very end";
}

}  // namespace
}  // namespace p2j::sdk
