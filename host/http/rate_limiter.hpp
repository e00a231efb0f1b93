#pragma once

#include "config/config.hpp"

#include <p2j/sdk/health.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
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

// What a store counted for a key before the request being decided: in the current fixed window and in the
// one before it.
struct WindowCounts {
  int64_t current = 0;
  int64_t previous = 0;
};

// The fixed window (seconds since the epoch) that `now_seconds` falls in.
int64_t windowStart(double now_seconds, int64_t window_seconds);

// The decision for one request at `now_seconds` given the counts before it. Every store decides with this
// (the Redis store's script repeats its arithmetic operation for operation), so they agree to the request;
// an allowed request is then counted by the store.
RateDecision decideRate(const config::RateLimitSpec& spec, bool sliding, double now_seconds, WindowCounts counts);

// kDegraded: limits still apply, but not as configured (per process, or 503, while Redis is down).
struct StoreHealth {
  sdk::HealthState state = sdk::HealthState::kOk;
  std::string detail;  // for the log: may name hosts
};

// Where the counters live: in the process (MemoryRateLimitStore) or in Redis, shared by every p2j process
// that uses it (RedisRateLimitStore).
class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;
  // Counts one request for `key` against `spec` at `now` and says whether it is allowed. Throws
  // http::HttpError (503) when the store can neither count nor fall back.
  virtual RateDecision hit(const std::string& key, const config::RateLimitSpec& spec,
                           std::chrono::system_clock::time_point now) = 0;
  // For /readyz and /health; nullopt when the counters depend on nothing outside this process.
  virtual std::optional<StoreHealth> health() { return std::nullopt; }
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
