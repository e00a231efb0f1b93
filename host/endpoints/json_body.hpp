// Reading the fields every action shares, with the 422 a client can act on.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace p2j::endpoints {

// Prompts longer than this are refused: no design request needs more, and the extractor's cost grows
// with the length.
inline constexpr size_t kMaxPromptBytes = 10000;

// The body's "prompt": a string of at most kMaxPromptBytes. Emptiness is the agent's call (it refuses
// with its own message).
std::string requirePrompt(const rapidjson::Value& body);

// The body itself, which must be a JSON object.
const rapidjson::Value& requireObjectBody(const rapidjson::Value& body);

}  // namespace p2j::endpoints
