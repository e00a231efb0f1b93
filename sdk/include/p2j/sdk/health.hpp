// What a plugin instance says about itself: one of three states (ABI 1.2's p2j_health_state) and a detail
// for the operator's log.
#pragma once

#include <p2j/sdk/abi.h>

#include <string>
#include <string_view>

namespace p2j::sdk {

enum class HealthState {
  kOk = P2J_HEALTH_OK,              // serving fully
  kDegraded = P2J_HEALTH_DEGRADED,  // serving, but not fully (e.g. writes spooled while a database is down)
  kDown = P2J_HEALTH_DOWN,          // cannot serve
};

struct Health {
  HealthState state = HealthState::kOk;
  std::string detail_json = "{}";  // a JSON object; the host logs it and never shows it to callers
};

// "ok", "degraded", "down": the words /readyz and the logs use.
inline std::string_view healthStateName(HealthState state) {
  switch (state) {
    case HealthState::kOk:
      return "ok";
    case HealthState::kDegraded:
      return "degraded";
    case HealthState::kDown:
      return "down";
  }
  return "down";
}

}  // namespace p2j::sdk
