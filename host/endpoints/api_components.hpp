// The parts of /openapi.json that no single action owns: the operation tags and the shapes several
// actions answer with (the error envelope and the SDK's types), which action schemas name as
// {"$ref": "#/components/schemas/<Name>"}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace p2j::endpoints {

struct ApiTag {
  std::string_view name;
  std::string_view description;
};

// Every tag an action may declare, in the order the docs show them.
const std::vector<ApiTag>& apiTags();

struct ApiComponent {
  std::string name;
  std::string schema;  // JSON Schema text, with references into #/components/schemas only
};

// The shared schemas. The SDK's published schemas (sdk/schemas/*.schema.json) are compiled in and made
// fit to embed: without $schema and $id, their definitions lifted to components of their own
// ("DesignSpec_nullable_string") and their references rewritten to point there.
const std::vector<ApiComponent>& apiComponents();

// The name of the component that holds the error envelope {"error", "message", "status_code", "request_id"}.
inline constexpr std::string_view kErrorComponent = "Error";

}  // namespace p2j::endpoints
