#include "redis_cache.hpp"

#include <stdexcept>

namespace p2j::cache_redis {
namespace {

cache_memory::Clock::time_point now() { return cache_memory::Clock::now(); }

}  // namespace

RedisCache::RedisCache(RedisCacheSettings settings)
    : settings_(std::move(settings)), pool_(settings_.pool), fallback_(settings_.fallback_max_bytes, 16) {}

std::string RedisCache::redisKey(std::string_view key) const {
  std::string full = settings_.key_prefix;
  full += key;
  return full;
}

void RedisCache::answered() {
  if (falling_back_.exchange(false)) fallback_.clear();
}

void RedisCache::unavailable(const redis::Unavailable&) {
  falling_back_.store(true);
  redis_errors_.fetch_add(1, std::memory_order_relaxed);
}

std::optional<std::string> RedisCache::get(std::string_view key) {
  std::optional<std::string> value;
  try {
    const redis::Reply reply = pool_.command({"GET", redisKey(key)});
    answered();
    if (reply.type == redis::Reply::Type::kString)
      value = reply.text;
    else if (!reply.isNil())
      throw std::runtime_error("Redis answered GET with an unexpected reply: " + reply.text);
  } catch (const redis::Unavailable& e) {
    unavailable(e);
    value = fallback_.get(key, now());
  }
  (value ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  return value;
}

void RedisCache::set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
  if (value.size() > settings_.max_value_bytes) {
    try {
      erase(key);  // what the key held is outdated by this set, stored or not
    } catch (const redis::Unavailable&) {
    }
    throw std::invalid_argument("the value has " + std::to_string(value.size()) + " bytes; this cache keeps at most " +
                                std::to_string(settings_.max_value_bytes));
  }
  try {
    const redis::Reply reply =
        pool_.command({"SET", redisKey(key), value, "PX", std::to_string(std::max<int64_t>(1, ttl.count()))});
    answered();
    if (reply.isError()) throw std::runtime_error("Redis refused SET: " + reply.text);
  } catch (const redis::Unavailable& e) {
    unavailable(e);
    fallback_.set(key, value, ttl, now());
  }
  sets_.fetch_add(1, std::memory_order_relaxed);
}

bool RedisCache::erase(std::string_view key) {
  const bool here = fallback_.erase(key);
  try {
    const redis::Reply reply = pool_.command({"DEL", redisKey(key)});
    answered();
    if (reply.isError()) throw std::runtime_error("Redis refused DEL: " + reply.text);
    const bool removed = reply.integer > 0 || here;
    if (removed) deletes_.fetch_add(1, std::memory_order_relaxed);
    return removed;
  } catch (const redis::Unavailable& e) {
    unavailable(e);
    throw;
  }
}

bool RedisCache::reachable() {
  if (!pool_.ping()) return false;
  answered();
  return true;
}

RedisCacheStats RedisCache::stats() {
  RedisCacheStats stats;
  stats.connected = reachable();
  stats.problem = pool_.problem();
  stats.hits = hits_.load(std::memory_order_relaxed);
  stats.misses = misses_.load(std::memory_order_relaxed);
  stats.sets = sets_.load(std::memory_order_relaxed);
  stats.deletes = deletes_.load(std::memory_order_relaxed);
  stats.redis_errors = redis_errors_.load(std::memory_order_relaxed);
  stats.fallback = fallback_.stats(now());
  return stats;
}

}  // namespace p2j::cache_redis
