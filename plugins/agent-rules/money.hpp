// estimated_cost: the first amount of money the prompt names, as "$50,000" (the sign kept for € and £).
#pragma once

#include "analysis.hpp"
#include "quantities.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace p2j::agent_rules {

// "$85,000", "$650k", "$1.5M", "1.5 million dollars", "budget of 50k", "under $200"; a range gives its upper
// end ("$1-2 million" → "$2,000,000").
std::optional<std::string> readCost(const Analysis& analysis, const UnitIndex& units);

// Thousands separators, and cents only when there are any: (“$”, 1500000) → "$1,500,000", 999.99 → "$999.99".
std::string formatMoney(std::string_view sign, double amount);

}  // namespace p2j::agent_rules
