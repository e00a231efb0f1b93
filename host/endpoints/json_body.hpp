// Reading the fields every action shares, with the 422 a client can act on.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
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

// The body's string `key`, at most `max_bytes` long.
std::string requireText(const rapidjson::Value& body, const char* key, size_t max_bytes);

// The body's integer `key`, or `fallback` when absent or null; it must lie in [min, max]. A string of
// digits counts too ("5"), as the original's lax request models accepted it.
int64_t optionalInteger(const rapidjson::Value& body, const char* key, int64_t fallback, int64_t min, int64_t max);

}  // namespace p2j::endpoints
