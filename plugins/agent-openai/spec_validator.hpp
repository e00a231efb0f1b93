// Checks what a model answered: JSON, the shape of the strict schema it was given, turned back into the
// spec's own shape, then valid against the FULL design-spec schema and readable as the SDK's typed
// DesignSpec. The first problem found is what the repair round tells the model.
#pragma once

#include <p2j/sdk/design_spec.hpp>

#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace valijson {
class Schema;
}

namespace p2j::agent_openai {

struct SpecCheck {
  std::optional<sdk::DesignSpec> spec;  // set when the answer is a valid spec
  std::string error;                    // otherwise: one problem, "<path>: <what is wrong>", for the model
};

class SpecValidator {
 public:
  // The root properties the agent fills in itself rather than asking the model for.
  static constexpr const char* kOwnedProperty = "timestamp";

  explicit SpecValidator(std::string_view design_schema_json);
  ~SpecValidator();
  SpecValidator(const SpecValidator&) = delete;
  SpecValidator& operator=(const SpecValidator&) = delete;

  // The strict-mode schema sent as response_format (compact JSON).
  const std::string& strictSchemaJson() const { return strict_schema_json_; }

  // `content` is the model's message text; `timestamp` goes into the spec (the model is not asked for it).
  SpecCheck check(std::string_view content, const std::string& timestamp) const;

 private:
  rapidjson::Document schema_;
  std::unique_ptr<valijson::Schema> fields_;  // the schema without its root's conditionals
  std::unique_ptr<valijson::Schema> full_;
  std::string strict_schema_json_;
};

}  // namespace p2j::agent_openai
