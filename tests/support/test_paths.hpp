// Where the build put what the tests run; set by tests/CMakeLists.txt.
#pragma once

namespace p2j::testing {

inline constexpr const char* kP2jBinary = P2J_TEST_BINARY;
inline constexpr const char* kSourceDir = P2J_TEST_SOURCE_DIR;
inline constexpr const char* kPluginDir = P2J_TEST_PLUGIN_DIR;               // the bundled plugins
inline constexpr const char* kBrokenPluginDir = P2J_TEST_BROKEN_PLUGIN_DIR;  // plugins broken on purpose
inline constexpr const char* kPython = P2J_TEST_PYTHON;
inline constexpr const char* kOpenssl = P2J_TEST_OPENSSL;

}  // namespace p2j::testing
