// Numbers (digits or words) and the units after them: "12m", "10,000 sq ft", "29-inch", "twenty-five floors".
// Which field a quantity fills is decided by measurements.cpp, money.cpp and timeline.cpp.
#pragma once

#include "terms.hpp"
#include "tokenizer.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::agent_rules {

struct NumberAt {
  double value;
  size_t end;  // the token after the number
};

// A number written in digits or words ("ten", "twenty-five") at token `i`.
std::optional<NumberAt> numberAt(const std::vector<Token>& tokens, size_t i);

struct Quantity {
  double value = 0;                // as written, in `unit`
  const UnitTerm* unit = nullptr;  // nullptr when no unit follows the number
  size_t begin = 0;                // token range [begin, end)
  size_t end = 0;
  size_t numberEnd = 0;  // the token after the number (== end without a unit)

  double si() const { return unit == nullptr ? value : value * unit->toSi; }
};

class UnitIndex {
 public:
  UnitIndex();
  UnitIndex(const UnitIndex&) = delete;
  UnitIndex& operator=(const UnitIndex&) = delete;

  // The longest unit spelled from token `i`, with the token after it; context rules are the caller's.
  std::optional<std::pair<const UnitTerm*, size_t>> unitAt(const std::vector<Token>& tokens, size_t i) const;
  // A number at token `i` and the unit after it, if its context allows one (the "in" of "done in 6 months"
  // is no unit).
  std::optional<Quantity> quantityAt(const std::vector<Token>& tokens, size_t i) const;

 private:
  struct Spelled {
    std::vector<std::pair<std::string, bool>> rest;  // text, must be glued to the token before
    const UnitTerm* unit;
  };
  WordMap<std::vector<Spelled>> byFirst_;
};

// The shortest plain decimal that reads back as `value`: 15 → "15", 15.6 → "15.6"; never an exponent.
std::string formatNumber(double value);

// Finite, positive and small enough to format and convert without overflow.
bool isSaneAmount(double value);

}  // namespace p2j::agent_rules
