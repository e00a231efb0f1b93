// sdk::randomUuid and sdk::timeOrderedUuid: the one id format, unique across threads and across processes,
// forked ones included; the time-ordered ones sort by the millisecond they were made in.
#include <p2j/sdk/uuid.hpp>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace p2j::sdk {
namespace {

const std::regex kUuidV4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(RandomUuid, IsAVersion4UuidInCanonicalLowerCase) {
  for (int i = 0; i < 2000; ++i) {
    const std::string id = randomUuid();
    ASSERT_TRUE(std::regex_match(id, kUuidV4)) << id;
  }
}

// 122 random bits: every hex digit but the version's changes between ids.
TEST(RandomUuid, EveryDigitButTheVersionVaries) {
  const std::string first = randomUuid();
  std::vector<bool> varies(36, false);
  for (int i = 0; i < 1000; ++i) {
    const std::string id = randomUuid();
    for (size_t c = 0; c < id.size(); ++c) varies[c] = varies[c] || id[c] != first[c];
  }
  for (size_t c = 0; c < 36; ++c) {
    const bool fixed = c == 8 || c == 13 || c == 14 || c == 18 || c == 23;  // dashes and the version digit
    EXPECT_EQ(varies[c], !fixed) << "character " << c;
  }
}

// `per_thread` ids from `make` on each of `threads` threads at once, every thread's in order.
template <typename Make>
std::vector<std::vector<std::string>> idsFromThreads(int threads, int per_thread, Make make) {
  std::vector<std::vector<std::string>> made(static_cast<size_t>(threads));
  std::vector<std::thread> running;
  for (auto& ids : made) {
    running.emplace_back([&ids, per_thread, make] {
      ids.reserve(static_cast<size_t>(per_thread));
      for (int i = 0; i < per_thread; ++i) ids.push_back(make());
    });
  }
  for (auto& thread : running) thread.join();
  return made;
}

TEST(RandomUuid, ManyThreadsNeverCollide) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 10000;
  std::unordered_set<std::string> unique;
  for (const auto& ids : idsFromThreads(kThreads, kPerThread, randomUuid)) unique.insert(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
}

// Forked children start from a copy of their parent's memory: an id generator kept in the process (a
// thread_local engine, a buffer of random bytes not wiped on fork) would hand every child the same ids as its
// siblings.
TEST(RandomUuid, ManyProcessesNeverCollideForkedOnesIncluded) {
  constexpr int kProcesses = 8;
  constexpr int kPerProcess = 5000;
  std::unordered_set<std::string> unique;
  unique.insert(randomUuid());  // whatever a generator sets up on first use, the parent has it before forking
  std::vector<int> pipes;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      std::string ids;
      ids.reserve(kPerProcess * 37);
      for (int i = 0; i < kPerProcess; ++i) ids += randomUuid() + "\n";
      for (size_t written = 0; written < ids.size();) {
        const ssize_t n = write(fds[1], ids.data() + written, ids.size() - written);
        if (n <= 0) _exit(1);
        written += static_cast<size_t>(n);
      }
      _exit(0);
    }
    close(fds[1]);
    pipes.push_back(fds[0]);
    children.push_back(child);
  }
  for (size_t p = 0; p < pipes.size(); ++p) {
    std::string text;
    char buffer[65536];
    for (ssize_t n; (n = read(pipes[p], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
    close(pipes[p]);
    int status = 0;
    ASSERT_EQ(waitpid(children[p], &status, 0), children[p]);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ(text.size(), static_cast<size_t>(kPerProcess * 37));
    for (size_t at = 0; at < text.size(); at += 37) unique.insert(text.substr(at, 36));
  }
  EXPECT_EQ(unique.size(), static_cast<size_t>(1 + kProcesses * kPerProcess));
}

const std::regex kUuidV7("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

uint64_t millisecondsOf(const std::string& id) { return std::stoull(id.substr(0, 8) + id.substr(9, 4), nullptr, 16); }

uint64_t nowInMilliseconds() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

TEST(TimeOrderedUuid, IsAVersion7UuidCarryingTheMillisecondItWasMadeIn) {
  const uint64_t before = nowInMilliseconds();
  const std::string id = timeOrderedUuid();
  const uint64_t after = nowInMilliseconds();
  ASSERT_TRUE(std::regex_match(id, kUuidV7)) << id;
  EXPECT_GE(millisecondsOf(id), before) << id;
  EXPECT_LE(millisecondsOf(id), after) << id;
}

// Text order is time order across milliseconds: what keeps a primary-key index appending at its end.
TEST(TimeOrderedUuid, IdsOfLaterMillisecondsSortAfterEarlierOnes) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(timeOrderedUuid());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

// Within one millisecond only the 74 random bits tell ids apart, and they must.
TEST(TimeOrderedUuid, ManyThreadsInTheSameMillisecondsNeverCollide) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  std::unordered_set<std::string> unique;
  for (const auto& ids : idsFromThreads(kThreads, kPerThread, timeOrderedUuid)) {
    for (const auto& id : ids) ASSERT_TRUE(std::regex_match(id, kUuidV7)) << id;
    unique.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace p2j::sdk
