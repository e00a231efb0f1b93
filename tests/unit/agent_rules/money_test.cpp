#include "money.hpp"

#include <gtest/gtest.h>

namespace p2j::agent_rules {
namespace {

std::optional<std::string> cost(std::string_view prompt) {
  static const Lexicon lexicon;
  static const UnitIndex units;
  const Analysis analysis(prompt, lexicon);
  return readCost(analysis, units);
}

TEST(Cost, SignsSeparatorsAndMultipliers) {
  EXPECT_EQ(cost("priced at $85,000"), "$85,000");
  EXPECT_EQ(cost("a budget of 50k"), "$50,000");
  EXPECT_EQ(cost("Our budget is $650k."), "$650,000");
  EXPECT_EQ(cost("$1.5M"), "$1,500,000");
  EXPECT_EQ(cost("for 1.5 million"), "$1,500,000");
  EXPECT_EQ(cost("budget $2 million"), "$2,000,000");
  EXPECT_EQ(cost("1200 dollars"), "$1,200");
  EXPECT_EQ(cost("$999.99"), "$999.99");
  EXPECT_EQ(cost("€500"), "€500");
  EXPECT_EQ(cost("£1.2 million"), "£1,200,000");
  EXPECT_EQ(cost("49.99 euros"), "€49.99");
  EXPECT_EQ(cost("USD 300"), "$300");
  EXPECT_EQ(cost("a 50k budget"), "$50,000");
}

TEST(Cost, BoundsAndRanges) {
  EXPECT_EQ(cost("under $200"), "$200");
  EXPECT_EQ(cost("$100-$200"), "$200");
  EXPECT_EQ(cost("$1-2 million"), "$2,000,000");
  EXPECT_EQ(cost("between $100 and $150"), "$150");
  EXPECT_EQ(cost("from $50,000 to $70,000"), "$70,000");
}

TEST(Cost, NumbersThatAreNoMoney) {
  EXPECT_FALSE(cost("a 4K monitor"));
  EXPECT_FALSE(cost("a TV with 4k"));
  EXPECT_FALSE(cost("a stadium for 1 million visitors"));
  EXPECT_FALSE(cost("budget of 3 months"));
  EXPECT_FALSE(cost("2000 pounds"));  // a weight
  EXPECT_FALSE(cost("$"));
  EXPECT_FALSE(cost("$1.2.3"));
}

TEST(FormatMoney, GroupsThousandsAndKeepsCents) {
  EXPECT_EQ(formatMoney("$", 1500000), "$1,500,000");
  EXPECT_EQ(formatMoney("$", 200), "$200");
  EXPECT_EQ(formatMoney("€", 1234.5), "€1,234.50");
  EXPECT_EQ(formatMoney("$", 0.99), "$0.99");
}

}  // namespace
}  // namespace p2j::agent_rules
