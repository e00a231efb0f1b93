#include "extractor.hpp"

#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace p2j::agent_rules {
namespace {

const Extractor& extractor() {
  static const Extractor instance;
  return instance;
}

std::vector<std::string> materialTypes(const sdk::DesignSpec& spec) {
  std::vector<std::string> types;
  for (const auto& material : spec.materials) types.push_back(material.type);
  return types;
}

using Strings = std::vector<std::string>;

TEST(Extractor, FillsEveryFieldOfTheContract) {
  const auto spec = extractor().extract(
      "Design a 10-story office building with steel and glass, 40x30 m, parking and an elevator. "
      "It must have solar panels. Budget $2 million, to be completed in 18 months, for business users.");
  EXPECT_EQ(spec.design_type, "building");
  EXPECT_EQ(spec.category, "commercial");
  EXPECT_EQ(spec.stories, 10);
  EXPECT_EQ(materialTypes(spec), (Strings{"steel", "glass"}));
  EXPECT_EQ(spec.materials[0].grade, "standard");
  EXPECT_EQ(spec.materials[0].properties_json, "{}");
  EXPECT_DOUBLE_EQ(*spec.dimensions.length, 40);
  EXPECT_DOUBLE_EQ(*spec.dimensions.area, 1200);
  EXPECT_EQ(spec.dimensions.units, "metric");
  EXPECT_EQ(spec.features, (Strings{"parking", "elevator", "solar"}));
  EXPECT_EQ(spec.estimated_cost, "$2,000,000");
  EXPECT_EQ(spec.timeline, "18 months");
  EXPECT_EQ(spec.target_audience, "professional");
  EXPECT_EQ(spec.constraints, (Strings{"budget constraint"}));
  ASSERT_EQ(spec.requirements.size(), 2u);
  EXPECT_EQ(spec.requirements[1], "It must have solar panels");
  EXPECT_EQ(spec.use_cases, (Strings{"business users"}));
  EXPECT_TRUE(spec.timestamp.empty());
}

TEST(Extractor, StoriesOnlyForBuildings) {
  EXPECT_EQ(extractor().extract("Design a house").stories, 1);
  EXPECT_FALSE(extractor().extract("Design a car with 3 levels of trim").stories);
}

TEST(Extractor, DefaultMaterialPerType) {
  EXPECT_EQ(materialTypes(extractor().extract("Design a house")), (Strings{"concrete"}));
  EXPECT_EQ(materialTypes(extractor().extract("Design a car")), (Strings{"steel"}));
  EXPECT_EQ(materialTypes(extractor().extract("Design a laptop")), (Strings{"aluminum"}));
  EXPECT_EQ(materialTypes(extractor().extract("Design a fridge")), (Strings{"stainless steel"}));
  EXPECT_EQ(materialTypes(extractor().extract("Design a chair")), (Strings{"wood"}));
  const auto general = extractor().extract("Design a bridge");
  EXPECT_EQ(materialTypes(general), (Strings{"standard"}));
  EXPECT_EQ(general.materials[0].grade, "standard");
}

TEST(Materials, SynonymsMultiWordTermsAndGrades) {
  auto spec = extractor().extract("Design a table with a stainless steel top, oak legs, marble inlay and an MDF shelf");
  EXPECT_EQ(materialTypes(spec), (Strings{"stainless steel", "wood", "stone"}));
  EXPECT_EQ(spec.materials[1].grade, "OAK");
  spec = extractor().extract("Design a warehouse with an A36 steel frame and C30 concrete");
  EXPECT_EQ(spec.materials[0].grade, "A36");
  EXPECT_EQ(spec.materials[1].grade, "C30");
  spec = extractor().extract("Design a bike with a 6061 aluminum frame and ABS plastic guards");
  EXPECT_EQ(spec.materials[0].grade, "6061");
  EXPECT_EQ(spec.materials[1].grade, "ABS");
  spec = extractor().extract("Design a tower of grade 50 steel");
  EXPECT_EQ(spec.materials[0].grade, "GRADE 50");
}

TEST(Materials, CarbonFibreIsNotCarbonSteel) {
  const auto spec =
      extractor().extract("Design a carbon-fibre bicycle with carbon steel bolts and a lithium-ion battery");
  EXPECT_EQ(materialTypes(spec), (Strings{"carbon fiber", "steel", "lithium"}));
  EXPECT_EQ(spec.materials[1].grade, "CARBON");
}

TEST(Features, MultiWordWinsAndNothingIsInvented) {
  auto spec = extractor().extract("Design a washing machine with smart control, a timer and wi-fi");
  EXPECT_EQ(spec.features, (Strings{"smart_control", "timer", "wifi"}));
  spec = extractor().extract("Design a pickup truck with a backup camera and parking sensors");
  EXPECT_EQ(spec.features, (Strings{"backup_camera", "parking_sensors"}));
  spec = extractor().extract("Design a research facility building with air conditioning");
  EXPECT_EQ(spec.features, (Strings{"air_conditioning"}));
  EXPECT_TRUE(extractor().extract("Design a warehouse").features.empty());
}

TEST(Features, OneVocabularyForAllTypes) {
  const auto spec = extractor().extract("Design a car with a camera, Bluetooth and an energy-efficient engine");
  EXPECT_EQ(spec.features, (Strings{"camera", "bluetooth", "energy_efficient"}));
}

TEST(Audience, FirstGroupNamedAndBudgetOnlyAsAnAdjective) {
  EXPECT_EQ(extractor().extract("Design a budget smartphone under $200").target_audience, "budget");
  EXPECT_FALSE(extractor().extract("Design a house with a budget of $300,000").target_audience);
  EXPECT_EQ(extractor().extract("Design a premium laptop for professional users").target_audience, "luxury");
  EXPECT_EQ(extractor().extract("Design a kettle for home users").target_audience, "consumer");
  EXPECT_EQ(extractor().extract("Design a laptop for industrial use").target_audience, "industrial");
}

TEST(Requirements, PromptThenEachRequiringSentence) {
  const auto spec = extractor().extract(
      "Design a house with a garden. It must have 3 floors! Parking is important; the roof should be green.");
  EXPECT_EQ(
      spec.requirements,
      (Strings{"Design a house with a garden. It must have 3 floors! Parking is important; the roof should be green.",
               "It must have 3 floors", "Parking is important", "the roof should be green"}));
  const auto single = extractor().extract("The house must have a garden.");
  EXPECT_EQ(single.requirements, (Strings{"The house must have a garden."}));
}

TEST(Constraints, WhatThePromptNames) {
  const auto spec =
      extractor().extract("Design a van; budget is tight, the deadline is June and there is a weight limit");
  EXPECT_EQ(spec.constraints, (Strings{"budget constraint", "deadline constraint", "weight limit constraint"}));
}

TEST(Components, FromTheTypesVocabulary) {
  const auto spec = extractor().extract("Design a desk with drawers, steel legs and a glass surface");
  EXPECT_EQ(spec.components, (Strings{"drawers", "legs", "surface"}));
}

TEST(Determinism, ListsFollowFirstAppearanceWithoutDuplicates) {
  const std::string prompt = "Design a house of glass, steel, brick and glass with a pool, a garden, pools and a lift";
  const auto first = extractor().extract(prompt);
  EXPECT_EQ(materialTypes(first), (Strings{"glass", "steel", "brick"}));
  EXPECT_EQ(first.features, (Strings{"pool", "garden", "elevator"}));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(extractor().extract(prompt), first);
}

TEST(Robustness, MalformedNumbersAreNeverAnError) {
  for (const char* prompt : {"Design a house 1.2.3 m long", "Design a tower . . . tall", "Design a car costing $.",
                             "Design a 1.2.3-story house", "Design a table 1..2 x 3,,4 m"}) {
    EXPECT_NO_THROW(extractor().extract(prompt)) << prompt;
  }
  const auto spec = extractor().extract("Design a house 1.2.3 m long");
  EXPECT_FALSE(spec.dimensions.length);
}

TEST(Robustness, VeryLongPrompt) {
  std::string prompt = "Design a warehouse with a steel frame. ";
  while (prompt.size() < 100 * 1024)
    prompt += "It must have CCTV, 12 m high walls and solar panels for industrial use. ";
  const auto spec = extractor().extract(prompt);
  EXPECT_EQ(spec.category, "industrial");
  EXPECT_EQ(spec.features, (Strings{"security", "solar"}));
  EXPECT_DOUBLE_EQ(*spec.dimensions.height, 12);
  EXPECT_EQ(spec.requirements.size(), 2u);  // the prompt and its one distinct requiring sentence

  std::string repeated;
  while (repeated.size() < 100 * 1024) repeated += "design for ";
  EXPECT_EQ(extractor().extract(repeated).design_type, "general");
}

TEST(Robustness, NonAsciiText) {
  const auto spec =
      extractor().extract("Design a café-style house in Montréal 🏠 with a jardín, 中文 garden and a pool");
  EXPECT_EQ(spec.design_type, "building");
  EXPECT_EQ(spec.category, "residential");
  EXPECT_EQ(spec.features, (Strings{"garden", "pool"}));
  EXPECT_THROW(extractor().extract("🏠🏠🏠"), sdk::Refused);
  EXPECT_THROW(extractor().extract("中文中文"), sdk::Refused);
}

TEST(Robustness, ArbitraryBytes) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  EXPECT_NO_THROW({
    try {
      extractor().extract(bytes + " design a house");
    } catch (const sdk::Refused&) {
    }
  });
}

TEST(Concurrency, ExtractIsSafeFromManyThreads) {
  const std::string prompt = "Design a 3-story school building with brick walls, 50 x 30 m, a gym and CCTV";
  const auto expected = extractor().extract(prompt);
  constexpr size_t kThreads = 8;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) mismatches[t] += extractor().extract(prompt) == expected ? 0 : 1;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace p2j::agent_rules
