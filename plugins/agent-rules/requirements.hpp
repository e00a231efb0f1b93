// The prose-derived lists: requirements (the prompt, then its must/should/need sentences) and use cases
// (what follows "for").
#pragma once

#include "analysis.hpp"

#include <string>
#include <vector>

namespace p2j::agent_rules {

std::vector<std::string> readRequirements(const Analysis& analysis);
std::vector<std::string> readUseCases(const Analysis& analysis);

}  // namespace p2j::agent_rules
