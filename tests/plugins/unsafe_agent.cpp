// An agent that is not thread-safe and says so by leaving kThreadSafe false. Every call notes whether
// another call was inside the same instance and stays a moment, so calls the host lets run together
// overlap; generate() reports the count in the spec's features and health() in its detail. Built a second
// time as claiming-agent, which declares itself thread-safe: there the host does not serialize, and the
// count shows the detector sees overlaps.
#include <p2j/sdk/plugin.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#ifndef UNSAFE_AGENT_NAME
#error "define UNSAFE_AGENT_NAME"
#endif

namespace {

class UnsafeAgent : public p2j::sdk::Agent {
 public:
#ifdef UNSAFE_AGENT_CLAIMS_THREAD_SAFE
  static constexpr bool kThreadSafe = true;
#endif

  explicit UnsafeAgent(const rapidjson::Value& /*config*/) {}

  p2j::sdk::DesignSpec generate(std::string_view prompt) override {
    const Visit visit(*this);
    p2j::sdk::DesignSpec spec;
    spec.requirements = {std::string(prompt)};
    spec.features = {"overlaps-" + std::to_string(overlaps_.load())};
    return spec;
  }

  p2j::sdk::Health health() override {
    const Visit visit(*this);
    return {p2j::sdk::HealthState::kOk, R"({"calls": )" + std::to_string(calls_.load()) + R"(, "overlaps": )" +
                                            std::to_string(overlaps_.load()) + "}"};
  }

 private:
  // One call inside the instance, from entry to return.
  class Visit {
   public:
    explicit Visit(UnsafeAgent& agent) : agent_(agent) {
      if (agent_.inside_.fetch_add(1) != 0) agent_.overlaps_.fetch_add(1);
      agent_.calls_.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ~Visit() { agent_.inside_.fetch_sub(1); }
    Visit(const Visit&) = delete;
    Visit& operator=(const Visit&) = delete;

   private:
    UnsafeAgent& agent_;
  };

  std::atomic<int> inside_{0};
  std::atomic<int> calls_{0};
  std::atomic<int> overlaps_{0};
};

}  // namespace

P2J_EXPORT_AGENT(UnsafeAgent, UNSAFE_AGENT_NAME, "0.0.1", "counts the calls that overlap inside one instance",
                 R"({"type": "object"})")
