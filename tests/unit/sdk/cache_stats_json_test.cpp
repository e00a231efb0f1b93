#include <p2j/sdk/cache.hpp>

#include <gtest/gtest.h>

namespace p2j::sdk {
namespace {

TEST(CacheStatsJson, RoundTrips) {
  CacheStats stats;
  stats.backend = "redis";
  stats.hits = 7;
  stats.misses = 3;
  stats.sets = 3;
  stats.deletes = 1;
  stats.entries = 2;
  stats.bytes = 4096;
  stats.max_bytes = 1 << 20;
  stats.evictions = 5;
  stats.expirations = 6;
  stats.connected = false;
  EXPECT_EQ(cacheStatsFromJson(parseJson(serialize(stats))), stats);
  stats.connected.reset();
  const std::string text = serialize(stats);
  EXPECT_EQ(text.find("connected"), std::string::npos) << "an in-process cache says nothing about a connection";
  EXPECT_EQ(cacheStatsFromJson(parseJson(text)), stats);
}

TEST(CacheStatsJson, MissingCountsAreZero) {
  const CacheStats stats = cacheStatsFromJson(parseJson(R"({"backend": "memory"})"));
  EXPECT_EQ(stats.hits + stats.misses + stats.sets + stats.entries, 0U);
}

TEST(CacheStatsJson, RejectsWhatIsNotStats) {
  for (const char* bad :
       {R"([])", R"({})", R"({"backend": 1})", R"({"backend": "m", "hits": -1})", R"({"backend": "m", "hits": 1.5})",
        R"({"backend": "m", "misses": "2"})", R"({"backend": "m", "connected": "yes"})"}) {
    EXPECT_THROW(cacheStatsFromJson(parseJson(bad)), FieldError) << bad;
  }
}

}  // namespace
}  // namespace p2j::sdk
