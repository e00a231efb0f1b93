#include "memory_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace p2j::cache_memory {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Clock::time_point kStart = Clock::time_point(seconds(1000));

TEST(MemoryCache, ReturnsWhatWasSetUntilItExpires) {
  MemoryCache cache(1 << 20, 4);
  ASSERT_TRUE(cache.set("k", std::string("v\0w", 3), seconds(10), kStart));
  EXPECT_EQ(cache.get("k", kStart + seconds(9)), std::string("v\0w", 3));
  EXPECT_EQ(cache.get("k", kStart + seconds(10)), std::nullopt) << "an entry lives for its TTL, not longer";
  EXPECT_EQ(cache.get("k", kStart + seconds(1)), std::nullopt) << "the expired entry was dropped";
  const MemoryCacheStats stats = cache.stats(kStart);
  EXPECT_EQ(stats.hits, 1U);
  EXPECT_EQ(stats.misses, 2U);
  EXPECT_EQ(stats.sets, 1U);
  EXPECT_EQ(stats.expirations, 1U);
  EXPECT_EQ(stats.entries, 0U);
  EXPECT_EQ(stats.bytes, 0U);
}

TEST(MemoryCache, ASetReplacesTheValueAndItsTtl) {
  MemoryCache cache(1 << 20, 1);
  cache.set("k", "old", seconds(100), kStart);
  cache.set("k", "new value", seconds(1), kStart);
  EXPECT_EQ(cache.get("k", kStart), "new value");
  EXPECT_EQ(cache.get("k", kStart + seconds(2)), std::nullopt);
  const MemoryCacheStats stats = cache.stats(kStart);
  EXPECT_EQ(stats.entries, 0U);
}

TEST(MemoryCache, EvictsTheLeastRecentlyUsedToStayWithinItsBytes) {
  // One shard of 64 KiB holds 15 entries of 4 KiB (each entry also costs its key and the overhead).
  MemoryCache cache(MemoryCache::kMinShardBytes, 1);
  const std::string value(4096, 'x');
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(cache.set("k" + std::to_string(i), value, seconds(60), kStart));
  ASSERT_EQ(cache.stats(kStart).entries, 15U);
  ASSERT_TRUE(cache.get("k0", kStart)) << "k0 is now the most recently used";
  ASSERT_TRUE(cache.set("k15", value, seconds(60), kStart));
  EXPECT_TRUE(cache.get("k0", kStart));
  EXPECT_FALSE(cache.get("k1", kStart)) << "k1 was the least recently used";
  EXPECT_TRUE(cache.get("k2", kStart));
  const MemoryCacheStats stats = cache.stats(kStart);
  EXPECT_EQ(stats.evictions, 1U);
  EXPECT_EQ(stats.entries, 15U);
  EXPECT_LE(stats.bytes, stats.max_bytes);
  size_t expected_bytes = 0;
  for (int i = 0; i < 16; ++i) {
    if (i != 1) expected_bytes += MemoryCache::entryCost("k" + std::to_string(i), value);
  }
  EXPECT_EQ(stats.bytes, expected_bytes);
}

TEST(MemoryCache, NeverHoldsMoreBytesThanItsBudget) {
  MemoryCache cache(256 * 1024, 4);
  for (int i = 0; i < 5000; ++i) {
    cache.set("key-" + std::to_string(i), std::string(static_cast<size_t>(i % 977), 'v'), seconds(60), kStart);
    ASSERT_LE(cache.stats(kStart).bytes, cache.stats(kStart).max_bytes);
  }
  const MemoryCacheStats stats = cache.stats(kStart);
  EXPECT_EQ(stats.max_bytes, 256U * 1024);
  EXPECT_GT(stats.evictions, 0U);
  EXPECT_EQ(stats.sets, 5000U);
}

TEST(MemoryCache, RefusesAnEntryLargerThanAShardAndDropsTheOldValue) {
  MemoryCache cache(MemoryCache::kMinShardBytes * 2, 2);
  ASSERT_EQ(cache.maxEntryCost(), MemoryCache::kMinShardBytes);
  ASSERT_TRUE(cache.set("k", "small", seconds(60), kStart));
  EXPECT_FALSE(cache.set("k", std::string(MemoryCache::kMinShardBytes, 'x'), seconds(60), kStart));
  EXPECT_EQ(cache.get("k", kStart), std::nullopt) << "a stale value survived a refused set";
}

TEST(MemoryCache, ASmallBudgetGetsFewerShards) {
  MemoryCache cache(100 * 1024, 16);
  EXPECT_EQ(cache.maxEntryCost(), 100U * 1024) << "one shard, not sixteen of 6 KiB";
}

TEST(MemoryCache, EraseAndClear) {
  MemoryCache cache(1 << 20, 4);
  cache.set("a", "1", seconds(60), kStart);
  cache.set("b", "2", seconds(60), kStart);
  EXPECT_TRUE(cache.erase("a"));
  EXPECT_FALSE(cache.erase("a"));
  EXPECT_EQ(cache.get("a", kStart), std::nullopt);
  cache.clear();
  EXPECT_EQ(cache.get("b", kStart), std::nullopt);
  const MemoryCacheStats stats = cache.stats(kStart);
  EXPECT_EQ(stats.deletes, 1U);
  EXPECT_EQ(stats.entries, 0U);
  EXPECT_EQ(stats.bytes, 0U);
}

TEST(MemoryCache, StatsDropExpiredEntries) {
  MemoryCache cache(1 << 20, 4);
  cache.set("short", "1", milliseconds(10), kStart);
  cache.set("long", "2", seconds(60), kStart);
  EXPECT_EQ(cache.stats(kStart).entries, 2U);
  const MemoryCacheStats later = cache.stats(kStart + seconds(1));
  EXPECT_EQ(later.entries, 1U);
  EXPECT_EQ(later.expirations, 1U);
  EXPECT_EQ(later.bytes, MemoryCache::entryCost("long", "2"));
}

TEST(MemoryCache, IsSafeUnderConcurrentUse) {
  MemoryCache cache(512 * 1024, 8);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  std::atomic<uint64_t> gets{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 700);
        const std::string value = key + std::string(static_cast<size_t>(i % 300), '.');
        if (i % 3 == 0) {
          cache.set(key, value, seconds(60), kStart);
        } else if (i % 97 == 0) {
          cache.erase(key);
        } else {
          ++gets;
          if (const auto got = cache.get(key, kStart); got && !got->starts_with(key)) ++wrong;  // another key's value
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  const MemoryCacheStats stats = cache.stats(kStart);
  EXPECT_LE(stats.bytes, stats.max_bytes);
  EXPECT_EQ(stats.hits + stats.misses, gets.load());
  EXPECT_GT(stats.hits, 0U);
}

}  // namespace
}  // namespace p2j::cache_memory
