// POST /generate {"prompt": "..."} -> {"spec", "spec_id", "success", "message"}: the agent designs (or, when
// the endpoint names a cache, the spec it designed for this prompt before is taken from the cache), the
// storage commits, and only then does the client get the id.
#include "endpoints/action.hpp"
#include "endpoints/json_body.hpp"
#include "endpoints/spec_cache.hpp"
#include "http/http_error.hpp"
#include "pipelines/records.hpp"

#include <p2j/sdk/design_spec.hpp>

namespace p2j::endpoints {
namespace {

class GenerateAction : public Action {
 public:
  explicit GenerateAction(const ActionSetup& setup)
      : agent_name_(setup.endpoint.settings.at("agent").value),
        agent_(std::dynamic_pointer_cast<plugins::AgentPlugin>(setup.plugins.at("agent"))),
        storage_(setup.context.storage) {
    if (const auto cache = setup.plugins.find("cache"); cache != setup.plugins.end()) {
      const config::PluginInstanceConfig* agent_config = setup.context.config.findPlugin(agent_name_);
      cache_.emplace(std::dynamic_pointer_cast<plugins::CachePlugin>(cache->second), agent_name_, *agent_,
                     agent_config != nullptr ? agent_config->config_json : "{}",
                     std::chrono::seconds(setup.settings.integer("cache_ttl_seconds")));
    }
  }

  http::Response handle(http::Request& request) const override {
    const std::string prompt = requirePrompt(request.json);
    std::optional<std::string> cached;
    if (cache_) cached = cache_->find(prompt, request.request_id);
    const std::string spec_json = cached ? std::move(*cached) : sdk::serialize(agent_->generate(prompt));
    if (cache_ && !cached) cache_->keep(prompt, spec_json, request.request_id);
    const std::string spec_id = pipelines::storeSpec(*storage_, prompt, spec_json, agent_name_);

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("spec");
    writer.RawValue(spec_json.data(), spec_json.size(), rapidjson::kObjectType);
    writer.Key("spec_id");
    sdk::writeString(writer, spec_id);
    writer.Key("success");
    writer.Bool(true);
    writer.Key("message");
    writer.String("Specification generated successfully");
    writer.EndObject();
    return http::jsonResponse({body.GetString(), body.GetSize()});
  }

 private:
  std::string agent_name_;
  std::shared_ptr<plugins::AgentPlugin> agent_;
  std::shared_ptr<plugins::StoragePlugin> storage_;
  std::optional<SpecCache> cache_;  // when the endpoint names one
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
  "required": ["spec", "spec_id", "success", "message"],
  "additionalProperties": false,
  "properties": {
    "spec": {"$ref": "#/components/schemas/DesignSpec"},
    "spec_id": {"type": "string", "minLength": 1, "description": "The stored spec's id: it is committed"},
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
      .plugin_settings = {{"agent", P2J_KIND_AGENT}, {"cache", P2J_KIND_CACHE, true}},
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
                            {422, "The agent refused the prompt (error prompt_refused: not a design request)"}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<GenerateAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
