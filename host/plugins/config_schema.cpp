#include "plugins/config_schema.hpp"

#include <p2j/sdk/json.hpp>

#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <stdexcept>

namespace p2j::plugins {
namespace {

// valijson's context looks like ["<root>", "[server]", "[0]"]; we print "server[0]".
std::string pathFromContext(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>" || part.size() < 2) continue;
    const std::string inner = part.substr(1, part.size() - 2);
    const bool is_index = !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
    if (is_index) {
      path += part;
    } else {
      path += (path.empty() ? "" : ".") + inner;
    }
  }
  return path;
}

void resolvePaths(const rapidjson::Value& schema, rapidjson::Value& config,
                  rapidjson::Document::AllocatorType& allocator, const std::filesystem::path& base_dir) {
  if (!schema.IsObject() || !config.IsObject()) return;
  const auto properties = schema.FindMember("properties");
  if (properties == schema.MemberEnd() || !properties->value.IsObject()) return;
  for (auto it = properties->value.MemberBegin(); it != properties->value.MemberEnd(); ++it) {
    auto value = config.FindMember(it->name);
    if (value == config.MemberEnd()) continue;
    const auto format = it->value.FindMember("format");
    const bool is_path = format != it->value.MemberEnd() && format->value.IsString() &&
                         std::string_view(format->value.GetString()) == "path";
    if (is_path && value->value.IsString()) {
      std::filesystem::path path(value->value.GetString());
      if (path.is_relative() && !path.empty()) {
        const std::string absolute = (base_dir / path).lexically_normal().string();
        value->value.SetString(absolute.c_str(), static_cast<rapidjson::SizeType>(absolute.size()), allocator);
      }
    } else {
      resolvePaths(it->value, value->value, allocator, base_dir);
    }
  }
}

}  // namespace

std::string validatePluginConfig(const std::string& schema_json, const std::string& config_json,
                                 const std::filesystem::path& base_dir) {
  rapidjson::Document schema_document;
  try {
    schema_document = sdk::parseJson(schema_json);
  } catch (const sdk::JsonSyntaxError& e) {
    throw std::invalid_argument(std::string("the plugin's config schema is not valid JSON: ") + e.what());
  }
  valijson::Schema schema;
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::RapidJsonAdapter schema_adapter(schema_document);
    parser.populateSchema(schema_adapter, schema);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("the plugin's config schema is not a valid JSON Schema: ") + e.what());
  }

  rapidjson::Document config = sdk::parseJson(config_json);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter config_adapter(config);
  if (!validator.validate(schema, config_adapter, &results)) {
    // The deepest error is the most specific one ("threads: expected integer" rather than "object invalid").
    SchemaViolation best{"", "does not match the plugin's config schema"};
    size_t best_depth = 0;
    bool found = false;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      if (!found || error.context.size() > best_depth) {
        best = {pathFromContext(error.context), error.description};
        best_depth = error.context.size();
        found = true;
      }
    }
    throw best;
  }
  resolvePaths(schema_document, config, config.GetAllocator(), base_dir);
  return sdk::toJsonText(config);
}

}  // namespace p2j::plugins
