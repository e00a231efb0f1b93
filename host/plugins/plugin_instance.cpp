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
  try {
    report.detail = call(library_->health);
    report.ok = true;
  } catch (const PluginCallError& e) {
    report.detail = e.what();
    return report;
  }
  rapidjson::Document detail;
  detail.Parse(report.detail.data(), report.detail.size());
  if (!detail.HasParseError() && detail.IsObject()) {
    const auto degraded = detail.FindMember("degraded");
    report.degraded = degraded != detail.MemberEnd() && degraded->value.IsTrue();
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
