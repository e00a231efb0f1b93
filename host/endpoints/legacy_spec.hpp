// The original service's /evaluate took the legacy building schema and was lenient about it: clients post
// specs like {"building_type": "office", "stories": 5, "materials": ["steel"]}. Those keep working: such a
// spec is read as the universal spec it describes before the typed parse, which still rejects anything
// that is not a spec.
#pragma once

#include <rapidjson/document.h>

namespace p2j::endpoints {

// A copy of `spec` in the universal shape:
// - without "design_type", it is a building (the legacy schema had nothing else); its "category" comes from
//   "building_type" (office → commercial, house → residential, warehouse → industrial, school →
//   institutional, anything else → general) unless the spec has one; "building_type" itself is dropped;
// - a material given as a string ("steel") becomes {"type": "steel"}.
// Anything else is copied unchanged; a spec that is not an object is returned as it is.
rapidjson::Document universalSpec(const rapidjson::Value& spec);

}  // namespace p2j::endpoints
