#include "redis_address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace p2j::redis {
namespace {

TEST(RedisAddress, HostAndPortAlone) {
  const Address address = parseAddress("cache.internal:6380");
  EXPECT_EQ(address.host, "cache.internal");
  EXPECT_EQ(address.port, 6380);
  EXPECT_EQ(address.database, 0);
  EXPECT_TRUE(address.password.empty());
}

TEST(RedisAddress, HostAloneUsesTheDefaultPort) {
  const Address address = parseAddress("cache.internal");
  EXPECT_EQ(address.port, 6379);
}

TEST(RedisAddress, UriWithCredentialsAndDatabase) {
  const Address address = parseAddress("redis://p2j:s%40cret@10.0.0.5:6390/3");
  EXPECT_EQ(address.username, "p2j");
  EXPECT_EQ(address.password, "s@cret");
  EXPECT_EQ(address.host, "10.0.0.5");
  EXPECT_EQ(address.port, 6390);
  EXPECT_EQ(address.database, 3);
}

TEST(RedisAddress, PasswordWithoutUserAndAnUnencodedAt) {
  const Address address = parseAddress("redis://:p@ss@localhost/1");
  EXPECT_TRUE(address.username.empty());
  EXPECT_EQ(address.password, "p@ss");
  EXPECT_EQ(address.host, "localhost");
  EXPECT_EQ(address.port, 6379);
  EXPECT_EQ(address.database, 1);
}

TEST(RedisAddress, Ipv6InBrackets) {
  const Address address = parseAddress("redis://[::1]:7000/0");
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 7000);
  EXPECT_EQ(address.display(), "[::1]:7000/0");
}

TEST(RedisAddress, DisplayNeverShowsThePassword) {
  const Address address = parseAddress("redis://user:hunter2hunter2@cache:6379/2");
  EXPECT_EQ(address.display(), "cache:6379/2");
  EXPECT_EQ(address.display().find("hunter2"), std::string::npos);
}

TEST(RedisAddress, RejectsWhatItCannotUse) {
  for (const char* bad :
       {"", "redis://", "redis://:6379", "cache:", "cache:0", "cache:70000", "cache:12ab", "redis://cache/notanumber",
        "rediss://cache:6379", "http://cache:6379", "redis://[::1", "redis://[::1]x", "redis://u:%zz@cache"}) {
    EXPECT_THROW(parseAddress(bad), std::invalid_argument) << bad;
  }
}

TEST(RedisAddress, ErrorsDoNotEchoThePassword) {
  try {
    parseAddress("redis://u:topsecret%zz@cache");
    FAIL() << "accepted a bad percent-encoding";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace p2j::redis
