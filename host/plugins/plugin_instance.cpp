#include "plugins/plugin_instance.hpp"

#include <rapidjson/document.h>

namespace p2j::plugins {

std::string PluginInstance::take(p2j_buffer& buffer) const {
  if (buffer.data == nullptr) return {};
  std::string text(buffer.data, buffer.size);
  library_->free_buffer(&buffer);
  return text;
}

HealthReport PluginInstance::health() const {
  HealthReport report;
  if (library_->health_v2 != nullptr) {
    uint32_t state = P2J_HEALTH_DOWN;
    try {
      report.detail = call(library_->health_v2, &state);
    } catch (const PluginCallError& e) {
      report.detail = e.what();
      return report;
    }
    switch (state) {
      case P2J_HEALTH_OK:
        report.state = sdk::HealthState::kOk;
        break;
      case P2J_HEALTH_DEGRADED:
        report.state = sdk::HealthState::kDegraded;
        break;
      case P2J_HEALTH_DOWN:
        report.state = sdk::HealthState::kDown;
        break;
      default:
        // A state this host does not know cannot be trusted to mean "serving".
        report.state = sdk::HealthState::kDown;
        report.detail = "unknown health state " + std::to_string(state) + ": " + report.detail;
    }
    return report;
  }
  // ABI 1.0/1.1: P2J_OK or not, and "degraded": true in the detail for serving-but-not-fully.
  try {
    report.detail = call(library_->health_v1);
  } catch (const PluginCallError& e) {
    report.detail = e.what();
    return report;
  }
  report.state = sdk::HealthState::kOk;
  rapidjson::Document detail;
  detail.Parse(report.detail.data(), report.detail.size());
  if (!detail.HasParseError() && detail.IsObject()) {
    const auto degraded = detail.FindMember("degraded");
    if (degraded != detail.MemberEnd() && degraded->value.IsTrue()) report.state = sdk::HealthState::kDegraded;
  }
  return report;
}

p2j_instance createInstance(const PluginLibrary& library, const std::string& instance_name,
                            const std::string& config_json) {
  p2j_instance handle = nullptr;
  p2j_buffer error{nullptr, 0};
  const p2j_status status = library.create(toAbi(config_json), &handle, &error);
  std::string message = error.data == nullptr ? std::string() : std::string(error.data, error.size);
  if (error.data != nullptr) library.free_buffer(&error);
  if (status != P2J_OK || handle == nullptr) {
    throw PluginLoadError(library.info().file.string() + ": plugin '" + library.info().name +
                          "' could not create instance '" + instance_name +
                          "': " + (message.empty() ? "no reason given" : message));
  }
  return handle;
}

}  // namespace p2j::plugins
