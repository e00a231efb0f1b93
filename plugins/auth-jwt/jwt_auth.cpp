#include "jwt_auth.hpp"

#include "base64url.hpp"
#include "compact_jws.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace p2j::auth_jwt {
namespace {

constexpr int64_t kMaxMinutes = 366LL * 24 * 60;
constexpr int64_t kMaxClockSkewSeconds = 3600;
constexpr int64_t kMinTokenBytes = 256;
constexpr int64_t kMaxTokenBytes = 1 << 20;
// 9999-12-31T23:59:59Z: later "times" are garbage, and the bound keeps exp + skew from overflowing.
constexpr int64_t kLatestNumericDate = 253402300799;
constexpr size_t kJtiBytes = 16;

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool isQuotable(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
}

bool isEnvName(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

int64_t boundedInteger(const rapidjson::Value& config, const char* key, int64_t fallback, int64_t minimum,
                       int64_t maximum) {
  const int64_t value = sdk::optionalInteger(config, key, "").value_or(fallback);
  if (value < minimum || value > maximum) {
    throw sdk::InvalidInput(std::string(key) + ": must be between " + std::to_string(minimum) + " and " +
                            std::to_string(maximum));
  }
  return value;
}

std::optional<std::string> optionalNonEmpty(const rapidjson::Value& config, const char* key) {
  auto value = sdk::optionalString(config, key, "");
  if (value && value->empty()) throw sdk::InvalidInput(std::string(key) + ": must not be empty");
  return value;
}

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A NumericDate claim (RFC 7519 §2: seconds since the epoch, fractions allowed), or nothing when absent.
std::optional<int64_t> numericDate(const rapidjson::Value& claims, const char* name) {
  const auto member = claims.FindMember(name);
  if (member == claims.MemberEnd()) return std::nullopt;
  const rapidjson::Value& value = member->value;
  double seconds = -1;
  if (value.IsInt64()) {
    seconds = static_cast<double>(value.GetInt64());
  } else if (value.IsNumber()) {
    seconds = std::floor(value.GetDouble());
  }
  if (!(seconds >= 0 && seconds <= static_cast<double>(kLatestNumericDate)))
    throw TokenError(std::string("the token ") + name + " claim is not a valid time");
  return static_cast<int64_t>(seconds);
}

bool audienceMatches(const rapidjson::Value& audience, std::string_view expected) {
  const auto equal = [&](const rapidjson::Value& item) {
    return item.IsString() && std::string_view(item.GetString(), item.GetStringLength()) == expected;
  };
  if (audience.IsString()) return equal(audience);
  if (!audience.IsArray()) return false;
  return std::any_of(audience.Begin(), audience.End(), equal);
}

std::string readSecretFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw sdk::InvalidInput("cannot read secret_file " + path + ": " + std::strerror(errno));
  std::ostringstream content;
  content << file.rdbuf();
  std::string secret = content.str();
  // The secret is the text an editor or `openssl rand -hex 32 > file` leaves; its final newline is not part of it.
  const size_t end = secret.find_last_not_of(" \t\r\n");
  secret.erase(end == std::string::npos ? 0 : end + 1);
  if (secret.empty()) throw sdk::InvalidInput("secret_file " + path + " is empty");
  return secret;
}

}  // namespace

Settings Settings::fromJson(const rapidjson::Value& config) {
  sdk::requireObject(config, "config");
  Settings settings;
  settings.secret_file = optionalNonEmpty(config, "secret_file");
  settings.secret_env = sdk::optionalString(config, "secret_env", "").value_or(settings.secret_env);
  settings.public_key_file = optionalNonEmpty(config, "public_key_file");
  settings.private_key_file = optionalNonEmpty(config, "private_key_file");
  settings.issuer = optionalNonEmpty(config, "issuer");
  settings.audience = optionalNonEmpty(config, "audience");
  settings.realm = sdk::optionalString(config, "realm", "").value_or(settings.realm);
  settings.expire_minutes = boundedInteger(config, "expire_minutes", settings.expire_minutes, 1, kMaxMinutes);
  settings.refresh_expire_minutes =
      boundedInteger(config, "refresh_expire_minutes", settings.refresh_expire_minutes, 1, kMaxMinutes);
  settings.clock_skew_seconds =
      boundedInteger(config, "clock_skew_seconds", settings.clock_skew_seconds, 0, kMaxClockSkewSeconds);
  settings.max_token_bytes = static_cast<size_t>(boundedInteger(
      config, "max_token_bytes", static_cast<int64_t>(settings.max_token_bytes), kMinTokenBytes, kMaxTokenBytes));

  if (!isEnvName(settings.secret_env)) throw sdk::InvalidInput("secret_env: must name an environment variable");
  if (!isQuotable(settings.realm)) throw sdk::InvalidInput("realm: must not contain quotes, backslashes or controls");
  if (sdk::findMember(config, "algorithms") != nullptr) {
    const auto names = sdk::optionalStringList(config, "algorithms", "");
    if (names.empty()) throw sdk::InvalidInput("algorithms: list at least one algorithm");
    settings.algorithms.clear();
    for (const auto& name : names) {
      if (equalsIgnoringCase(name, "none"))
        throw sdk::InvalidInput("algorithms: \"none\" is never accepted, it would let anyone forge a token");
      const auto algorithm = algorithmNamed(name);
      if (!algorithm) throw sdk::InvalidInput("algorithms: '" + name + "' is not one of HS256 HS384 HS512 RS256 ES256");
      if (std::find(settings.algorithms.begin(), settings.algorithms.end(), *algorithm) != settings.algorithms.end())
        throw sdk::InvalidInput("algorithms: '" + name + "' is listed twice");
      settings.algorithms.push_back(*algorithm);
    }
  }
  return settings;
}

JwtAuth::JwtAuth(const rapidjson::Value& config) : settings_(Settings::fromJson(config)) {
  const auto& algorithms = settings_.algorithms;
  const bool wants_secret = std::any_of(algorithms.begin(), algorithms.end(), isHmac);
  const bool wants_key_pair = !std::all_of(algorithms.begin(), algorithms.end(), isHmac);

  std::string secret;
  if (wants_secret) {
    if (const char* value = std::getenv(settings_.secret_env.c_str()); value != nullptr && *value != '\0') {
      secret = value;
      secret_source_ = "the " + settings_.secret_env + " environment variable";
    } else if (settings_.secret_file) {
      secret = readSecretFile(*settings_.secret_file);
      secret_source_ = "secret_file " + *settings_.secret_file;
    } else {
      throw sdk::InvalidInput("no JWT secret configured: set secret_file or the " + settings_.secret_env +
                              " environment variable to at least 32 random bytes (there is no default secret)");
    }
    for (const Algorithm algorithm : algorithms) {
      if (isHmac(algorithm) && secret.size() < minimumSecretBytes(algorithm)) {
        throw sdk::InvalidInput("the JWT secret from " + secret_source_ + " is " + std::to_string(secret.size()) +
                                " bytes; " + std::string(algorithmName(algorithm)) + " needs at least " +
                                std::to_string(minimumSecretBytes(algorithm)) + " (e.g. openssl rand -hex 32)");
      }
    }
  } else if (settings_.secret_file) {
    throw sdk::InvalidInput("secret_file is set, but algorithms lists no HS256, HS384 or HS512");
  }

  EvpKey verify_key;
  EvpKey sign_key;
  const bool has_key_file = settings_.public_key_file || settings_.private_key_file;
  if (wants_key_pair) {
    if (!has_key_file) {
      throw sdk::InvalidInput(
          "RS256 and ES256 need public_key_file (to verify tokens) and/or private_key_file (to issue them)");
    }
    try {
      if (settings_.private_key_file) sign_key = loadPrivateKeyPem(*settings_.private_key_file);
      verify_key = settings_.public_key_file ? loadPublicKeyPem(*settings_.public_key_file) : sign_key;
    } catch (const std::invalid_argument& e) {
      throw sdk::InvalidInput(e.what());
    }
    if (sign_key && !sameKey(verify_key, sign_key))
      throw sdk::InvalidInput("public_key_file is not the public half of private_key_file");
    const std::string& key_file = settings_.public_key_file ? *settings_.public_key_file : *settings_.private_key_file;
    for (const Algorithm algorithm : algorithms) {
      if (const auto mismatch = keyMismatch(verify_key, algorithm))
        throw sdk::InvalidInput(key_file + ": " + *mismatch);
    }
  } else if (has_key_file) {
    throw sdk::InvalidInput("public_key_file/private_key_file are set, but algorithms lists no RS256 or ES256");
  }
  keys_ = std::make_unique<const KeyRing>(std::move(secret), std::move(verify_key), std::move(sign_key));
}

sdk::AuthVerdict JwtAuth::reject(const std::string& error, const std::string& description) const {
  std::string challenge = "Bearer realm=\"" + settings_.realm + "\"";
  if (!error.empty()) challenge += ", error=\"" + error + "\", error_description=\"" + description + "\"";
  return sdk::AuthVerdict::deny(error, description, std::move(challenge));
}

sdk::AuthVerdict JwtAuth::authenticate(const sdk::AuthRequest& request) {
  // RFC 6750 §3.1: a request without a bearer token, or with another scheme, gets a challenge without an
  // error code; a malformed request is invalid_request; a token that fails any check is invalid_token.
  const auto& values = request.header("authorization");
  if (values.empty()) return reject("", "a bearer token is required in the Authorization header");
  if (values.size() > 1) return reject("invalid_request", "the Authorization header must be sent once");

  std::string_view value = values.front();
  const size_t begin = value.find_first_not_of(" \t");
  value.remove_prefix(begin == std::string_view::npos ? value.size() : begin);
  const size_t end = value.find_last_not_of(" \t");
  value = value.substr(0, end == std::string_view::npos ? 0 : end + 1);
  const size_t scheme_end = value.find_first_of(" \t");
  if (!equalsIgnoringCase(value.substr(0, scheme_end), "bearer"))
    return reject("", "the Authorization header does not carry a bearer token");
  std::string_view token = scheme_end == std::string_view::npos ? std::string_view() : value.substr(scheme_end);
  token.remove_prefix(std::min(token.find_first_not_of(" \t"), token.size()));
  if (token.empty()) return reject("invalid_request", "the bearer token is empty");

  try {
    Principal principal = verify(token, TokenUse::kAccess);
    return sdk::AuthVerdict::allow(std::move(principal.subject), std::move(principal.roles));
  } catch (const TokenError& e) {
    return reject("invalid_token", e.what());
  }
}

JwtAuth::Principal JwtAuth::verify(std::string_view token, TokenUse expected) const {
  if (token.size() > settings_.max_token_bytes)
    throw TokenError("the token is larger than " + std::to_string(settings_.max_token_bytes) + " bytes");
  const CompactJws jws = splitCompactJws(token);
  const auto algorithm = algorithmNamed(parseHeaderAlgorithm(jws.header));
  const auto& pinned = settings_.algorithms;
  if (!algorithm || std::find(pinned.begin(), pinned.end(), *algorithm) == pinned.end())
    throw TokenError("the token is signed with an algorithm this server does not accept");
  const auto signature = base64UrlDecode(jws.signature);
  if (!signature) throw TokenError("the token signature is not valid base64url");
  if (!keys_->verify(*algorithm, jws.signing_input, *signature)) throw TokenError("the token signature is not valid");

  const rapidjson::Document claims = parseClaims(jws.payload);
  const int64_t now = nowSeconds();
  const int64_t skew = settings_.clock_skew_seconds;
  const auto expires = numericDate(claims, "exp");
  if (!expires) throw TokenError("the token has no expiry (exp)");
  if (now >= *expires + skew) throw TokenError("the token has expired");
  if (const auto not_before = numericDate(claims, "nbf"); not_before && *not_before > now + skew)
    throw TokenError("the token is not valid yet (nbf)");
  if (const auto issued = numericDate(claims, "iat"); issued && *issued > now + skew)
    throw TokenError("the token was issued in the future (iat)");

  if (settings_.issuer) {
    const auto issuer = claims.FindMember("iss");
    if (issuer == claims.MemberEnd() || !issuer->value.IsString() ||
        std::string_view(issuer->value.GetString(), issuer->value.GetStringLength()) != *settings_.issuer) {
      throw TokenError("the token issuer is not accepted");
    }
  }
  // RFC 7519 §4.1.3: a token naming audiences must name us, so one with an audience is refused when
  // this server is configured without one (it was meant for some other service).
  const auto audience = claims.FindMember("aud");
  if (settings_.audience) {
    if (audience == claims.MemberEnd() || !audienceMatches(audience->value, *settings_.audience))
      throw TokenError("the token is not meant for this audience");
  } else if (audience != claims.MemberEnd()) {
    throw TokenError("the token is meant for an audience this server is not configured with");
  }

  TokenUse use = TokenUse::kAccess;
  if (const auto claimed = claims.FindMember("token_use"); claimed != claims.MemberEnd()) {
    const std::string_view name =
        claimed->value.IsString() ? std::string_view(claimed->value.GetString(), claimed->value.GetStringLength()) : "";
    if (name == "refresh") {
      use = TokenUse::kRefresh;
    } else if (name != "access") {
      throw TokenError("the token_use claim is not access or refresh");
    }
  }
  if (expected == TokenUse::kAccess && use == TokenUse::kRefresh)
    throw TokenError("a refresh token cannot be used as an access token");
  if (expected == TokenUse::kRefresh && use != TokenUse::kRefresh) throw TokenError("the token is not a refresh token");

  Principal principal;
  const auto subject = claims.FindMember("sub");
  if (subject == claims.MemberEnd() || !subject->value.IsString() || subject->value.GetStringLength() == 0)
    throw TokenError("the token has no subject (sub)");
  principal.subject.assign(subject->value.GetString(), subject->value.GetStringLength());
  if (const auto roles = claims.FindMember("roles"); roles != claims.MemberEnd()) {
    if (!roles->value.IsArray()) throw TokenError("the token roles claim is not a list of names");
    for (const auto& role : roles->value.GetArray()) {
      if (!role.IsString()) throw TokenError("the token roles claim is not a list of names");
      principal.roles.emplace_back(role.GetString(), role.GetStringLength());
    }
  }
  return principal;
}

std::string JwtAuth::mint(const Principal& principal, TokenUse use, int64_t now) const {
  const int64_t lifetime_minutes =
      use == TokenUse::kAccess ? settings_.expire_minutes : settings_.refresh_expire_minutes;
  rapidjson::StringBuffer text;
  sdk::JsonWriter writer(text);
  writer.StartObject();
  if (settings_.issuer) {
    writer.Key("iss");
    sdk::writeString(writer, *settings_.issuer);
  }
  writer.Key("sub");
  sdk::writeString(writer, principal.subject);
  if (settings_.audience) {
    writer.Key("aud");
    sdk::writeString(writer, *settings_.audience);
  }
  writer.Key("iat");
  writer.Int64(now);
  writer.Key("nbf");
  writer.Int64(now);
  writer.Key("exp");
  writer.Int64(now + lifetime_minutes * 60);
  writer.Key("jti");
  sdk::writeString(writer, base64UrlEncode(randomBytes(kJtiBytes)));
  writer.Key("token_use");
  writer.String(use == TokenUse::kAccess ? "access" : "refresh");
  writer.Key("roles");
  sdk::writeStringList(writer, principal.roles);
  writer.EndObject();
  std::string token =
      encodeCompactJws(settings_.algorithms.front(), std::string_view(text.GetString(), text.GetSize()), *keys_);
  if (token.size() > settings_.max_token_bytes) {
    throw sdk::InvalidInput("the subject and roles make a token larger than max_token_bytes (" +
                            std::to_string(settings_.max_token_bytes) + ")");
  }
  return token;
}

sdk::IssuedTokens JwtAuth::issue(const sdk::TokenGrant& grant) {
  if (!keys_->canSign(settings_.algorithms.front())) {
    throw sdk::Refused("this instance has no private_key_file: it verifies " +
                       std::string(algorithmName(settings_.algorithms.front())) + " tokens but cannot issue them");
  }
  Principal principal;
  if (grant.grant == "refresh_token") {
    try {
      principal = verify(grant.refresh_token, TokenUse::kRefresh);
    } catch (const TokenError& e) {
      throw sdk::InvalidInput(std::string("refresh_token: ") + e.what());
    }
  } else if (grant.grant == "subject") {
    if (grant.subject.empty()) throw sdk::InvalidInput("subject: must not be empty");
    principal = {grant.subject, grant.roles};
  } else {
    throw sdk::InvalidInput("grant: must be \"subject\" or \"refresh_token\"");
  }
  const int64_t now = nowSeconds();
  sdk::IssuedTokens tokens;
  tokens.access_token = mint(principal, TokenUse::kAccess, now);
  tokens.refresh_token = mint(principal, TokenUse::kRefresh, now);
  tokens.expires_in = settings_.expire_minutes * 60;
  return tokens;
}

sdk::Health JwtAuth::health() {
  rapidjson::StringBuffer text;
  sdk::JsonWriter writer(text);
  writer.StartObject();
  writer.Key("algorithms");
  writer.StartArray();
  for (const Algorithm algorithm : settings_.algorithms) sdk::writeString(writer, algorithmName(algorithm));
  writer.EndArray();
  writer.Key("issues_tokens");
  writer.Bool(keys_->canSign(settings_.algorithms.front()));
  if (!secret_source_.empty()) {
    writer.Key("secret_from");
    sdk::writeString(writer, secret_source_);
  }
  writer.EndObject();
  return {sdk::HealthState::kOk, std::string(text.GetString(), text.GetSize())};
}

}  // namespace p2j::auth_jwt
