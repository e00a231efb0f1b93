#include "plugins/auth_plugin.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace p2j::plugins {
AuthInput::AuthInput(std::string_view method, std::string_view path, std::string_view client_ip)
    : method_(method), path_(path), client_ip_(client_ip) {}

AuthInput::AuthInput(const sdk::AuthRequest& request) : AuthInput(request.method, request.path, request.client_ip) {
  for (const auto& [name, value] : request.headers) addHeader(name, value);
}

void AuthInput::addHeader(std::string_view name, std::string_view value) {
  std::string lowered(name);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
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
  if (library->info().abi.minor >= 3) {
    authenticate_v2_ =
        library->function<p2j_status(p2j_instance, const p2j_auth_request*, p2j_buffer*)>("p2j_auth_authenticate_v2");
  } else {
    authenticate_v1_ = library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_auth_authenticate_v1");
  }
}

sdk::AuthVerdict AuthPlugin::authenticate(const AuthInput& input) const {
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
