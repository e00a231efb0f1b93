#include "http/rate_limiter.hpp"

#include <cmath>
#include <functional>

namespace p2j::http {

RateDecision MemoryRateLimitStore::hit(const std::string& key, const config::RateLimitSpec& spec,
                                       std::chrono::system_clock::time_point now) {
  const double now_seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  const int64_t window = spec.window_seconds;
  const int64_t window_start = static_cast<int64_t>(now_seconds) / window * window;
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);

  // Counters older than two windows say nothing any more (the sliding estimate looks one window back).
  if (window_start - shard.last_sweep >= window) {
    std::erase_if(shard.counters, [&](const auto& entry) { return entry.second.window_start < window_start - window; });
    shard.last_sweep = window_start;
  }

  Counter& counter = shard.counters[key];
  if (counter.window_start != window_start) {
    counter.previous = counter.window_start == window_start - window ? counter.current : 0;
    counter.current = 0;
    counter.window_start = window_start;
  }
  const double elapsed_fraction = (now_seconds - static_cast<double>(window_start)) / static_cast<double>(window);
  const double carried = sliding_ ? static_cast<double>(counter.previous) * (1.0 - elapsed_fraction) : 0.0;
  const int64_t used = static_cast<int64_t>(std::floor(carried)) + counter.current;

  RateDecision decision;
  decision.limit = spec.limit;
  decision.reset_seconds = std::max<int64_t>(1, window_start + window - static_cast<int64_t>(now_seconds));
  if (used >= spec.limit) {
    decision.allowed = false;
    decision.remaining = 0;
    decision.retry_after_seconds = decision.reset_seconds;
    if (sliding_ && counter.current < spec.limit && counter.previous > 0) {
      // The carried share of the previous window decays; find when enough of it has.
      const double excess = static_cast<double>(used - spec.limit + 1);
      const double seconds = excess / static_cast<double>(counter.previous) * static_cast<double>(window);
      decision.retry_after_seconds = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds)));
    }
    return decision;
  }
  ++counter.current;
  decision.remaining = spec.limit - used - 1;
  return decision;
}

}  // namespace p2j::http
