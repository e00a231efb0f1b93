#include "improver.hpp"

#include <p2j/sdk/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace p2j::agent_rules {
namespace {

// Typical SI sizes of a category; 0 means the category has no typical value for that dimension.
struct TypicalSize {
  double length = 0;
  double width = 0;
  double height = 0;  // buildings: the height of one story
  double depth = 0;
  double weight = 0;
};

struct Profile {
  std::string_view design_type;
  std::string_view category;
  std::string_view label;  // "commercial buildings", for the `changes` texts
  std::vector<std::string_view> features;
  std::vector<std::string_view> materials;
  std::optional<TypicalSize> size;
  std::vector<std::string_view> requirements;
};

const std::vector<std::string_view> kBuildingRequirements = {"Comply with local building codes and zoning regulations",
                                                             "Provide accessible entrances and fire exits"};
const std::vector<std::string_view> kVehicleRequirements = {"Meet road-safety and emissions regulations"};
const std::vector<std::string_view> kElectronicsRequirements = {
    "Meet electromagnetic-compatibility and battery-safety standards"};
const std::vector<std::string_view> kApplianceRequirements = {"Meet electrical-safety and energy-labelling standards"};
const std::vector<std::string_view> kFurnitureRequirements = {"Meet load-bearing and stability standards"};
const std::vector<std::string_view> kGeneralRequirements = {"State the intended use and the main dimensions"};

// Ordered as the extraction spec lists the categories; the "general" entry of a design type is the
// fallback for a category this table does not know.
const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = {
      {"building",
       "residential",
       "residential buildings",
       {"balcony", "parking", "garden"},
       {"concrete", "brick", "glass"},
       TypicalSize{12, 10, 3.0, 0, 0},
       kBuildingRequirements},
      {"building",
       "commercial",
       "commercial buildings",
       {"elevator", "parking", "security", "air_conditioning"},
       {"concrete", "steel", "glass"},
       TypicalSize{40, 30, 3.5, 0, 0},
       kBuildingRequirements},
      {"building",
       "industrial",
       "industrial buildings",
       {"parking", "security", "solar"},
       {"steel", "concrete"},
       TypicalSize{60, 40, 8.0, 0, 0},
       kBuildingRequirements},
      {"building",
       "institutional",
       "institutional buildings",
       {"elevator", "parking", "security", "air_conditioning"},
       {"concrete", "steel", "glass"},
       TypicalSize{50, 40, 4.0, 0, 0},
       kBuildingRequirements},
      {"building",
       "general",
       "buildings",
       {"parking", "security", "elevator"},
       {"concrete", "steel", "glass"},
       TypicalSize{30, 20, 3.5, 0, 0},
       kBuildingRequirements},

      {"vehicle",
       "automobile",
       "cars",
       {"gps", "bluetooth", "backup_camera", "cruise_control"},
       {"steel", "aluminum", "plastic"},
       TypicalSize{4.5, 1.8, 1.5, 0, 1400},
       kVehicleRequirements},
      {"vehicle",
       "commercial_vehicle",
       "trucks and vans",
       {"gps", "cruise_control", "backup_camera"},
       {"steel", "aluminum"},
       TypicalSize{7.5, 2.5, 3.2, 0, 7500},
       kVehicleRequirements},
      {"vehicle",
       "two_wheeler",
       "two-wheelers",
       {"gps", "bluetooth"},
       {"steel", "aluminum", "rubber"},
       TypicalSize{2.1, 0.8, 1.1, 0, 180},
       kVehicleRequirements},
      {"vehicle",
       "watercraft",
       "boats",
       {"gps"},
       {"fiberglass", "aluminum"},
       TypicalSize{12, 4, 3.5, 0, 8000},
       kVehicleRequirements},
      {"vehicle",
       "aircraft",
       "aircraft",
       {"gps", "automatic"},
       {"aluminum", "carbon fiber"},
       TypicalSize{12, 11, 3, 0, 1200},
       kVehicleRequirements},
      {"vehicle",
       "general",
       "vehicles",
       {"gps", "bluetooth"},
       {"steel", "aluminum"},
       TypicalSize{4.5, 1.8, 1.5, 0, 1400},
       kVehicleRequirements},

      {"electronics",
       "computing",
       "computers",
       {"wireless", "bluetooth", "camera"},
       {"aluminum", "plastic"},
       TypicalSize{0.36, 0.25, 0.02, 0, 1.8},
       kElectronicsRequirements},
      {"electronics",
       "mobile",
       "phones",
       {"touchscreen", "camera", "fingerprint", "wireless"},
       {"aluminum", "glass"},
       TypicalSize{0.15, 0.072, 0.008, 0, 0.18},
       kElectronicsRequirements},
      {"electronics",
       "tablet",
       "tablets",
       {"touchscreen", "wireless", "camera"},
       {"aluminum", "glass"},
       TypicalSize{0.25, 0.17, 0.007, 0, 0.5},
       kElectronicsRequirements},
      {"electronics",
       "wearable",
       "wearables",
       {"touchscreen", "bluetooth", "waterproof"},
       {"aluminum", "glass", "rubber"},
       TypicalSize{0.045, 0.038, 0.011, 0, 0.05},
       kElectronicsRequirements},
      {"electronics",
       "audio",
       "audio devices",
       {"wireless", "bluetooth"},
       {"plastic", "aluminum"},
       TypicalSize{0.19, 0.17, 0.08, 0, 0.25},
       kElectronicsRequirements},
      {"electronics",
       "display",
       "displays",
       {"smart", "wireless"},
       {"plastic", "aluminum", "glass"},
       TypicalSize{1.23, 0.71, 0.06, 0, 15},
       kElectronicsRequirements},
      {"electronics",
       "general",
       "electronic devices",
       {"wireless", "bluetooth"},
       {"plastic", "aluminum"},
       TypicalSize{0.15, 0.08, 0.02, 0, 0.3},
       kElectronicsRequirements},

      {"appliance",
       "refrigerator",
       "refrigerators",
       {"energy_efficient", "temperature_control", "auto_defrost"},
       {"stainless steel", "plastic", "glass"},
       TypicalSize{0, 0.7, 1.8, 0.7, 80},
       kApplianceRequirements},
      {"appliance",
       "washing_machine",
       "washing machines",
       {"energy_efficient", "timer", "smart_control"},
       {"stainless steel", "plastic"},
       TypicalSize{0, 0.6, 0.85, 0.6, 70},
       kApplianceRequirements},
      {"appliance",
       "dishwasher",
       "dishwashers",
       {"energy_efficient", "timer"},
       {"stainless steel", "plastic"},
       TypicalSize{0, 0.6, 0.85, 0.6, 45},
       kApplianceRequirements},
      {"appliance",
       "oven",
       "ovens",
       {"temperature_control", "timer"},
       {"stainless steel", "glass"},
       TypicalSize{0, 0.6, 0.6, 0.55, 35},
       kApplianceRequirements},
      {"appliance",
       "microwave",
       "microwaves",
       {"timer", "smart_control"},
       {"stainless steel", "glass", "plastic"},
       TypicalSize{0, 0.5, 0.3, 0.4, 15},
       kApplianceRequirements},
      {"appliance",
       "air_conditioner",
       "air conditioners",
       {"energy_efficient", "temperature_control", "timer"},
       {"plastic", "aluminum", "copper"},
       TypicalSize{0, 0.9, 0.3, 0.3, 12},
       kApplianceRequirements},
      {"appliance",
       "vacuum_cleaner",
       "vacuum cleaners",
       {"portable", "automatic"},
       {"plastic"},
       TypicalSize{0, 0.3, 1.1, 0.25, 5},
       kApplianceRequirements},
      {"appliance",
       "toaster",
       "toasters",
       {"timer"},
       {"stainless steel", "plastic"},
       TypicalSize{0, 0.3, 0.2, 0.18, 2},
       kApplianceRequirements},
      {"appliance",
       "kettle",
       "kettles",
       {"temperature_control", "automatic"},
       {"stainless steel", "plastic"},
       TypicalSize{0, 0.22, 0.25, 0.16, 1.2},
       kApplianceRequirements},
      {"appliance",
       "blender",
       "blenders",
       {"timer"},
       {"plastic", "stainless steel", "glass"},
       TypicalSize{0, 0.2, 0.4, 0.2, 4},
       kApplianceRequirements},
      {"appliance",
       "coffee_maker",
       "coffee makers",
       {"timer", "temperature_control"},
       {"stainless steel", "plastic"},
       TypicalSize{0, 0.25, 0.4, 0.35, 6},
       kApplianceRequirements},
      {"appliance",
       "general",
       "appliances",
       {"energy_efficient", "timer"},
       {"stainless steel", "plastic"},
       TypicalSize{0, 0.6, 0.85, 0.6, 40},
       kApplianceRequirements},

      {"furniture",
       "chair",
       "chairs",
       {"ergonomic", "adjustable", "cushioned"},
       {"wood", "fabric", "metal"},
       TypicalSize{0.5, 0.5, 0.9, 0, 7},
       kFurnitureRequirements},
      {"furniture",
       "table",
       "tables",
       {"adjustable", "foldable"},
       {"wood", "metal"},
       TypicalSize{1.6, 0.9, 0.75, 0, 30},
       kFurnitureRequirements},
      {"furniture",
       "desk",
       "desks",
       {"adjustable", "storage", "ergonomic"},
       {"wood", "metal"},
       TypicalSize{1.4, 0.7, 0.75, 0, 35},
       kFurnitureRequirements},
      {"furniture",
       "bed",
       "beds",
       {"storage", "cushioned"},
       {"wood", "fabric"},
       TypicalSize{2.0, 1.6, 0.5, 0, 60},
       kFurnitureRequirements},
      {"furniture",
       "sofa",
       "sofas",
       {"cushioned", "modular"},
       {"wood", "fabric", "leather"},
       TypicalSize{2.1, 0.9, 0.85, 0, 50},
       kFurnitureRequirements},
      {"furniture",
       "cabinet",
       "cabinets",
       {"storage", "adjustable"},
       {"wood", "metal"},
       TypicalSize{1.0, 0.5, 1.8, 0, 45},
       kFurnitureRequirements},
      {"furniture",
       "shelf",
       "shelves",
       {"modular", "adjustable"},
       {"wood", "metal"},
       TypicalSize{0.8, 0.3, 1.8, 0, 20},
       kFurnitureRequirements},
      {"furniture",
       "general",
       "furniture",
       {"modular", "storage"},
       {"wood"},
       TypicalSize{1.0, 0.5, 0.8, 0, 20},
       kFurnitureRequirements},

      // An object the agent does not know: features any design can have, but no size or material to guess.
      {"general", "general", "designs", {"durable", "low_maintenance"}, {}, std::nullopt, kGeneralRequirements},
  };
  return all;
}

const Profile& profileFor(const sdk::DesignSpec& spec) {
  const Profile* fallback = &profiles().back();
  for (const auto& profile : profiles()) {
    if (profile.design_type != spec.design_type) continue;
    if (profile.category == spec.category) return profile;
    if (profile.category == "general") fallback = &profile;
  }
  return *fallback;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool isGenericCategory(const sdk::DesignSpec& spec) {
  const std::string category = lower(spec.category);
  return category.empty() || category == "general";
}

std::string addFeatures(sdk::DesignSpec& spec, const Profile& profile) {
  std::vector<std::string> added;
  for (const auto feature : profile.features) {
    if (!contains(spec.features, feature)) {
      spec.features.emplace_back(feature);
      added.emplace_back(feature);
    }
  }
  if (added.empty()) return "no features to add: the spec already has those typical of " + std::string(profile.label);
  return "added features typical of " + std::string(profile.label) + ": " + join(added);
}

bool known(const std::optional<double>& value) { return value && *value > 0; }

// Fills each missing (or non-positive) dimension the category has a typical value for, keeping what the
// prompt stated: a stated length or width sets the other by the typical proportion, a stated area gives a
// square footprint, and a building's height follows its stories.
std::string addDimensions(sdk::DesignSpec& spec, const Profile& profile) {
  if (!profile.size) return "no typical dimensions for " + std::string(profile.label) + ": left unset";
  const TypicalSize& typical = *profile.size;
  sdk::Dimensions& d = spec.dimensions;
  std::vector<std::string> estimated;
  auto estimate = [&](std::optional<double>& field, double value, const char* name) {
    if (known(field) || value <= 0) return;
    field = value;
    estimated.emplace_back(name);
  };

  const bool building = spec.design_type == "building";
  if (building && (!spec.stories || *spec.stories < 1)) {
    spec.stories = 1;
    estimated.emplace_back("stories");
  }
  if (typical.length > 0 && typical.width > 0) {
    if (!known(d.length) && !known(d.width) && known(d.area)) {
      estimate(d.length, std::sqrt(*d.area), "length");
      estimate(d.width, std::sqrt(*d.area), "width");
    } else if (known(d.length) && !known(d.width)) {
      estimate(d.width, *d.length * typical.width / typical.length, "width");
    } else if (known(d.width) && !known(d.length)) {
      estimate(d.length, *d.width * typical.length / typical.width, "length");
    }
  }
  estimate(d.length, typical.length, "length");
  estimate(d.width, typical.width, "width");
  estimate(d.height, building ? typical.height * static_cast<double>(*spec.stories) : typical.height, "height");
  estimate(d.depth, typical.depth, "depth");
  estimate(d.weight, typical.weight, "weight");
  if (!known(d.area) && known(d.length) && known(d.width)) estimate(d.area, *d.length * *d.width, "area");
  if (estimated.empty())
    return "no dimensions to add: the spec states all those typical of " + std::string(profile.label);

  std::string& recorded = spec.performance.other_specs[std::string(kEstimatedDimensionsKey)];
  std::vector<std::string> all_estimated;
  for (size_t begin = 0; begin < recorded.size();) {
    size_t end = recorded.find(", ", begin);
    if (end == std::string::npos) end = recorded.size();
    all_estimated.push_back(recorded.substr(begin, end - begin));
    begin = end + 2;
  }
  std::vector<std::string> described;
  for (const auto& name : estimated) {
    if (!contains(all_estimated, name)) all_estimated.push_back(name);
    const std::optional<double>* value = name == "length"   ? &d.length
                                         : name == "width"  ? &d.width
                                         : name == "height" ? &d.height
                                         : name == "depth"  ? &d.depth
                                         : name == "weight" ? &d.weight
                                         : name == "area"   ? &d.area
                                                            : nullptr;
    if (value == nullptr) {
      described.push_back(name + " " + std::to_string(*spec.stories));
    } else {
      const char* unit = name == "weight" ? " kg" : name == "area" ? " m2" : " m";
      described.push_back(name + " " + formatNumber(**value) + unit);
    }
  }
  recorded = join(all_estimated);
  return "estimated dimensions typical of " + std::string(profile.label) + " (marked in performance.other_specs." +
         std::string(kEstimatedDimensionsKey) + "): " + join(described);
}

std::string addMaterials(sdk::DesignSpec& spec, const Profile& profile) {
  if (profile.materials.empty()) return "no typical materials for " + std::string(profile.label) + ": left as they are";
  // The placeholder an agent uses when it knows no material is replaced, not kept beside real ones.
  std::erase_if(spec.materials, [](const sdk::Material& material) {
    const std::string type = lower(material.type);
    return type.empty() || type == "standard";
  });
  std::vector<std::string> added;
  for (const auto type : profile.materials) {
    const bool present = std::any_of(spec.materials.begin(), spec.materials.end(),
                                     [&](const sdk::Material& material) { return lower(material.type) == type; });
    if (present) continue;
    spec.materials.push_back({std::string(type), "standard", "{}"});
    added.emplace_back(type);
  }
  if (added.empty()) return "no materials to add: the spec already has those typical of " + std::string(profile.label);
  return "added materials typical of " + std::string(profile.label) + ": " + join(added);
}

std::string genericCategoryNote(const sdk::DesignSpec& spec) {
  return "kept category '" + spec.category + "': the prompt names no more specific kind of " + spec.design_type;
}

std::vector<std::string> refineRequirements(sdk::DesignSpec& spec, const Profile& profile) {
  std::vector<std::string> changes;
  std::vector<std::string> added;
  for (const auto requirement : profile.requirements) {
    if (!contains(spec.requirements, requirement)) {
      spec.requirements.emplace_back(requirement);
      added.emplace_back(requirement);
    }
  }
  if (isGenericCategory(spec) && spec.design_type == "building") {
    const std::string ask = "Specify the kind of building (residential, commercial, industrial or institutional)";
    if (!contains(spec.requirements, ask)) {
      spec.requirements.push_back(ask);
      added.push_back(ask);
    }
    changes.push_back(genericCategoryNote(spec));
  }
  changes.insert(changes.begin(), added.empty() ? "no requirements to add: the spec already has those typical of " +
                                                      std::string(profile.label)
                                                : "added requirements: " + join(added));
  return changes;
}

}  // namespace

FeedbackNeeds readFindings(const std::vector<sdk::Finding>& findings) {
  namespace action = sdk::finding_action;
  FeedbackNeeds needs;
  for (const auto& finding : findings) {
    // Something to add or to set right is answered with the category's typical values; a value that is
    // there but may be infeasible ("review") is the designer's call, and words this agent does not know
    // are skipped.
    const bool fill = finding.action == action::kAdd || finding.action == action::kCorrect;
    const auto about = [&](std::string_view field) { return sdk::fieldWithin(finding.field, field); };
    if (fill && about("features")) needs.features = true;
    if (fill && (about("dimensions") || about("stories"))) needs.dimensions = true;
    if (fill && about("materials")) needs.materials = true;
    if (finding.action == action::kSpecify && about("category")) needs.generic_category = true;
  }
  return needs;
}

FeedbackNeeds readGaps(const sdk::DesignSpec& spec) {
  FeedbackNeeds needs;
  needs.features = std::none_of(spec.features.begin(), spec.features.end(), [](const std::string& feature) {
    return feature.find_first_not_of(" \t\r\n") != std::string::npos;
  });
  const sdk::Dimensions& d = spec.dimensions;
  const std::optional<double> all[] = {d.length, d.width, d.height, d.depth, d.diameter, d.area, d.volume, d.weight};
  const bool negative =
      std::any_of(std::begin(all), std::end(all), [](const auto& value) { return value && *value < 0; });
  const bool sized = known(d.length) || known(d.width) || known(d.height) || known(d.area);
  const bool storied = spec.design_type != "building" || (spec.stories && *spec.stories >= 1);
  needs.dimensions = negative || !sized || !storied;
  needs.materials = std::none_of(spec.materials.begin(), spec.materials.end(), [](const sdk::Material& material) {
    const std::string type = lower(material.type);
    return !type.empty() && type != "standard";
  });
  needs.generic_category = isGenericCategory(spec);
  return needs;
}

std::vector<sdk::ImprovementAction> improvementActions() {
  return {
      {std::string(kAddFeatures), "add the features typical of the spec's category"},
      {std::string(kAddDimensions), "estimate missing dimensions from the category's typical sizes (SI)"},
      {std::string(kAddMaterials), "add the materials typical of the spec's category"},
      {std::string(kRefineRequirements), "add the requirements (codes, standards) typical of the design type"},
  };
}

sdk::Improvement improveSpec(const sdk::ImproveRequest& request) {
  sdk::Improvement improvement{request.spec, {}};
  sdk::DesignSpec& spec = improvement.spec;
  const Profile& profile = profileFor(spec);
  auto& changes = improvement.changes;

  if (request.action) {
    const std::string_view action = *request.action;
    if (action == kAddFeatures) {
      changes.push_back(addFeatures(spec, profile));
    } else if (action == kAddDimensions) {
      changes.push_back(addDimensions(spec, profile));
    } else if (action == kAddMaterials) {
      changes.push_back(addMaterials(spec, profile));
    } else if (action == kRefineRequirements) {
      const auto refined = refineRequirements(spec, profile);
      changes.insert(changes.end(), refined.begin(), refined.end());
    } else {
      std::string known;
      for (const auto& candidate : improvementActions()) known += (known.empty() ? "" : ", ") + candidate.name;
      throw sdk::InvalidInput("action: unknown improvement action '" + std::string(action) + "' (known: " + known +
                              ")");
    }
    return improvement;
  }

  const auto& findings = request.evaluation.findings;
  const FeedbackNeeds needs = findings ? readFindings(*findings) : readGaps(spec);
  if (needs.features) changes.push_back(addFeatures(spec, profile));
  if (needs.dimensions) changes.push_back(addDimensions(spec, profile));
  if (needs.materials || spec.materials.empty()) changes.push_back(addMaterials(spec, profile));
  if (needs.generic_category) changes.push_back(genericCategoryNote(spec));
  if (changes.empty()) changes.emplace_back("no change: the evaluation asks for nothing this agent can add");
  return improvement;
}

}  // namespace p2j::agent_rules
