// What an auth plugin sees of a request and answers, with the JSON mapping of its answers.
#pragma once

#include <p2j/sdk/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2j::sdk {

// Every view points into the host's request and is valid during the authenticate() call only: copy what you
// keep. Views rather than strings, as a scheme reads one header or two of the request it is shown.
struct AuthRequest {
  std::string_view method;
  std::string_view path;
  std::string_view client_ip;
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // lower-case names, in the order sent

  // The values of a header (name in any case) in the order sent, empty when absent.
  std::vector<std::string_view> header(std::string_view name) const {
    std::vector<std::string_view> values;
    for (const auto& [lower_case_name, value] : headers) {
      if (lower_case_name.size() == name.size() &&
          std::equal(name.begin(), name.end(), lower_case_name.begin(),
                     [](unsigned char a, unsigned char b) { return std::tolower(a) == b; })) {
        values.push_back(value);
      }
    }
    return values;
  }
};

// The verdict is a value, not an error: a refused request is the normal work of an auth plugin.
struct AuthVerdict {
  bool authenticated = false;
  std::string subject;
  std::vector<std::string> roles;
  std::string token_use = "access";
  std::string error;      // RFC 6750 style: invalid_request, invalid_token, ...
  std::string message;    // for people; the host sends it in the 401 body
  std::string challenge;  // the WWW-Authenticate value

  static AuthVerdict allow(std::string subject, std::vector<std::string> roles) {
    AuthVerdict verdict;
    verdict.authenticated = true;
    verdict.subject = std::move(subject);
    verdict.roles = std::move(roles);
    return verdict;
  }
  static AuthVerdict deny(std::string error, std::string message, std::string challenge) {
    AuthVerdict verdict;
    verdict.error = std::move(error);
    verdict.message = std::move(message);
    verdict.challenge = std::move(challenge);
    return verdict;
  }
};

struct TokenGrant {
  std::string grant;  // "subject" (the host checked the password) or "refresh_token"
  std::string subject;
  std::vector<std::string> roles;
  std::string refresh_token;
};

struct IssuedTokens {
  std::string access_token;
  std::string token_type = "bearer";
  int64_t expires_in = 0;
  std::string refresh_token;
};

inline void writeJson(JsonWriter& w, const AuthVerdict& verdict) {
  w.StartObject();
  w.Key("authenticated");
  w.Bool(verdict.authenticated);
  if (verdict.authenticated) {
    w.Key("subject");
    writeString(w, verdict.subject);
    w.Key("roles");
    writeStringList(w, verdict.roles);
    w.Key("token_use");
    writeString(w, verdict.token_use);
  } else {
    w.Key("error");
    writeString(w, verdict.error);
    w.Key("message");
    writeString(w, verdict.message);
    w.Key("challenge");
    writeString(w, verdict.challenge);
  }
  w.EndObject();
}

inline AuthVerdict authVerdictFromJson(const rapidjson::Value& value) {
  requireObject(value, "verdict");
  AuthVerdict verdict;
  const auto* authenticated = findMember(value, "authenticated");
  if (authenticated == nullptr || !authenticated->IsBool()) throw FieldError("authenticated", "must be true or false");
  verdict.authenticated = authenticated->GetBool();
  if (verdict.authenticated) {
    verdict.subject = requireString(value, "subject", "");
    verdict.roles = optionalStringList(value, "roles", "");
    verdict.token_use = optionalString(value, "token_use", "").value_or("access");
  } else {
    verdict.error = optionalString(value, "error", "").value_or("invalid_request");
    verdict.message = optionalString(value, "message", "").value_or("authentication failed");
    verdict.challenge = optionalString(value, "challenge", "").value_or("");
  }
  return verdict;
}

inline void writeJson(JsonWriter& w, const TokenGrant& grant) {
  w.StartObject();
  w.Key("grant");
  writeString(w, grant.grant);
  if (grant.grant == "refresh_token") {
    w.Key("refresh_token");
    writeString(w, grant.refresh_token);
  } else {
    w.Key("subject");
    writeString(w, grant.subject);
    w.Key("roles");
    writeStringList(w, grant.roles);
  }
  w.EndObject();
}

inline TokenGrant tokenGrantFromJson(const rapidjson::Value& value) {
  requireObject(value, "grant");
  TokenGrant grant;
  grant.grant = requireString(value, "grant", "");
  if (grant.grant == "refresh_token") {
    grant.refresh_token = requireString(value, "refresh_token", "");
  } else if (grant.grant == "subject") {
    grant.subject = requireString(value, "subject", "");
    grant.roles = optionalStringList(value, "roles", "");
  } else {
    throw FieldError("grant", "must be \"subject\" or \"refresh_token\"");
  }
  return grant;
}

inline void writeJson(JsonWriter& w, const IssuedTokens& tokens) {
  w.StartObject();
  w.Key("access_token");
  writeString(w, tokens.access_token);
  w.Key("token_type");
  writeString(w, tokens.token_type);
  w.Key("expires_in");
  w.Int64(tokens.expires_in);
  w.Key("refresh_token");
  writeString(w, tokens.refresh_token);
  w.EndObject();
}

inline IssuedTokens issuedTokensFromJson(const rapidjson::Value& value) {
  requireObject(value, "tokens");
  IssuedTokens tokens;
  tokens.access_token = requireString(value, "access_token", "");
  tokens.token_type = optionalString(value, "token_type", "").value_or("bearer");
  tokens.expires_in = optionalInteger(value, "expires_in", "").value_or(0);
  tokens.refresh_token = optionalString(value, "refresh_token", "").value_or("");
  return tokens;
}

}  // namespace p2j::sdk
