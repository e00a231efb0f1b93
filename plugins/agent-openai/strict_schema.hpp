// The design-spec schema in the form OpenAI's strict structured outputs accept, and the way back.
//
// Strict mode takes a subset of JSON Schema: every object lists all its properties as required and sets
// additionalProperties to false, and length, range, count, uniqueness and pattern keywords, conditionals
// (allOf/if/then/else) and free-form objects are not allowed. strictSchema() derives that subset from the
// full schema, mechanically, so the two never drift apart:
//   - "$ref"s are inlined, "const" becomes a one-value "enum", an "enum" without "type" gets one;
//   - every object with "properties" gets all of them required (those that were optional become nullable)
//     and "additionalProperties": false;
//   - a free-form object (no "properties": Material.properties, Performance.other_specs) becomes a list of
//     {"name", "value"} pairs, with string values unless the schema says what its values are;
//   - dropped keywords that constrain a value (minimum, minLength, minItems, uniqueItems, pattern, ...)
//     are restated in the property's description, so the model still reads them;
//   - conditionals are dropped (the spec's own descriptions say the same in words);
//   - the root properties the agent fills in itself (the timestamp) are left out.
// The model's answer is then turned back (restoreOpenObjects) and validated against the FULL schema, which
// catches whatever the subset could not express.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace p2j::agent_openai {

rapidjson::Document strictSchema(const rapidjson::Value& schema, const std::vector<std::string>& omitted_properties);

// Turns the pair lists of an answer shaped by strictSchema(schema) back into the objects `schema` wants.
// Anything that does not have the expected shape is left alone for validation to report.
void restoreOpenObjects(rapidjson::Value& answer, const rapidjson::Value& schema,
                        rapidjson::Document::AllocatorType& allocator);

}  // namespace p2j::agent_openai
