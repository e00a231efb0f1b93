#include "http/rate_limiter.hpp"

#include <cmath>
#include <functional>

namespace p2j::http {

int64_t windowStart(double now_seconds, int64_t window_seconds) {
  return static_cast<int64_t>(now_seconds) / window_seconds * window_seconds;
}

RateDecision decideRate(const config::RateLimitSpec& spec, bool sliding, double now_seconds, WindowCounts counts) {
  const int64_t window = spec.window_seconds;
  const int64_t window_start = windowStart(now_seconds, window);
  const double elapsed_fraction = (now_seconds - static_cast<double>(window_start)) / static_cast<double>(window);
  const double carried = sliding ? static_cast<double>(counts.previous) * (1.0 - elapsed_fraction) : 0.0;
  const int64_t used = static_cast<int64_t>(std::floor(carried)) + counts.current;

  RateDecision decision;
  decision.limit = spec.limit;
  decision.reset_seconds = std::max<int64_t>(1, window_start + window - static_cast<int64_t>(now_seconds));
  if (used >= spec.limit) {
    decision.allowed = false;
    decision.remaining = 0;
    decision.retry_after_seconds = decision.reset_seconds;
    if (sliding && counts.current < spec.limit && counts.previous > 0) {
      // The carried share of the previous window decays; find when enough of it has.
      const double excess = static_cast<double>(used - spec.limit + 1);
      const double seconds = excess / static_cast<double>(counts.previous) * static_cast<double>(window);
      decision.retry_after_seconds = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds)));
    }
    return decision;
  }
  decision.remaining = spec.limit - used - 1;
  return decision;
}

RateDecision MemoryRateLimitStore::hit(const std::string& key, const config::RateLimitSpec& spec,
                                       std::chrono::system_clock::time_point now) {
  const double now_seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  const int64_t window = spec.window_seconds;
  const int64_t window_start = windowStart(now_seconds, window);
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
  const RateDecision decision = decideRate(spec, sliding_, now_seconds, {counter.current, counter.previous});
  if (decision.allowed) ++counter.current;
  return decision;
}

}  // namespace p2j::http
