#include "tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2j::agent_rules {
namespace {

std::vector<std::string> texts(const TokenizedText& text) {
  std::vector<std::string> out;
  for (const auto& token : text.tokens()) out.emplace_back(token.text);
  return out;
}

TEST(Tokenizer, LowerCasesWordsAndSplitsPunctuation) {
  const TokenizedText text("Design a HOUSE, please!");
  EXPECT_EQ(texts(text), (std::vector<std::string>{"design", "a", "house", ",", "please", "!"}));
  EXPECT_EQ(text.tokens()[2].kind, TokenKind::Word);
  EXPECT_EQ(text.tokens()[3].kind, TokenKind::Symbol);
  EXPECT_EQ(text.original().substr(text.tokens()[2].begin, 5), "HOUSE");
}

TEST(Tokenizer, ReadsThousandsSeparatorsAndDecimals) {
  const TokenizedText text("10,000 sq ft and 4.5 m, $1,250,000.75");
  const auto& t = text.tokens();
  ASSERT_EQ(t[0].kind, TokenKind::Number);
  EXPECT_DOUBLE_EQ(t[0].value, 10000);
  EXPECT_EQ(t[0].text, "10,000");
  EXPECT_DOUBLE_EQ(t[4].value, 4.5);
  EXPECT_EQ(t[7].text, "$");
  EXPECT_DOUBLE_EQ(t[8].value, 1250000.75);
  EXPECT_TRUE(t[8].glued);
}

TEST(Tokenizer, CommaWithoutThreeDigitsSeparatesNumbers) {
  const TokenizedText text("1,2 and 10,00");
  const auto& t = text.tokens();
  ASSERT_EQ(t.size(), 7u);
  EXPECT_DOUBLE_EQ(t[0].value, 1);
  EXPECT_DOUBLE_EQ(t[2].value, 2);
  EXPECT_DOUBLE_EQ(t[4].value, 10);
  EXPECT_DOUBLE_EQ(t[6].value, 0);
}

TEST(Tokenizer, MalformedNumbersAreKeptButNeverRead) {
  const TokenizedText text("1.2.3 m and 192.168.0.1 .");
  const auto& t = text.tokens();
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].kind, TokenKind::Malformed);
  EXPECT_EQ(t[0].text, "1.2.3");
  EXPECT_EQ(t[3].kind, TokenKind::Malformed);
  EXPECT_EQ(t[4].kind, TokenKind::Symbol);
  EXPECT_EQ(t[4].text, ".");
}

TEST(Tokenizer, AloneDotIsPunctuationAndLeadingDotIsADecimal) {
  const TokenizedText alone(".");
  ASSERT_EQ(alone.tokens().size(), 1u);
  EXPECT_EQ(alone.tokens()[0].kind, TokenKind::Symbol);

  const TokenizedText leading("a .5 m gap, house.5");
  const auto& t = leading.tokens();
  EXPECT_EQ(t[1].kind, TokenKind::Number);
  EXPECT_DOUBLE_EQ(t[1].value, 0.5);
  EXPECT_EQ(t[6].text, ".");  // "house.5" ends a sentence, it is no decimal
  EXPECT_DOUBLE_EQ(t[7].value, 5);
}

TEST(Tokenizer, SplitsDigitsFromLettersAndMarksGlue) {
  const TokenizedText text("12m 20x15x10 C30");
  EXPECT_EQ(texts(text), (std::vector<std::string>{"12", "m", "20", "x", "15", "x", "10", "c", "30"}));
  const auto& t = text.tokens();
  EXPECT_TRUE(t[1].glued);
  EXPECT_FALSE(t[2].glued);
  EXPECT_TRUE(t[4].glued);
  EXPECT_TRUE(t[8].glued);
}

TEST(Tokenizer, HyphenJoinsButIsNoToken) {
  const TokenizedText text("10-story wi-fi – range 10 - 12");
  const auto& t = text.tokens();
  EXPECT_EQ(texts(text), (std::vector<std::string>{"10", "story", "wi", "fi", "–", "range", "10", "-", "12"}));
  EXPECT_TRUE(t[1].hyphenated);
  EXPECT_TRUE(t[3].hyphenated);
  EXPECT_FALSE(t[5].hyphenated);
  EXPECT_EQ(t[7].kind, TokenKind::Symbol);  // a spaced dash separates
}

TEST(Tokenizer, KeepsApostrophesInsideWords) {
  const TokenizedText text("What's the family's 'plan'");
  EXPECT_EQ(texts(text), (std::vector<std::string>{"what's", "the", "family's", "'", "plan", "'"}));
}

TEST(Tokenizer, AccentedLettersStayInTheirWord) {
  const TokenizedText text("Café MONTRÉAL");
  EXPECT_EQ(texts(text), (std::vector<std::string>{"café", "montréal"}));
}

TEST(Tokenizer, OtherScriptsAndEmojiAreSeparateSymbols) {
  const TokenizedText text("house中文🏠x");
  EXPECT_EQ(texts(text), (std::vector<std::string>{"house", "中", "文", "🏠", "x"}));
  EXPECT_EQ(text.tokens()[3].kind, TokenKind::Symbol);
}

TEST(Tokenizer, InvalidUtf8BecomesSingleByteSymbols) {
  const std::string bytes = std::string("a\xff\xc3") + "b\xe2\x82";
  const TokenizedText text(bytes);
  // a, \xff, \xc3 (no continuation follows), b, \xe2 (cut short), \x82 (a stray continuation byte)
  ASSERT_EQ(text.tokens().size(), 6u);
  EXPECT_EQ(text.tokens()[1].kind, TokenKind::Symbol);
  EXPECT_EQ(text.tokens()[5].text, "\x82");
  EXPECT_EQ(text.tokens()[0].text, "a");
  EXPECT_EQ(text.tokens()[3].text, "b");
}

TEST(Tokenizer, MultiplicationSignAndSuperscriptAreSymbols) {
  const TokenizedText text("30×20 m²");
  EXPECT_EQ(texts(text), (std::vector<std::string>{"30", "×", "20", "m", "²"}));
}

TEST(Tokenizer, MarksLineStarts) {
  const TokenizedText text("house\ngarden");
  EXPECT_FALSE(text.tokens()[0].lineStart);
  EXPECT_TRUE(text.tokens()[1].lineStart);
}

TEST(Tokenizer, OverlongDigitRunIsMalformed) {
  const TokenizedText text(std::string(40, '9') + " m");
  ASSERT_EQ(text.tokens().size(), 2u);
  EXPECT_EQ(text.tokens()[0].kind, TokenKind::Malformed);
}

}  // namespace
}  // namespace p2j::agent_rules
