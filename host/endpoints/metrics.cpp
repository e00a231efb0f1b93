// GET /metrics: every registered metric in Prometheus's text format (version 0.0.4), plus what is read
// when scraped: the process_* figures, each plugin instance's health, and a storage's failover spool
// (`spooled` and `rejected` in its health detail, as storage-postgres reports them).
#include "observability/metrics.hpp"
#include "endpoints/action.hpp"
#include "observability/process_metrics.hpp"

#include <rapidjson/document.h>

#include <prometheus/text_serializer.h>

#include <sstream>

namespace p2j::endpoints {
namespace {

constexpr std::string_view kExposition =
    R"json({"type": "string", "description": "Prometheus text exposition format 0.0.4 (one sample per line)"})json";

prometheus::MetricFamily gaugeFamily(const char* name, const char* help) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Gauge;
  return family;
}

void addSample(prometheus::MetricFamily& family, std::vector<prometheus::ClientMetric::Label> labels, double value) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

class MetricsAction : public Action {
 public:
  explicit MetricsAction(const ActionSetup& setup) : context_(setup.context) {}

  http::Response handle(http::Request& /*request*/) const override {
    std::vector<prometheus::MetricFamily> families = observability::metrics().collect();
    for (auto& family : observability::processMetrics()) families.push_back(std::move(family));
    appendPluginHealth(families);

    prometheus::MetricFamily build = gaugeFamily("p2j_build_info", "The running p2j's version; always 1");
    addSample(build, {{"version", P2J_VERSION}}, 1);
    families.push_back(std::move(build));

    std::ostringstream text;
    prometheus::TextSerializer().Serialize(text, families);
    http::Response response;
    response.body = text.str();
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  }

 private:
  void appendPluginHealth(std::vector<prometheus::MetricFamily>& families) const {
    auto up = gaugeFamily("plugin_up", "1 when the plugin instance is ok or degraded, 0 when it is down");
    auto degraded = gaugeFamily("plugin_degraded",
                                "1 when the plugin instance is degraded: it serves, but not fully (e.g. spooling)");
    auto spooled = gaugeFamily("storage_spool_depth", "Acknowledged records waiting in a storage's failover spool");
    auto rejected =
        gaugeFamily("storage_spool_rejected", "Spooled records the database refused on replay, kept for an operator");
    auto wal_pages = gaugeFamily("storage_wal_pages",
                                 "Pages in a SQLite storage's write-ahead log after its last commit; growing while "
                                 "no checkpoint finishes means a reader holds the log back");
    for (const auto& instance : context_.plugins.all()) {
      const plugins::HealthReport report = instance->health();
      const std::string kind = plugins::kindName(instance->info().kind);
      addSample(up, {{"kind", kind}, {"plugin", instance->name()}}, report.serving() ? 1 : 0);
      addSample(degraded, {{"kind", kind}, {"plugin", instance->name()}},
                report.state == sdk::HealthState::kDegraded ? 1 : 0);
      if (instance->info().kind != P2J_KIND_STORAGE) continue;
      rapidjson::Document detail;
      detail.Parse(report.detail.data(), report.detail.size());
      if (detail.HasParseError() || !detail.IsObject()) continue;
      for (auto [key, family] :
           {std::pair{"spooled", &spooled}, std::pair{"rejected", &rejected}, std::pair{"wal_pages", &wal_pages}}) {
        const auto member = detail.FindMember(key);
        if (member != detail.MemberEnd() && member->value.IsNumber()) {
          addSample(*family, {{"storage", instance->name()}}, member->value.GetDouble());
        }
      }
    }
    for (auto* family : {&up, &degraded, &spooled, &rejected, &wal_pages}) {
      if (!family->metric.empty()) families.push_back(std::move(*family));
    }
  }

  const ActionContext& context_;
};

}  // namespace

std::vector<ActionDescriptor> metricsActions() {
  return {{
      .name = "metrics",
      .summary = "Prometheus metrics in the text exposition format",
      .public_by_default = true,
      .needs_metrics = true,
      .api = {.tag = "Operations",
              .responses = {{200, "Every metric, in Prometheus's text exposition format 0.0.4", kExposition,
                             "text/plain"}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<MetricsAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
