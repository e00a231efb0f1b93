// The in-process cache: LRU within a byte budget, a TTL per entry, sharded so that request threads seldom
// wait for each other. cache-memory is this cache as a plugin; cache-redis answers from one while Redis is
// unreachable.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace p2j::cache_memory {

using Clock = std::chrono::steady_clock;

struct MemoryCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;  // absent or expired
  uint64_t sets = 0;
  uint64_t deletes = 0;      // erase() calls that removed an entry
  uint64_t evictions = 0;    // live entries dropped to stay within the byte budget
  uint64_t expirations = 0;  // entries dropped because their TTL had passed
  uint64_t entries = 0;
  uint64_t bytes = 0;  // what the entries cost, bookkeeping included (see entryCost)
  uint64_t max_bytes = 0;
};

class MemoryCache {
 public:
  // The bookkeeping of one entry beyond its key and value (list and hash nodes, the strings' headers), so
  // that many tiny entries cannot exceed the budget either.
  static constexpr size_t kEntryOverhead = 128;
  // Shards below this budget would refuse ordinary values, so a small cache gets fewer shards.
  static constexpr size_t kMinShardBytes = 64 * 1024;

  // max_bytes is split evenly over the shards (fewer when a shard would get less than kMinShardBytes).
  MemoryCache(size_t max_bytes, size_t shards);

  static size_t entryCost(std::string_view key, std::string_view value) {
    return key.size() + value.size() + kEntryOverhead;
  }
  // The largest entryCost() that set() accepts: one shard's budget.
  size_t maxEntryCost() const { return shard_capacity_; }

  // The value when present and not expired at `now` (a hit makes it the most recently used).
  std::optional<std::string> get(std::string_view key, Clock::time_point now);
  // Stores the value until now + ttl (ttl > 0), evicting the least recently used entries of its shard as
  // needed. Returns false, storing nothing and removing an older value under the key, when the entry costs
  // more than maxEntryCost().
  bool set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl, Clock::time_point now);
  // True when an entry was removed.
  bool erase(std::string_view key);
  void clear();
  // The counters, with the entries expired at `now` dropped first so that entries and bytes are current.
  MemoryCacheStats stats(Clock::time_point now);

 private:
  struct Entry {
    std::string key;
    std::string value;
    Clock::time_point expires;
    size_t cost = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::list<Entry> lru;                                                    // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into the entries' keys
    size_t bytes = 0;
  };

  Shard& shardFor(std::string_view key);
  // Unlinks an entry; the caller holds the shard's lock.
  static void remove(Shard& shard, std::list<Entry>::iterator entry);

  size_t shard_capacity_;
  size_t max_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> sets_{0};
  std::atomic<uint64_t> deletes_{0};
  std::atomic<uint64_t> evictions_{0};
  std::atomic<uint64_t> expirations_{0};
};

}  // namespace p2j::cache_memory
