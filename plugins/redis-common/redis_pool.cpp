#include "redis_pool.hpp"

namespace p2j::redis {

Pool::Pool(PoolSettings settings) : settings_(std::move(settings)) {}

Pool::~Pool() = default;

int64_t Pool::nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Pool::Admission Pool::admit() {
  const int64_t retry_at = retry_at_ms_.load();
  if (retry_at == 0) return Admission::kNormal;
  const int64_t wait = retry_at - nowMs();
  if (wait > 0) {
    throw Unavailable("Redis at " + settings_.address.display() + " is down (" + problem() + "); next try in " +
                      std::to_string(wait) + " ms");
  }
  bool expected = false;
  if (!probing_.compare_exchange_strong(expected, true)) {
    throw Unavailable("Redis at " + settings_.address.display() + " is down (" + problem() +
                      "); another call is trying it again");
  }
  return Admission::kProbe;
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  if (!returned_.wait_for(lock, settings_.timeouts.command, [&] { return !idle_.empty() || open_ < settings_.size; })) {
    throw Busy("all " + std::to_string(settings_.size) + " connections to Redis at " + settings_.address.display() +
               " stayed busy for " + std::to_string(settings_.timeouts.command.count()) + " ms");
  }
  if (!idle_.empty()) {
    Lease lease{std::move(idle_.back()), true};
    idle_.pop_back();
    return lease;
  }
  ++open_;
  lock.unlock();
  try {
    return Lease{std::make_unique<Connection>(settings_.address, settings_.timeouts), false};
  } catch (...) {
    lock.lock();
    --open_;
    lock.unlock();
    returned_.notify_one();
    throw;
  }
}

void Pool::give(Lease lease) {
  if (lease.connection && lease.connection->broken()) lease.connection.reset();
  {
    std::lock_guard lock(mutex_);
    if (lease.connection) {
      idle_.push_back(std::move(lease.connection));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
}

void Pool::dropIdle() {
  std::vector<std::unique_ptr<Connection>> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(idle_);
    open_ -= dropped.size();
  }
  returned_.notify_all();
}

void Pool::succeeded() {
  if (retry_at_ms_.load() == 0) return;
  retry_at_ms_.store(0);
  std::lock_guard lock(problem_mutex_);
  problem_.clear();
}

void Pool::failed(const std::string& why) {
  {
    std::lock_guard lock(problem_mutex_);
    problem_ = why;
  }
  retry_at_ms_.store(nowMs() + settings_.retry_interval.count());
  // The idle connections lead to the same server: they would fail the next callers one by one.
  dropIdle();
}

bool Pool::ping() {
  try {
    const Reply reply = command({"PING"});
    return !reply.isError();
  } catch (const Unavailable&) {
    return false;
  }
}

bool Pool::down() const { return retry_at_ms_.load() != 0; }

std::string Pool::problem() const {
  std::lock_guard lock(problem_mutex_);
  return problem_;
}

}  // namespace p2j::redis
