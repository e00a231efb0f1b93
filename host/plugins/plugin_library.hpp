#pragma once

#include "plugins/abi_version.hpp"

#include <p2j/sdk/abi.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace p2j::plugins {

// Start-up failures of a plugin; the message always names the file.
class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PluginInfo {
  std::filesystem::path file;
  AbiVersion abi;
  p2j_plugin_kind kind = P2J_KIND_AGENT;
  bool thread_safe = false;
  std::string name;
  std::string version;
  std::string description;
  std::string config_schema_json;
};

std::string kindName(p2j_plugin_kind kind);
// "an agent", "a storage", ...: the kind as the messages that name it read.
std::string kindWithArticle(p2j_plugin_kind kind);

// One loaded shared library. Libraries are opened with RTLD_NOW | RTLD_LOCAL and are never unloaded
// while the process lives: code of a plugin may still be on some stack (a logger, a thread-local
// destructor) after its instances are gone, and unloading buys nothing for a server.
class PluginLibrary {
 public:
  // Opens `file`, reads p2j_plugin_info_v1 and checks the ABI version and the mandatory symbols.
  static std::shared_ptr<PluginLibrary> open(const std::filesystem::path& file);

  const PluginInfo& info() const { return info_; }

  // The address of `name`; throws PluginLoadError naming the file and the symbol when it is missing.
  void* symbol(const char* name) const;

  template <typename Function>
  Function* function(const char* name) const {
    return reinterpret_cast<Function*>(symbol(name));
  }

  // The common entry points, resolved once.
  decltype(&p2j_plugin_create_v1) create = nullptr;
  decltype(&p2j_plugin_destroy_v1) destroy = nullptr;
  // Exactly one of the two: health_v2 for plugins built against ABI 1.2 or newer, health_v1 for older ones.
  decltype(&p2j_plugin_health_v2) health_v2 = nullptr;
  decltype(&p2j_plugin_health_v1) health_v1 = nullptr;
  decltype(&p2j_buffer_free_v1) free_buffer = nullptr;

 public:
  struct Handle;

 private:
  explicit PluginLibrary(Handle* handle) : handle_(handle) {}
  Handle* handle_;  // deliberately never deleted, see above
  PluginInfo info_;
};

}  // namespace p2j::plugins
