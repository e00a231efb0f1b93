#pragma once

#include "observability/plugin_metrics.hpp"
#include "plugins/plugin_library.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace p2j::plugins {

// A plugin call that did not return P2J_OK. `message` is the plugin's own text: fine to show a client for
// INVALID_INPUT / REFUSED / NOT_FOUND, only to be logged for INTERNAL.
class PluginCallError : public std::runtime_error {
 public:
  PluginCallError(p2j_status status, std::string instance, const std::string& message)
      : std::runtime_error(message), status_(status), instance_(std::move(instance)) {}
  p2j_status status() const { return status_; }
  const std::string& instance() const { return instance_; }

 private:
  p2j_status status_;
  std::string instance_;
};

struct HealthReport {
  bool ok = false;
  // Serving, but not fully: a plugin says so with "degraded": true in its detail (e.g. a storage that
  // spools writes while its database is unreachable). /readyz still answers 200 for it.
  bool degraded = false;
  std::string detail;  // the plugin's JSON detail, or the error message
};

inline p2j_str toAbi(std::string_view text) { return {text.data(), text.size()}; }

// The host-side proxy of one plugin instance: owns the instance handle and turns the C calls into C++
// (results as strings, failures as PluginCallError).
class PluginInstance {
 public:
  PluginInstance(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
      : name_(std::move(name)),
        library_(std::move(library)),
        handle_(handle),
        call_metrics_(name_, kindName(library_->info().kind)) {}
  virtual ~PluginInstance() { library_->destroy(handle_); }
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const std::string& name() const { return name_; }
  const PluginInfo& info() const { return library_->info(); }
  HealthReport health() const;

 protected:
  // Calls `function(handle, args..., &buffer)`, returns the buffer's text on P2J_OK, else throws.
  template <typename Function, typename... Args>
  std::string call(Function* function, Args... args) const {
    p2j_buffer buffer{nullptr, 0};
    const auto started = call_metrics_.start();
    const p2j_status status = function(handle_, args..., &buffer);
    call_metrics_.record(status, started);
    std::string text = take(buffer);
    if (status != P2J_OK) throw PluginCallError(status, name_, text.empty() ? "no message" : text);
    return text;
  }

  std::string take(p2j_buffer& buffer) const;
  const PluginLibrary& library() const { return *library_; }

 private:
  std::string name_;
  std::shared_ptr<PluginLibrary> library_;
  p2j_instance handle_;
  observability::PluginCallMetrics call_metrics_;
};

// Creates an instance of `library` with its validated config; throws PluginLoadError with the plugin's
// reason when create() fails.
p2j_instance createInstance(const PluginLibrary& library, const std::string& instance_name,
                            const std::string& config_json);

}  // namespace p2j::plugins
