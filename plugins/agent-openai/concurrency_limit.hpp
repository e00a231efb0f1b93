// At most `limit` calls to the LLM server at once. A call beyond it is refused at once instead of queued:
// a queue in front of a slow model only turns one slow answer into many timeouts.
#pragma once

#include <atomic>

namespace p2j::agent_openai {

class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(int limit) : limit_(limit) {}

  // Holds one slot while it lives; `acquired()` says whether there was one.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    Permit& operator=(Permit&&) = delete;
    ~Permit() {
      if (owner_ != nullptr) owner_->in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    }
    bool acquired() const { return owner_ != nullptr; }

   private:
    friend class ConcurrencyLimit;
    explicit Permit(ConcurrencyLimit* owner) : owner_(owner) {}
    ConcurrencyLimit* owner_;
  };

  Permit tryAcquire() {
    if (in_flight_.fetch_add(1, std::memory_order_acq_rel) >= limit_) {
      in_flight_.fetch_sub(1, std::memory_order_acq_rel);
      return Permit(nullptr);
    }
    return Permit(this);
  }

  int inFlight() const { return in_flight_.load(std::memory_order_acquire); }
  int limit() const { return limit_; }

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
};

}  // namespace p2j::agent_openai
