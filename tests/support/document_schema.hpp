// A schema inside a larger JSON document (an OpenAPI document, or the components beside an action's
// schema), so its {"$ref": "#/components/..."} resolve, for tests that check JSON against it.
#pragma once

#include "spec_schema.hpp"

#include <rapidjson/document.h>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <string>
#include <string_view>

namespace p2j::testing {

// A JSON Pointer token: '~' as ~0 and '/' as ~1 (RFC 6901).
inline std::string pointerToken(std::string_view name) {
  std::string token;
  for (const char c : name) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

class DocumentSchema {
 public:
  // `pointer` locates the schema in `document`, e.g.
  // "/paths/~1generate/post/requestBody/content/application~1json/schema". Throws when the schema cannot be parsed
  // (valijson's message).
  DocumentSchema(const rapidjson::Value& document, const std::string& pointer) {
    // The whole document becomes the root schema: a draft 7 $ref ignores its siblings, and references
    // into the document resolve against it.
    root_.CopyFrom(document, root_.GetAllocator());
    root_.RemoveMember("$ref");
    const std::string target = "#" + pointer;
    root_.AddMember("$ref", rapidjson::Value(target.c_str(), root_.GetAllocator()), root_.GetAllocator());
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::RapidJsonAdapter adapter(root_);
    parser.populateSchema(adapter, schema_);
  }

  // What in `value` breaks the schema, one line per violation; empty when it conforms.
  std::string violations(const rapidjson::Value& value) const { return schemaViolations(schema_, value); }

 private:
  rapidjson::Document root_;
  valijson::Schema schema_;
};

}  // namespace p2j::testing
