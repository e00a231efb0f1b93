// GET /schemas/design-spec.json: the JSON Schema every spec this server returns conforms to.
#include "endpoints/action.hpp"

namespace p2j::endpoints {
namespace {

constexpr std::string_view kDesignSpecSchema =
#include "design_spec_schema.inc"
    ;

class DesignSpecSchemaAction : public Action {
 public:
  http::Response handle(http::Request& /*request*/) const override {
    http::Response response = http::jsonResponse(std::string(kDesignSpecSchema));
    response.content_type = "application/schema+json";
    response.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return response;
  }
};

constexpr std::string_view kSchemaDocument =
    R"json({"type": "object", "required": ["$schema", "properties"], "description": "A JSON Schema (draft 7)",
            "properties": {"$schema": {"type": "string"}, "properties": {"type": "object"}}})json";

}  // namespace

std::vector<ActionDescriptor> schemaActions() {
  return {{
      .name = "design_spec_schema",
      .summary = "The JSON Schema of the design specification",
      .api = {.tag = "Design", .responses = {{200, "The schema", kSchemaDocument, "application/schema+json"}}},
      .make = [](const ActionSetup&) { return std::make_unique<DesignSpecSchemaAction>(); },
  }};
}

}  // namespace p2j::endpoints
