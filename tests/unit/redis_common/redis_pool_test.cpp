// The pool against real redis-server processes of its own: commands, the breaker, a restart, a pause.
#include "redis_pool.hpp"
#include "redis.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace p2j::redis {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class RedisPoolTest : public ::testing::Test {
 protected:
  // hiredis writes with write(2); like the host, the test must survive a peer that went away.
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }

  PoolSettings settings(milliseconds retry_interval = milliseconds(300)) const {
    PoolSettings pool;
    pool.address = parseAddress(server_.url());
    pool.timeouts = {milliseconds(200), milliseconds(200)};
    pool.size = 4;
    pool.retry_interval = retry_interval;
    return pool;
  }

  testing::RedisServer server_;
};

TEST_F(RedisPoolTest, RunsCommandsAndReturnsTheirReplies) {
  Pool pool(settings());
  EXPECT_EQ(pool.command({"SET", "k", std::string_view("v\0x", 3)}).text, "OK");
  const Reply value = pool.command({"GET", "k"});
  ASSERT_EQ(value.type, Reply::Type::kString);
  EXPECT_EQ(value.text, std::string("v\0x", 3));  // bytes, not C strings
  EXPECT_TRUE(pool.command({"GET", "missing"}).isNil());
  EXPECT_EQ(pool.command({"INCR", "n"}).integer, 1);
  const Reply error = pool.command({"INCR", "k"});
  EXPECT_TRUE(error.isError()) << "an error reply is a value, not a broken connection";
  EXPECT_FALSE(pool.down());
  EXPECT_TRUE(pool.ping());
}

TEST_F(RedisPoolTest, SelectsTheDatabaseOfTheAddress) {
  PoolSettings in_db_3 = settings();
  in_db_3.address.database = 3;
  Pool pool(in_db_3);
  pool.command({"SET", "where", "three"});
  Pool default_db(settings());
  EXPECT_TRUE(default_db.command({"GET", "where"}).isNil());
  EXPECT_EQ(pool.command({"GET", "where"}).text, "three");
}

TEST_F(RedisPoolTest, AFailedLoginIsUnavailableWithoutThePassword) {
  PoolSettings wrong = settings();
  wrong.address.password = "not-the-password-123";
  Pool pool(wrong);
  try {
    pool.command({"PING"});
    FAIL() << "AUTH against a server without a password succeeded";
  } catch (const Unavailable& e) {
    EXPECT_EQ(std::string(e.what()).find("not-the-password-123"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(pool.down());
  EXPECT_EQ(pool.problem().find("not-the-password-123"), std::string::npos);
}

TEST_F(RedisPoolTest, ARestartedRedisIsFollowedWithoutAFailedCall) {
  Pool pool(settings());
  ASSERT_EQ(pool.command({"SET", "k", "1"}).text, "OK");  // leaves an idle connection to the old process
  server_.stop();
  server_.start();
  // The idle connection was closed by the old server: the pool replaces it and the call succeeds.
  EXPECT_EQ(pool.command({"SET", "k", "2"}).text, "OK");
  EXPECT_FALSE(pool.down());
}

TEST_F(RedisPoolTest, ADeadRedisTripsTheBreakerAndIsTriedAgainAfterTheInterval) {
  Pool pool(settings(milliseconds(400)));
  ASSERT_TRUE(pool.ping());
  server_.kill();
  EXPECT_THROW(pool.command({"PING"}), Unavailable);
  EXPECT_TRUE(pool.down());
  EXPECT_FALSE(pool.problem().empty());

  // While the breaker is open nobody waits for Redis: the call fails at once, naming when it tries again.
  const auto started = steady_clock::now();
  try {
    pool.command({"PING"});
    FAIL() << "a call went through an open breaker";
  } catch (const Unavailable& e) {
    EXPECT_NE(std::string(e.what()).find("next try in"), std::string::npos) << e.what();
  }
  EXPECT_LT(steady_clock::now() - started, milliseconds(50));

  server_.start();
  EXPECT_FALSE(pool.ping()) << "tried again before retry_interval";
  std::this_thread::sleep_for(milliseconds(450));
  EXPECT_TRUE(pool.ping());
  EXPECT_FALSE(pool.down());
  EXPECT_TRUE(pool.problem().empty());
}

TEST_F(RedisPoolTest, APausedRedisCostsOneTimeoutThenFailsFast) {
  Pool pool(settings(milliseconds(2000)));
  ASSERT_TRUE(pool.ping());
  server_.pause();
  auto started = steady_clock::now();
  EXPECT_THROW(pool.command({"PING"}), Unavailable);
  const auto first = steady_clock::now() - started;
  EXPECT_GE(first, milliseconds(150)) << "the command timeout was not waited for";
  EXPECT_LT(first, milliseconds(1500)) << "the command timeout did not bound the call";

  started = steady_clock::now();
  for (int i = 0; i < 20; ++i) EXPECT_THROW(pool.command({"PING"}), Unavailable);
  EXPECT_LT(steady_clock::now() - started, milliseconds(100)) << "later calls waited for a paused Redis";
  server_.resume();
}

TEST_F(RedisPoolTest, OnlyOneCallerProbesARedisThatFailed) {
  Pool pool(settings(milliseconds(100)));
  ASSERT_TRUE(pool.ping());
  server_.pause();
  EXPECT_THROW(pool.command({"PING"}), Unavailable);
  std::this_thread::sleep_for(milliseconds(150));
  // Eight callers arrive after the interval: one probes (and waits for the timeout), the others fail at once.
  std::atomic<int> fast{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      const auto started = steady_clock::now();
      try {
        pool.command({"PING"});
      } catch (const Unavailable&) {
      }
      if (steady_clock::now() - started < milliseconds(100)) ++fast;
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_GE(fast.load(), 7);
  server_.resume();
}

TEST_F(RedisPoolTest, AnExhaustedPoolIsBusyNotDown) {
  PoolSettings one = settings();
  one.size = 1;
  Pool pool(one);
  ASSERT_TRUE(pool.ping());
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    pool.run([&](Connection& connection) {
      holding = true;
      std::this_thread::sleep_for(milliseconds(400));
      return connection.command({"PING"});
    });
  });
  while (!holding) std::this_thread::yield();
  EXPECT_THROW(pool.command({"PING"}), Pool::Busy);
  holder.join();
  EXPECT_FALSE(pool.down()) << "a busy pool tripped the breaker";
  EXPECT_TRUE(pool.ping());
}

}  // namespace
}  // namespace p2j::redis
