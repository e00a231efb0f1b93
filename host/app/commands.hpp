#pragma once

#include <csignal>

namespace p2j::app {

// Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error (or a refused prompt).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int runCommand(int argc, char** argv, const sigset_t& signals);

}  // namespace p2j::app
