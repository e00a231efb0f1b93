#include "endpoints/legacy_spec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

namespace p2j::endpoints {
namespace {

// The building words of the extraction contract's categories (docs/extraction.md), plus the
// legacy schema's own "retail".
constexpr std::array<std::pair<std::string_view, std::string_view>, 38> kBuildingCategories{{
    {"residential", "residential"},  {"house", "residential"},        {"home", "residential"},
    {"apartment", "residential"},    {"villa", "residential"},        {"condo", "residential"},
    {"cottage", "residential"},      {"bungalow", "residential"},     {"townhouse", "residential"},
    {"farmhouse", "residential"},    {"cabin", "residential"},        {"dormitory", "residential"},
    {"commercial", "commercial"},    {"office", "commercial"},        {"shop", "commercial"},
    {"store", "commercial"},         {"mall", "commercial"},          {"hotel", "commercial"},
    {"restaurant", "commercial"},    {"showroom", "commercial"},      {"retail", "commercial"},
    {"industrial", "industrial"},    {"warehouse", "industrial"},     {"factory", "industrial"},
    {"plant", "industrial"},         {"workshop", "industrial"},      {"institutional", "institutional"},
    {"hospital", "institutional"},   {"clinic", "institutional"},     {"school", "institutional"},
    {"university", "institutional"}, {"college", "institutional"},    {"library", "institutional"},
    {"museum", "institutional"},     {"laboratory", "institutional"}, {"general", "general"},
    {"building", "general"},         {"structure", "general"},
}};

std::string_view categoryOf(const rapidjson::Value* building_type) {
  if (building_type == nullptr || !building_type->IsString()) return "general";
  std::string word(building_type->GetString(), building_type->GetStringLength());
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& [name, category] : kBuildingCategories) {
    if (name == word) return category;
  }
  return "general";
}

}  // namespace

rapidjson::Document universalSpec(const rapidjson::Value& spec) {
  rapidjson::Document copy;
  // RapidJSON 1.1 copies a view as a view: a spec from a request's body (parsed in place) stays views of the
  // body, so the copy lives no longer than the request.
  copy.CopyFrom(spec, copy.GetAllocator());
  if (!copy.IsObject()) return copy;
  auto& allocator = copy.GetAllocator();
  if (!copy.HasMember("design_type")) {
    const auto building_type = copy.FindMember("building_type");
    const rapidjson::Value* legacy_type = building_type == copy.MemberEnd() ? nullptr : &building_type->value;
    if (!copy.HasMember("category")) {
      const std::string_view category = categoryOf(legacy_type);
      copy.AddMember("category", rapidjson::Value(category.data(), category.size(), allocator), allocator);
    }
    copy.RemoveMember("building_type");
    copy.AddMember("design_type", "building", allocator);
  }
  if (auto materials = copy.FindMember("materials"); materials != copy.MemberEnd() && materials->value.IsArray()) {
    for (auto& material : materials->value.GetArray()) {
      if (!material.IsString()) continue;
      rapidjson::Value object(rapidjson::kObjectType);
      object.AddMember("type", material, allocator);  // moves the string
      material = std::move(object);
    }
  }
  return copy;
}

}  // namespace p2j::endpoints
