// What the service says about itself, in the original's shapes:
// GET /                -> {"message", "version", "status", "features"}
// GET /agent-status    -> {"success", "agents", "coordination_metrics", "timestamp"}
// GET /system-test     -> {"success", "tests_passed", "tests_failed", "message"} (a real generate + evaluate,
//                         nothing stored)
// GET /basic-metrics   -> {"generated_specs", "evaluation_reports", "log_files", "active_sessions", "counts",
//                         "timestamp"} (row counts from storage)
// GET /system-overview -> {"success", "system_info", "health", "agents", "cache", "metrics", "performance",
//                         "endpoints", "timestamp"}; "cache" is /cache-stats' "cache_stats" of the endpoint's
//                         `cache:`, "performance" what this process's request path measured
#include "endpoints/cache_report.hpp"
#include "endpoints/health_report.hpp"
#include "endpoints/performance_report.hpp"
#include "endpoints/pipeline_binding.hpp"
#include "observability/logging.hpp"
#include "pipelines/active_sessions.hpp"

#include <p2j/sdk/time.hpp>

namespace p2j::endpoints {
namespace {

constexpr const char* kReady = "✅ Ready";
constexpr const char* kDegraded = "⚠️ Degraded";
constexpr const char* kUnavailable = "❌ Unavailable";

// The fixed prompt /system-test designs and scores.
constexpr std::string_view kSystemTestPrompt = "Test building";

std::vector<std::string> improvementActionNames(const plugins::AgentPlugin& agent) {
  std::vector<std::string> names;
  try {
    for (const auto& action : agent.actions()) names.push_back(action.name);
  } catch (const plugins::PluginCallError& e) {
    observability::log(observability::Log::kPlugins)
        .warn("agent instance '{}' did not list its improvement actions: {}", agent.name(), e.what());
  }
  return names;
}

// The original's four roles: the prompt agent, the evaluator and the feedback agent are plugins, and the
// RL loop needs an agent that can improve.
void writeAgents(sdk::JsonWriter& writer, const PipelineBinding& pipeline, const std::vector<std::string>& actions) {
  const auto label = [](sdk::HealthState state) {
    return state == sdk::HealthState::kOk ? kReady : state == sdk::HealthState::kDegraded ? kDegraded : kUnavailable;
  };
  const sdk::HealthState agent = pipeline.agent->health().state;
  writer.StartObject();
  writer.Key("prompt");
  writer.String(label(agent));
  writer.Key("evaluator");
  writer.String(label(pipeline.evaluator->health().state));
  writer.Key("rl");
  writer.String(label(actions.empty() ? sdk::HealthState::kDown : agent));
  writer.Key("feedback");
  writer.String(label(pipeline.feedback->health().state));
  writer.EndObject();
}

void writeBasicMetrics(sdk::JsonWriter& writer, const plugins::StoragePlugin& storage) {
  const auto counts = storage.counts();
  const auto count = [&](const char* collection) -> int64_t {
    const auto it = counts.find(collection);
    return it == counts.end() ? 0 : it->second;
  };
  writer.StartObject();
  writer.Key("generated_specs");
  writer.Int64(count("specs"));
  writer.Key("evaluation_reports");
  writer.Int64(count("evaluations"));
  // The original counted JSON log files; their rows are what p2j keeps instead.
  writer.Key("log_files");
  writer.Int64(count("iterations") + count("feedback") + count("value_logs"));
  writer.Key("active_sessions");
  writer.Int64(pipelines::ActiveSession::count());
  writer.Key("counts");
  writer.StartObject();
  for (const auto& [collection, rows] : counts) {
    sdk::writeKey(writer, collection);
    writer.Int64(rows);
  }
  writer.EndObject();
  writer.Key("timestamp");
  sdk::writeString(writer, sdk::utcNow());
  writer.EndObject();
}

std::vector<PluginSetting> withOptionalCache(std::vector<PluginSetting> settings) {
  settings.push_back({.key = "cache", .kind = P2J_KIND_CACHE, .required = false});
  return settings;
}

const std::vector<std::string> kFeatures = {"AI Agents", "Multi-Agent Coordination", "RL Training", "Plugins",
                                            "Monitoring"};

class RootAction : public Action {
 public:
  explicit RootAction(const ActionSetup& setup) : state_(setup.context.state) {}

  http::Response handle(http::Request& /*request*/) const override {
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("message");
    writer.String("Prompt-to-JSON API");
    writer.Key("version");
    writer.String(P2J_VERSION);
    writer.Key("status");
    sdk::writeString(writer, state_.phaseName());
    writer.Key("features");
    sdk::writeStringList(writer, kFeatures);
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  const observability::ServiceState& state_;
};

class AgentStatusAction : public Action {
 public:
  explicit AgentStatusAction(const ActionSetup& setup) : pipeline_(setup) {}

  http::Response handle(http::Request& /*request*/) const override {
    const std::vector<std::string> actions = improvementActionNames(*pipeline_.agent);
    const std::string now = sdk::utcNow();
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("agents");
    writeAgents(writer, pipeline_, actions);
    writer.Key("coordination_metrics");
    writer.StartObject();
    writer.Key("total_agents");
    writer.Int(4);
    writer.Key("agent_names");
    sdk::writeStringList(writer, {"prompt", "evaluator", "rl", "feedback"});
    writer.Key("coordination_features");
    sdk::writeStringList(writer, {"Multi-agent collaboration", "Iterative improvement", "Score-based optimization",
                                  "Feedback integration"});
    writer.Key("plugin_instances");
    writer.StartObject();
    writer.Key("prompt");
    sdk::writeString(writer, pipeline_.agent_name);
    writer.Key("evaluator");
    sdk::writeString(writer, pipeline_.evaluator_name);
    writer.Key("feedback");
    sdk::writeString(writer, pipeline_.feedback_name);
    writer.EndObject();
    writer.Key("improvement_actions");
    sdk::writeStringList(writer, actions);
    writer.Key("timestamp");
    sdk::writeString(writer, now);
    writer.EndObject();
    writer.Key("timestamp");
    sdk::writeString(writer, now);
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  PipelineBinding pipeline_;
};

class SystemTestAction : public Action {
 public:
  explicit SystemTestAction(const ActionSetup& setup) : pipeline_(setup) {}

  http::Response handle(http::Request& /*request*/) const override {
    std::vector<std::string> passed;
    std::vector<std::string> failed;
    // A failing check names its test only; the reason goes to the log, under the request id.
    const auto check = [&](const char* name, const auto& test) {
      try {
        test();
        passed.emplace_back(name);
      } catch (const std::exception& e) {
        observability::log(observability::Log::kPlugins).warn("system-test {} failed: {}", name, e.what());
        failed.emplace_back(name);
      }
    };
    std::optional<sdk::DesignSpec> spec;
    check("prompt_agent", [&] { spec = pipeline_.agent->generate(kSystemTestPrompt); });
    check("evaluator_agent", [&] {
      if (!spec) throw std::runtime_error("no spec to evaluate: the prompt agent failed");
      pipeline_.evaluator->evaluate(*spec, kSystemTestPrompt);
    });
    check("database_connection", [&] {
      if (!pipeline_.storage->health().serving()) throw std::runtime_error("the storage reports itself down");
    });

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(failed.empty());
    writer.Key("tests_passed");
    sdk::writeStringList(writer, passed);
    writer.Key("tests_failed");
    sdk::writeStringList(writer, failed);
    writer.Key("message");
    sdk::writeString(writer, failed.empty() ? "All core tests passed"
                                            : std::to_string(failed.size()) + " of " +
                                                  std::to_string(passed.size() + failed.size()) + " core tests failed");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  PipelineBinding pipeline_;
};

class BasicMetricsAction : public Action {
 public:
  explicit BasicMetricsAction(const ActionSetup& setup) : storage_(setup.context.storage) {}

  http::Response handle(http::Request& /*request*/) const override {
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writeBasicMetrics(writer, *storage_);
    return jsonAnswer(body);
  }

 private:
  std::shared_ptr<plugins::StoragePlugin> storage_;
};

class SystemOverviewAction : public Action {
 public:
  explicit SystemOverviewAction(const ActionSetup& setup) : context_(setup.context), pipeline_(setup) {
    if (const auto cache = setup.plugins.find("cache"); cache != setup.plugins.end()) {
      cache_ = std::dynamic_pointer_cast<plugins::CachePlugin>(cache->second);
    }
  }

  http::Response handle(http::Request& /*request*/) const override {
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("system_info");
    writer.StartObject();
    writer.Key("api_version");
    writer.String(P2J_VERSION);
    writer.Key("status");
    sdk::writeString(writer, context_.state.phaseName());
    writer.Key("features");
    sdk::writeStringList(writer, kFeatures);
    writer.EndObject();
    writer.Key("health");
    writeHealth(writer, context_);
    writer.Key("agents");
    writeAgents(writer, pipeline_, improvementActionNames(*pipeline_.agent));
    writer.Key("cache");
    writeCacheStats(writer, cache_.get());
    writer.Key("metrics");
    writeBasicMetrics(writer, *pipeline_.storage);
    writer.Key("performance");
    writePerformance(writer, observability::requestStats().figures(),
                     std::chrono::steady_clock::now() - context_.state.startedAt(), context_.config);
    writer.Key("endpoints");
    writer.StartObject();
    writer.Key("total_endpoints");
    writer.Uint64(context_.config.endpoints.size());
    writer.Key("routes");
    writer.StartArray();
    for (const auto& endpoint : context_.config.endpoints) {
      writer.StartObject();
      writer.Key("method");
      sdk::writeString(writer, endpoint.method);
      writer.Key("path");
      sdk::writeString(writer, endpoint.path);
      writer.Key("action");
      sdk::writeString(writer, endpoint.action);
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    writer.Key("timestamp");
    sdk::writeString(writer, sdk::utcNow());
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  const ActionContext& context_;
  PipelineBinding pipeline_;
  std::shared_ptr<plugins::CachePlugin> cache_;  // null unless the endpoint names one
};

constexpr std::string_view kRootAnswer = R"json({
  "type": "object",
  "required": ["message", "version", "status", "features"],
  "additionalProperties": false,
  "properties": {
    "message": {"type": "string"},
    "version": {"type": "string"},
    "status": {"type": "string", "description": "starting, ready or draining"},
    "features": {"type": "array", "items": {"type": "string"}}
  }
})json";

constexpr std::string_view kAgentStatusAnswer = R"json({
  "type": "object",
  "required": ["success", "agents", "coordination_metrics", "timestamp"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "agents": {"type": "object", "additionalProperties": {"type": "string"},
               "description": "Each of prompt, evaluator, rl and feedback: Ready, Degraded or Unavailable"},
    "coordination_metrics": {
      "type": "object",
      "required": ["total_agents", "agent_names", "coordination_features", "plugin_instances", "improvement_actions",
                   "timestamp"],
      "properties": {
        "total_agents": {"type": "integer"},
        "agent_names": {"type": "array", "items": {"type": "string"}},
        "coordination_features": {"type": "array", "items": {"type": "string"}},
        "plugin_instances": {"type": "object", "additionalProperties": {"type": "string"}},
        "improvement_actions": {"type": "array", "items": {"type": "string"}},
        "timestamp": {"type": "string"}
      }
    },
    "timestamp": {"type": "string"}
  }
})json";

constexpr std::string_view kSystemTestAnswer = R"json({
  "type": "object",
  "required": ["success", "tests_passed", "tests_failed", "message"],
  "additionalProperties": false,
  "properties": {
    "success": {"type": "boolean"},
    "tests_passed": {"type": "array", "items": {"type": "string"}},
    "tests_failed": {"type": "array", "items": {"type": "string"}},
    "message": {"type": "string"}
  }
})json";

constexpr std::string_view kBasicMetricsAnswer = R"json({
  "type": "object",
  "required": ["generated_specs", "evaluation_reports", "log_files", "active_sessions", "counts", "timestamp"],
  "additionalProperties": false,
  "properties": {
    "generated_specs": {"type": "integer", "minimum": 0},
    "evaluation_reports": {"type": "integer", "minimum": 0},
    "log_files": {"type": "integer", "minimum": 0, "description": "Iteration, feedback and value-log rows"},
    "active_sessions": {"type": "integer", "minimum": 0},
    "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
    "timestamp": {"type": "string"}
  }
})json";

constexpr std::string_view kSystemOverviewAnswer = R"json({
  "type": "object",
  "required": ["success", "system_info", "health", "agents", "cache", "metrics", "performance", "endpoints",
               "timestamp"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "system_info": {"type": "object", "required": ["api_version", "status", "features"],
                    "properties": {"api_version": {"type": "string"}, "status": {"type": "string"},
                                   "features": {"type": "array", "items": {"type": "string"}}}},
    "health": {"type": "object", "required": ["status", "database", "agents", "timestamp"], "description": "As GET /health",
               "properties": {"status": {"enum": ["healthy", "degraded"]}, "database": {"type": "boolean"},
                              "agents": {"type": "array", "items": {"type": "string"}}, "timestamp": {"type": "string"}}},
    "agents": {"type": "object", "additionalProperties": {"type": "string"}},
    "cache": {"$ref": "#/components/schemas/CacheStats"},
    "metrics": {"type": "object", "required": ["generated_specs", "evaluation_reports", "log_files", "active_sessions"],
                "description": "As GET /basic-metrics",
                "properties": {"generated_specs": {"type": "integer"}, "evaluation_reports": {"type": "integer"},
                               "log_files": {"type": "integer"}, "active_sessions": {"type": "integer"}}},
    "performance": {"$ref": "#/components/schemas/Performance"},
    "endpoints": {
      "type": "object",
      "required": ["total_endpoints", "routes"],
      "properties": {
        "total_endpoints": {"type": "integer"},
        "routes": {"type": "array", "items": {"type": "object", "required": ["method", "path", "action"],
                                               "properties": {"method": {"type": "string"}, "path": {"type": "string"},
                                                              "action": {"type": "string"}}}}
      }
    },
    "timestamp": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> infoActions() {
  return {
      {.name = "root",
       .summary = "Service name, version and status",
       .api = {.tag = "Operations", .responses = {{200, "Name, version and status", kRootAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<RootAction>(setup); }},
      {.name = "agent_status",
       .summary = "Readiness of the prompt agent, evaluator, RL loop and feedback agent",
       .needs_storage = true,
       .plugin_settings = loopPluginSettings(),
       .api = {.tag = "Operations", .responses = {{200, "The agents' readiness", kAgentStatusAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<AgentStatusAction>(setup); }},
      {.name = "system_test",
       .summary = "Generate and evaluate a fixed prompt (nothing stored) and check storage",
       .needs_storage = true,
       .plugin_settings = pipelinePluginSettings(),
       .api = {.tag = "Operations", .responses = {{200, "Which checks passed and failed", kSystemTestAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<SystemTestAction>(setup); }},
      {.name = "basic_metrics",
       .summary = "Row counts from storage and the pipeline runs in progress",
       .needs_storage = true,
       .api = {.tag = "Operations", .responses = {{200, "Row counts", kBasicMetricsAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<BasicMetricsAction>(setup); }},
      {.name = "system_overview",
       .summary = "Health, agents, cache, metrics and endpoints in one answer",
       .needs_storage = true,
       .plugin_settings = withOptionalCache(loopPluginSettings()),
       .api = {.tag = "Operations", .responses = {{200, "The overview", kSystemOverviewAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<SystemOverviewAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
