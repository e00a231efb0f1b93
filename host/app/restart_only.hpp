// What a reload cannot change in a running server: the listener and its thread pool (Poco fixes them when
// the server is built), where and how the logs are written, whether the request path records metrics, and
// where plugin libraries are searched. A reload keeps the running values of these and says which differ.
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace p2j::app {

// The YAML names of the restart-only settings whose value differs between `running` and `wanted`.
std::vector<std::string> restartOnlyChanges(const config::Config& running, const config::Config& wanted);

// `wanted` with the restart-only settings of `running`, which is what a reload applies.
config::Config keepRestartOnly(const config::Config& running, config::Config wanted);

}  // namespace p2j::app
