// GET /specs/{id} -> the stored spec with its prompt.
#include "endpoints/action.hpp"
#include "http/http_error.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::endpoints {
namespace {

// Ids are UUIDs; anything longer or stranger cannot exist, so it is a 404 without a database round trip.
bool isPlausibleId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

class GetSpecAction : public Action {
 public:
  explicit GetSpecAction(const ActionSetup& setup) : storage_(setup.context.storage) {}

  http::Response handle(http::Request& request) const override {
    const std::string& id = request.parameters.at("id");
    const auto record_text = isPlausibleId(id) ? storage_->get("specs", id) : std::nullopt;
    if (!record_text) throw http::notFound("no specification with id '" + id.substr(0, 64) + "'");
    const rapidjson::Document record = sdk::parseJson(*record_text);

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("spec_id");
    sdk::writeString(writer, id);
    for (auto it = record.MemberBegin(); it != record.MemberEnd(); ++it) {
      if (std::string_view(it->name.GetString()) == "id") continue;
      writer.Key(it->name.GetString(), it->name.GetStringLength());
      it->value.Accept(writer);
    }
    writer.EndObject();
    return http::jsonResponse({body.GetString(), body.GetSize()});
  }

 private:
  std::shared_ptr<plugins::StoragePlugin> storage_;
};

// The stored record's members besides its id, which the storage plugin defines (at least these).
constexpr std::string_view kStoredSpec = R"json({
  "type": "object",
  "required": ["success", "spec_id", "prompt", "spec", "created_at"],
  "properties": {
    "success": {"const": true},
    "spec_id": {"type": "string"},
    "prompt": {"type": "string"},
    "agent": {"type": "string", "description": "The agent instance that made it, or client for a spec posted to /evaluate"},
    "spec": {"$ref": "#/components/schemas/DesignSpec"},
    "created_at": {"type": "string", "description": "UTC ISO 8601"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> specActions() {
  return {{
      .name = "get_spec",
      .summary = "Fetch a stored specification and its prompt by id",
      .needs_storage = true,
      .path_parameters = {"id"},
      .api = {.tag = "Design", .responses = {{200, "The stored spec", kStoredSpec}, {404, "No spec with this id"}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<GetSpecAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
