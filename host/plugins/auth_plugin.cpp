#include "plugins/auth_plugin.hpp"

#include <map>
#include <stdexcept>
#include <string_view>

namespace p2j::plugins {
AuthInput::AuthInput(std::string_view method, std::string_view path, std::string_view client_ip, size_t header_count)
    : method_(method), path_(path), client_ip_(client_ip) {
  headers_.reserve(header_count);
}

AuthInput::AuthInput(const sdk::AuthRequest& request)
    : AuthInput(request.method, request.path, request.client_ip, request.headers.size()) {
  for (const auto& [name, value] : request.headers) addHeader(name, value);
}

void AuthInput::addHeader(std::string_view name, std::string_view value) {
  // ASCII only, as header names are (std::tolower would ask the locale for each byte).
  std::string lowered(name);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  headers_.emplace_back(std::move(lowered), value);
  abi_current_ = false;
  json_.reset();
}

const p2j_auth_request& AuthInput::abi() const {
  if (!abi_current_) {
    abi_headers_.clear();
    abi_headers_.reserve(headers_.size());
    for (const auto& [name, value] : headers_) abi_headers_.push_back({toAbi(name), toAbi(value)});
    abi_ = {sizeof(p2j_auth_request), toAbi(method_),      toAbi(path_),
            toAbi(client_ip_),        abi_headers_.data(), abi_headers_.size()};
    abi_current_ = true;
  }
  return abi_;
}

const std::string& AuthInput::json() const {
  if (!json_) {
    // ABI 1.0 to 1.2 group the values of each name: {"name": ["first", "second"]}.
    std::map<std::string_view, std::vector<std::string_view>> grouped;
    for (const auto& [name, value] : headers_) grouped[name].push_back(value);
    rapidjson::StringBuffer text;
    sdk::JsonWriter w(text);
    w.StartObject();
    w.Key("method");
    sdk::writeString(w, method_);
    w.Key("path");
    sdk::writeString(w, path_);
    w.Key("client_ip");
    sdk::writeString(w, client_ip_);
    w.Key("headers");
    w.StartObject();
    for (const auto& [name, values] : grouped) {
      sdk::writeKey(w, name);
      w.StartArray();
      for (const auto value : values) sdk::writeString(w, value);
      w.EndArray();
    }
    w.EndObject();
    w.EndObject();
    json_.emplace(text.GetString(), text.GetSize());
  }
  return *json_;
}

AuthPlugin::AuthPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      issue_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_auth_issue_v1")) {
  if (library->info().abi.minor >= 5) {
    authenticate_v3_ =
        library->function<p2j_status(p2j_instance, const p2j_auth_request*, p2j_auth_verdict*, p2j_buffer*)>(
            "p2j_auth_authenticate_v3");
  } else if (library->info().abi.minor >= 3) {
    authenticate_v2_ =
        library->function<p2j_status(p2j_instance, const p2j_auth_request*, p2j_buffer*)>("p2j_auth_authenticate_v2");
  } else {
    authenticate_v1_ = library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_auth_authenticate_v1");
  }
}

namespace {

// The verdict of ABI 1.5 read back from its slices of `texts`; throws std::invalid_argument on a slice outside
// them, a flag that is neither 0 nor 1, or roles that do not end with their NUL.
sdk::AuthVerdict unpackVerdict(const p2j_auth_verdict& packed, std::string_view texts) {
  if (packed.authenticated > 1) throw std::invalid_argument("\"authenticated\" is neither 0 nor 1");
  auto text = [&](const p2j_slice& slice, const char* field) {
    if (slice.offset > texts.size() || slice.size > texts.size() - slice.offset)
      throw std::invalid_argument(std::string(field) + " lies outside the plugin's buffer");
    return texts.substr(slice.offset, slice.size);
  };
  sdk::AuthVerdict verdict;
  verdict.authenticated = packed.authenticated == 1;
  verdict.subject = text(packed.subject, "subject");
  std::string_view roles = text(packed.roles, "roles");
  if (!roles.empty() && roles.back() != '\0') throw std::invalid_argument("roles do not end with a NUL byte");
  while (!roles.empty()) {
    const size_t end = roles.find('\0');
    verdict.roles.emplace_back(roles.substr(0, end));
    roles.remove_prefix(end + 1);
  }
  const std::string_view token_use = text(packed.token_use, "token_use");
  if (!token_use.empty()) verdict.token_use = token_use;
  verdict.error = text(packed.error, "error");
  verdict.message = text(packed.message, "message");
  verdict.challenge = text(packed.challenge, "challenge");
  return verdict;
}

}  // namespace

sdk::AuthVerdict AuthPlugin::authenticate(const AuthInput& input) const {
  if (authenticate_v3_ != nullptr) {
    p2j_auth_verdict packed{};
    packed.struct_size = sizeof packed;
    const std::string texts = call(authenticate_v3_, &input.abi(), &packed);
    try {
      return unpackVerdict(packed, texts);
    } catch (const std::exception& e) {
      throw PluginCallError(P2J_INTERNAL, name(),
                            std::string("the auth plugin returned a malformed verdict: ") + e.what());
    }
  }
  const std::string text =
      authenticate_v2_ != nullptr ? call(authenticate_v2_, &input.abi()) : call(authenticate_v1_, toAbi(input.json()));
  try {
    return sdk::authVerdictFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the auth plugin returned a malformed verdict: ") + e.what());
  }
}

sdk::IssuedTokens AuthPlugin::issue(const sdk::TokenGrant& grant) const {
  const std::string grant_json = sdk::serialize(grant);
  const std::string text = call(issue_, toAbi(grant_json));
  try {
    return sdk::issuedTokensFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the auth plugin returned malformed tokens: ") + e.what());
  }
}

}  // namespace p2j::plugins
