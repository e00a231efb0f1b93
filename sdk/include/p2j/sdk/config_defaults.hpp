// A plugin's config with the defaults its JSON Schema declares filled in, so a schema that carries a
// "default" on every optional leaf is the one place those defaults are written down.
#pragma once

#include <p2j/sdk/json.hpp>

namespace p2j::sdk {

namespace detail {

inline void fillSchemaDefaults(const rapidjson::Value& schema, rapidjson::Value& config,
                               rapidjson::Document::AllocatorType& allocator) {
  const auto properties = schema.FindMember("properties");
  if (properties == schema.MemberEnd() || !properties->value.IsObject() || !config.IsObject()) return;
  for (auto it = properties->value.MemberBegin(); it != properties->value.MemberEnd(); ++it) {
    const rapidjson::Value& property = it->value;
    if (!config.HasMember(it->name)) {
      rapidjson::Value value;
      if (const auto fallback = property.FindMember("default"); fallback != property.MemberEnd()) {
        value.CopyFrom(fallback->value, allocator);
      } else if (property.HasMember("properties")) {
        value.SetObject();
      } else {
        continue;
      }
      config.AddMember(rapidjson::Value(it->name, allocator), value, allocator);
    }
    fillSchemaDefaults(property, config[it->name], allocator);
  }
}

}  // namespace detail

// `config` plus, for every property it lacks, the schema's "default", or an empty object (filled in turn)
// for a nested object schema without one. Properties without a default stay absent.
inline rapidjson::Document withSchemaDefaults(std::string_view schema_json, const rapidjson::Value& config) {
  const rapidjson::Document schema = parseJson(schema_json);
  rapidjson::Document full;
  full.CopyFrom(config, full.GetAllocator());
  detail::fillSchemaDefaults(schema, full, full.GetAllocator());
  return full;
}

}  // namespace p2j::sdk
