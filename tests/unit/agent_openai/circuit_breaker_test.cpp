#include "circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace p2j::agent_openai {
namespace {

using namespace std::chrono_literals;
using Admission = CircuitBreaker::Admission;
using State = CircuitBreaker::State;

const CircuitBreaker::Clock::time_point t0{};

TEST(CircuitBreaker, OpensAfterThresholdConsecutiveFailures) {
  CircuitBreaker breaker(3, 10s);
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(breaker.admit(t0), Admission::kAllowed);
    breaker.recordFailure(t0);
  }
  EXPECT_EQ(breaker.state(t0), State::kClosed);
  ASSERT_EQ(breaker.admit(t0), Admission::kAllowed);
  breaker.recordFailure(t0);
  EXPECT_EQ(breaker.state(t0), State::kOpen);
  EXPECT_EQ(breaker.admit(t0 + 1s), Admission::kRejected);
  EXPECT_EQ(breaker.consecutiveFailures(), 3);
}

TEST(CircuitBreaker, ASuccessResetsTheCount) {
  CircuitBreaker breaker(3, 10s);
  breaker.recordFailure(t0);
  breaker.recordFailure(t0);
  breaker.recordSuccess();
  breaker.recordFailure(t0);
  breaker.recordFailure(t0);
  EXPECT_EQ(breaker.state(t0), State::kClosed);
  EXPECT_EQ(breaker.admit(t0), Admission::kAllowed);
}

TEST(CircuitBreaker, HalfOpenAfterTheCoolDownLetsOneProbeThrough) {
  CircuitBreaker breaker(1, 10s);
  breaker.recordFailure(t0);
  EXPECT_EQ(breaker.admit(t0 + 10s - 1ms), Admission::kRejected);
  EXPECT_EQ(breaker.state(t0 + 10s), State::kHalfOpen);
  EXPECT_EQ(breaker.admit(t0 + 10s), Admission::kProbe);
  EXPECT_EQ(breaker.admit(t0 + 10s), Admission::kRejected) << "only one probe at a time";
  EXPECT_EQ(breaker.admit(t0 + 60s), Admission::kRejected) << "still waiting for the probe";
  breaker.recordSuccess();
  EXPECT_EQ(breaker.state(t0 + 11s), State::kClosed);
  EXPECT_EQ(breaker.admit(t0 + 11s), Admission::kAllowed);
  EXPECT_EQ(breaker.admit(t0 + 11s), Admission::kAllowed);
}

TEST(CircuitBreaker, AFailedProbeOpensTheCircuitForAnotherCoolDown) {
  CircuitBreaker breaker(2, 10s);
  breaker.recordFailure(t0);
  breaker.recordFailure(t0);
  ASSERT_EQ(breaker.admit(t0 + 10s), Admission::kProbe);
  breaker.recordFailure(t0 + 12s);
  EXPECT_EQ(breaker.state(t0 + 12s), State::kOpen);
  EXPECT_EQ(breaker.admit(t0 + 22s - 1ms), Admission::kRejected);
  EXPECT_EQ(breaker.admit(t0 + 22s), Admission::kProbe);
}

TEST(CircuitBreaker, ALateFailureOfAnEarlierCallDoesNotExtendTheCoolDown) {
  CircuitBreaker breaker(1, 10s);
  ASSERT_EQ(breaker.admit(t0), Admission::kAllowed);  // a slow call, admitted while closed
  breaker.recordFailure(t0);                          // another call opens the circuit
  breaker.recordFailure(t0 + 5s);                     // the slow one fails while it is open
  EXPECT_EQ(breaker.admit(t0 + 10s), Admission::kProbe);
}

TEST(CircuitBreaker, StateNames) {
  EXPECT_EQ(stateName(State::kClosed), "closed");
  EXPECT_EQ(stateName(State::kOpen), "open");
  EXPECT_EQ(stateName(State::kHalfOpen), "half_open");
}

}  // namespace
}  // namespace p2j::agent_openai
