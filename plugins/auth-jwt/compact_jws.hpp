// The compact serialization of a signed JWT (RFC 7515 §7.1): header.payload.signature, each base64url.
// Parsing is strict and happens in stages, so nothing of the payload is read before its signature holds.
#pragma once

#include "key_ring.hpp"

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace p2j::auth_jwt {

// Why a token was refused, in words fit for the client (RFC 6750 error_description: no quotes).
class TokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CompactJws {
  std::string_view signing_input;  // "<header>.<payload>" exactly as received: what the signature covers
  std::string_view header;         // base64url text
  std::string_view payload;
  std::string_view signature;
};

// Throws TokenError unless `token` is three non-empty base64url parts.
CompactJws splitCompactJws(std::string_view token);

// The protected header's "alg"; throws TokenError for a header that is not a JSON object with unique
// members, a "typ" other than JWT, or any "crit" extension (RFC 7515 §4.1.11: unknown ones must fail).
std::string parseHeaderAlgorithm(std::string_view header_base64);

// The claims object; throws TokenError for bad base64url, bad JSON or UTF-8, or a repeated claim name
// (which parsers would resolve differently).
rapidjson::Document parseClaims(std::string_view payload_base64);

// Signs `claims_json` (a JSON object) into a compact JWT with the "alg" and "typ": "JWT" header.
std::string encodeCompactJws(Algorithm algorithm, std::string_view claims_json, const KeyRing& keys);

}  // namespace p2j::auth_jwt
