// materials: every material the prompt names, in order, with its grade; the type's default when none is named.
#pragma once

#include "analysis.hpp"

#include <p2j/sdk/design_spec.hpp>

#include <string_view>
#include <vector>

namespace p2j::agent_rules {

std::vector<sdk::Material> readMaterials(const Analysis& analysis, std::string_view designType);

}  // namespace p2j::agent_rules
