#include "circuit_breaker.hpp"

namespace p2j::agent_openai {

CircuitBreaker::CircuitBreaker(int failure_threshold, Clock::duration open_for)
    : failure_threshold_(failure_threshold), open_for_(open_for) {}

CircuitBreaker::State CircuitBreaker::stateLocked(Clock::time_point now) const {
  if (!open_) return State::kClosed;
  return now - opened_at_ >= open_for_ ? State::kHalfOpen : State::kOpen;
}

CircuitBreaker::Admission CircuitBreaker::admit(Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  switch (stateLocked(now)) {
    case State::kClosed:
      return Admission::kAllowed;
    case State::kOpen:
      return Admission::kRejected;
    case State::kHalfOpen:
      // One probe at a time: a recovering server should see one request, not the whole backlog.
      if (probe_in_flight_) return Admission::kRejected;
      probe_in_flight_ = true;
      return Admission::kProbe;
  }
  return Admission::kRejected;
}

void CircuitBreaker::recordSuccess() {
  const std::lock_guard lock(mutex_);
  consecutive_failures_ = 0;
  open_ = false;
  probe_in_flight_ = false;
}

void CircuitBreaker::recordFailure(Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  ++consecutive_failures_;
  if (open_) {
    // Only the probe's failure re-opens (and restarts the cool-down); a call admitted before the circuit
    // opened that fails late must not extend it.
    if (probe_in_flight_) {
      probe_in_flight_ = false;
      opened_at_ = now;
    }
    return;
  }
  if (consecutive_failures_ >= failure_threshold_) {
    open_ = true;
    opened_at_ = now;
  }
}

CircuitBreaker::State CircuitBreaker::state(Clock::time_point now) const {
  const std::lock_guard lock(mutex_);
  return stateLocked(now);
}

int CircuitBreaker::consecutiveFailures() const {
  const std::lock_guard lock(mutex_);
  return consecutive_failures_;
}

std::string_view stateName(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed:
      return "closed";
    case CircuitBreaker::State::kOpen:
      return "open";
    case CircuitBreaker::State::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

}  // namespace p2j::agent_openai
