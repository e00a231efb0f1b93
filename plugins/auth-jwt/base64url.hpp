// base64url without padding (RFC 7515 §2), the encoding of every part of a compact JWT.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace p2j::auth_jwt {

std::string base64UrlEncode(std::string_view bytes);

// Strict: only the URL-safe alphabet, no padding, no whitespace, and the unused low bits of the last
// character zero, so each byte string has exactly one accepted text (a token cannot be re-spelled).
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace p2j::auth_jwt
