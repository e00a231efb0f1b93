#include "observability/plugin_metrics.hpp"

namespace p2j::observability {

const char* outcomeName(p2j_status status) {
  switch (status) {
    case P2J_OK:
      return "ok";
    case P2J_INVALID_INPUT:
      return "invalid_input";
    case P2J_REFUSED:
      return "refused";
    case P2J_NOT_FOUND:
      return "not_found";
    case P2J_UNAVAILABLE:
      return "unavailable";
    case P2J_INTERNAL:
      break;
  }
  return "internal";
}

PluginCallMetrics::PluginCallMetrics(const std::string& plugin, const std::string& kind) {
  if (!metrics().enabled()) return;
  auto& calls = metrics().counter("plugin_calls_total", "Calls into plugin instances, by outcome");
  for (size_t status = 0; status < outcomes_.size(); ++status) {
    outcomes_[status] =
        &calls.Add({{"plugin", plugin}, {"kind", kind}, {"outcome", outcomeName(static_cast<p2j_status>(status))}});
  }
  duration_ = &metrics()
                   .histogram("plugin_call_duration_seconds", "Time spent inside plugin calls")
                   .Add({{"plugin", plugin}, {"kind", kind}}, latencyBuckets());
}

}  // namespace p2j::observability
