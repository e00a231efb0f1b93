#include "plugins/abi_version.hpp"

namespace p2j::plugins {

std::string toString(AbiVersion version) { return std::to_string(version.major) + "." + std::to_string(version.minor); }

std::optional<std::string> abiIncompatibility(AbiVersion plugin, AbiVersion host) {
  if (plugin.major != host.major) {
    return "it was built for plugin ABI " + toString(plugin) + " but this p2j implements ABI " + toString(host) +
           "; rebuild the plugin against the SDK of this p2j version";
  }
  if (plugin.minor > host.minor) {
    return "it needs plugin ABI " + toString(plugin) + " but this p2j implements only ABI " + toString(host) +
           "; upgrade p2j or use a plugin built against an older SDK";
  }
  return std::nullopt;
}

}  // namespace p2j::plugins
