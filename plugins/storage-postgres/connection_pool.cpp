#include "connection_pool.hpp"

namespace p2j::storage_postgres {

ConnectionPool::ConnectionPool(ConnectionSettings settings, int size, std::chrono::milliseconds wait_timeout)
    : settings_(std::move(settings)), size_(static_cast<size_t>(size)), wait_timeout_(wait_timeout) {}

ConnectionPool::Lease::~Lease() {
  if (connection_) pool_.giveBack(std::move(connection_));
}

std::optional<ConnectionPool::Lease> ConnectionPool::tryAcquire(std::optional<std::chrono::milliseconds> wait) {
  std::unique_lock lock(mutex_);
  if (!returned_.wait_for(lock, wait.value_or(wait_timeout_), [&] { return !idle_.empty() || open_ < size_; })) {
    return std::nullopt;
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(settings_));
  } catch (...) {
    lock.lock();
    --open_;
    lock.unlock();
    returned_.notify_one();
    throw;
  }
}

void ConnectionPool::giveBack(std::unique_ptr<Connection> connection) {
  // A caller that failed inside a transaction leaves it open; the next one must start clean.
  if (connection && !connection->broken() && connection->inTransaction()) {
    try {
      connection->execute("ROLLBACK");
    } catch (const std::exception&) {
      connection.reset();
    }
  }
  if (connection && connection->broken()) connection.reset();
  {
    std::lock_guard lock(mutex_);
    if (connection) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
}

void ConnectionPool::discardIdle() {
  std::vector<std::unique_ptr<Connection>> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(idle_);
    open_ -= dropped.size();
  }
  returned_.notify_all();
}

std::string ConnectionPool::exhaustedMessage() const {
  return "all " + std::to_string(size_) + " PostgreSQL connections stayed busy for " +
         std::to_string(wait_timeout_.count()) + " ms";
}

}  // namespace p2j::storage_postgres
