// How many pipeline runs (iterate, coordination, RL episodes) are in progress in this process: the
// "active_sessions" of /basic-metrics.
#pragma once

#include <cstdint>

namespace p2j::pipelines {

// Counts itself in for its lifetime.
class ActiveSession {
 public:
  ActiveSession();
  ~ActiveSession();
  ActiveSession(const ActiveSession&) = delete;
  ActiveSession& operator=(const ActiveSession&) = delete;

  static int64_t count();
};

}  // namespace p2j::pipelines
