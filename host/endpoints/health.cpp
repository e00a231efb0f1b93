// GET /health (the original's shape, with a real storage check), /livez (the process answers) and
// /readyz (every plugin healthy and the server not starting or draining: what a load balancer asks).
#include "endpoints/action.hpp"

#include <p2j/sdk/json.hpp>
#include <p2j/sdk/time.hpp>

#include <spdlog/spdlog.h>

namespace p2j::endpoints {
namespace {

class HealthAction : public Action {
 public:
  explicit HealthAction(const ActionSetup& setup) : context_(setup.context) {}

  http::Response handle(http::Request& /*request*/) const override {
    bool database = false;
    if (context_.storage) database = context_.storage->health().ok;
    std::vector<std::string> agents;
    bool plugins_ok = true;
    for (const auto& instance : context_.plugins.all()) {
      const bool ok = instance.get() == context_.storage.get() ? database : instance->health().ok;
      plugins_ok = plugins_ok && ok;
      const auto kind = instance->info().kind;
      if (ok && (kind == P2J_KIND_AGENT || kind == P2J_KIND_EVALUATOR)) agents.push_back(instance->name());
    }
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
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
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("checks");
    writer.StartObject();
    for (const auto& instance : context_.plugins.all()) {
      const plugins::HealthReport report = instance->health();
      if (!report.ok) {
        // The detail may name hosts or files: it goes to the log, not to an unauthenticated caller.
        spdlog::warn("readyz: plugin instance '{}' is unhealthy: {} (request {})", instance->name(), report.detail,
                     request.request_id);
      }
      all_ok = all_ok && report.ok;
      sdk::writeKey(writer, instance->name());
      writer.String(report.ok ? "ok" : "unavailable");
    }
    writer.EndObject();
    writer.Key("status");
    if (!serving) {
      sdk::writeString(writer, context_.state.phaseName());
    } else {
      writer.String(all_ok ? "ready" : "unavailable");
    }
    writer.EndObject();
    return http::jsonResponse({body.GetString(), body.GetSize()}, all_ok ? 200 : 503);
  }

 private:
  const ActionContext& context_;
};

}  // namespace

std::vector<ActionDescriptor> healthActions() {
  return {
      {.name = "health",
       .summary = "Service health in the original's shape, with a real storage check",
       .make = [](const ActionSetup& setup) { return std::make_unique<HealthAction>(setup); }},
      {.name = "livez",
       .summary = "Liveness: the process answers",
       .make = [](const ActionSetup&) { return std::make_unique<LivezAction>(); }},
      {.name = "readyz",
       .summary = "Readiness: plugins and storage healthy, not starting or draining (503 otherwise)",
       .make = [](const ActionSetup& setup) { return std::make_unique<ReadyzAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
