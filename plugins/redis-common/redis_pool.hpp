#pragma once

#include "redis_connection.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace p2j::redis {

struct PoolSettings {
  Address address;
  Timeouts timeouts;
  size_t size = 8;  // most connections open at once
  // After Redis failed, callers get Unavailable at once for this long; then one caller tries again.
  std::chrono::milliseconds retry_interval{1000};
};

// At most `size` connections to one Redis, opened when first needed and shared by every calling thread, with
// a circuit breaker: once Redis failed, nobody waits for it again until retry_interval has passed, and then
// only one caller probes while the others keep using their fallback. So an unreachable Redis costs one
// timeout per retry_interval, not one per request.
class Pool {
 public:
  explicit Pool(PoolSettings settings);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // No connection became free within the command timeout: Redis is busy (or the pool too small), not down,
  // so this does not trip the breaker.
  class Busy : public Unavailable {
   public:
    using Unavailable::Unavailable;
  };

  // Runs body(Connection&) on a pooled connection and returns the value it returns. Throws Unavailable when
  // Redis is unreachable, or failed less than retry_interval ago, or while another caller probes it; Busy
  // when no connection became free in time. A connection Redis had closed (a restart) is replaced and body
  // runs once more on a new one: Redis never saw the first attempt.
  template <typename Body>
  auto run(Body&& body) {
    const ProbeGuard probe(*this, admit());
    for (int attempt = 1;; ++attempt) {
      Lease lease;
      try {
        lease = acquire();
      } catch (const Busy&) {
        throw;
      } catch (const Unavailable& e) {
        failed(e.what());
        throw;
      }
      try {
        auto result = body(*lease.connection);
        give(std::move(lease));
        succeeded();
        return result;
      } catch (const Unavailable& e) {
        const bool reused = lease.reused;
        lease.connection.reset();
        give(std::move(lease));
        if (e.peerClosed() && reused && attempt == 1) {
          dropIdle();
          continue;
        }
        failed(e.what());
        throw;
      } catch (...) {
        give(std::move(lease));  // Redis answered; what failed is the caller's handling of the answer
        succeeded();
        throw;
      }
    }
  }

  Reply command(std::initializer_list<std::string_view> arguments) {
    return run([&](Connection& connection) { return connection.command(arguments); });
  }

  // A PING now, for health checks: true when Redis answered. While the breaker is open and retry_interval
  // has not passed, false without trying. Never throws.
  bool ping();
  // True while the breaker is open (Redis failed and retry_interval has not passed, or the probe failed).
  bool down() const;
  // Why Redis failed last (for logs and health details; never contains a password), empty when it is up.
  std::string problem() const;
  const PoolSettings& settings() const { return settings_; }

 private:
  struct Lease {
    std::unique_ptr<Connection> connection;
    bool reused = false;  // taken from the idle ones (a restarted Redis may have closed it)
  };
  // Whether a call runs as usual or as the one probe of a Redis that failed.
  enum class Admission { kNormal, kProbe };
  class ProbeGuard {
   public:
    ProbeGuard(Pool& pool, Admission admission) : pool_(pool), admission_(admission) {}
    ~ProbeGuard() {
      if (admission_ == Admission::kProbe) pool_.probing_.store(false);
    }
    ProbeGuard(const ProbeGuard&) = delete;
    ProbeGuard& operator=(const ProbeGuard&) = delete;

   private:
    Pool& pool_;
    Admission admission_;
  };

  // Throws Unavailable while the breaker is open, unless this caller becomes the probe.
  Admission admit();
  // A connection, idle or new; throws Busy or Unavailable (it could not be opened).
  Lease acquire();
  // Back to the idle ones, or closed when the lease's connection is gone or broken.
  void give(Lease lease);
  void dropIdle();
  void succeeded();
  void failed(const std::string& why);
  static int64_t nowMs();

  const PoolSettings settings_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle plus lent out plus being opened

  // The breaker: retry_at_ms_ is 0 while Redis is up; probing_ is held by the one caller trying again.
  std::atomic<int64_t> retry_at_ms_{0};
  std::atomic<bool> probing_{false};
  mutable std::mutex problem_mutex_;
  std::string problem_;
};

}  // namespace p2j::redis
