// The /health body, shared with /system-overview so both report the same checks the same way.
#pragma once

#include "endpoints/action.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::endpoints {

// {"status": "healthy" | "degraded" | "unhealthy", "database", "agents", "timestamp"}, checking storage and every
// plugin: healthy when every instance is ok, unhealthy when one is down, degraded otherwise.
void writeHealth(sdk::JsonWriter& writer, const ActionContext& context);

}  // namespace p2j::endpoints
