#include "measurements.hpp"

#include <gtest/gtest.h>

namespace p2j::agent_rules {
namespace {

const Lexicon& lexicon() {
  static const Lexicon instance;
  return instance;
}

const UnitIndex& units() {
  static const UnitIndex instance;
  return instance;
}

struct Read {
  sdk::Dimensions dimensions;
  sdk::Performance performance;
};

Read measure(std::string_view prompt, std::string_view designType = "building") {
  const Analysis analysis(prompt, lexicon());
  Read read;
  readMeasurements(analysis, units(), designType, read.dimensions, read.performance);
  return read;
}

std::optional<int64_t> stories(std::string_view prompt) {
  const Analysis analysis(prompt, lexicon());
  return readStories(analysis);
}

TEST(Dimensions, AdjectiveAfterTheMeasure) {
  const auto d = measure("a warehouse 200 ft long, 120 ft wide and 30 ft high, 3 m deep").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 60.96);
  EXPECT_DOUBLE_EQ(*d.width, 36.576);
  EXPECT_DOUBLE_EQ(*d.height, 9.144);
  EXPECT_DOUBLE_EQ(*d.depth, 3);
  EXPECT_NEAR(*d.area, 2229.67296, 1e-9);
  EXPECT_EQ(d.units, "metric");
}

TEST(Dimensions, WordBeforeTheMeasure) {
  const auto d = measure("length 30 m, a width of 8 m, height: 10 m, diameter of about 2 m").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 30);
  EXPECT_DOUBLE_EQ(*d.width, 8);
  EXPECT_DOUBLE_EQ(*d.height, 10);
  EXPECT_DOUBLE_EQ(*d.diameter, 2);
  EXPECT_DOUBLE_EQ(*d.area, 240);
}

TEST(Dimensions, UnlabelledNumberNextToADimensionWordIsMetresOrKilograms) {
  const auto d = measure("height of 10, weight 150, 30 in length").dimensions;
  EXPECT_DOUBLE_EQ(*d.height, 10);
  EXPECT_DOUBLE_EQ(*d.weight, 150);
  EXPECT_DOUBLE_EQ(*d.length, 30);
  EXPECT_FALSE(measure("a height of 5 floors").dimensions.height);
}

TEST(Dimensions, SizePairsAndTriples) {
  auto d = measure("30 x 20 m").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 30);
  EXPECT_DOUBLE_EQ(*d.width, 20);
  EXPECT_DOUBLE_EQ(*d.area, 600);
  d = measure("50 by 30 meters").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 50);
  d = measure("10 m by 7 m").dimensions;
  EXPECT_DOUBLE_EQ(*d.width, 7);
  d = measure("6ft x 3ft").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 1.8288);
  EXPECT_DOUBLE_EQ(*d.width, 0.9144);
  d = measure("140 x 70 cm").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 1.4);
  EXPECT_NEAR(*d.area, 0.98, 1e-12);
  d = measure("20x15x10 m").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 20);
  EXPECT_DOUBLE_EQ(*d.width, 15);
  EXPECT_DOUBLE_EQ(*d.height, 10);
  EXPECT_DOUBLE_EQ(*d.area, 300);
  d = measure("30×20 m").dimensions;
  EXPECT_DOUBLE_EQ(*d.width, 20);
}

TEST(Dimensions, UnlabelledPairsNeedASizeWord) {
  EXPECT_FALSE(measure("a 4x4 pickup").dimensions.length);
  EXPECT_DOUBLE_EQ(*measure("dimensions: 30 x 20").dimensions.length, 30);
}

TEST(Dimensions, AreaVolumeAndWeight) {
  auto d = measure("a 2000 sq ft bungalow").dimensions;
  EXPECT_NEAR(*d.area, 185.80608, 1e-9);
  EXPECT_FALSE(d.length);
  d = measure("10,000 sq ft with a volume of 20 m³").dimensions;
  EXPECT_NEAR(*d.area, 929.0304, 1e-9);
  EXPECT_DOUBLE_EQ(*d.volume, 20);
  d = measure("weighing 12 tons").dimensions;
  EXPECT_DOUBLE_EQ(*d.weight, 12000);
  d = measure("a 180 kg frame").dimensions;
  EXPECT_DOUBLE_EQ(*d.weight, 180);
}

TEST(Dimensions, StatedAreaIsKept) {
  const auto d = measure("30 x 20 m with an area of 500 m²").dimensions;
  EXPECT_DOUBLE_EQ(*d.area, 500);
}

TEST(Dimensions, FirstMentionWins) {
  const auto d = measure("12 m long with a 3 m long ramp").dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 12);
}

TEST(Dimensions, WheelSizeIsADiameter) {
  EXPECT_DOUBLE_EQ(*measure("26-inch wheels", "vehicle").dimensions.diameter, 0.6604);
  EXPECT_DOUBLE_EQ(*measure("18-inch alloy wheels", "vehicle").dimensions.diameter, 0.4572);
}

TEST(Dimensions, BareLengthSaysNothing) {
  const auto d = measure("an electric car with a 500 km range", "vehicle").dimensions;
  EXPECT_FALSE(d.length);
}

TEST(Dimensions, MalformedNumbersAreIgnored) {
  const auto d = measure("1.2.3 m long and . wide").dimensions;
  EXPECT_FALSE(d.length);
  EXPECT_FALSE(d.width);
}

TEST(ScreenSize, IsPerformanceNotADimension) {
  auto read = measure("a 15-inch laptop", "electronics");
  EXPECT_EQ(read.performance.other_specs.at("screen_size"), "15 in");
  EXPECT_FALSE(read.dimensions.length);
  EXPECT_FALSE(read.dimensions.diameter);
  read = measure("a 55-inch 4K smart TV", "electronics");
  EXPECT_EQ(read.performance.other_specs.at("screen_size"), "55 in");
  read = measure("a phone with a 6.1\" display", "electronics");
  EXPECT_EQ(read.performance.other_specs.at("screen_size"), "6.1 in");
  read = measure("screen size of 13.3 inches", "electronics");
  EXPECT_EQ(read.performance.other_specs.at("screen_size"), "13.3 in");
  read = measure("a speaker 10 inches tall", "electronics");
  EXPECT_TRUE(read.performance.other_specs.empty());
  EXPECT_DOUBLE_EQ(*read.dimensions.height, 0.254);
}

TEST(Performance, NormalisedQuantities) {
  const auto p = measure("a 300hp engine, 16 GB of memory, a top speed of 200 km/h and 40 mpg", "vehicle").performance;
  EXPECT_EQ(p.power, "300 hp");
  EXPECT_EQ(p.capacity, "16 GB");
  EXPECT_EQ(p.speed, "200 km/h");
  EXPECT_EQ(p.efficiency, "40 mpg");
  EXPECT_EQ(measure("a 2 kilowatt heater").performance.power, "2 kW");
  EXPECT_EQ(measure("a 500 litre tank").performance.capacity, "500 L");
}

TEST(Performance, LoadIsCapacityNotWeight) {
  const auto read = measure("a shelf that supports 50 kg", "furniture");
  EXPECT_EQ(read.performance.capacity, "50 kg");
  EXPECT_FALSE(read.dimensions.weight);
}

TEST(Stories, EveryWrittenForm) {
  EXPECT_EQ(stories("a 10-story office"), 10);
  EXPECT_EQ(stories("a 10 storey office"), 10);
  EXPECT_EQ(stories("with 6 stories"), 6);
  EXPECT_EQ(stories("a ten-story tower"), 10);
  EXPECT_EQ(stories("3 floors"), 3);
  EXPECT_EQ(stories("three floors"), 3);
  EXPECT_EQ(stories("5 levels"), 5);
  EXPECT_EQ(stories("a single-story cabin"), 1);
  EXPECT_EQ(stories("a G+3 block"), 4);
  EXPECT_EQ(stories("twenty-five floors"), 25);
  EXPECT_EQ(stories("a two-storey house"), 2);
}

TEST(Stories, NotACount) {
  EXPECT_FALSE(stories("a house"));
  EXPECT_FALSE(stories("a multi-story car park"));
  EXPECT_FALSE(stories("5 floor-to-ceiling windows"));
  EXPECT_FALSE(stories("the 2nd floor"));
  EXPECT_FALSE(stories("1.2.3 floors"));
  EXPECT_FALSE(stories("2.5 floors"));
}

}  // namespace
}  // namespace p2j::agent_rules
