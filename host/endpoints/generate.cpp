// POST /generate {"prompt": "..."} -> {"spec", "spec_id", "agent", "fallback", "success", "message"}: the
// agent designs (or, when the endpoint names a cache, the spec it designed for this prompt before is taken
// from the cache), the storage commits, and only then does the client get the id.
//
// An endpoint may name a `fallback` agent: when its agent is unavailable (P2J_UNAVAILABLE: an LLM that timed
// out, failed, answered no valid spec even after its repair round, has its circuit open or too many calls in
// flight), the fallback designs instead, and the answer names the agent that did ("fallback": true). A
// refusal (422) or a bug (500) of the agent is answered as it is: the prompt was judged, or the failure must
// be seen, and neither is something another agent should paper over. The cache holds only the endpoint's
// agent's answers: a fallback's spec is a stopgap, not what the agent would have designed.
#include "endpoints/action.hpp"
#include "endpoints/json_body.hpp"
#include "endpoints/spec_cache.hpp"
#include "http/http_error.hpp"
#include "observability/logging.hpp"
#include "observability/metrics.hpp"
#include "pipelines/records.hpp"

#include <p2j/sdk/design_spec.hpp>

namespace p2j::endpoints {
namespace {

struct NamedAgent {
  std::string name;
  std::shared_ptr<plugins::AgentPlugin> plugin;
};

std::optional<NamedAgent> agentSetting(const ActionSetup& setup, const std::string& key) {
  const auto plugin = setup.plugins.find(key);
  if (plugin == setup.plugins.end()) return std::nullopt;
  return NamedAgent{setup.endpoint.settings.at(key).value,
                    std::dynamic_pointer_cast<plugins::AgentPlugin>(plugin->second)};
}

class GenerateAction : public Action {
 public:
  explicit GenerateAction(const ActionSetup& setup)
      : agent_(*agentSetting(setup, "agent")),
        fallback_(agentSetting(setup, "fallback")),
        storage_(setup.context.storage) {
    if (const auto cache = setup.plugins.find("cache"); cache != setup.plugins.end()) {
      const config::PluginInstanceConfig* agent_config = setup.context.config.findPlugin(agent_.name);
      cache_.emplace(std::dynamic_pointer_cast<plugins::CachePlugin>(cache->second), agent_.name, *agent_.plugin,
                     agent_config != nullptr ? agent_config->config_json : "{}",
                     std::chrono::seconds(setup.settings.integer("cache_ttl_seconds")));
    }
    if (fallback_ && observability::metrics().enabled()) {
      fallbacks_ = &observability::metrics()
                        .counter("agent_fallbacks_total",
                                 "Requests the endpoint's fallback agent designed because its agent was unavailable")
                        .Add({{"handler", setup.endpoint.path}, {"agent", agent_.name}, {"fallback", fallback_->name}});
    }
  }

  http::Response handle(http::Request& request) const override {
    const std::string prompt = requirePrompt(request.json);
    bool fell_back = false;
    const NamedAgent* designer = &agent_;
    std::optional<std::string> spec_json;
    if (cache_) spec_json = cache_->find(prompt);
    if (!spec_json) {
      try {
        spec_json = agent_.plugin->generateJson(prompt);
        if (cache_) cache_->keep(prompt, *spec_json);
      } catch (const plugins::PluginCallError& e) {
        if (!fallback_ || e.status() != P2J_UNAVAILABLE) throw;
        observability::log(observability::Log::kPlugins)
            .warn("agent '{}' is unavailable ({}); agent '{}' designs instead", agent_.name, e.what(), fallback_->name);
        if (fallbacks_ != nullptr) fallbacks_->Increment();
        designer = &*fallback_;
        fell_back = true;
        spec_json = fallback_->plugin->generateJson(prompt);
      }
    }
    const std::string spec_id = pipelines::storeSpec(*storage_, prompt, *spec_json, designer->name);

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("spec");
    writer.RawValue(spec_json->data(), spec_json->size(), rapidjson::kObjectType);
    writer.Key("spec_id");
    sdk::writeString(writer, spec_id);
    writer.Key("agent");
    sdk::writeString(writer, designer->name);
    writer.Key("fallback");
    writer.Bool(fell_back);
    writer.Key("success");
    writer.Bool(true);
    writer.Key("message");
    writer.String("Specification generated successfully");
    writer.EndObject();
    return http::jsonResponse({body.GetString(), body.GetSize()});
  }

 private:
  NamedAgent agent_;
  std::optional<NamedAgent> fallback_;
  std::shared_ptr<plugins::StoragePlugin> storage_;
  std::optional<SpecCache> cache_;            // when the endpoint names one
  prometheus::Counter* fallbacks_ = nullptr;  // agent_fallbacks_total; null without a fallback or metrics
};

constexpr std::string_view kPromptRequest = R"json({
  "type": "object",
  "required": ["prompt"],
  "properties": {
    "prompt": {"type": "string", "maxLength": 10000, "description": "What to design, in plain words (at most 10000 bytes of UTF-8, no NUL)"}
  }
})json";

constexpr std::string_view kGenerateAnswer = R"json({
  "type": "object",
  "required": ["spec", "spec_id", "agent", "fallback", "success", "message"],
  "additionalProperties": false,
  "properties": {
    "spec": {"$ref": "#/components/schemas/DesignSpec"},
    "spec_id": {"type": "string", "minLength": 1, "description": "The stored spec's id: it is committed"},
    "agent": {"type": "string", "minLength": 1, "description": "The agent instance that designed the spec"},
    "fallback": {"type": "boolean",
                 "description": "True when the endpoint's agent was unavailable and its fallback agent designed the spec"},
    "success": {"const": true},
    "message": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> generateActions() {
  return {{
      .name = "generate",
      .summary = "Turn a prompt into a design specification and store it",
      .takes_json_body = true,
      .needs_storage = true,
      .plugin_settings = {{"agent", P2J_KIND_AGENT},
                          {.key = "fallback", .kind = P2J_KIND_AGENT, .required = false, .unlike = "agent"},
                          {.key = "cache", .kind = P2J_KIND_CACHE, .required = false}},
      .value_settings = {{.key = "cache_ttl_seconds",
                          .kind = ValueSetting::Kind::kInteger,
                          .min = 1,
                          .max = 31536000,
                          .default_value = "3600",
                          .needs = "cache"}},
      .api = {.tag = "Design",
              .request_schema = kPromptRequest,
              .request_example =
                  R"json({"prompt": "Design a 10-story office building with steel and glass, 40x30 m"})json",
              .responses = {{200, "The spec, stored", kGenerateAnswer},
                            {422, "The agent refused the prompt (error prompt_refused: not a design request)"},
                            {503,
                             "The agent is unavailable, and so is the endpoint's fallback agent if it names one"}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<GenerateAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
