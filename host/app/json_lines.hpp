// `p2j generate --jsonl`: prompts in, one JSON line each ({"prompt": "...", "id": ...}); specs out, one
// line per prompt in the same order: {"id", "spec"}, or {"id", "refused": true, "error"} for a prompt the
// agent refuses, or {"id", "error"} for a line that is no such object.
#pragma once

#include "plugins/agent_plugin.hpp"

#include <cstddef>

namespace p2j::app {

struct JsonLinesFiles {
  int in;   // the prompts
  int out;  // the results
  int err;  // a progress line when it is a terminal, nothing otherwise
};

// Longer input lines get an error line instead of being read into memory.
inline constexpr size_t kMaxJsonLineBytes = 1 << 20;

// Returns the exit code: 0 when every line was answered with a spec or a refusal, 1 when a line was malformed
// or the agent failed on one (the other lines are still answered).
int generateJsonLines(const plugins::AgentPlugin& agent, const JsonLinesFiles& files);

}  // namespace p2j::app
