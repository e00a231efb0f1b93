#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace p2j::observability {

// Where the process is in its life; /readyz answers 200 only in kReady.
class ServiceState {
 public:
  enum class Phase { kStarting, kReady, kDraining };

  void set(Phase phase) { phase_.store(phase, std::memory_order_release); }
  Phase phase() const { return phase_.load(std::memory_order_acquire); }
  std::string phaseName() const {
    switch (phase()) {
      case Phase::kStarting:
        return "starting";
      case Phase::kReady:
        return "ready";
      case Phase::kDraining:
        return "draining";
    }
    return "unknown";
  }
  std::chrono::steady_clock::time_point startedAt() const { return started_at_; }

 private:
  std::atomic<Phase> phase_{Phase::kStarting};
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
};

}  // namespace p2j::observability
