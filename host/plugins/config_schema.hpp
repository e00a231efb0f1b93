#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace p2j::plugins {

struct SchemaViolation {
  std::string path;  // "a.b[0]", "" for the whole config
  std::string message;
};

// Validates a plugin instance's config against the plugin's JSON Schema (draft 7) and, where the schema
// marks a string property with "format": "path", makes a relative value absolute against `base_dir`
// (the config file's directory), so every plugin resolves paths the same way.
// Returns the config to pass to create(), or throws SchemaViolation / std::invalid_argument (bad schema).
std::string validatePluginConfig(const std::string& schema_json, const std::string& config_json,
                                 const std::filesystem::path& base_dir);

}  // namespace p2j::plugins
