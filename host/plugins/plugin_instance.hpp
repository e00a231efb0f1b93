#pragma once

#include "observability/plugin_metrics.hpp"
#include "plugins/plugin_library.hpp"

#include <p2j/sdk/health.hpp>

#include <memory>
#include <mutex>
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

// An instance's own account of its health: ok, degraded (serving, but not fully: /readyz still answers 200)
// or down. Plugins built against ABI 1.0/1.1 had two states; PluginInstance::health maps their answer.
struct HealthReport {
  sdk::HealthState state = sdk::HealthState::kDown;
  std::string detail;  // the plugin's JSON detail, or why it could not tell

  bool serving() const { return state != sdk::HealthState::kDown; }
};

inline p2j_str toAbi(std::string_view text) { return {text.data(), text.size()}; }

// The host-side proxy of one plugin instance: owns the instance handle and turns the C calls into C++
// (results as strings, failures as PluginCallError). Calls to an instance of a plugin that does not declare
// P2J_PLUGIN_THREAD_SAFE take turns on one mutex, health() included; the others run concurrently.
class PluginInstance {
 public:
  PluginInstance(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
      : name_(std::move(name)),
        library_(std::move(library)),
        handle_(handle),
        call_metrics_(name_, kindName(library_->info().kind)),
        serialized_(!library_->info().thread_safe) {}
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
    std::unique_lock turn(calls_, std::defer_lock);
    if (serialized_) turn.lock();
    const auto started = call_metrics_.start();
    const p2j_status status = function(handle_, args..., &buffer);
    call_metrics_.record(status, started);
    std::string text = take(buffer);
    if (turn.owns_lock()) turn.unlock();
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
  bool serialized_;
  mutable std::mutex calls_;  // held for the whole call when serialized_
};

// Creates an instance of `library` with its validated config; throws PluginLoadError with the plugin's
// reason when create() fails.
p2j_instance createInstance(const PluginLibrary& library, const std::string& instance_name,
                            const std::string& config_json);

}  // namespace p2j::plugins
