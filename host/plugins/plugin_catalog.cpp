#include "plugins/plugin_catalog.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>

namespace p2j::plugins {

std::filesystem::path bundledPluginDir() {
  char buffer[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (length <= 0) return {};
  const std::filesystem::path executable(std::string(buffer, static_cast<size_t>(length)));
  return (executable.parent_path() / ".." / "lib" / "p2j" / "plugins").lexically_normal();
}

PluginCatalog::PluginCatalog(std::vector<std::filesystem::path> dirs) : dirs_(std::move(dirs)) {}

std::shared_ptr<PluginLibrary> PluginCatalog::open(const std::filesystem::path& file) {
  const std::filesystem::path key = std::filesystem::weakly_canonical(file);
  std::lock_guard lock(mutex_);
  if (auto it = opened_.find(key); it != opened_.end()) return it->second;
  auto library = PluginLibrary::open(key);
  opened_.emplace(key, library);
  return library;
}

std::shared_ptr<PluginLibrary> PluginCatalog::find(const std::string& use) {
  if (use.find('/') != std::string::npos) return open(use);
  std::string searched;
  for (const auto& dir : dirs_) {
    const std::filesystem::path candidate = dir / (use + ".so");
    if (std::filesystem::is_regular_file(candidate)) {
      auto library = open(candidate);
      if (library->info().name != use) {
        throw PluginLoadError(candidate.string() + ": the file is named '" + use + "' but the plugin calls itself '" +
                              library->info().name + "'");
      }
      return library;
    }
    searched += (searched.empty() ? "" : ", ") + dir.string();
  }
  throw PluginLoadError("plugin '" + use + "' not found: no " + use + ".so in " +
                        (searched.empty() ? std::string("any plugin directory") : searched));
}

std::vector<PluginCatalog::Entry> PluginCatalog::list() {
  std::vector<Entry> entries;
  for (const auto& dir : dirs_) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(dir, error)) {
      if (item.is_regular_file() && item.path().extension() == ".so") files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      Entry entry{file, std::nullopt, {}};
      try {
        entry.info = open(file)->info();
      } catch (const PluginLoadError& e) {
        entry.error = e.what();
      }
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace p2j::plugins
