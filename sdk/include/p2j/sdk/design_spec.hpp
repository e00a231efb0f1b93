// The design specification: what an agent produces and an evaluator scores, as a typed struct with its
// JSON mapping. The JSON shape is the original service's UniversalDesignSpec plus `stories`; its JSON
// Schema is sdk/schemas/design-spec.schema.json.
#pragma once

#include <p2j/sdk/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::sdk {

struct Material {
  std::string type;
  std::optional<std::string> grade;
  // The original lets any JSON object through here; it is kept verbatim as compact JSON text.
  std::string properties_json = "{}";

  bool operator==(const Material&) const = default;
};

// Always SI: metres, m², m³, kg. `units` stays in the shape for the original's clients.
struct Dimensions {
  std::optional<double> length;
  std::optional<double> width;
  std::optional<double> height;
  std::optional<double> depth;
  std::optional<double> diameter;
  std::optional<double> area;
  std::optional<double> volume;
  std::optional<double> weight;
  std::string units = "metric";

  bool operator==(const Dimensions&) const = default;
};

struct Performance {
  std::optional<std::string> power;
  std::optional<std::string> efficiency;
  std::optional<std::string> capacity;
  std::optional<std::string> speed;
  std::map<std::string, std::string> other_specs;

  bool operator==(const Performance&) const = default;
};

// What a spec that names no category has, whether it was built in code or read from JSON without one: the
// generic category, which evaluators score as "not specified" (a made-up specific word such as "custom"
// would earn it points it did not ask for).
inline constexpr std::string_view kUnspecifiedCategory = "general";

struct DesignSpec {
  std::string design_type = "general";
  std::string category = std::string(kUnspecifiedCategory);
  std::optional<int64_t> stories;  // buildings only
  std::vector<Material> materials;
  Dimensions dimensions;
  Performance performance;
  std::vector<std::string> features;
  std::vector<std::string> components;
  std::vector<std::string> requirements;
  std::vector<std::string> constraints;
  std::vector<std::string> use_cases;
  std::optional<std::string> target_audience;
  std::optional<std::string> estimated_cost;
  std::optional<std::string> timeline;
  std::string timestamp;  // UTC ISO 8601

  bool operator==(const DesignSpec&) const = default;
};

inline void writeJson(JsonWriter& w, const Material& material) {
  w.StartObject();
  w.Key("type");
  writeString(w, material.type);
  w.Key("grade");
  writeOptional(w, material.grade);
  w.Key("properties");
  const std::string& properties = material.properties_json.empty() ? std::string("{}") : material.properties_json;
  w.RawValue(properties.data(), properties.size(), rapidjson::kObjectType);
  w.EndObject();
}

inline void writeJson(JsonWriter& w, const Dimensions& d) {
  w.StartObject();
  w.Key("length");
  writeOptional(w, d.length);
  w.Key("width");
  writeOptional(w, d.width);
  w.Key("height");
  writeOptional(w, d.height);
  w.Key("depth");
  writeOptional(w, d.depth);
  w.Key("diameter");
  writeOptional(w, d.diameter);
  w.Key("area");
  writeOptional(w, d.area);
  w.Key("volume");
  writeOptional(w, d.volume);
  w.Key("weight");
  writeOptional(w, d.weight);
  w.Key("units");
  writeString(w, d.units);
  w.EndObject();
}

inline void writeJson(JsonWriter& w, const Performance& p) {
  w.StartObject();
  w.Key("power");
  writeOptional(w, p.power);
  w.Key("efficiency");
  writeOptional(w, p.efficiency);
  w.Key("capacity");
  writeOptional(w, p.capacity);
  w.Key("speed");
  writeOptional(w, p.speed);
  w.Key("other_specs");
  writeStringMap(w, p.other_specs);
  w.EndObject();
}

inline void writeJson(JsonWriter& w, const DesignSpec& spec) {
  w.StartObject();
  w.Key("design_type");
  writeString(w, spec.design_type);
  w.Key("category");
  writeString(w, spec.category);
  w.Key("stories");
  if (spec.stories) {
    w.Int64(*spec.stories);
  } else {
    w.Null();
  }
  w.Key("materials");
  w.StartArray();
  for (const auto& material : spec.materials) writeJson(w, material);
  w.EndArray();
  w.Key("dimensions");
  writeJson(w, spec.dimensions);
  w.Key("performance");
  writeJson(w, spec.performance);
  w.Key("features");
  writeStringList(w, spec.features);
  w.Key("components");
  writeStringList(w, spec.components);
  w.Key("requirements");
  writeStringList(w, spec.requirements);
  w.Key("constraints");
  writeStringList(w, spec.constraints);
  w.Key("use_cases");
  writeStringList(w, spec.use_cases);
  w.Key("target_audience");
  writeOptional(w, spec.target_audience);
  w.Key("estimated_cost");
  writeOptional(w, spec.estimated_cost);
  w.Key("timeline");
  writeOptional(w, spec.timeline);
  w.Key("timestamp");
  writeString(w, spec.timestamp);
  w.EndObject();
}

inline Material materialFromJson(const rapidjson::Value& value, std::string_view path) {
  requireObject(value, path);
  Material material;
  material.type = requireString(value, "type", path);
  material.grade = optionalString(value, "grade", path);
  if (const auto* properties = findMember(value, "properties")) {
    if (!properties->IsObject()) throw FieldError(joinPath(path, "properties"), "must be an object");
    material.properties_json = toJsonText(*properties);
  }
  return material;
}

inline Dimensions dimensionsFromJson(const rapidjson::Value& value, std::string_view path) {
  requireObject(value, path);
  Dimensions d;
  d.length = optionalNumber(value, "length", path);
  d.width = optionalNumber(value, "width", path);
  d.height = optionalNumber(value, "height", path);
  d.depth = optionalNumber(value, "depth", path);
  d.diameter = optionalNumber(value, "diameter", path);
  d.area = optionalNumber(value, "area", path);
  d.volume = optionalNumber(value, "volume", path);
  d.weight = optionalNumber(value, "weight", path);
  d.units = optionalString(value, "units", path).value_or("metric");
  return d;
}

inline Performance performanceFromJson(const rapidjson::Value& value, std::string_view path) {
  requireObject(value, path);
  Performance p;
  p.power = optionalString(value, "power", path);
  p.efficiency = optionalString(value, "efficiency", path);
  p.capacity = optionalString(value, "capacity", path);
  p.speed = optionalString(value, "speed", path);
  if (const auto* other = findMember(value, "other_specs")) {
    const std::string other_path = joinPath(path, "other_specs");
    requireObject(*other, other_path);
    for (auto it = other->MemberBegin(); it != other->MemberEnd(); ++it) {
      const std::string key(it->name.GetString(), it->name.GetStringLength());
      p.other_specs[key] =
          it->value.IsString() ? readString(it->value, joinPath(other_path, key)) : toJsonText(it->value);
    }
  }
  return p;
}

// Reads a spec as a client or a plugin wrote it. `path` prefixes field names in errors ("spec").
inline DesignSpec designSpecFromJson(const rapidjson::Value& value, std::string_view path = "") {
  requireObject(value, path.empty() ? std::string_view("spec") : path);
  DesignSpec spec;
  spec.design_type = requireString(value, "design_type", path);
  spec.category = optionalString(value, "category", path).value_or(std::string(kUnspecifiedCategory));
  spec.stories = optionalInteger(value, "stories", path);
  if (const auto* materials = findMember(value, "materials")) {
    const std::string materials_path = joinPath(path, "materials");
    if (!materials->IsArray()) throw FieldError(materials_path, "must be an array");
    for (rapidjson::SizeType i = 0; i < materials->Size(); ++i) {
      spec.materials.push_back(materialFromJson((*materials)[i], indexPath(materials_path, i)));
    }
  }
  if (const auto* dimensions = findMember(value, "dimensions")) {
    spec.dimensions = dimensionsFromJson(*dimensions, joinPath(path, "dimensions"));
  }
  if (const auto* performance = findMember(value, "performance")) {
    spec.performance = performanceFromJson(*performance, joinPath(path, "performance"));
  }
  spec.features = optionalStringList(value, "features", path);
  spec.components = optionalStringList(value, "components", path);
  spec.requirements = optionalStringList(value, "requirements", path);
  spec.constraints = optionalStringList(value, "constraints", path);
  spec.use_cases = optionalStringList(value, "use_cases", path);
  spec.target_audience = optionalString(value, "target_audience", path);
  spec.estimated_cost = optionalString(value, "estimated_cost", path);
  spec.timeline = optionalString(value, "timeline", path);
  spec.timestamp = optionalString(value, "timestamp", path).value_or("");
  return spec;
}

}  // namespace p2j::sdk
