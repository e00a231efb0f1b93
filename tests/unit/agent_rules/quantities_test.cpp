#include "quantities.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace p2j::agent_rules {
namespace {

const UnitIndex& units() {
  static const UnitIndex index;
  return index;
}

// The quantity that starts the text.
std::optional<Quantity> leading(const TokenizedText& text) { return units().quantityAt(text.tokens(), 0); }

struct Conversion {
  const char* text;
  UnitKind kind;
  double si;
};

class UnitConversion : public ::testing::TestWithParam<Conversion> {};

TEST_P(UnitConversion, ConvertsToSi) {
  const TokenizedText text(GetParam().text);
  const auto quantity = leading(text);
  ASSERT_TRUE(quantity);
  ASSERT_NE(quantity->unit, nullptr) << GetParam().text;
  EXPECT_EQ(quantity->unit->kind, GetParam().kind) << GetParam().text;
  EXPECT_NEAR(quantity->si(), GetParam().si, 1e-9 * GetParam().si) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Units, UnitConversion,
    ::testing::Values(Conversion{"30m", UnitKind::Length, 30}, Conversion{"12 metres", UnitKind::Length, 12},
                      Conversion{"200 ft", UnitKind::Length, 60.96}, Conversion{"6 feet", UnitKind::Length, 1.8288},
                      Conversion{"1 foot", UnitKind::Length, 0.3048}, Conversion{"29-inch", UnitKind::Length, 0.7366},
                      Conversion{"10 inches", UnitKind::Length, 0.254}, Conversion{"15\"", UnitKind::Length, 0.381},
                      Conversion{"3 yd", UnitKind::Length, 2.7432}, Conversion{"180 cm", UnitKind::Length, 1.8},
                      Conversion{"450 mm", UnitKind::Length, 0.45}, Conversion{"2 km", UnitKind::Length, 2000},
                      Conversion{"2000 sq ft", UnitKind::Area, 185.80608},
                      Conversion{"100 square feet", UnitKind::Area, 9.290304},
                      Conversion{"10,000 sq. ft", UnitKind::Area, 929.0304}, Conversion{"500 m²", UnitKind::Area, 500},
                      Conversion{"500 m2", UnitKind::Area, 500}, Conversion{"80 sq m", UnitKind::Area, 80},
                      Conversion{"80 square meters", UnitKind::Area, 80}, Conversion{"20 m³", UnitKind::Volume, 20},
                      Conversion{"150 kg", UnitKind::Mass, 150}, Conversion{"10 lb", UnitKind::Mass, 4.5359237},
                      Conversion{"2 pounds", UnitKind::Mass, 0.90718474}, Conversion{"500 g", UnitKind::Mass, 0.5},
                      Conversion{"12 tons", UnitKind::Mass, 12000}, Conversion{"3 tonnes", UnitKind::Mass, 3000}));

TEST(Quantities, LongestUnitWins) {
  const TokenizedText speed("25 km/h");
  const auto quantity = leading(speed);
  ASSERT_TRUE(quantity && quantity->unit);
  EXPECT_EQ(quantity->unit->kind, UnitKind::Speed);
  EXPECT_EQ(quantity->unit->symbol, "km/h");
  EXPECT_EQ(quantity->end, 4u);
}

TEST(Quantities, InIsAnInchOnlyBeforeASizeWord) {
  const TokenizedText inches("26 in wheels");
  ASSERT_NE(leading(inches)->unit, nullptr);
  EXPECT_EQ(leading(inches)->unit->symbol, "in");

  const TokenizedText preposition("3 in the garden");
  EXPECT_EQ(leading(preposition)->unit, nullptr);

  const TokenizedText length("30 in length");
  EXPECT_EQ(leading(length)->unit, nullptr);

  const TokenizedText glued("15in");
  ASSERT_NE(leading(glued)->unit, nullptr);
}

TEST(Quantities, GluedGIsNotGrams) {
  const TokenizedText network("5G phone");
  EXPECT_EQ(leading(network)->unit, nullptr);
  const TokenizedText grams("5 g");
  ASSERT_NE(leading(grams)->unit, nullptr);
  EXPECT_EQ(leading(grams)->unit->kind, UnitKind::Mass);
}

TEST(Quantities, WSlashIsWithNotWatts) {
  const TokenizedText with("2 w/ garage");
  EXPECT_EQ(leading(with)->unit, nullptr);
  const TokenizedText watts("1500 W");
  ASSERT_NE(leading(watts)->unit, nullptr);
  EXPECT_EQ(leading(watts)->unit->symbol, "W");
}

TEST(Quantities, QuoteMustTouchTheNumber) {
  const TokenizedText spaced("15 \"quoted\"");
  EXPECT_EQ(leading(spaced)->unit, nullptr);
}

TEST(NumberWords, ReadsWordsAndCompounds) {
  const TokenizedText ten("ten floors");
  auto number = numberAt(ten.tokens(), 0);
  ASSERT_TRUE(number);
  EXPECT_DOUBLE_EQ(number->value, 10);
  EXPECT_EQ(number->end, 1u);

  const TokenizedText compound("twenty-five floors");
  number = numberAt(compound.tokens(), 0);
  ASSERT_TRUE(number);
  EXPECT_DOUBLE_EQ(number->value, 25);
  EXPECT_EQ(number->end, 2u);

  const TokenizedText twenty("twenty floors");
  EXPECT_DOUBLE_EQ(numberAt(twenty.tokens(), 0)->value, 20);

  const TokenizedText word("tower");
  EXPECT_FALSE(numberAt(word.tokens(), 0));
}

TEST(Quantities, MalformedAndSymbolsAreNoQuantity) {
  const TokenizedText malformed("1.2.3 m");
  EXPECT_FALSE(leading(malformed));
  const TokenizedText dot(". m");
  EXPECT_FALSE(leading(dot));
  const TokenizedText zero("0 m");
  EXPECT_FALSE(leading(zero));
}

TEST(FormatNumber, ShortestPlainDecimal) {
  EXPECT_EQ(formatNumber(15), "15");
  EXPECT_EQ(formatNumber(15.6), "15.6");
  EXPECT_EQ(formatNumber(0.7366), "0.7366");
  EXPECT_EQ(formatNumber(1e14), "100000000000000");
}

TEST(SaneAmount, RejectsWhatCannotBeAQuantity) {
  EXPECT_TRUE(isSaneAmount(1));
  EXPECT_FALSE(isSaneAmount(0));
  EXPECT_FALSE(isSaneAmount(1e16));
  EXPECT_FALSE(isSaneAmount(std::numeric_limits<double>::infinity()));
}

}  // namespace
}  // namespace p2j::agent_rules
