// The design spec's published JSON Schema (sdk/schemas/design-spec.schema.json), for tests that check
// what the server answers against it.
#pragma once

#include <rapidjson/document.h>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <string>

namespace p2j::testing {

// What in `value` breaks `schema`, one line per violation; empty when it conforms.
inline std::string schemaViolations(const valijson::Schema& schema, const rapidjson::Value& value) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter adapter(value);
  if (validator.validate(schema, adapter, &results)) return {};
  std::string text;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    for (const auto& part : error.context) text += part;
    text += ": " + error.description + "\n";
  }
  return text;
}

class SpecSchema {
 public:
  explicit SpecSchema(const rapidjson::Value& schema_document) {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::RapidJsonAdapter adapter(schema_document);
    parser.populateSchema(adapter, schema_);
  }

  // What in `spec` breaks the schema, one line per violation; empty when it conforms.
  std::string violations(const rapidjson::Value& spec) const { return schemaViolations(schema_, spec); }

 private:
  valijson::Schema schema_;
};

}  // namespace p2j::testing
