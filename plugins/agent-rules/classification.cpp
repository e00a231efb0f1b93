#include "classification.hpp"

#include "terms.hpp"

#include <p2j/sdk/plugin.hpp>

#include <string>

namespace p2j::agent_rules {
namespace {

// "story" is a floor count after a number ("10-story", "two stories", "G+3 stories") or before a building
// word; anywhere else it is a tale.
bool isNarrative(const Analysis& analysis, const TermMatch& match) {
  if (match.entry->nonDesign != NonDesign::Story) return true;
  const auto& t = analysis.tokens();
  if (!floorWords().contains(t[match.begin].text)) return true;
  if (match.end < t.size() && nonNarrativeStoryFollowers().contains(t[match.end].text)) return false;
  if (match.begin == 0) return true;
  const Token& before = t[match.begin - 1];
  if (before.kind == TokenKind::Number || before.text == "+" || before.text == "multi") return false;
  return !(numberWordValue(before.text) || storyMultiplierValue(before.text));
}

bool asksForOtherThanDesign(const Analysis& analysis, const TermMatch& match) {
  const NonDesign kind = match.entry->nonDesign;
  return kind != NonDesign::None && kind != NonDesign::SmallTalk && isNarrative(analysis, match);
}

const TermMatch* firstDesignVerb(const Analysis& analysis) {
  for (const auto& match : analysis.matches()) {
    if (analysis.isDesignVerb(match)) return &match;
  }
  return nullptr;
}

bool isObjectWord(const Analysis& analysis, const TermMatch& match) {
  if (!match.entry->object) return false;
  if (!match.entry->object->headOnly) return true;
  const auto& t = analysis.tokens();
  return match.end >= t.size() || t[match.end].kind != TokenKind::Word || analysis.endsPhrase(match.end);
}

// The last object word in tokens [from, to), or nullptr.
const TermMatch* lastObjectIn(const Analysis& analysis, size_t from, size_t to) {
  const TermMatch* head = nullptr;
  for (size_t k = from; k < to; ++k) {
    const TermMatch* match = analysis.termStartingAt(k);
    if (match != nullptr && isObjectWord(analysis, *match)) head = match;
  }
  return head;
}

DesignKind kindOf(const Analysis& analysis, const TermMatch& head) {
  const ObjectSense& sense = *head.entry->object;
  DesignKind kind{sense.designType, sense.category};
  if (sense.generic && head.begin > 0) {
    const TermMatch* before = analysis.termAt(head.begin - 1);
    if (before != nullptr && before->entry->object && before->entry->object->designType == sense.designType &&
        !before->entry->object->generic) {
      kind.category = before->entry->object->category;
    }
  }
  return kind;
}

size_t nonSpaceCharacters(std::string_view text) {
  size_t count = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool continuation = (byte & 0xC0u) == 0x80u;
    const bool space = byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' || byte == '\v' || byte == '\f';
    if (!continuation && !space) ++count;
  }
  return count;
}

}  // namespace

void ensureDesignRequest(const Analysis& analysis) {
  if (nonSpaceCharacters(analysis.original()) < 3) {
    throw sdk::Refused("the prompt is too short: it needs at least 3 non-space characters");
  }
  const TermMatch* verb = firstDesignVerb(analysis);
  for (const auto& match : analysis.matches()) {
    if (verb != nullptr && match.begin > verb->begin) break;
    if (asksForOtherThanDesign(analysis, match)) throw sdk::Refused(std::string(refusalReason(match.entry->nonDesign)));
  }
  if (verb != nullptr) {
    // "Create a poem about houses": the verb's object is the poem.
    const size_t end = analysis.phraseEnd(verb->end);
    const TermMatch* last = end > verb->end ? analysis.termAt(end - 1) : nullptr;
    if (last != nullptr && asksForOtherThanDesign(analysis, *last)) {
      throw sdk::Refused(std::string(refusalReason(last->entry->nonDesign)));
    }
    return;
  }
  // Named materials or features are design content too: "a distribution centre with CCTV, steel frame".
  bool smallTalk = false;
  for (const auto& match : analysis.matches()) {
    const TermEntry& entry = *match.entry;
    if (entry.object || entry.material || !entry.feature.empty()) return;
    smallTalk = smallTalk || entry.nonDesign == NonDesign::SmallTalk;
  }
  throw sdk::Refused(std::string(refusalReason(smallTalk ? NonDesign::SmallTalk : NonDesign::None)));
}

DesignKind classify(const Analysis& analysis) {
  for (const auto& match : analysis.matches()) {
    if (!analysis.isDesignVerb(match)) continue;
    if (const TermMatch* head = lastObjectIn(analysis, match.end, analysis.phraseEnd(match.end))) {
      return kindOf(analysis, *head);
    }
  }
  for (const auto& match : analysis.matches()) {
    if (!isObjectWord(analysis, match)) continue;
    // Never null: the span starts with `match` itself.
    const TermMatch* head = lastObjectIn(analysis, match.begin, analysis.phraseEnd(match.end));
    return kindOf(analysis, *head);
  }
  return {};
}

}  // namespace p2j::agent_rules
