#pragma once

#include "config/config_error.hpp"
#include "config/env_expand.hpp"

#include <yaml-cpp/node/node.h>

#include <map>
#include <stdexcept>
#include <string>

namespace p2j::config {

class YamlJsonError : public std::runtime_error {
 public:
  YamlJsonError(SourceMark mark, const std::string& message) : std::runtime_error(message), mark_(mark) {}
  SourceMark mark() const { return mark_; }

 private:
  SourceMark mark_;
};

// Converts a YAML subtree (a plugin's config) to JSON text, expanding ${VAR} in scalars. Plain scalars
// are typed as YAML 1.2's core schema does (null, booleans, integers, floats, else strings); quoted
// scalars stay strings. `marks` receives where each value was written, keyed "a.b[0]" ("" for the root),
// so a schema error can point at the line.
std::string yamlToJson(const YAML::Node& node, const EnvironmentLookup& environment,
                       std::map<std::string, SourceMark>& marks);

}  // namespace p2j::config
