// Every action declares the body it reads and the answers it gives (ApiDescription), next to its code:
// an action added without them, or with a schema that is not JSON, names an unknown component, or does not
// accept its own example, fails here, and a server wired to it would not start with /openapi.json.
#include "document_schema.hpp"
#include "endpoints/action.hpp"
#include "endpoints/api_components.hpp"
#include "endpoints/openapi_document.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace p2j::endpoints {
namespace {

// The shared components beside `schema` under /subject, so its references resolve.
rapidjson::Document withComponents(std::string_view schema) {
  rapidjson::Document root(rapidjson::kObjectType);
  auto& allocator = root.GetAllocator();
  rapidjson::Value schemas(rapidjson::kObjectType);
  for (const auto& component : apiComponents()) {
    const rapidjson::Document parsed = sdk::parseJson(component.schema);
    schemas.AddMember(rapidjson::Value(component.name.c_str(), allocator), rapidjson::Value(parsed, allocator),
                      allocator);
  }
  rapidjson::Value components(rapidjson::kObjectType);
  components.AddMember("schemas", schemas, allocator);
  root.AddMember("components", components, allocator);
  const rapidjson::Document subject = sdk::parseJson(schema);
  root.AddMember("subject", rapidjson::Value(subject, allocator), allocator);
  return root;
}

void collectReferences(const rapidjson::Value& value, std::set<std::string>& references) {
  if (value.IsArray()) {
    for (const auto& item : value.GetArray()) collectReferences(item, references);
  } else if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      if (std::string_view(it->name.GetString()) == "$ref") {
        references.insert(it->value.GetString());
      } else {
        collectReferences(it->value, references);
      }
    }
  }
}

// A declared schema: an object, references to known components only, and valid for valijson.
void expectUsableSchema(std::string_view schema, const std::string& what) {
  SCOPED_TRACE(what);
  rapidjson::Document parsed;
  ASSERT_NO_THROW(parsed = sdk::parseJson(schema)) << schema;
  ASSERT_TRUE(parsed.IsObject());
  std::set<std::string> references;
  collectReferences(parsed, references);
  for (const auto& reference : references) {
    const bool known = std::any_of(apiComponents().begin(), apiComponents().end(), [&](const ApiComponent& c) {
      return reference == "#/components/schemas/" + c.name;
    });
    EXPECT_TRUE(known) << "unknown component " << reference;
  }
  const rapidjson::Document root = withComponents(schema);
  EXPECT_NO_THROW(testing::DocumentSchema(root, "/subject"));
}

TEST(ApiDeclarations, EveryActionDeclaresItsBodyAndAnswers) {
  std::vector<std::string> undeclared;
  for (const auto& descriptor : actionCatalog()) {
    SCOPED_TRACE("action " + descriptor.name);
    const ApiDescription& api = descriptor.api;
    if (api.responses.empty()) {
      undeclared.push_back(descriptor.name);
      continue;
    }
    EXPECT_TRUE(std::any_of(apiTags().begin(), apiTags().end(), [&](const ApiTag& tag) { return tag.name == api.tag; }))
        << "tag '" << api.tag << "' is not one of apiTags()";
    EXPECT_TRUE(std::any_of(api.responses.begin(), api.responses.end(), [](const ApiResponse& r) {
      return r.status >= 200 && r.status < 300;
    })) << "no 2xx answer";
    EXPECT_EQ(descriptor.takes_json_body, !api.request_schema.empty()) << "a JSON body needs a schema, and only it";
    EXPECT_FALSE(descriptor.summary.empty());
    std::set<int> statuses;
    for (const auto& response : api.responses) {
      EXPECT_TRUE(statuses.insert(response.status).second) << "status " << response.status << " twice";
      EXPECT_GE(response.status, 200);
      EXPECT_LE(response.status, 599);
      EXPECT_FALSE(response.description.empty()) << response.status;
      if (!response.schema.empty()) expectUsableSchema(response.schema, "answer " + std::to_string(response.status));
      if (response.status >= 200 && response.status < 300 && response.status != 204) {
        EXPECT_FALSE(response.schema.empty()) << "a successful answer with a body declares its schema";
      }
    }
    for (const auto& query : api.query) expectUsableSchema(query.schema, "query " + std::string(query.name));
    if (!api.request_schema.empty()) {
      expectUsableSchema(api.request_schema, "request");
      if (!api.request_example.empty()) {
        const rapidjson::Document root = withComponents(api.request_schema);
        const testing::DocumentSchema request(root, "/subject");
        EXPECT_EQ(request.violations(sdk::parseJson(api.request_example)), "") << "the example breaks the schema";
      }
    }
  }
  std::string names;
  for (const auto& name : undeclared) names += " " + name;
  EXPECT_TRUE(undeclared.empty()) << "actions without ApiDescription answers:" << names;
}

TEST(ApiDeclarations, TheSchemaChecksCanFail) {
  // The checks above must be able to say no: an example that breaks its schema is found.
  const rapidjson::Document root = withComponents(R"({"type": "object", "required": ["prompt"]})");
  const testing::DocumentSchema schema(root, "/subject");
  EXPECT_NE(schema.violations(sdk::parseJson(R"({"text": "no prompt"})")), "");
  EXPECT_EQ(schema.violations(sdk::parseJson(R"({"prompt": "a house"})")), "");
}

TEST(ApiComponents, PublishedSchemasAreEmbeddedWithTheirDefinitionsLifted) {
  std::map<std::string, rapidjson::Document> components;
  for (const auto& component : apiComponents()) components[component.name] = sdk::parseJson(component.schema);
  ASSERT_TRUE(components.contains("DesignSpec"));
  ASSERT_TRUE(components.contains("Evaluation"));
  ASSERT_TRUE(components.contains("FeedbackReport"));
  ASSERT_TRUE(components.contains(std::string(kErrorComponent)));
  const auto& spec = components.at("DesignSpec");
  EXPECT_FALSE(spec.HasMember("$schema"));
  EXPECT_FALSE(spec.HasMember("$id"));
  EXPECT_FALSE(spec.HasMember("definitions"));
  EXPECT_TRUE(components.contains("DesignSpec_nullable_string"));
  EXPECT_STREQ(spec["properties"]["estimated_cost"]["$ref"].GetString(),
               "#/components/schemas/DesignSpec_nullable_string");
  for (const auto& component : apiComponents()) expectUsableSchema(component.schema, "component " + component.name);
}

}  // namespace
}  // namespace p2j::endpoints
