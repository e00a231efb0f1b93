#include "quantities.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace p2j::agent_rules {
namespace {

bool unitContextAllows(const UnitTerm& unit, const std::vector<Token>& tokens, size_t unitBegin, size_t unitEnd) {
  const Token& first = tokens[unitBegin];
  switch (unit.rule) {
    case UnitRule::None:
      return true;
    case UnitRule::Glued:
      return first.glued;
    case UnitRule::Spaced:
      return !first.glued;
    case UnitRule::NotBeforeSlash:
      return !(unitEnd < tokens.size() && tokens[unitEnd].text == "/");
    case UnitRule::Inch: {
      if (first.glued || first.hyphenated || unitEnd >= tokens.size()) return true;
      const Token& after = tokens[unitEnd];
      if (after.kind == TokenKind::Word) return inchFollowers().contains(after.text);
      return after.kind == TokenKind::Symbol;
    }
  }
  return false;
}

}  // namespace

std::optional<NumberAt> numberAt(const std::vector<Token>& tokens, size_t i) {
  if (i >= tokens.size()) return std::nullopt;
  const Token& token = tokens[i];
  if (token.kind == TokenKind::Number) return NumberAt{token.value, i + 1};
  if (token.kind != TokenKind::Word) return std::nullopt;
  const auto value = numberWordValue(token.text);
  if (!value) return std::nullopt;
  if (*value >= 20 && *value % 10 == 0 && *value < 100 && i + 1 < tokens.size() &&
      tokens[i + 1].kind == TokenKind::Word) {
    if (const auto units = numberWordValue(tokens[i + 1].text); units && *units < 10) {
      return NumberAt{static_cast<double>(*value + *units), i + 2};
    }
  }
  return NumberAt{static_cast<double>(*value), i + 1};
}

UnitIndex::UnitIndex() {
  for (const auto& unit : unitTerms()) {
    const TokenizedText spelled(unit.spelling);
    const auto& tokens = spelled.tokens();
    Spelled entry{{}, &unit};
    for (size_t k = 1; k < tokens.size(); ++k) entry.rest.emplace_back(std::string(tokens[k].text), tokens[k].glued);
    byFirst_[tokens.front().text].push_back(std::move(entry));
  }
  byFirst_.forEach([](std::string_view, std::vector<Spelled>& spellings) {
    std::stable_sort(spellings.begin(), spellings.end(),
                     [](const Spelled& a, const Spelled& b) { return a.rest.size() > b.rest.size(); });
  });
}

std::optional<std::pair<const UnitTerm*, size_t>> UnitIndex::unitAt(const std::vector<Token>& tokens, size_t i) const {
  if (i >= tokens.size()) return std::nullopt;
  const std::vector<Spelled>* found = byFirst_.find(tokens[i].text);
  if (found == nullptr) return std::nullopt;
  for (const auto& spelled : *found) {
    const size_t end = i + 1 + spelled.rest.size();
    if (end > tokens.size()) continue;
    bool same = true;
    for (size_t k = 0; k < spelled.rest.size() && same; ++k) {
      const Token& token = tokens[i + 1 + k];
      same = token.text == spelled.rest[k].first && (!spelled.rest[k].second || token.glued);
    }
    if (same) return std::make_pair(spelled.unit, end);
  }
  return std::nullopt;
}

std::optional<Quantity> UnitIndex::quantityAt(const std::vector<Token>& tokens, size_t i) const {
  const auto number = numberAt(tokens, i);
  if (!number || !isSaneAmount(number->value)) return std::nullopt;
  Quantity quantity{number->value, nullptr, i, number->end, number->end};
  if (const auto unit = unitAt(tokens, number->end);
      unit && unitContextAllows(*unit->first, tokens, number->end, unit->second)) {
    quantity.unit = unit->first;
    quantity.end = unit->second;
  }
  return quantity;
}

std::string formatNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec != std::errc()) return "0";
  return std::string(buffer, result.ptr);
}

bool isSaneAmount(double value) { return std::isfinite(value) && value > 0 && value < 1e15; }

}  // namespace p2j::agent_rules
