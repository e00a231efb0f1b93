#pragma once

#include "plugins/plugin_library.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace p2j::plugins {

// The plugin directory bundled with this executable: <dir of p2j>/../lib/p2j/plugins, the same in the
// build tree and in the installed package.
std::filesystem::path bundledPluginDir();

// Finds plugin libraries by name (`use: agent-rules` -> agent-rules.so) in an ordered list of
// directories, and opens each file once.
class PluginCatalog {
 public:
  explicit PluginCatalog(std::vector<std::filesystem::path> dirs);

  // `use` is a plugin name or a path to a .so; throws PluginLoadError.
  std::shared_ptr<PluginLibrary> find(const std::string& use);

  struct Entry {
    std::filesystem::path file;
    std::optional<PluginInfo> info;
    std::string error;  // why it could not be loaded, when info is empty
  };
  // Every .so in the directories, loaded or with the reason it cannot be.
  std::vector<Entry> list();

  const std::vector<std::filesystem::path>& dirs() const { return dirs_; }

 private:
  std::shared_ptr<PluginLibrary> open(const std::filesystem::path& file);

  std::vector<std::filesystem::path> dirs_;
  std::mutex mutex_;
  std::map<std::filesystem::path, std::shared_ptr<PluginLibrary>> opened_;
};

}  // namespace p2j::plugins
