#include "timeline.hpp"

#include "quantities.hpp"

namespace p2j::agent_rules {
namespace {

constexpr double kMaxDuration = 1000;
constexpr size_t kExclusionReach = 3;

const TimeUnitTerm* timeUnit(const Token& token) {
  if (token.kind != TokenKind::Word) return nullptr;
  for (const auto& unit : timeUnitTerms()) {
    if (unit.spelling == token.text) return &unit;
  }
  return nullptr;
}

bool isExcluded(const std::vector<Token>& tokens, size_t begin, size_t unitAt) {
  if (unitAt + 1 < tokens.size() && durationExclusions().contains(tokens[unitAt + 1].text)) return true;
  for (size_t back = 1; back <= kExclusionReach && back <= begin; ++back) {
    if (durationExclusions().contains(tokens[begin - back].text)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> readTimeline(const Analysis& analysis) {
  const auto& t = analysis.tokens();
  for (size_t i = 0; i < t.size(); ++i) {
    double value = 0;
    size_t next = i + 1;
    if (const auto number = numberAt(t, i)) {
      value = number->value;
      next = number->end;
    } else if ((analysis.isWord(i, "a") || analysis.isWord(i, "an")) && i > 0 &&
               durationCues().contains(t[i - 1].text)) {
      value = 1;
    } else {
      continue;
    }
    if (next >= t.size()) break;
    const TimeUnitTerm* unit = timeUnit(t[next]);
    if (unit == nullptr || value <= 0 || value > kMaxDuration || isExcluded(t, i, next)) continue;
    return formatNumber(value) + " " + std::string(value == 1 ? unit->singular : unit->plural);
  }
  return std::nullopt;
}

}  // namespace p2j::agent_rules
