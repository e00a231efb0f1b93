// GET /health (the original's shape, with a real storage check), /livez (the process answers) and
// /readyz (every plugin healthy and the server not starting or draining: what a load balancer asks).
#include "endpoints/health_report.hpp"

#include <p2j/sdk/json.hpp>
#include <p2j/sdk/time.hpp>

#include <spdlog/spdlog.h>

namespace p2j::endpoints {

void writeHealth(sdk::JsonWriter& writer, const ActionContext& context) {
  plugins::HealthReport storage_report;
  if (context.storage) storage_report = context.storage->health();
  const bool database = storage_report.ok;
  std::vector<std::string> agents;
  bool plugins_ok = !storage_report.degraded;
  for (const auto& instance : context.plugins.all()) {
    const bool ok = instance.get() == context.storage.get() ? database : instance->health().ok;
    plugins_ok = plugins_ok && ok;
    const auto kind = instance->info().kind;
    if (ok && (kind == P2J_KIND_AGENT || kind == P2J_KIND_EVALUATOR)) agents.push_back(instance->name());
  }
  if (context.rate_limits) {
    if (const auto report = context.rate_limits->health()) plugins_ok = plugins_ok && report->ok && !report->degraded;
  }
  writer.StartObject();
  writer.Key("status");
  writer.String(plugins_ok && database ? "healthy" : "degraded");
  writer.Key("database");
  writer.Bool(database);
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

  http::Response handle(http::Request& request) const override {
    const bool serving = context_.state.phase() == observability::ServiceState::Phase::kReady;
    bool all_ok = serving;
    bool degraded = false;
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("checks");
    writer.StartObject();
    for (const auto& instance : context_.plugins.all()) {
      const plugins::HealthReport report = instance->health();
      if (!report.ok || report.degraded) {
        // The detail may name hosts or files: it goes to the log, not to an unauthenticated caller.
        spdlog::warn("readyz: plugin instance '{}' is {}: {} (request {})", instance->name(),
                     report.ok ? "degraded" : "unhealthy", report.detail, request.request_id);
      }
      all_ok = all_ok && report.ok;
      degraded = degraded || (report.ok && report.degraded);
      sdk::writeKey(writer, instance->name());
      writer.String(!report.ok ? "unavailable" : report.degraded ? "degraded" : "ok");
    }
    if (context_.rate_limits) {
      if (const auto report = context_.rate_limits->health()) {
        if (!report->ok || report->degraded) {
          spdlog::warn("readyz: the rate-limit store is {}: {} (request {})", report->ok ? "degraded" : "unhealthy",
                       report->detail, request.request_id);
        }
        all_ok = all_ok && report->ok;
        degraded = degraded || (report->ok && report->degraded);
        writer.Key("rate_limits");
        writer.String(!report->ok ? "unavailable" : report->degraded ? "degraded" : "ok");
      }
    }
    writer.EndObject();
    writer.Key("status");
    if (!serving) {
      sdk::writeString(writer, context_.state.phaseName());
    } else {
      writer.String(!all_ok ? "unavailable" : degraded ? "degraded" : "ready");
    }
    writer.EndObject();
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
    "status": {"enum": ["healthy", "degraded"]},
    "database": {"type": "boolean", "description": "The storage answered its health check"},
    "agents": {"type": "array", "items": {"type": "string"}, "description": "The healthy agent and evaluator instances"},
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
    "checks": {"type": "object", "additionalProperties": {"enum": ["ok", "degraded", "unavailable"]},
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
               .responses = {{200, "Healthy or degraded (always 200, as the original)", kHealthAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<HealthAction>(setup); }},
      {.name = "livez",
       .summary = "Liveness: the process answers",
       .public_by_default = true,
       .api = {.tag = "Operations", .responses = {{200, "The process answers", kLivezAnswer}}},
       .make = [](const ActionSetup&) { return std::make_unique<LivezAction>(); }},
      {.name = "readyz",
       .summary = "Readiness: plugins and storage healthy, not starting or draining (503 otherwise)",
       .public_by_default = true,
       .api = {.tag = "Operations",
               .responses = {{200, "Ready, or degraded (a storage spooling writes)", kReadyzAnswer},
                             {503, "Starting, draining, or a plugin is down", kReadyzAnswer}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<ReadyzAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
