// An agent backed by an OpenAI-compatible chat completions server (OpenAI, vLLM, llama.cpp, Ollama):
// schema-constrained answers, validated, repaired once, behind a concurrency limit and a circuit breaker.
#include "openai_agent.hpp"
#include "settings.hpp"

#include <p2j/sdk/plugin.hpp>

namespace {

constexpr const char* kDesignSpecSchema =
#include "design_spec_schema.inc"
    ;

class OpenAiAgentPlugin : public p2j::sdk::Agent {
 public:
  // Each call opens its own connection; the breaker locks and the concurrency limit is atomic. Serializing
  // calls would turn the concurrency limit into one.
  static constexpr bool kThreadSafe = true;

  explicit OpenAiAgentPlugin(const rapidjson::Value& config)
      : agent_(p2j::agent_openai::Settings::fromJson(config, p2j::agent_openai::processEnvironment),
               kDesignSpecSchema) {}

  p2j::sdk::DesignSpec generate(std::string_view prompt) override { return agent_.generate(prompt); }
  p2j::sdk::Health health() override { return agent_.health(); }

 private:
  p2j::agent_openai::OpenAiAgent agent_;
};

}  // namespace

P2J_EXPORT_AGENT(OpenAiAgentPlugin, "agent-openai", "1.0.0",
                 "LLM agent: an OpenAI-compatible chat completions server, schema-constrained and validated",
                 p2j::agent_openai::kConfigSchema)
