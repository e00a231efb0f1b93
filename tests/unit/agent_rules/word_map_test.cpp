#include "word_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace p2j::agent_rules {
namespace {

TEST(WordMap, FindsEveryWordItWasGivenAndNoOther) {
  WordMap<int> words;
  EXPECT_EQ(words.find("one"), nullptr);  // empty: no slots yet
  std::map<std::string, int> expected;
  // Enough words to grow the table several times, with words that share prefixes and lengths.
  for (int i = 0; i < 500; ++i) {
    const std::string word = "w" + std::to_string(i * 7919 % 1000);
    words[word] = i;
    expected[word] = i;
  }
  words[""] = -1;
  expected[""] = -1;
  EXPECT_EQ(words.size(), expected.size());
  for (const auto& [word, value] : expected) {
    const int* found = words.find(word);
    ASSERT_NE(found, nullptr) << word;
    EXPECT_EQ(*found, value) << word;
  }
  for (const std::string_view absent : {"w", "w1000", "W1", "w1 ", "one"}) EXPECT_EQ(words.find(absent), nullptr);
}

TEST(WordMap, AGivenWordKeepsItsValueAndEveryWordIsVisitedOnce) {
  WordMap<std::string> words;
  words["steel"] += "a";
  words["glass"] += "b";
  words["steel"] += "c";
  EXPECT_EQ(words.size(), 2u);
  std::map<std::string, std::string> visited;
  words.forEach([&](std::string_view word, std::string& value) { visited.emplace(std::string(word), value); });
  EXPECT_EQ(visited, (std::map<std::string, std::string>{{"glass", "b"}, {"steel", "ac"}}));
}

}  // namespace
}  // namespace p2j::agent_rules
