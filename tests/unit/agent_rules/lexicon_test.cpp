#include "lexicon.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2j::agent_rules {
namespace {

const Lexicon& lexicon() {
  static const Lexicon instance;
  return instance;
}

struct Found {
  std::string words;
  const TermEntry* entry;
};

std::vector<Found> scan(const TokenizedText& text) {
  std::vector<Found> found;
  for (const auto& match : lexicon().scan(text.tokens())) {
    const auto& t = text.tokens();
    found.push_back(
        {std::string(text.lowered().substr(t[match.begin].begin, t[match.end - 1].end - t[match.begin].begin)),
         match.entry});
  }
  return found;
}

TEST(Lexicon, MatchesWholeWordsOnly) {
  const TokenizedText text("warehouse cargo portable facility building");
  const auto found = scan(text);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].words, "warehouse");
  EXPECT_EQ(found[0].entry->object->category, "industrial");
  EXPECT_EQ(found[1].words, "portable");
  EXPECT_EQ(found[1].entry->feature, "portable");
  EXPECT_FALSE(found[1].entry->object);  // not "table"
  EXPECT_EQ(found[2].words, "building");
}

TEST(Lexicon, MultiWordTermWinsOverItsParts) {
  const TokenizedText text("stainless steel car park washing machine parking sensors");
  const auto found = scan(text);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].entry->material->type, "stainless steel");
  EXPECT_EQ(found[1].entry->feature, "parking");
  EXPECT_EQ(found[2].entry->object->category, "washing_machine");
  EXPECT_EQ(found[3].entry->feature, "parking_sensors");
}

TEST(Lexicon, HyphenSpaceAndJoinedSpellingsAreOneTerm) {
  for (const char* spelling : {"touch screen", "touch-screen", "touchscreen", "Touch-Screen"}) {
    const TokenizedText text(spelling);
    const auto found = scan(text);
    ASSERT_EQ(found.size(), 1u) << spelling;
    EXPECT_EQ(found[0].entry->feature, "touchscreen") << spelling;
  }
  for (const char* spelling : {"wifi", "wi-fi", "Wi Fi", "WiFi"}) {
    const TokenizedText text(spelling);
    ASSERT_EQ(scan(text).size(), 1u) << spelling;
    EXPECT_EQ(scan(text)[0].entry->feature, "wifi") << spelling;
  }
}

TEST(Lexicon, SynonymsAndBritishSpellings) {
  const TokenizedText text("timber aluminium carbon fibre fibreglass marble lithium-ion iron storey");
  const auto found = scan(text);
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].entry->material->type, "wood");
  EXPECT_EQ(found[1].entry->material->type, "aluminum");
  EXPECT_EQ(found[2].entry->material->type, "carbon fiber");
  EXPECT_EQ(found[3].entry->material->type, "fiberglass");
  EXPECT_EQ(found[4].entry->material->type, "stone");
  EXPECT_EQ(found[5].entry->material->type, "lithium");
  EXPECT_EQ(found[6].entry->material->type, "metal");
}

TEST(Lexicon, PluralsOfEveryShape) {
  const TokenizedText text("cars buildings shelves balconies buses lifts bookshelves");
  const auto found = scan(text);
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].entry->object->category, "automobile");
  EXPECT_EQ(found[1].entry->object->category, "general");
  EXPECT_EQ(found[2].entry->object->category, "shelf");
  EXPECT_EQ(found[3].entry->feature, "balcony");
  EXPECT_EQ(found[4].entry->object->category, "commercial_vehicle");
  EXPECT_EQ(found[5].entry->feature, "elevator");
  EXPECT_EQ(found[6].entry->object->category, "shelf");
}

TEST(Lexicon, OneSpellingCarriesSeveralSenses) {
  const TokenizedText text("garage luxury");
  const auto found = scan(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].entry->object->designType, "building");
  EXPECT_EQ(found[0].entry->feature, "parking");
  EXPECT_EQ(found[1].entry->feature, "luxury");
  EXPECT_EQ(found[1].entry->audience, Audience::Luxury);
}

TEST(Lexicon, NeutralPhrasesHideTheirParts) {
  const TokenizedText text("all-weather tires");
  const auto found = scan(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entry->nonDesign, NonDesign::None);
}

TEST(Plurals, FollowEnglishSpelling) {
  EXPECT_EQ(pluralsOf("car"), (std::vector<std::string>{"cars"}));
  EXPECT_EQ(pluralsOf("bus"), (std::vector<std::string>{"buses"}));
  EXPECT_EQ(pluralsOf("couch"), (std::vector<std::string>{"couches"}));
  EXPECT_EQ(pluralsOf("balcony"), (std::vector<std::string>{"balconies"}));
  EXPECT_EQ(pluralsOf("key"), (std::vector<std::string>{"keys"}));
  EXPECT_EQ(pluralsOf("shelf"), (std::vector<std::string>{"shelfs", "shelves"}));
}

TEST(SpellingWords, TokenizesLikeAPrompt) {
  EXPECT_EQ(spellingWords("Wi-Fi"), (std::vector<std::string>{"wi", "fi"}));
  EXPECT_THROW(spellingWords("m²"), std::logic_error);
}

}  // namespace
}  // namespace p2j::agent_rules
