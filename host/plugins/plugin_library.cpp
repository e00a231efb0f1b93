#include "plugins/plugin_library.hpp"

#include <boost/dll/shared_library.hpp>

#include <mutex>
#include <vector>

namespace p2j::plugins {

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
};

std::string kindName(p2j_plugin_kind kind) {
  switch (kind) {
    case P2J_KIND_AGENT:
      return "agent";
    case P2J_KIND_EVALUATOR:
      return "evaluator";
    case P2J_KIND_STORAGE:
      return "storage";
    case P2J_KIND_AUTH:
      return "auth";
    case P2J_KIND_FEEDBACK:
      return "feedback";
    case P2J_KIND_CACHE:
      return "cache";
  }
  return "unknown(" + std::to_string(static_cast<int>(kind)) + ")";
}

std::string kindWithArticle(p2j_plugin_kind kind) {
  const std::string name = kindName(kind);
  const bool vowel = name.find_first_of("aeiou") == 0;
  return (vowel ? "an " : "a ") + name;
}

namespace {

// Every library ever opened, reachable from a global so leak checkers see it as kept on purpose.
std::vector<PluginLibrary::Handle*>& keptLibraries() {
  static auto* const kept = new std::vector<PluginLibrary::Handle*>();
  return *kept;
}

std::string safeString(const char* text) { return text == nullptr ? std::string() : std::string(text); }

bool isKnownKind(uint32_t kind) { return kind >= P2J_KIND_AGENT && kind <= P2J_KIND_CACHE; }

// The ABI minor version that added each kind: a plugin that declares a kind its own ABI did not have was
// built wrongly, and its entry points cannot be trusted to be the ones this host expects.
uint16_t minorThatAdded(p2j_plugin_kind kind) {
  switch (kind) {
    case P2J_KIND_FEEDBACK:
      return 1;
    case P2J_KIND_CACHE:
      return 2;
    default:
      return 0;
  }
}

}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::filesystem::path& file) {
  const std::string where = file.string();
  if (!std::filesystem::is_regular_file(file)) throw PluginLoadError(where + ": plugin file not found");
  auto* handle = new Handle;
  try {
    handle->library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    delete handle;
    throw PluginLoadError(where + ": cannot load the shared library: " + e.what());
  }
  static std::mutex kept_mutex;
  {
    std::lock_guard lock(kept_mutex);
    keptLibraries().push_back(handle);
  }
  // From here on the library stays loaded even if it is rejected: unloading code that may have
  // registered static state is riskier than keeping a few pages mapped.
  std::shared_ptr<PluginLibrary> library(new PluginLibrary(handle));
  if (!handle->library.has("p2j_plugin_info_v1")) {
    throw PluginLoadError(where + ": not a p2j plugin (it does not export p2j_plugin_info_v1)");
  }
  const p2j_plugin_info* raw = handle->library.get<const p2j_plugin_info*()>("p2j_plugin_info_v1")();
  if (raw == nullptr) throw PluginLoadError(where + ": p2j_plugin_info_v1 returned no information");
  if (raw->struct_size < sizeof(p2j_plugin_info)) {
    throw PluginLoadError(where + ": p2j_plugin_info_v1 is too small (" + std::to_string(raw->struct_size) +
                          " bytes, expected at least " + std::to_string(sizeof(p2j_plugin_info)) + ")");
  }
  PluginInfo& info = library->info_;
  info.file = file;
  info.abi = {raw->abi_major, raw->abi_minor};
  if (auto why = abiIncompatibility(info.abi, {P2J_ABI_MAJOR, P2J_ABI_MINOR})) {
    throw PluginLoadError(where + ": cannot load the plugin: " + *why);
  }
  if (!isKnownKind(raw->kind)) {
    throw PluginLoadError(where + ": unknown plugin kind " + std::to_string(raw->kind));
  }
  info.kind = static_cast<p2j_plugin_kind>(raw->kind);
  if (info.abi.minor < minorThatAdded(info.kind)) {
    throw PluginLoadError(where + ": it declares plugin ABI " + toString(info.abi) + " and the kind " +
                          kindName(info.kind) + ", which ABI " + std::to_string(P2J_ABI_MAJOR) + "." +
                          std::to_string(minorThatAdded(info.kind)) +
                          " added; rebuild the plugin against the SDK of this p2j version");
  }
  info.thread_safe = (raw->flags & P2J_PLUGIN_THREAD_SAFE) != 0;
  info.name = safeString(raw->name);
  info.version = safeString(raw->version);
  info.description = safeString(raw->description);
  info.config_schema_json = raw->config_schema_json == nullptr ? "{}" : raw->config_schema_json;
  if (info.name.empty()) throw PluginLoadError(where + ": the plugin has no name");

  library->create = library->function<p2j_status(p2j_str, p2j_instance*, p2j_buffer*)>("p2j_plugin_create_v1");
  library->destroy = library->function<void(p2j_instance)>("p2j_plugin_destroy_v1");
  if (info.abi.minor >= 2) {
    library->health_v2 = library->function<p2j_status(p2j_instance, uint32_t*, p2j_buffer*)>("p2j_plugin_health_v2");
  } else {
    library->health_v1 = library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_plugin_health_v1");
  }
  library->free_buffer = library->function<void(p2j_buffer*)>("p2j_buffer_free_v1");
  return library;
}

void* PluginLibrary::symbol(const char* name) const {
  if (!handle_->library.has(name)) {
    throw PluginLoadError(info_.file.string() + ": the " + kindName(info_.kind) + " plugin '" + info_.name +
                          "' does not export the required symbol " + name);
  }
  return reinterpret_cast<void*>(&handle_->library.get<void()>(name));
}

}  // namespace p2j::plugins
