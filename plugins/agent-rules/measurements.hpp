// Stories, dimensions (always SI) and performance figures, read from the quantities of a prompt.
#pragma once

#include "analysis.hpp"
#include "quantities.hpp"

#include <p2j/sdk/design_spec.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace p2j::agent_rules {

// "10-story", "6 stories", "ten-storey", "3 floors", "5 levels", "single-story", "G+3" (= 4); the first wins.
std::optional<int64_t> readStories(const Analysis& analysis);

// Fills dimensions (first mention of each wins; area = length × width when only those are given) and
// performance: power, capacity, speed, efficiency and other_specs.screen_size. `designType` matters only for
// a bare inch size, which is a screen size on electronics.
void readMeasurements(const Analysis& analysis, const UnitIndex& units, std::string_view designType,
                      sdk::Dimensions& dimensions, sdk::Performance& performance);

}  // namespace p2j::agent_rules
