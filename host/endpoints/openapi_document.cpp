#include "endpoints/openapi_document.hpp"

#include "config/path_template.hpp"
#include "endpoints/action.hpp"
#include "endpoints/api_components.hpp"
#include "endpoints/endpoint_policy.hpp"

#include <p2j/sdk/json.hpp>

#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

namespace p2j::endpoints {
namespace {

using rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

constexpr std::string_view kDescription =
    "p2j turns natural-language prompts into JSON design specifications, scores them and improves them in "
    "loops. This document is built at start-up from the server's endpoint table: every endpoint it serves, "
    "with the authentication and rate limit it is configured with. Every answer carries X-Request-ID; every "
    "error is the envelope {error, message, status_code, request_id}.";

Value text(std::string_view value, Allocator& allocator) {
  return Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

// A declared schema, parsed into the document's allocator.
Value schemaValue(std::string_view schema_text, const std::string& owner, Allocator& allocator) {
  rapidjson::Document parsed;
  try {
    parsed = sdk::parseJson(schema_text);
  } catch (const sdk::JsonSyntaxError& e) {
    throw std::logic_error(owner + ": a declared schema is not valid JSON: " + e.what());
  }
  if (!parsed.IsObject()) throw std::logic_error(owner + ": a declared schema is not a JSON object");
  return Value(parsed, allocator);
}

Value reference(std::string_view target, Allocator& allocator) {
  Value object(rapidjson::kObjectType);
  object.AddMember("$ref", text(target, allocator), allocator);
  return object;
}

Value stringSchema(Allocator& allocator) {
  Value schema(rapidjson::kObjectType);
  schema.AddMember("type", "string", allocator);
  return schema;
}

void collectReferences(const Value& value, std::set<std::string>& references) {
  if (value.IsArray()) {
    for (const auto& item : value.GetArray()) collectReferences(item, references);
  } else if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      if (std::string_view(it->name.GetString()) == "$ref" && it->value.IsString()) {
        references.insert(it->value.GetString());
      } else {
        collectReferences(it->value, references);
      }
    }
  }
}

std::string describeStatus(int status) {
  switch (status) {
    case 400:
      return "Malformed request: bad JSON, an empty body, or headers beyond the server's limits";
    case 401:
      return "Missing or invalid credentials (WWW-Authenticate names the schemes)";
    case 403:
      return "The credentials are valid but lack a role this endpoint needs";
    case 413:
      return "The body is larger than the server's limit";
    case 415:
      return "The body is not application/json";
    case 422:
      return "A field is missing or has the wrong type or value (`field` names it)";
    case 429:
      return "Rate limit exceeded: retry after Retry-After seconds";
    case 500:
      return "An internal error; quote the request id when reporting it";
    case 503:
      return "A backing service (a plugin or the storage) is unavailable: retry after Retry-After seconds";
    default:
      return "Error";
  }
}

struct Answer {
  std::string description;
  std::string_view schema;  // empty: the error envelope for errors, no body otherwise
  std::string_view content_type = "application/json";
  std::vector<std::string> headers;  // components/headers names
};

class DocumentBuilder {
 public:
  DocumentBuilder(const config::Config& config, const SecuritySchemeLookup& scheme_of)
      : config_(config), scheme_of_(scheme_of), allocator_(document_.GetAllocator()) {}

  std::string build() {
    document_.SetObject();
    document_.AddMember("openapi", "3.1.0", allocator_);
    Value info(rapidjson::kObjectType);
    info.AddMember("title", "p2j", allocator_);
    info.AddMember("version", P2J_VERSION, allocator_);
    info.AddMember("description", text(kDescription, allocator_), allocator_);
    document_.AddMember("info", info, allocator_);
    Value servers(rapidjson::kArrayType);
    Value here(rapidjson::kObjectType);
    here.AddMember("url", "/", allocator_);
    here.AddMember("description", "The server this document came from", allocator_);
    servers.PushBack(here, allocator_);
    document_.AddMember("servers", servers, allocator_);

    Value paths(rapidjson::kObjectType);
    for (const auto& endpoint : config_.endpoints) {
      const ActionDescriptor* descriptor = findAction(endpoint.action);
      if (descriptor == nullptr) throw std::logic_error("endpoint " + endpoint.path + ": unknown action");
      auto item = paths.FindMember(endpoint.path.c_str());
      if (item == paths.MemberEnd()) {
        paths.AddMember(text(endpoint.path, allocator_), Value(rapidjson::kObjectType), allocator_);
        item = paths.FindMember(endpoint.path.c_str());
      }
      std::string method = endpoint.method;
      std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
      item->value.AddMember(text(method, allocator_), operation(endpoint, *descriptor), allocator_);
    }
    document_.AddMember("tags", tags(), allocator_);
    document_.AddMember("paths", paths, allocator_);
    document_.AddMember("components", components(), allocator_);

    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    document_.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
  }

 private:
  Value operation(const config::EndpointConfig& endpoint, const ActionDescriptor& descriptor) {
    const std::string owner = "action '" + descriptor.name + "'";
    const ApiDescription& api = descriptor.api;
    const auto& known_tags = apiTags();
    if (std::none_of(known_tags.begin(), known_tags.end(), [&](const ApiTag& tag) { return tag.name == api.tag; })) {
      throw std::logic_error(owner + " declares no known API tag");
    }
    if (descriptor.takes_json_body == api.request_schema.empty()) {
      throw std::logic_error(owner + (descriptor.takes_json_body ? " takes a JSON body but declares no schema for it"
                                                                 : " declares a body schema but takes no body"));
    }
    if (std::none_of(api.responses.begin(), api.responses.end(),
                     [](const ApiResponse& response) { return response.status >= 200 && response.status < 300; })) {
      throw std::logic_error(owner + " declares no successful (2xx) answer");
    }
    used_tags_.insert(std::string(api.tag));
    const EndpointAccess access = endpointAccess(config_, endpoint);

    Value op(rapidjson::kObjectType);
    // Two paths that differ only in punctuation (/a-b, /a_b) would share an id: the later one is numbered.
    std::string id = operationId(endpoint.method, endpoint.path);
    for (int n = 2; !used_operation_ids_.insert(id).second; ++n)
      id = operationId(endpoint.method, endpoint.path) + std::to_string(n);
    op.AddMember("operationId", text(id, allocator_), allocator_);
    op.AddMember("summary", text(descriptor.summary, allocator_), allocator_);
    op.AddMember("description", text(operationDescription(access), allocator_), allocator_);
    Value tag_list(rapidjson::kArrayType);
    tag_list.PushBack(text(api.tag, allocator_), allocator_);
    op.AddMember("tags", tag_list, allocator_);
    op.AddMember("x-p2j-action", text(descriptor.name, allocator_), allocator_);
    if (access.rate_limit) op.AddMember("x-p2j-rate-limit", text(access.rate_limit->text, allocator_), allocator_);

    Value parameters(rapidjson::kArrayType);
    for (const auto& name : config::PathTemplate::parse(endpoint.path).parameterNames()) {
      Value parameter(rapidjson::kObjectType);
      parameter.AddMember("name", text(name, allocator_), allocator_);
      parameter.AddMember("in", "path", allocator_);
      parameter.AddMember("required", true, allocator_);
      Value schema = stringSchema(allocator_);
      schema.AddMember("minLength", 1, allocator_);
      parameter.AddMember("schema", schema, allocator_);
      parameters.PushBack(parameter, allocator_);
    }
    for (const auto& query : api.query) {
      Value parameter(rapidjson::kObjectType);
      parameter.AddMember("name", text(query.name, allocator_), allocator_);
      parameter.AddMember("in", "query", allocator_);
      parameter.AddMember("required", false, allocator_);
      parameter.AddMember("description", text(query.description, allocator_), allocator_);
      parameter.AddMember("schema", schemaValue(query.schema, owner, allocator_), allocator_);
      parameters.PushBack(parameter, allocator_);
    }
    parameters.PushBack(reference("#/components/parameters/RequestId", allocator_), allocator_);
    used_parameters_ = true;
    op.AddMember("parameters", parameters, allocator_);

    if (descriptor.takes_json_body) {
      Value media(rapidjson::kObjectType);
      media.AddMember("schema", schemaValue(api.request_schema, owner, allocator_), allocator_);
      if (!api.request_example.empty()) {
        rapidjson::Document example = sdk::parseJson(api.request_example);
        media.AddMember("example", Value(example, allocator_), allocator_);
      }
      Value content(rapidjson::kObjectType);
      content.AddMember("application/json", media, allocator_);
      Value body(rapidjson::kObjectType);
      body.AddMember("required", true, allocator_);
      body.AddMember("content", content, allocator_);
      op.AddMember("requestBody", body, allocator_);
    }

    op.AddMember("responses", responses(descriptor, access, owner), allocator_);

    Value security(rapidjson::kArrayType);
    if (access.auth_any) {
      for (const auto& name : access.auth) {
        Value requirement(rapidjson::kObjectType);
        requirement.AddMember(text(name, allocator_), Value(rapidjson::kArrayType), allocator_);
        security.PushBack(requirement, allocator_);
      }
    } else if (!access.auth.empty()) {
      Value requirement(rapidjson::kObjectType);
      for (const auto& name : access.auth) {
        requirement.AddMember(text(name, allocator_), Value(rapidjson::kArrayType), allocator_);
      }
      security.PushBack(requirement, allocator_);
    }
    for (const auto& name : access.auth) used_schemes_.insert(name);
    op.AddMember("security", security, allocator_);
    return op;
  }

  static std::string joined(const std::vector<std::string>& names, const char* last) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
      out += (i == 0 ? "" : i + 1 == names.size() ? std::string(" ") + last + " " : ", ") + ("`" + names[i] + "`");
    }
    return out;
  }

  std::string operationDescription(const EndpointAccess& access) const {
    std::string out;
    if (access.auth.empty()) {
      out = "Public: no credentials needed.";
    } else if (access.auth.size() == 1) {
      out = "Credentials: " + joined(access.auth, "and") + ".";
    } else {
      out = std::string("Credentials: ") + (access.auth_any ? "one of " : "all of ") +
            joined(access.auth, access.auth_any ? "or" : "and") + ".";
    }
    if (!access.roles.empty()) out += " Needs the role " + joined(access.roles, "or") + ".";
    if (access.rate_limit) {
      out += " At most " + access.rate_limit->text + " per caller (RateLimit-* headers on every answer).";
    } else {
      out += " Not rate limited.";
    }
    return out;
  }

  Value responses(const ActionDescriptor& descriptor, const EndpointAccess& access, const std::string& owner) {
    const bool calls_plugins = descriptor.needs_storage || !descriptor.plugin_settings.empty();
    std::map<int, Answer> answers;
    std::vector<std::string> common = {"X-Request-ID"};
    if (access.rate_limit) {
      for (const char* name : {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}) common.push_back(name);
    }
    for (const auto& response : descriptor.api.responses) {
      Answer& answer = answers[response.status];
      answer.description = std::string(response.description);
      answer.schema = response.schema;
      answer.content_type = response.content_type;
    }
    auto hostError = [&](int status, std::vector<std::string> headers = {}, std::string description = {}) {
      if (description.empty()) description = describeStatus(status);
      Answer& answer = answers[status];
      if (answer.description.empty()) {
        answer.description = description;
      } else if (answer.schema.empty()) {
        answer.description = description + "; or: " + answer.description;
      }
      answer.headers.insert(answer.headers.end(), headers.begin(), headers.end());
    };
    hostError(400, {}, descriptor.takes_json_body ? "" : "Malformed request: headers beyond the server's limits");
    hostError(413);
    hostError(500);
    if (descriptor.takes_json_body) {
      hostError(415);
      hostError(422);
    }
    if (!access.auth.empty()) hostError(401, {"WWW-Authenticate"});
    if (!access.roles.empty()) hostError(403);
    if (access.rate_limit) hostError(429, {"Retry-After"});
    if (calls_plugins) hostError(503, {"Retry-After"});

    Value out(rapidjson::kObjectType);
    for (auto& [status, answer] : answers) {
      Value response(rapidjson::kObjectType);
      response.AddMember("description", text(answer.description, allocator_), allocator_);
      Value headers(rapidjson::kObjectType);
      std::vector<std::string> names = common;
      names.insert(names.end(), answer.headers.begin(), answer.headers.end());
      for (const auto& name : names) {
        used_headers_.insert(name);
        headers.AddMember(text(name, allocator_), reference("#/components/headers/" + name, allocator_), allocator_);
      }
      response.AddMember("headers", headers, allocator_);
      const bool error = status >= 400;
      if (error || !answer.schema.empty()) {
        Value schema = answer.schema.empty()
                           ? reference("#/components/schemas/" + std::string(kErrorComponent), allocator_)
                           : schemaValue(answer.schema, owner, allocator_);
        Value media(rapidjson::kObjectType);
        media.AddMember("schema", schema, allocator_);
        Value content(rapidjson::kObjectType);
        content.AddMember(text(error && answer.schema.empty() ? "application/json" : answer.content_type, allocator_),
                          media, allocator_);
        response.AddMember("content", content, allocator_);
      }
      out.AddMember(text(std::to_string(status), allocator_), response, allocator_);
    }
    return out;
  }

  Value tags() {
    Value out(rapidjson::kArrayType);
    for (const auto& tag : apiTags()) {
      if (!used_tags_.contains(std::string(tag.name))) continue;
      Value entry(rapidjson::kObjectType);
      entry.AddMember("name", text(tag.name, allocator_), allocator_);
      entry.AddMember("description", text(tag.description, allocator_), allocator_);
      out.PushBack(entry, allocator_);
    }
    return out;
  }

  // Only what the operations use, so a config without /evaluate has no Evaluation schema to leave unused.
  Value components() {
    std::map<std::string, const ApiComponent*> by_name;
    for (const auto& component : apiComponents()) by_name[component.name] = &component;
    std::set<std::string> references;
    collectReferences(document_["paths"], references);
    std::map<std::string, Value> schemas;
    std::vector<std::string> pending(references.begin(), references.end());
    const std::string prefix = "#/components/schemas/";
    while (!pending.empty()) {
      const std::string target = pending.back();
      pending.pop_back();
      if (!target.starts_with(prefix)) continue;
      const std::string name = target.substr(prefix.size());
      if (schemas.contains(name)) continue;
      const auto found = by_name.find(name);
      if (found == by_name.end()) throw std::logic_error("a schema refers to the unknown component " + target);
      Value schema = schemaValue(found->second->schema, "component " + name, allocator_);
      std::set<std::string> inner;
      collectReferences(schema, inner);
      pending.insert(pending.end(), inner.begin(), inner.end());
      schemas.emplace(name, std::move(schema));
    }
    Value schema_object(rapidjson::kObjectType);
    for (auto& [name, schema] : schemas) schema_object.AddMember(text(name, allocator_), schema, allocator_);

    Value out(rapidjson::kObjectType);
    out.AddMember("schemas", schema_object, allocator_);
    out.AddMember("headers", headers(), allocator_);
    if (used_parameters_) out.AddMember("parameters", parameters(), allocator_);
    if (!used_schemes_.empty()) out.AddMember("securitySchemes", securitySchemes(), allocator_);
    return out;
  }

  Value headers() {
    static const std::map<std::string, std::pair<std::string_view, std::string_view>> kHeaders = {
        {"X-Request-ID",
         {"The request's id: the client's X-Request-ID when it sent a sane one, else a fresh one; the log "
          "lines of the request carry it",
          R"json({"type": "string"})json"}},
        {"RateLimit-Limit", {"Requests allowed per window", R"json({"type": "integer", "minimum": 0})json"}},
        {"RateLimit-Remaining", {"Requests left in this window", R"json({"type": "integer", "minimum": 0})json"}},
        {"RateLimit-Reset", {"Seconds until the window ends", R"json({"type": "integer", "minimum": 0})json"}},
        {"Retry-After", {"Seconds to wait before retrying", R"json({"type": "integer", "minimum": 0})json"}},
        {"WWW-Authenticate", {"A challenge per scheme that refused (RFC 7235)", R"json({"type": "string"})json"}},
    };
    Value out(rapidjson::kObjectType);
    for (const auto& name : used_headers_) {
      const auto& [description, schema] = kHeaders.at(name);
      Value header(rapidjson::kObjectType);
      header.AddMember("description", text(description, allocator_), allocator_);
      header.AddMember("schema", schemaValue(schema, "header " + name, allocator_), allocator_);
      out.AddMember(text(name, allocator_), header, allocator_);
    }
    return out;
  }

  Value parameters() {
    Value parameter(rapidjson::kObjectType);
    parameter.AddMember("name", "X-Request-ID", allocator_);
    parameter.AddMember("in", "header", allocator_);
    parameter.AddMember("required", false, allocator_);
    parameter.AddMember("description",
                        "Echoed in the answer when it is 1 to 128 of A-Z a-z 0-9 - _ . : (else a fresh id is made)",
                        allocator_);
    parameter.AddMember("schema", schemaValue(R"json({"type": "string"})json", "X-Request-ID", allocator_), allocator_);
    Value out(rapidjson::kObjectType);
    out.AddMember("RequestId", parameter, allocator_);
    return out;
  }

  Value securitySchemes() {
    Value out(rapidjson::kObjectType);
    for (const auto& name : used_schemes_) {
      const SecurityScheme scheme = scheme_of_(name);
      Value entry(rapidjson::kObjectType);
      if (scheme.type == SecurityScheme::Type::kApiKey) {
        entry.AddMember("type", "apiKey", allocator_);
        entry.AddMember("in", "header", allocator_);
        entry.AddMember("name", text(scheme.header, allocator_), allocator_);
      } else {
        entry.AddMember("type", "http", allocator_);
        entry.AddMember("scheme", text(scheme.scheme, allocator_), allocator_);
      }
      if (!scheme.description.empty()) entry.AddMember("description", text(scheme.description, allocator_), allocator_);
      out.AddMember(text(name, allocator_), entry, allocator_);
    }
    return out;
  }

  const config::Config& config_;
  const SecuritySchemeLookup& scheme_of_;
  rapidjson::Document document_;
  Allocator& allocator_;
  std::set<std::string> used_tags_;
  std::set<std::string> used_headers_;
  std::set<std::string> used_schemes_;
  std::set<std::string> used_operation_ids_;
  bool used_parameters_ = false;
};

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string::npos;
}

}  // namespace

std::optional<SecurityScheme> securitySchemeFromChallenge(std::string_view challenge) {
  size_t at = 0;
  while (at < challenge.size() && challenge[at] == ' ') ++at;
  const size_t scheme_start = at;
  while (at < challenge.size() && isTokenChar(challenge[at])) ++at;
  if (at == scheme_start) return std::nullopt;
  std::string scheme(challenge.substr(scheme_start, at - scheme_start));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });

  // auth-param = token "=" ( token / quoted-string ), separated by commas
  std::map<std::string, std::string> params;
  while (at < challenge.size()) {
    while (at < challenge.size() && (challenge[at] == ' ' || challenge[at] == ',')) ++at;
    const size_t name_start = at;
    while (at < challenge.size() && isTokenChar(challenge[at])) ++at;
    std::string name(challenge.substr(name_start, at - name_start));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    while (at < challenge.size() && challenge[at] == ' ') ++at;
    if (name.empty() || at >= challenge.size() || challenge[at] != '=') break;
    ++at;
    while (at < challenge.size() && challenge[at] == ' ') ++at;
    std::string value;
    if (at < challenge.size() && challenge[at] == '"') {
      for (++at; at < challenge.size() && challenge[at] != '"'; ++at) {
        if (challenge[at] == '\\' && at + 1 < challenge.size()) ++at;
        value += challenge[at];
      }
      ++at;
    } else {
      const size_t value_start = at;
      while (at < challenge.size() && isTokenChar(challenge[at])) ++at;
      value = std::string(challenge.substr(value_start, at - value_start));
    }
    params[name] = value;
  }

  SecurityScheme result;
  if (scheme == "apikey") {
    const auto header = params.find("header");
    if (header == params.end() || header->second.empty()) return std::nullopt;
    result.type = SecurityScheme::Type::kApiKey;
    result.header = header->second;
  } else {
    result.type = SecurityScheme::Type::kHttp;
    result.scheme = scheme;
  }
  return result;
}

std::string operationId(const std::string& method, const std::string& path) {
  std::string id;
  for (const char c : method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool word_start = true;
  for (const char c : path) {
    if (c == '{') {
      id += "By";
      word_start = true;
    } else if (std::isalnum(static_cast<unsigned char>(c))) {
      id += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      word_start = false;
    } else {
      word_start = true;
    }
  }
  if (id.size() == method.size()) id += "Root";
  return id;
}

std::string buildOpenApiDocument(const config::Config& config, const SecuritySchemeLookup& scheme_of) {
  return DocumentBuilder(config, scheme_of).build();
}

}  // namespace p2j::endpoints
