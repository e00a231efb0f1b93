#include "classification.hpp"

#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <string>

namespace p2j::agent_rules {
namespace {

const Lexicon& lexicon() {
  static const Lexicon instance;
  return instance;
}

std::string kindOf(std::string_view prompt) {
  const Analysis analysis(prompt, lexicon());
  const DesignKind kind = classify(analysis);
  return std::string(kind.designType) + "/" + std::string(kind.category);
}

std::string refusal(std::string_view prompt) {
  const Analysis analysis(prompt, lexicon());
  try {
    ensureDesignRequest(analysis);
  } catch (const sdk::Refused& e) {
    return e.what();
  }
  return "";
}

TEST(HeadNoun, TheDesignedObjectDecidesNotItsModifiers) {
  EXPECT_EQ(kindOf("Design an ergonomic office chair"), "furniture/chair");
  EXPECT_EQ(kindOf("Create a parking garage for trucks"), "building/general");
  EXPECT_EQ(kindOf("Design a laptop desk that is adjustable"), "furniture/desk");
  EXPECT_EQ(kindOf("Design a school bus with 40 seats"), "vehicle/commercial_vehicle");
  EXPECT_EQ(kindOf("Design a truck factory"), "building/industrial");
  EXPECT_EQ(kindOf("Design a smart home device with a camera"), "electronics/general");
}

TEST(HeadNoun, WithoutAVerbThePhraseOfTheFirstObjectWordDecides) {
  EXPECT_EQ(kindOf("Ergonomic office chair with lumbar support"), "furniture/chair");
  EXPECT_EQ(kindOf("Laptop desk with drawers"), "furniture/desk");
  EXPECT_EQ(kindOf("We need a new warehouse. The structure must be steel."), "building/industrial");
}

TEST(HeadNoun, AnyInflectionOfADesignVerb) {
  EXPECT_EQ(kindOf("I am designing a sofa for the office"), "furniture/sofa");
  EXPECT_EQ(kindOf("We are building a school for the car factory"), "building/institutional");
  EXPECT_EQ(kindOf("Sketched a yacht near the house"), "vehicle/watercraft");
}

TEST(HeadNoun, LaterVerbsAndFirstObjectAreFallbacks) {
  EXPECT_EQ(kindOf("Design and build a cottage"), "building/residential");
  EXPECT_EQ(kindOf("Design a new kind of chair"), "furniture/chair");
  EXPECT_EQ(kindOf("Design a floor plan for an apartment"), "building/residential");
}

TEST(HeadNoun, SomeWordsAreObjectsOnlyAsTheHead) {
  EXPECT_EQ(kindOf("Design a desktop"), "electronics/computing");
  EXPECT_EQ(kindOf("Design a desktop fan"), "general/custom");
  EXPECT_EQ(kindOf("Design a portable speaker that is waterproof"), "electronics/audio");
  EXPECT_EQ(kindOf("Design a speaker stand"), "general/custom");
  EXPECT_EQ(kindOf("Design a convertible with heated seats"), "vehicle/automobile");
  EXPECT_EQ(kindOf("Design a convertible crib"), "general/custom");
}

TEST(HeadNoun, NoObjectWordIsGeneralCustom) { EXPECT_EQ(kindOf("Design a bridge"), "general/custom"); }

TEST(Qualification, BuildingWordBeforeAGeneralOneLendsItsCategory) {
  EXPECT_EQ(kindOf("Design a residential complex"), "building/residential");
  EXPECT_EQ(kindOf("Design an office building"), "building/commercial");
  EXPECT_EQ(kindOf("Design a school building"), "building/institutional");
  EXPECT_EQ(kindOf("Plan a condo tower"), "building/residential");
  EXPECT_EQ(kindOf("Design a mixed-use building"), "building/general");
  EXPECT_EQ(kindOf("Design a bus garage"), "building/general");
  EXPECT_EQ(kindOf("Design a garage"), "building/general");
}

TEST(ObjectSenses, PlantOnlyAsAnIndustrialPlant) {
  EXPECT_EQ(kindOf("Design a water treatment plant"), "building/industrial");
  EXPECT_EQ(kindOf("Design a power plant"), "building/industrial");
  EXPECT_EQ(kindOf("Design a plant"), "general/custom");
}

TEST(Refusals, NonDesignRequestsAreRefusedWithTheReason) {
  EXPECT_EQ(refusal("Tell me a joke"), "the prompt asks for a joke, not a design");
  EXPECT_EQ(refusal("tell me a joke about cars"), "the prompt asks for a joke, not a design");
  EXPECT_EQ(refusal("Tell me a story about a brave knight"), "the prompt asks for a story, not a design");
  EXPECT_EQ(refusal("What's the weather like in London tomorrow?"),
            "the prompt asks about the weather, not for a design");
  EXPECT_EQ(refusal("Give me a recipe for cookies"), "the prompt asks for a recipe, not a design");
  EXPECT_EQ(refusal("Write a poem about the sea"), "the prompt asks for a poem, not a design");
  EXPECT_EQ(refusal("What's in the news this morning?"), "the prompt asks for the news, not for a design");
  EXPECT_EQ(refusal("How are you doing today?"), "the prompt is small talk, not a design request");
  EXPECT_EQ(refusal("Create a poem about houses"), "the prompt asks for a poem, not a design");
}

TEST(Refusals, ShortPromptsAreRefused) {
  EXPECT_EQ(refusal("hi"), "the prompt is too short: it needs at least 3 non-space characters");
  EXPECT_EQ(refusal("  a b  "), "the prompt is too short: it needs at least 3 non-space characters");
  EXPECT_EQ(refusal(""), "the prompt is too short: it needs at least 3 non-space characters");
  EXPECT_NE(refusal("éé"), "");
}

TEST(Refusals, ObjectsOrDesignVerbsMakeADesignRequest) {
  EXPECT_EQ(refusal("Design a bridge"), "");
  EXPECT_EQ(refusal("Modern office building"), "");
  EXPECT_EQ(refusal("Design a bookshelf"), "");
  EXPECT_EQ(refusal("Design a weather station"), "");
  EXPECT_EQ(refusal("Design a 3-story house and tell me a joke"), "");
  EXPECT_EQ(refusal("Design a hotel, 6 stories, 40 rooms"), "");
  EXPECT_EQ(refusal("Design a car with all-weather tires"), "");
  EXPECT_EQ(refusal("A distribution centre with CCTV and a steel frame"), "");
  EXPECT_NE(refusal("What is the capital of France?"), "");
}

}  // namespace
}  // namespace p2j::agent_rules
