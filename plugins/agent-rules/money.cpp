#include "money.hpp"

#include <algorithm>
#include <cmath>

namespace p2j::agent_rules {
namespace {

constexpr size_t kMaxCueDistance = 5;

struct Amount {
  double value;
  double multiplier;  // 1 when none was written
  size_t end;
};

std::optional<std::string_view> currencySign(std::string_view text) {
  for (const auto& currency : currencyTerms()) {
    if (currency.spelling == text) return currency.sign;
  }
  return std::nullopt;
}

bool isSignSymbol(const Token& token) { return token.kind == TokenKind::Symbol && currencySign(token.text); }

std::optional<double> multiplierOf(std::string_view text) {
  for (const auto& multiplier : multiplierTerms()) {
    if (multiplier.spelling == text) return multiplier.factor;
  }
  return std::nullopt;
}

class CostReader {
 public:
  CostReader(const Analysis& analysis, const UnitIndex& units)
      : analysis_(analysis), tokens_(analysis.tokens()), units_(units) {}

  std::optional<std::string> read() const {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const Token& token = tokens_[i];
      if (isSignSymbol(token) || (token.kind == TokenKind::Word && currencySign(token.text))) {
        // "$200", "€ 1.5M", "USD 500"
        if (const auto amount = amountAt(i + 1)) return finish(*currencySign(token.text), *amount, i);
      }
      if (token.kind != TokenKind::Number) continue;
      const auto amount = amountAt(i);
      if (!amount) continue;
      const size_t next = amount->end;
      if (next < tokens_.size() && tokens_[next].kind == TokenKind::Word) {
        if (const auto sign = currencySign(tokens_[next].text)) return finish(*sign, *amount, i);  // "1200 dollars"
      }
      if (isCued(i, *amount) && endsAmount(next)) return finish("$", *amount, i);  // "budget of 50k"
    }
    return std::nullopt;
  }

 private:
  // A number and the multiplier written after it: "650k", "1.5 million", "2 bn".
  std::optional<Amount> amountAt(size_t i) const {
    if (i >= tokens_.size() || tokens_[i].kind != TokenKind::Number) return std::nullopt;
    Amount amount{tokens_[i].value, 1, i + 1};
    if (amount.end < tokens_.size() && tokens_[amount.end].kind == TokenKind::Word) {
      if (const auto factor = multiplierOf(tokens_[amount.end].text)) {
        amount.multiplier = *factor;
        ++amount.end;
      }
    }
    if (!isSaneAmount(amount.value * amount.multiplier)) return std::nullopt;
    return amount;
  }

  // A bare number is money after a cost word ("budget of 50000", "priced at 999"), or with a spoken
  // multiplier ("for 1.5 million", "around 50k"); never when a noun or unit follows ("4K display",
  // "budget of 3 months"), which endsAmount() checks.
  bool isCued(size_t i, const Amount& amount) const {
    for (size_t back = 1; back <= kMaxCueDistance && back <= i; ++back) {
      const std::string_view text = tokens_[i - back].text;
      if (costCues().contains(text)) return true;
      if (!costFillers().contains(text)) break;
    }
    // "m" and "b" alone are metres and bytes as often as millions and billions; "with 4k" is a resolution.
    const std::string_view multiplier = tokens_[amount.end - 1].text;
    const bool spoken = amount.multiplier > 1 && multiplier != "m" && multiplier != "b" && multiplier != "mm";
    return spoken && !(i > 0 && analysis_.isWord(i - 1, "with"));
  }

  bool endsAmount(size_t next) const {
    if (next >= tokens_.size()) return true;
    const Token& token = tokens_[next];
    if (token.kind != TokenKind::Word) return !units_.unitAt(tokens_, next);
    // "a 50k budget" names its own kind; any other noun makes the number something else ("4K display").
    if (costCues().contains(token.text)) return true;
    return phraseBoundaryWords().contains(token.text) && !units_.unitAt(tokens_, next);
  }

  // Applies a range's upper end: "$1-2 million", "$100 to $200", "between $100 and $200".
  std::string finish(std::string_view sign, Amount low, size_t start) const {
    size_t j = low.end;
    if (j < tokens_.size() && tokens_[j].kind == TokenKind::Word && currencySign(tokens_[j].text)) ++j;
    double value = low.value * low.multiplier;
    if (j < tokens_.size()) {
      const Token& link = tokens_[j];
      const bool between = (start >= 1 && analysis_.isWord(start - 1, "between")) ||
                           (start >= 2 && analysis_.isWord(start - 2, "between"));
      size_t k = j;
      if (link.text == "-" || link.text == "to" || (link.text == "and" && between)) {
        k = j + 1;
      } else if (!link.hyphenated) {
        return formatMoney(sign, value);
      }
      if (k < tokens_.size() && isSignSymbol(tokens_[k])) ++k;
      if (const auto high = amountAt(k)) {
        const double lowMultiplier = low.multiplier > 1 ? low.multiplier : high->multiplier;
        value = std::max(low.value * lowMultiplier, high->value * high->multiplier);
      }
    }
    return formatMoney(sign, value);
  }

  const Analysis& analysis_;
  const std::vector<Token>& tokens_;
  const UnitIndex& units_;
};

}  // namespace

std::string formatMoney(std::string_view sign, double amount) {
  const auto cents = static_cast<long long>(std::llround(amount * 100));
  const std::string whole = std::to_string(cents / 100);
  std::string text(sign);
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) text += ',';
    text += whole[i];
  }
  if (const long long rest = cents % 100; rest != 0) {
    text += '.';
    text += static_cast<char>('0' + rest / 10);
    text += static_cast<char>('0' + rest % 10);
  }
  return text;
}

std::optional<std::string> readCost(const Analysis& analysis, const UnitIndex& units) {
  return CostReader(analysis, units).read();
}

}  // namespace p2j::agent_rules
