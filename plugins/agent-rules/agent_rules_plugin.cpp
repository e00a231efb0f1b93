// The embedded agent: rule-based, offline, deterministic (see docs/extraction.md).
#include "extractor.hpp"
#include "improver.hpp"

#include <p2j/sdk/plugin.hpp>
#include <p2j/sdk/time.hpp>

namespace {

constexpr const char* kConfigSchema = R"({
  "type": "object",
  "properties": {},
  "additionalProperties": false
})";

class RulesAgent : public p2j::sdk::Agent {
 public:
  // The extractor and the improver are immutable after construction.
  static constexpr bool kThreadSafe = true;

  explicit RulesAgent(const rapidjson::Value& /*config*/) {}

  p2j::sdk::DesignSpec generate(std::string_view prompt) override {
    p2j::sdk::DesignSpec spec = extractor_.extract(prompt);
    spec.timestamp = p2j::sdk::utcNow();
    return spec;
  }

  p2j::sdk::Improvement improve(const p2j::sdk::ImproveRequest& request) override {
    p2j::sdk::Improvement improvement = p2j::agent_rules::improveSpec(request);
    if (improvement.spec != request.spec) improvement.spec.timestamp = p2j::sdk::utcNow();
    return improvement;
  }

  std::vector<p2j::sdk::ImprovementAction> actions() override { return p2j::agent_rules::improvementActions(); }

 private:
  const p2j::agent_rules::Extractor extractor_;
};

}  // namespace

P2J_EXPORT_AGENT(RulesAgent, "agent-rules", "1.0.0",
                 "Rule-based agent: whole-word extraction of type, materials, dimensions and features", kConfigSchema)
