// sdk::formatUtcTimestamp: the one timestamp format p2j writes, digit for digit, at the edges of its fields.
#include <p2j/sdk/time.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

namespace p2j::sdk {
namespace {

// In microseconds, so that instants beyond system_clock's nanosecond range (year 2262) can be written too.
std::chrono::sys_time<std::chrono::microseconds> at(int64_t seconds, int64_t micros) {
  return std::chrono::sys_time<std::chrono::microseconds>(std::chrono::seconds(seconds) +
                                                          std::chrono::microseconds(micros));
}

TEST(UtcTimestampTest, EveryFieldHasItsWidth) {
  EXPECT_EQ(formatUtcTimestamp(at(0, 0)), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(formatUtcTimestamp(at(0, 7)), "1970-01-01T00:00:00.000007Z");
  EXPECT_EQ(formatUtcTimestamp(at(951782400, 999999)), "2000-02-29T00:00:00.999999Z");  // a leap day
  EXPECT_EQ(formatUtcTimestamp(at(1767225599, 500000)), "2025-12-31T23:59:59.500000Z");
  EXPECT_EQ(formatUtcTimestamp(at(253402300799, 123456)), "9999-12-31T23:59:59.123456Z");
}

TEST(UtcTimestampTest, InstantsBeforeTheEpochCountBackFromTheSecondBefore) {
  EXPECT_EQ(formatUtcTimestamp(at(0, -1)), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(formatUtcTimestamp(at(-86400, 0)), "1969-12-31T00:00:00.000000Z");
}

TEST(UtcTimestampTest, YearsBeyondFourDigitsAreWrittenWhole) {
  EXPECT_EQ(formatUtcTimestamp(at(253402300800, 0)), "10000-01-01T00:00:00.000000Z");
}

TEST(UtcTimestampTest, SystemClockInstantsDropTheirSubMicroseconds) {
  const std::chrono::system_clock::time_point when{std::chrono::seconds(1767225599) + std::chrono::nanoseconds(999)};
  EXPECT_EQ(formatUtcTimestamp(when), "2025-12-31T23:59:59.000000Z");
}

TEST(UtcTimestampTest, NowIsInTheFormat) {
  const std::string now = utcNow();
  ASSERT_EQ(now.size(), 27u);
  EXPECT_EQ(now[4], '-');
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now[19], '.');
  EXPECT_EQ(now.back(), 'Z');
}

}  // namespace
}  // namespace p2j::sdk
