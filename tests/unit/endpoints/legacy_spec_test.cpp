// The original's /evaluate bodies in the legacy building schema are read as the universal spec they describe.
#include "endpoints/legacy_spec.hpp"

#include <p2j/sdk/design_spec.hpp>

#include <gtest/gtest.h>

namespace p2j::endpoints {
namespace {

sdk::DesignSpec read(const char* json) { return sdk::designSpecFromJson(universalSpec(sdk::parseJson(json)), "spec"); }

TEST(LegacySpecTest, ABuildingTypeMakesABuildingOfItsCategory) {
  const auto office = read(R"({"building_type": "office", "stories": 5, "materials": ["steel", "glass"]})");
  EXPECT_EQ(office.design_type, "building");
  EXPECT_EQ(office.category, "commercial");
  EXPECT_EQ(office.stories, 5);
  ASSERT_EQ(office.materials.size(), 2u);
  EXPECT_EQ(office.materials[0].type, "steel");
  EXPECT_EQ(office.materials[1].type, "glass");
  EXPECT_EQ(read(R"({"building_type": "Hospital"})").category, "institutional");
  EXPECT_EQ(read(R"({"building_type": "warehouse"})").category, "industrial");
  EXPECT_EQ(read(R"({"building_type": "house"})").category, "residential");
  EXPECT_EQ(read(R"({"building_type": "spaceport"})").category, "general");
  EXPECT_EQ(read(R"({"building_type": 7})").category, "general");
}

TEST(LegacySpecTest, AnEmptySpecIsAGeneralBuilding) {
  const auto spec = read("{}");
  EXPECT_EQ(spec.design_type, "building");
  EXPECT_EQ(spec.category, "general");
}

TEST(LegacySpecTest, AUniversalSpecIsLeftAsItIs) {
  const char* universal = R"({"design_type": "vehicle", "category": "automobile", "building_type": "office",
                              "materials": [{"type": "aluminum", "grade": "6061"}]})";
  const auto spec = read(universal);
  EXPECT_EQ(spec.design_type, "vehicle");
  EXPECT_EQ(spec.category, "automobile");
  EXPECT_EQ(spec.materials[0].grade, "6061");
  // A category the client gave wins over the building type.
  EXPECT_EQ(read(R"({"building_type": "office", "category": "residential"})").category, "residential");
}

TEST(LegacySpecTest, WhatIsNotASpecIsStillRejectedByTheTypedParse) {
  EXPECT_THROW(read(R"({"materials": [42]})"), sdk::FieldError);
  EXPECT_THROW(read(R"({"materials": "steel"})"), sdk::FieldError);
  EXPECT_THROW(read(R"({"stories": "abc"})"), sdk::FieldError);
  EXPECT_THROW(read("[1, 2]"), sdk::FieldError);
}

}  // namespace
}  // namespace p2j::endpoints
