#pragma once

#include "http/rate_limiter.hpp"
#include "observability/metrics.hpp"

#include "redis_pool.hpp"

#include <atomic>
#include <string>

namespace p2j::http {

struct RedisRateLimitSettings {
  redis::PoolSettings pool;
  std::string key_prefix = "p2j:rl:";
  // While Redis cannot be used: count in this process instead (true), or refuse with 503 (false).
  bool fail_open = true;
};

// Counters in Redis, so every p2j process using the same Redis (and key prefix) shares one budget per key.
// Each hit is one EVALSHA of a Lua script that reads the window's counters and increments the current one
// only when the request is allowed, atomically on the server: N processes can never admit more than the
// limit between them. The script repeats decideRate()'s arithmetic, so fixed and sliding windows decide
// exactly as MemoryRateLimitStore does; the time is the calling host's clock (keep hosts NTP-synchronized).
//
// When Redis is unreachable (connection refused, timed out, or failed less than retry_interval ago), hits are
// counted in this process (fail_open: each process then enforces the limit on its own) or refused with 503.
// Either way health() says degraded; once Redis answers again, counting continues there.
class RedisRateLimitStore : public RateLimitStore {
 public:
  RedisRateLimitStore(RedisRateLimitSettings settings, bool sliding);

  RateDecision hit(const std::string& key, const config::RateLimitSpec& spec,
                   std::chrono::system_clock::time_point now) override;
  std::optional<StoreHealth> health() override;

  // The script's SHA1, as EVALSHA names it (SCRIPT LOAD would answer the same).
  static const std::string& scriptSha1();

 private:
  RateDecision hitRedis(const std::string& key, const config::RateLimitSpec& spec, double now_seconds);
  RateDecision fallBack(const std::string& key, const config::RateLimitSpec& spec,
                        std::chrono::system_clock::time_point now, const std::string& why);

  const RedisRateLimitSettings settings_;
  const bool sliding_;
  redis::Pool pool_;
  MemoryRateLimitStore fallback_;
  std::atomic<bool> falling_back_{false};  // so that the log says when it starts and ends, not every request
  // rate_limit_store_failures_total{store="redis",on_failure}; null when metrics are disabled.
  prometheus::Counter* failures_ = nullptr;
};

}  // namespace p2j::http
