#include "memory_cache.hpp"

#include <algorithm>
#include <functional>

namespace p2j::cache_memory {

MemoryCache::MemoryCache(size_t max_bytes, size_t shards) {
  const size_t count = std::max<size_t>(1, std::min(shards, max_bytes / kMinShardBytes));
  shard_capacity_ = max_bytes / count;
  max_bytes_ = shard_capacity_ * count;
  shards_.reserve(count);
  for (size_t i = 0; i < count; ++i) shards_.push_back(std::make_unique<Shard>());
}

MemoryCache::Shard& MemoryCache::shardFor(std::string_view key) {
  return *shards_[std::hash<std::string_view>{}(key) % shards_.size()];
}

void MemoryCache::remove(Shard& shard, std::list<Entry>::iterator entry) {
  shard.index.erase(entry->key);
  shard.bytes -= entry->cost;
  shard.lru.erase(entry);
}

std::optional<std::string> MemoryCache::get(std::string_view key, Clock::time_point now) {
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  const auto found = shard.index.find(key);
  if (found == shard.index.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  const auto entry = found->second;
  if (entry->expires <= now) {
    remove(shard, entry);
    expirations_.fetch_add(1, std::memory_order_relaxed);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, entry);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return entry->value;
}

bool MemoryCache::set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl,
                      Clock::time_point now) {
  const size_t cost = entryCost(key, value);
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  if (const auto found = shard.index.find(key); found != shard.index.end()) remove(shard, found->second);
  if (cost > shard_capacity_) return false;
  sets_.fetch_add(1, std::memory_order_relaxed);
  while (shard.bytes + cost > shard_capacity_) {
    const auto oldest = std::prev(shard.lru.end());
    (oldest->expires <= now ? expirations_ : evictions_).fetch_add(1, std::memory_order_relaxed);
    remove(shard, oldest);
  }
  shard.lru.push_front(Entry{std::string(key), std::string(value), now + ttl, cost});
  shard.index.emplace(shard.lru.front().key, shard.lru.begin());
  shard.bytes += cost;
  return true;
}

bool MemoryCache::erase(std::string_view key) {
  Shard& shard = shardFor(key);
  std::lock_guard lock(shard.mutex);
  const auto found = shard.index.find(key);
  if (found == shard.index.end()) return false;
  remove(shard, found->second);
  deletes_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void MemoryCache::clear() {
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    shard->index.clear();
    shard->lru.clear();
    shard->bytes = 0;
  }
}

MemoryCacheStats MemoryCache::stats(Clock::time_point now) {
  MemoryCacheStats stats;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    for (auto entry = shard->lru.begin(); entry != shard->lru.end();) {
      const auto next = std::next(entry);
      if (entry->expires <= now) {
        remove(*shard, entry);
        expirations_.fetch_add(1, std::memory_order_relaxed);
      }
      entry = next;
    }
    stats.entries += shard->lru.size();
    stats.bytes += shard->bytes;
  }
  stats.hits = hits_.load(std::memory_order_relaxed);
  stats.misses = misses_.load(std::memory_order_relaxed);
  stats.sets = sets_.load(std::memory_order_relaxed);
  stats.deletes = deletes_.load(std::memory_order_relaxed);
  stats.evictions = evictions_.load(std::memory_order_relaxed);
  stats.expirations = expirations_.load(std::memory_order_relaxed);
  stats.max_bytes = max_bytes_;
  return stats;
}

}  // namespace p2j::cache_memory
