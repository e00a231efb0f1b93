// timeline: the first schedule the prompt names, as "6 months".
#pragma once

#include "analysis.hpp"

#include <optional>
#include <string>

namespace p2j::agent_rules {

// "in 18 months", "six months", "within a year" (→ "1 year"); not a warranty, a lifespan or an age.
std::optional<std::string> readTimeline(const Analysis& analysis);

}  // namespace p2j::agent_rules
