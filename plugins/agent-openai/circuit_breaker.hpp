// Stops calling an LLM server that keeps failing: after `failure_threshold` consecutive failures the
// circuit opens and every call fails fast for `open_for`; then one call is let through as a probe
// (half-open): its success closes the circuit, its failure opens it again for another `open_for`.
#pragma once

#include <chrono>
#include <mutex>
#include <string_view>

namespace p2j::agent_openai {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { kClosed, kOpen, kHalfOpen };

  // What admit() decided. A probe is the one call a half-open circuit lets through; its outcome decides.
  enum class Admission { kAllowed, kProbe, kRejected };

  CircuitBreaker(int failure_threshold, Clock::duration open_for);

  // Every admitted call must be followed by exactly one recordSuccess or recordFailure.
  Admission admit(Clock::time_point now);
  void recordSuccess();
  void recordFailure(Clock::time_point now);

  State state(Clock::time_point now) const;
  int consecutiveFailures() const;

 private:
  State stateLocked(Clock::time_point now) const;

  const int failure_threshold_;
  const Clock::duration open_for_;
  mutable std::mutex mutex_;
  int consecutive_failures_ = 0;
  bool open_ = false;
  bool probe_in_flight_ = false;
  Clock::time_point opened_at_{};
};

std::string_view stateName(CircuitBreaker::State state);

}  // namespace p2j::agent_openai
