// What every plugin call costs and how it ends: plugin_calls_total{plugin,kind,outcome} and
// plugin_call_duration_seconds{plugin,kind}, resolved once per plugin instance when its proxy is built.
#pragma once

#include "observability/metrics.hpp"

#include <p2j/sdk/abi.h>

#include <array>
#include <chrono>
#include <string>

namespace p2j::observability {

class PluginCallMetrics {
 public:
  // Records nothing when metrics are disabled.
  PluginCallMetrics(const std::string& plugin, const std::string& kind);

  // Where a call starts; the epoch when nothing is recorded, so a disabled build reads no clock.
  std::chrono::steady_clock::time_point start() const {
    return duration_ != nullptr ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  }
  void record(p2j_status status, std::chrono::steady_clock::time_point started) const {
    if (duration_ == nullptr) return;
    duration_->Observe(secondsSince(started));
    const auto index = static_cast<size_t>(status);
    outcomes_[index < outcomes_.size() ? index : static_cast<size_t>(P2J_INTERNAL)]->Increment();
  }

 private:
  std::array<prometheus::Counter*, 6> outcomes_{};  // indexed by p2j_status
  prometheus::Histogram* duration_ = nullptr;
};

// The label value of a call's outcome: "ok", "invalid_input", "refused", "not_found", "unavailable",
// "internal".
const char* outcomeName(p2j_status status);

}  // namespace p2j::observability
