#include "http/redis_rate_limit_store.hpp"

#include "http/http_error.hpp"
#include "observability/logging.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <cstdio>

namespace p2j::http {
namespace {

// KEYS[1]: the current window's counter, KEYS[2]: the previous window's.
// ARGV: limit, window (seconds), now (seconds, exact as %.17g), window start, sliding ("1" or "0").
// Returns {allowed (1/0), current before this request, previous}; the host derives the headers from them
// with decideRate(). The arithmetic is decideRate()'s, in the same order, on the same IEEE doubles.
constexpr const char* kScript = R"lua(
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or 0)
local previous = 0
local carried = 0
if ARGV[5] == '1' then
  previous = tonumber(redis.call('GET', KEYS[2]) or 0)
  local elapsed_fraction = (tonumber(ARGV[3]) - tonumber(ARGV[4])) / window
  carried = previous * (1 - elapsed_fraction)
end
if math.floor(carried) + current >= limit then
  return {0, current, previous}
end
if redis.call('INCR', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], window * 2 + 1)
end
return {1, current, previous}
)lua";

std::string exactNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

int64_t integerElement(const redis::Reply& reply, size_t index) {
  if (reply.type != redis::Reply::Type::kArray || reply.elements.size() != 3 ||
      reply.elements[index].type != redis::Reply::Type::kInteger) {
    throw std::runtime_error("the rate-limit script returned an unexpected reply");
  }
  return reply.elements[index].integer;
}

}  // namespace

const std::string& RedisRateLimitStore::scriptSha1() {
  static const std::string sha1 = [] {
    Poco::SHA1Engine engine;
    engine.update(kScript);
    return Poco::DigestEngine::digestToHex(engine.digest());
  }();
  return sha1;
}

RedisRateLimitStore::RedisRateLimitStore(RedisRateLimitSettings settings, bool sliding)
    : settings_(std::move(settings)), sliding_(sliding), pool_(settings_.pool), fallback_(sliding) {
  if (observability::metrics().enabled()) {
    failures_ = &observability::metrics()
                     .counter("rate_limit_store_failures_total",
                              "Rate-limit decisions the shared store could not make: counted in this process "
                              "(on_failure open) or refused with 503 (closed)")
                     .Add({{"store", "redis"}, {"on_failure", settings_.fail_open ? "open" : "closed"}});
  }
}

RateDecision RedisRateLimitStore::hitRedis(const std::string& key, const config::RateLimitSpec& spec,
                                           double now_seconds) {
  const int64_t window = spec.window_seconds;
  const int64_t window_start = windowStart(now_seconds, window);
  // The key in braces is a Redis Cluster hash tag: both counters of a key live on the same node.
  const std::string base = settings_.key_prefix + "{" + key + "}:" + std::to_string(window) + ":";
  const std::string current_key = base + std::to_string(window_start);
  const std::string previous_key = base + std::to_string(window_start - window);
  const std::string limit = std::to_string(spec.limit);
  const std::string window_text = std::to_string(window);
  const std::string now_text = exactNumber(now_seconds);
  const std::string start_text = std::to_string(window_start);
  const char* sliding = sliding_ ? "1" : "0";

  const redis::Reply reply = pool_.run([&](redis::Connection& connection) {
    redis::Reply answer = connection.command(
        {"EVALSHA", scriptSha1(), "2", current_key, previous_key, limit, window_text, now_text, start_text, sliding});
    // A restarted (or flushed) Redis has forgotten the script: EVAL sends it again and caches it.
    if (answer.isError() && answer.text.starts_with("NOSCRIPT")) {
      answer = connection.command(
          {"EVAL", kScript, "2", current_key, previous_key, limit, window_text, now_text, start_text, sliding});
    }
    return answer;
  });
  if (reply.isError()) throw std::runtime_error("Redis refused the rate-limit script: " + reply.text);
  const bool allowed = integerElement(reply, 0) == 1;
  RateDecision decision = decideRate(spec, sliding_, now_seconds, {integerElement(reply, 1), integerElement(reply, 2)});
  if (decision.allowed != allowed) {
    // Only a script and a host that disagree on arithmetic get here; Redis counted, so its verdict stands.
    decision.allowed = allowed;
    decision.remaining = allowed ? std::max<int64_t>(0, decision.remaining) : 0;
    if (!allowed) decision.retry_after_seconds = decision.reset_seconds;
  }
  return decision;
}

RateDecision RedisRateLimitStore::fallBack(const std::string& key, const config::RateLimitSpec& spec,
                                           std::chrono::system_clock::time_point now, const std::string& why) {
  if (failures_ != nullptr) failures_->Increment();
  if (!falling_back_.exchange(true)) {
    observability::log(observability::Log::kHttp)
        .warn("rate limits: Redis at {} cannot be used ({}); {}", settings_.pool.address.display(), why,
              settings_.fail_open ? "counting in this process until it answers"
                                  : "refusing rate-limited requests with 503 until it answers");
  }
  if (!settings_.fail_open) {
    throw HttpError(503, "service_unavailable", "the rate-limit store is unavailable; retry later")
        .withHeader("Retry-After", "1");
  }
  return fallback_.hit(key, spec, now);
}

RateDecision RedisRateLimitStore::hit(const std::string& key, const config::RateLimitSpec& spec,
                                      std::chrono::system_clock::time_point now) {
  const double now_seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  RateDecision decision;
  try {
    decision = hitRedis(key, spec, now_seconds);
  } catch (const redis::Unavailable& e) {
    return fallBack(key, spec, now, e.what());
  } catch (const std::runtime_error& e) {
    return fallBack(key, spec, now, e.what());
  }
  if (falling_back_.exchange(false)) {
    observability::log(observability::Log::kHttp)
        .info("rate limits: Redis at {} answers again; counting there", settings_.pool.address.display());
  }
  return decision;
}

std::optional<StoreHealth> RedisRateLimitStore::health() {
  if (pool_.ping()) return StoreHealth{};
  return StoreHealth{sdk::HealthState::kDegraded,
                     "Redis at " + settings_.pool.address.display() + " cannot be used (" + pool_.problem() + "); " +
                         (settings_.fail_open ? "limits are counted per process" : "rate-limited requests get 503")};
}

}  // namespace p2j::http
