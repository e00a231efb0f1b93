#pragma once

#include "pg_connection.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace p2j::storage_postgres {

// At most `size` connections to one server, opened when first needed and shared by every calling thread.
// A connection that broke is dropped, and the next caller opens a new one: that is how the pool follows a
// server restart.
class ConnectionPool {
 public:
  ConnectionPool(ConnectionSettings settings, int size, std::chrono::milliseconds wait_timeout);

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(Lease&& other) noexcept : pool_(other.pool_), connection_(std::move(other.connection_)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;

    Connection& operator*() const { return *connection_; }
    // Closes the connection instead of returning it to the pool.
    void discard() {
      connection_.reset();
      pool_.giveBack(nullptr);
    }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  // A connection, waiting up to `wait` (default: the pool's wait timeout) for one to be free. Returns nullopt
  // when none became free in time; throws ConnectionLost when a new one cannot be opened.
  std::optional<Lease> tryAcquire(std::optional<std::chrono::milliseconds> wait = std::nullopt);

  // Runs body(Connection&) on a pooled connection. When the connection turns out to be broken (the server
  // restarted since it was opened), the idle ones are dropped too and body runs once more on a new
  // connection, so body must be safe to repeat. Throws ConnectionLost when the server cannot be reached,
  // PoolExhausted when no connection became free within `wait` (default: the pool's wait timeout).
  template <typename Body>
  auto run(Body&& body, std::optional<std::chrono::milliseconds> wait = std::nullopt) {
    for (int attempt = 1;; ++attempt) {
      std::optional<Lease> lease = tryAcquire(wait);
      if (!lease) throw PoolExhausted(exhaustedMessage());
      try {
        return body(**lease);
      } catch (const ConnectionLost&) {
        lease->discard();
        discardIdle();
        if (attempt == 2) throw;
      }
    }
  }

  class PoolExhausted : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
  };

 private:
  // Returns a connection to the idle ones, or closes it when it broke; null means it was already closed.
  void giveBack(std::unique_ptr<Connection> connection);
  void discardIdle();
  std::string exhaustedMessage() const;

  const ConnectionSettings settings_;
  const size_t size_;
  const std::chrono::milliseconds wait_timeout_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle plus lent out plus being opened
};

}  // namespace p2j::storage_postgres
