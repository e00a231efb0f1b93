// Every word list the extractor knows, as data: object words, materials, features, audiences, verbs, units,
// number words and the small context-word sets that the rules consult. Rules live elsewhere; changing the
// vocabulary should only ever mean editing terms.cpp.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "word_map.hpp"

namespace p2j::agent_rules {

enum class Audience : uint8_t { None, Professional, Consumer, Industrial, Luxury, Budget };
std::string_view audienceName(Audience audience);

// What a prompt asks for instead of a design; it names the reason in the refusal.
enum class NonDesign : uint8_t { None, Joke, Story, Poem, Song, Recipe, Weather, News, Essay, Translation, SmallTalk };
std::string_view refusalReason(NonDesign kind);

// "building" is also the commonest object word, so it counts as the verb only before a determiner.
enum class VerbUse : uint8_t { None, Always, BeforeDeterminer };

struct ObjectSense {
  std::string_view designType;
  std::string_view category;
  bool generic = false;  // building, tower, complex…: a building word before it may lend its category
  // desktop, speaker, notebook, convertible: an object only as the head noun, since as modifiers
  // ("desktop fan", "convertible sofa") they name something else
  bool headOnly = false;
};

struct MaterialSense {
  std::string_view type;
  std::string_view grade;  // empty: read it from the neighbouring words
};

struct ComponentSense {
  std::string_view designType;
  std::string_view name;
};

// Everything one spelling means. A spelling can carry several senses: "garage" is an object and the
// parking feature, "luxury" a feature and an audience.
struct TermEntry {
  std::optional<ObjectSense> object;
  std::optional<MaterialSense> material;
  std::string_view feature;
  std::string_view constraint;
  Audience audience = Audience::None;
  bool audienceNeedsNoun = false;  // "budget" is an audience only as an adjective ("budget phone")
  NonDesign nonDesign = NonDesign::None;
  VerbUse verb = VerbUse::None;
  std::vector<ComponentSense> components;
};

struct ObjectTerm {
  std::string_view spelling;
  ObjectSense sense;
};
struct MaterialTerm {
  std::string_view spelling;
  MaterialSense sense;
};
struct FeatureTerm {
  std::string_view spelling;
  std::string_view id;
};
struct AudienceTerm {
  std::string_view spelling;
  Audience audience;
  bool needsNoun = false;
};
struct ConstraintTerm {
  std::string_view spelling;
  std::string_view name;
};
struct ComponentTerm {
  std::string_view spelling;
  ComponentSense sense;
};
struct VerbTerm {
  std::string_view spelling;
  VerbUse use;
};
struct NonDesignTerm {
  std::string_view spelling;
  NonDesign kind;
};

// Spellings are written with spaces ("touch screen"); the lexicon adds the hyphenated, joined and plural
// forms itself.
std::span<const ObjectTerm> objectTerms();
std::span<const MaterialTerm> materialTerms();
std::span<const FeatureTerm> featureTerms();
std::span<const AudienceTerm> audienceTerms();
std::span<const ConstraintTerm> constraintTerms();
std::span<const ComponentTerm> componentTerms();
std::span<const VerbTerm> verbTerms();            // every inflection, listed
std::span<const NonDesignTerm> nonDesignTerms();  // small talk included
// Phrases that mean nothing here but must not be read as their parts: "all-weather" is not the weather.
std::span<const std::string_view> neutralTerms();

std::string_view defaultMaterial(std::string_view designType);

// Material grades found next to a material word.
enum class GradeForm : uint8_t {
  Word,        // the word itself, upper-cased: "anodized" → "ANODIZED"
  LetterCode,  // a letter glued to a number: "a36" → "A36", "c30" → "C30"
  GradeNumber  // "grade 50" → "GRADE 50"
};
struct GradeRule {
  std::string_view materialType;
  GradeForm form;
  std::string_view word;  // the word, or the code's letter; unused for GradeNumber
};
std::span<const GradeRule> gradeRules();

enum class UnitKind : uint8_t { Length, Area, Volume, Mass, Power, Capacity, Speed, Efficiency };
// Abbreviations that are also ordinary words or product names need context to count as units.
enum class UnitRule : uint8_t {
  None,
  Inch,            // "in": only glued, hyphenated or before a size word, since it is mostly a preposition
  Spaced,          // "g": "500 g" but not "5G"
  NotBeforeSlash,  // "w": not "w/" (with)
  Glued            // '"': only right after the number
};
struct UnitTerm {
  std::string_view spelling;
  UnitKind kind;
  double toSi;              // metres, m², m³, kg; 1 for the performance kinds
  std::string_view symbol;  // the normalised spelling shown in performance fields
  UnitRule rule = UnitRule::None;
};
std::span<const UnitTerm> unitTerms();

struct TimeUnitTerm {
  std::string_view spelling;
  std::string_view singular;
  std::string_view plural;
};
std::span<const TimeUnitTerm> timeUnitTerms();

struct CurrencyTerm {
  std::string_view spelling;  // a sign ("$") or a word ("dollars", "usd")
  std::string_view sign;
};
std::span<const CurrencyTerm> currencyTerms();

struct MultiplierTerm {
  std::string_view spelling;
  double factor;
};
std::span<const MultiplierTerm> multiplierTerms();

// One to twenty, the tens and "hundred"; compounds such as "twenty-five" are read by the quantity parser.
std::optional<int> numberWordValue(std::string_view word);
// "single-story" = 1: words that count floors only before a floor word.
std::optional<int> storyMultiplierValue(std::string_view word);

enum class Dimension : uint8_t { Length, Width, Height, Depth, Diameter, Area, Volume, Weight, ScreenSize };
// "long" → Length, "tall" → Height: an adjective after a measure.
std::optional<Dimension> dimensionAdjective(std::string_view word);
// "length" → Length, "weighing" → Weight, "screen" → ScreenSize: a word before a measure (or after, "2 m diameter").
std::optional<Dimension> dimensionNoun(std::string_view word);

// Looked up for most tokens of every prompt, so a hash set.
class WordSet {
 public:
  WordSet(std::initializer_list<std::string_view> words);
  bool contains(std::string_view word) const;

 private:
  WordMap<bool> words_;  // every word maps to true
};

// Words that end a noun phrase: prepositions, relative words, conjunctions and auxiliaries.
const WordSet& phraseBoundaryWords();
// After "building", these make it the verb ("building a house").
const WordSet& determiners();
// Between a dimension word and its measure: "height of about 10 m".
const WordSet& measureFillers();
const WordSet& wheelWords();
const WordSet& screenWords();
// After a number, these make "in" mean inches ("15 in wide", "26 in wheels").
const WordSet& inchFollowers();
// Before an unlabelled "30 x 20", these make it a size in metres.
const WordSet& sizeContextWords();
// Around a mass, these make it a load capacity rather than the object's weight.
const WordSet& loadWords();
const WordSet& floorWords();  // story, storey, floor, level and their plurals
// After "budget", these show it is a noun ("budget of", "budget is").
const WordSet& budgetNounFollowers();
const WordSet& requirementWords();
const WordSet& costCues();  // budget, cost, price…: a bare number after them is money
const WordSet& costFillers();
// Before "a year": "in a year", "within a year" are durations; "10,000 visitors a year" is not.
const WordSet& durationCues();
// A duration next to these is no schedule: "2-year warranty", "battery life of 10 years".
const WordSet& durationExclusions();
const WordSet& nonNarrativeStoryFollowers();

}  // namespace p2j::agent_rules
