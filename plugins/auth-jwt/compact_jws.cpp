#include "compact_jws.hpp"

#include "base64url.hpp"

#include <set>

namespace p2j::auth_jwt {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A JSON object with unique member names, from base64url text; `part` names it in errors.
rapidjson::Document decodeObject(std::string_view base64, const char* part) {
  const auto json = base64UrlDecode(base64);
  if (!json) throw TokenError(std::string("the token ") + part + " is not valid base64url");
  rapidjson::Document document;
  // Iterative: the header is read before any signature is checked, and deep nesting must not cost stack.
  document.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json->data(), json->size());
  if (document.HasParseError()) throw TokenError(std::string("the token ") + part + " is not valid JSON");
  if (!document.IsObject()) throw TokenError(std::string("the token ") + part + " is not a JSON object");
  std::set<std::string_view> names;
  for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it) {
    if (!names.emplace(it->name.GetString(), it->name.GetStringLength()).second)
      throw TokenError(std::string("the token ") + part + " repeats a member name");
  }
  return document;
}

}  // namespace

CompactJws splitCompactJws(std::string_view token) {
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    throw TokenError("the token is not a signed JWT (three dot-separated parts)");
  CompactJws jws;
  jws.signing_input = token.substr(0, second);
  jws.header = token.substr(0, first);
  jws.payload = token.substr(first + 1, second - first - 1);
  jws.signature = token.substr(second + 1);
  if (jws.header.empty() || jws.payload.empty()) throw TokenError("the token has an empty part");
  if (jws.signature.empty()) throw TokenError("the token is not signed");
  return jws;
}

std::string parseHeaderAlgorithm(std::string_view header_base64) {
  const rapidjson::Document header = decodeObject(header_base64, "header");
  const auto alg = header.FindMember("alg");
  if (alg == header.MemberEnd() || !alg->value.IsString()) throw TokenError("the token header names no algorithm");
  if (const auto typ = header.FindMember("typ"); typ != header.MemberEnd()) {
    const bool jwt = typ->value.IsString() && (equalsIgnoringCase(typ->value.GetString(), "JWT") ||
                                               equalsIgnoringCase(typ->value.GetString(), "at+jwt"));
    if (!jwt) throw TokenError("the token is not a JWT (typ)");
  }
  if (header.HasMember("crit")) throw TokenError("the token requires header extensions this server does not know");
  return std::string(alg->value.GetString(), alg->value.GetStringLength());
}

rapidjson::Document parseClaims(std::string_view payload_base64) { return decodeObject(payload_base64, "payload"); }

std::string encodeCompactJws(Algorithm algorithm, std::string_view claims_json, const KeyRing& keys) {
  const std::string header = R"({"alg":")" + std::string(algorithmName(algorithm)) + R"(","typ":"JWT"})";
  std::string token = base64UrlEncode(header);
  token += '.';
  token += base64UrlEncode(claims_json);
  const std::string signature = keys.sign(algorithm, token);
  token += '.';
  token += base64UrlEncode(signature);
  return token;
}

}  // namespace p2j::auth_jwt
