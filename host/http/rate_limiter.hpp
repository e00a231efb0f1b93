#pragma once

#include "config/config.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace p2j::http {

struct RateDecision {
  bool allowed = true;
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t reset_seconds = 0;        // until the current window ends
  int64_t retry_after_seconds = 0;  // when refused: until a request would be allowed again
};

// Where the counters live. Memory now; the interface is what a shared store (Redis) implements so that
// several p2j processes share one budget.
class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;
  // Counts one request for `key` against `spec` at `now` and says whether it is allowed.
  virtual RateDecision hit(const std::string& key, const config::RateLimitSpec& spec,
                           std::chrono::system_clock::time_point now) = 0;
};

// Fixed windows aligned to the epoch (every client's window resets at the same instant, as HTTP caches
// and humans expect), or a sliding window estimated from the previous and current fixed windows
// (count = previous * (1 - elapsed fraction) + current), which smooths the burst at a boundary.
// Counters are sharded by key to keep lock contention low; stale keys are dropped as windows pass.
class MemoryRateLimitStore : public RateLimitStore {
 public:
  explicit MemoryRateLimitStore(bool sliding) : sliding_(sliding) {}
  RateDecision hit(const std::string& key, const config::RateLimitSpec& spec,
                   std::chrono::system_clock::time_point now) override;

 private:
  struct Counter {
    int64_t window_start = 0;  // seconds since the epoch
    int64_t current = 0;
    int64_t previous = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Counter> counters;
    int64_t last_sweep = 0;
  };
  static constexpr size_t kShards = 16;

  bool sliding_;
  std::array<Shard, kShards> shards_;
};

}  // namespace p2j::http
