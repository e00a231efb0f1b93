#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace p2j::config {

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
std::optional<std::string> processEnvironment(const std::string& name);

class ExpansionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Expands ${VAR} and ${VAR:-default} (the default is used when VAR is unset or empty, as in the shell).
// "$$" is a literal "$". An unset variable without a default is an error: silently serving with an
// empty secret or path is worse than refusing to start.
std::string expandEnvironment(std::string_view text, const EnvironmentLookup& lookup);

}  // namespace p2j::config
