#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace p2j::plugins {

struct AbiVersion {
  uint16_t major = 0;
  uint16_t minor = 0;
};

std::string toString(AbiVersion version);

// Why a plugin built for `plugin` cannot be loaded by a host that implements `host`, or nullopt when it
// can: the majors must be equal and the plugin must not need a newer minor than the host has.
std::optional<std::string> abiIncompatibility(AbiVersion plugin, AbiVersion host);

}  // namespace p2j::plugins
