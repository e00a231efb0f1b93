#include "timeline.hpp"

#include <gtest/gtest.h>

namespace p2j::agent_rules {
namespace {

std::optional<std::string> timeline(std::string_view prompt) {
  static const Lexicon lexicon;
  const Analysis analysis(prompt, lexicon);
  return readTimeline(analysis);
}

TEST(Timeline, NumbersWordsAndArticles) {
  EXPECT_EQ(timeline("to be completed in 18 months"), "18 months");
  EXPECT_EQ(timeline("done in six months"), "6 months");
  EXPECT_EQ(timeline("within a year"), "1 year");
  EXPECT_EQ(timeline("in 1 week"), "1 week");
  EXPECT_EQ(timeline("a 6-month build"), "6 months");
  EXPECT_EQ(timeline("over 2.5 years"), "2.5 years");
}

TEST(Timeline, DurationsThatAreNoSchedule) {
  EXPECT_FALSE(timeline("a 2-year warranty"));
  EXPECT_FALSE(timeline("battery life of 10 years"));
  EXPECT_FALSE(timeline("10,000 visitors a year"));
  EXPECT_FALSE(timeline("a year"));
  EXPECT_FALSE(timeline("5 years old"));
  EXPECT_EQ(timeline("a 2-year warranty, built in 8 months"), "8 months");
}

}  // namespace
}  // namespace p2j::agent_rules
