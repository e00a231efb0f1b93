// Reading the fields every action shares, with the 422 a client can act on.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace p2j::endpoints {

// Prompts longer than this are refused: no design request needs more, and the extractor's cost grows
// with the length.
inline constexpr size_t kMaxPromptBytes = 10000;

// Text fields are stored, so they must be text every storage keeps unchanged.
inline constexpr const char* kNotStorableText = "must be valid UTF-8 without NUL characters";

// What is wrong with a prompt (too long, not storable text), or nullopt. Emptiness is the agent's call (it
// refuses with its own message).
std::optional<std::string> promptProblem(std::string_view prompt);

// The body's "prompt", checked by promptProblem.
std::string requirePrompt(const rapidjson::Value& body);

// The body itself, which must be a JSON object.
const rapidjson::Value& requireObjectBody(const rapidjson::Value& body);

// The body's string `key`, at most `max_bytes` long, valid UTF-8 without NUL characters.
std::string requireText(const rapidjson::Value& body, const char* key, size_t max_bytes);

// The body's integer `key`, or `fallback` when absent or null; it must lie in [min, max]. A string of
// digits counts too ("5"), as the original's lax request models accepted it.
int64_t optionalInteger(const rapidjson::Value& body, const char* key, int64_t fallback, int64_t min, int64_t max);

}  // namespace p2j::endpoints
