// Whether a prompt asks for a design at all, and what is being designed (design_type and category).
#pragma once

#include "analysis.hpp"

#include <string_view>

namespace p2j::agent_rules {

struct DesignKind {
  std::string_view designType = "general";
  std::string_view category = "custom";
};

// Throws p2j::sdk::Refused with the reason when the prompt asks for something other than a design.
void ensureDesignRequest(const Analysis& analysis);

// The head noun decides: the last object word of the noun phrase after a design verb; failing that, of the
// phrase holding the first object word. A general building word takes the category of a building word right
// before it ("office building" → commercial).
DesignKind classify(const Analysis& analysis);

}  // namespace p2j::agent_rules
