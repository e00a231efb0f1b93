// GET /health (the original's shape, with a real storage check), /livez (the process answers) and
// /readyz (no plugin down and the server not starting or draining: what a load balancer asks).
#include "endpoints/health_report.hpp"
#include "observability/logging.hpp"

#include <p2j/sdk/json.hpp>
#include <p2j/sdk/time.hpp>

#include <algorithm>

namespace p2j::endpoints {

void writeHealth(sdk::JsonWriter& writer, const ActionContext& context) {
  using sdk::HealthState;
  plugins::HealthReport storage_report;
  if (context.storage) storage_report = context.storage->health();
  // The worst state of any instance (ok < degraded < down); the storage is asked once.
  HealthState overall = context.storage ? storage_report.state : HealthState::kOk;
  std::vector<std::string> agents;
  for (const auto& instance : context.plugins.all()) {
    const HealthState state = instance.get() == context.storage.get() ? storage_report.state : instance->health().state;
    overall = std::max(overall, state);
    const auto kind = instance->info().kind;
    if (state != HealthState::kDown && (kind == P2J_KIND_AGENT || kind == P2J_KIND_EVALUATOR)) {
      agents.push_back(instance->name());
    }
  }
  if (context.rate_limits) {
    if (const auto report = context.rate_limits->health()) overall = std::max(overall, report->state);
  }
  writer.StartObject();
  writer.Key("status");
  writer.String(overall == HealthState::kOk ? "healthy" : overall == HealthState::kDegraded ? "degraded" : "unhealthy");
  writer.Key("database");
  writer.Bool(storage_report.serving());
  writer.Key("agents");
  sdk::writeStringList(writer, agents);
  writer.Key("timestamp");
  sdk::writeString(writer, sdk::utcNow());
  writer.EndObject();
}

namespace {

class HealthAction : public Action {
 public:
  explicit HealthAction(const ActionSetup& setup) : context_(setup.context) {}

  http::Response handle(http::Request& /*request*/) const override {
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writeHealth(writer, context_);
    return http::jsonResponse({body.GetString(), body.GetSize()});
  }

 private:
  const ActionContext& context_;
};

class LivezAction : public Action {
 public:
  http::Response handle(http::Request& /*request*/) const override {
    return http::jsonResponse(R"({"status":"alive"})");
  }
};

class ReadyzAction : public Action {
 public:
  explicit ReadyzAction(const ActionSetup& setup) : context_(setup.context) {}

  http::Response handle(http::Request& /*request*/) const override {
    using sdk::HealthState;
    const bool serving = context_.state.phase() == observability::ServiceState::Phase::kReady;
    HealthState overall = HealthState::kOk;
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("checks");
    writer.StartObject();
    for (const auto& instance : context_.plugins.all()) {
      const plugins::HealthReport report = instance->health();
      if (report.state != HealthState::kOk) {
        // The detail may name hosts or files: it goes to the log, not to an unauthenticated caller.
        observability::log(observability::Log::kPlugins)
            .warn("readyz: plugin instance '{}' is {}: {}", instance->name(), sdk::healthStateName(report.state),
                  report.detail);
      }
      overall = std::max(overall, report.state);
      sdk::writeKey(writer, instance->name());
      sdk::writeString(writer, sdk::healthStateName(report.state));
    }
    if (context_.rate_limits) {
      if (const auto report = context_.rate_limits->health()) {
        if (report->state != HealthState::kOk) {
          observability::log(observability::Log::kHttp)
              .warn("readyz: the rate-limit store is {}: {}", sdk::healthStateName(report->state), report->detail);
        }
        overall = std::max(overall, report->state);
        writer.Key("rate_limits");
        sdk::writeString(writer, sdk::healthStateName(report->state));
      }
    }
    writer.EndObject();
    writer.Key("status");
    if (!serving) {
      sdk::writeString(writer, context_.state.phaseName());
    } else {
      writer.String(overall == HealthState::kDown       ? "unavailable"
                    : overall == HealthState::kDegraded ? "degraded"
                                                        : "ready");
    }
    writer.EndObject();
    const bool all_ok = serving && overall != HealthState::kDown;
    return http::jsonResponse({body.GetString(), body.GetSize()}, all_ok ? 200 : 503);
  }

 private:
  const ActionContext& context_;
};

constexpr std::string_view kHealthAnswer = R"json({
  "type": "object",
  "required": ["status", "database", "agents", "timestamp"],
  "additionalProperties": false,
  "properties": {
    "status": {"enum": ["healthy", "degraded", "unhealthy"],
               "description": "healthy: every plugin instance ok; unhealthy: one is down; degraded otherwise"},
    "database": {"type": "boolean", "description": "The storage answered its health check"},
    "agents": {"type": "array", "items": {"type": "string"}, "description": "The agent and evaluator instances that are not down"},
    "timestamp": {"type": "string"}
  }
})json";

constexpr std::string_view kLivezAnswer = R"json({
  "type": "object", "required": ["status"], "additionalProperties": false,
  "properties": {"status": {"const": "alive"}}
})json";

constexpr std::string_view kReadyzAnswer = R"json({
  "type": "object",
  "required": ["checks", "status"],
  "additionalProperties": false,
  "properties": {
    "checks": {"type": "object", "additionalProperties": {"enum": ["ok", "degraded", "down"]},
               "description": "Each plugin instance's health, by name"},
    "status": {"type": "string", "description": "ready, degraded or unavailable; starting or draining while the server is not serving"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> healthActions() {
  return {
      {.name = "health",
       .summary = "Service health in the original's shape, with a real storage check",
       .public_by_default = true,
       .api = {.tag = "Operations",
               .responses = {{200, "Healthy, degraded or unhealthy (always 200, as the original)", kHealthAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<HealthAction>(setup); }},
      {.name = "livez",
       .summary = "Liveness: the process answers",
       .public_by_default = true,
       .api = {.tag = "Operations", .responses = {{200, "The process answers", kLivezAnswer}}},
       .make = [](const ActionSetup&) { return std::make_unique<LivezAction>(); }},
      {.name = "readyz",
       .summary = "Readiness: no plugin or storage down, not starting or draining (503 otherwise)",
       .public_by_default = true,
       .api = {.tag = "Operations",
               .responses = {{200, "Ready, or degraded (a storage spooling writes)", kReadyzAnswer},
                             {503, "Starting, draining, or a plugin is down", kReadyzAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<ReadyzAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
