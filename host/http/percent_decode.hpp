#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace p2j::http {

// Decodes %XX escapes; returns nullopt for a malformed escape.
std::optional<std::string> percentDecode(std::string_view text);

}  // namespace p2j::http
