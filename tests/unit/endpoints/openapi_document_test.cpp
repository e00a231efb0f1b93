// /openapi.json is built from the endpoint table: every configured endpoint, its parameters, body and
// answers, the security it is wired with and its rate limit.
#include "endpoints/openapi_document.hpp"
#include "endpoints/action.hpp"
#include "endpoints/endpoint_table.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

namespace p2j::endpoints {
namespace {

std::optional<std::string> noEnvironment(const std::string&) { return std::nullopt; }

constexpr const char* kPlugins = R"(plugins:
  rules: { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db: { use: storage-sqlite, config: { path: "./p2j.db" } }
  key: { use: auth-apikey }
  jwt: { use: auth-jwt }
storage: db
)";

config::Config parse(const std::string& rest) {
  return config::parseConfig(std::string(kPlugins) + rest, "test.yaml", "/etc/p2j", noEnvironment);
}

SecurityScheme fakeScheme(const std::string& instance) {
  if (instance == "key") return {SecurityScheme::Type::kApiKey, "", "X-API-Key", "API keys"};
  return {SecurityScheme::Type::kHttp, "bearer", "", "Bearer JWTs"};
}

rapidjson::Document build(const config::Config& config) {
  return sdk::parseJson(buildOpenApiDocument(config, fakeScheme));
}

const rapidjson::Value& operation(const rapidjson::Document& document, const char* path, const char* method) {
  const auto& paths = document["paths"];
  EXPECT_TRUE(paths.HasMember(path)) << path;
  EXPECT_TRUE(paths[path].HasMember(method)) << path << " " << method;
  return paths[path][method];
}

std::string text(const rapidjson::Value& value) { return sdk::toJsonText(value); }

constexpr const char* kEndpoints = R"(auth: { default: [key, jwt], users_file: ./users }
rate_limits: { default: 20/minute }
endpoints:
  - { method: POST, path: /token, action: token, issuer: jwt, auth: [key], rate_limit: 10/minute }
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: POST, path: /v2/generate, action: generate, agent: rules, auth: { any: [key, jwt] } }
  - { method: GET, path: "/specs/{id}", action: get_spec }
  - { method: GET, path: /health, action: health }
  - { method: GET, path: /schemas/design-spec.json, action: design_spec_schema, auth: none, rate_limit: none }
  - { method: POST, path: /admin/prune-logs, action: prune_logs }
  - { method: GET, path: /openapi.json, action: openapi }
)";

TEST(OpenApiDocument, DescribesEveryConfiguredEndpoint) {
  const auto document = build(parse(kEndpoints));
  EXPECT_STREQ(document["openapi"].GetString(), "3.1.0");
  EXPECT_GT(document["info"]["version"].GetStringLength(), 0u);
  EXPECT_EQ(document["paths"].MemberCount(), 8u);
  // An operator's /v2/generate is one more operation, with the same body and answers.
  const auto& v2 = operation(document, "/v2/generate", "post");
  EXPECT_STREQ(v2["operationId"].GetString(), "postV2Generate");
  EXPECT_STREQ(v2["x-p2j-action"].GetString(), "generate");
  EXPECT_EQ(text(v2["requestBody"]), text(operation(document, "/generate", "post")["requestBody"]));
  EXPECT_STREQ(
      v2["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["spec"]["$ref"].GetString(),
      "#/components/schemas/DesignSpec");
  EXPECT_TRUE(document["components"]["schemas"].HasMember("DesignSpec"));
  EXPECT_TRUE(document["components"]["schemas"].HasMember("DesignSpec_nullable_string"));
}

TEST(OpenApiDocument, PathParametersComeFromThePathTemplate) {
  const auto document = build(parse(kEndpoints));
  const auto& get_spec = operation(document, "/specs/{id}", "get");
  EXPECT_STREQ(get_spec["operationId"].GetString(), "getSpecsById");
  const auto& parameters = get_spec["parameters"];
  ASSERT_GE(parameters.Size(), 2u);
  EXPECT_STREQ(parameters[0]["name"].GetString(), "id");
  EXPECT_STREQ(parameters[0]["in"].GetString(), "path");
  EXPECT_TRUE(parameters[0]["required"].GetBool());
  EXPECT_STREQ(parameters[1]["$ref"].GetString(), "#/components/parameters/RequestId");
  EXPECT_TRUE(get_spec["responses"].HasMember("404"));
  const auto& prune = operation(document, "/admin/prune-logs", "post");
  EXPECT_STREQ(prune["parameters"][0]["name"].GetString(), "retention_days");
  EXPECT_STREQ(prune["parameters"][0]["in"].GetString(), "query");
}

TEST(OpenApiDocument, SecurityIsWhatEachEndpointIsWiredWith) {
  const auto document = build(parse(kEndpoints));
  // auth.default: both schemes in one requirement (all must pass).
  EXPECT_EQ(text(operation(document, "/generate", "post")["security"]), R"([{"key":[],"jwt":[]}])");
  // auth: [key]
  EXPECT_EQ(text(operation(document, "/token", "post")["security"]), R"([{"key":[]}])");
  // auth: {any: [...]}: one requirement per scheme.
  EXPECT_EQ(text(operation(document, "/v2/generate", "post")["security"]), R"([{"key":[]},{"jwt":[]}])");
  // auth: none, the health probes and the document itself are public.
  EXPECT_EQ(text(operation(document, "/schemas/design-spec.json", "get")["security"]), "[]");
  EXPECT_EQ(text(operation(document, "/health", "get")["security"]), "[]");
  EXPECT_EQ(text(operation(document, "/openapi.json", "get")["security"]), "[]");
  EXPECT_FALSE(operation(document, "/health", "get")["responses"].HasMember("401"));
  // Guarded endpoints can answer 401 with a challenge; /admin/ ones need a role, so 403 too.
  const auto& generate = operation(document, "/generate", "post")["responses"];
  EXPECT_TRUE(generate["401"]["headers"].HasMember("WWW-Authenticate"));
  EXPECT_FALSE(generate.HasMember("403"));
  EXPECT_TRUE(operation(document, "/admin/prune-logs", "post")["responses"].HasMember("403"));
  EXPECT_NE(std::string(operation(document, "/admin/prune-logs", "post")["description"].GetString()).find("`admin`"),
            std::string::npos);

  const auto& schemes = document["components"]["securitySchemes"];
  EXPECT_EQ(text(schemes["key"]), R"({"type":"apiKey","in":"header","name":"X-API-Key","description":"API keys"})");
  EXPECT_EQ(text(schemes["jwt"]), R"({"type":"http","scheme":"bearer","description":"Bearer JWTs"})");
}

TEST(OpenApiDocument, RateLimitedEndpointsDeclareTheirHeadersAnd429) {
  const auto document = build(parse(kEndpoints));
  const auto& generate = operation(document, "/generate", "post");
  EXPECT_STREQ(generate["x-p2j-rate-limit"].GetString(), "20/minute");
  const auto& ok = generate["responses"]["200"]["headers"];
  for (const char* header : {"X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}) {
    EXPECT_TRUE(ok.HasMember(header)) << header;
  }
  EXPECT_TRUE(generate["responses"]["429"]["headers"].HasMember("Retry-After"));
  EXPECT_STREQ(generate["responses"]["429"]["content"]["application/json"]["schema"]["$ref"].GetString(),
               "#/components/schemas/Error");
  EXPECT_STREQ(operation(document, "/token", "post")["x-p2j-rate-limit"].GetString(), "10/minute");
  // rate_limit: none, and the probes, which take no default.
  for (const char* path : {"/schemas/design-spec.json", "/health", "/openapi.json"}) {
    const auto& op = operation(document, path, "get");
    EXPECT_FALSE(op.HasMember("x-p2j-rate-limit")) << path;
    EXPECT_FALSE(op["responses"].HasMember("429")) << path;
    EXPECT_FALSE(op["responses"]["200"]["headers"].HasMember("RateLimit-Limit")) << path;
  }
}

TEST(OpenApiDocument, TheHostsOwnErrorsAreDeclaredWhereTheyCanHappen) {
  const auto document = build(parse(kEndpoints));
  const auto& generate = operation(document, "/generate", "post")["responses"];
  for (const char* status : {"400", "413", "415", "422", "500", "503"})
    EXPECT_TRUE(generate.HasMember(status)) << status;
  // The action's own description of a status it shares with the host is kept.
  EXPECT_NE(std::string(generate["422"]["description"].GetString()).find("prompt_refused"), std::string::npos);
  const auto& health = operation(document, "/health", "get")["responses"];
  EXPECT_FALSE(health.HasMember("415"));
  EXPECT_FALSE(health.HasMember("422"));
  EXPECT_TRUE(health.HasMember("500"));
}

TEST(OpenApiDocument, OnlyTheComponentsAndTagsInUseAreIncluded) {
  const auto document = build(parse(R"(endpoints:
  - { method: GET, path: /livez, action: livez }
)"));
  EXPECT_EQ(document["paths"].MemberCount(), 1u);
  EXPECT_FALSE(document["components"]["schemas"].HasMember("DesignSpec"));
  EXPECT_TRUE(document["components"]["schemas"].HasMember("Error"));
  EXPECT_FALSE(document["components"].HasMember("securitySchemes"));
  ASSERT_EQ(document["tags"].Size(), 1u);
  EXPECT_STREQ(document["tags"][0]["name"].GetString(), "Operations");
}

TEST(OpenApiDocument, EveryActionOfTheCatalogCanBeDocumented) {
  // One endpoint per action, with the settings it needs: a new action is documented, or this fails.
  std::string endpoints = "auth: { users_file: ./users }\nendpoints:\n";
  const std::map<p2j_plugin_kind, std::string> instance_of = {
      {P2J_KIND_AGENT, "rules"}, {P2J_KIND_EVALUATOR, "criteria"}, {P2J_KIND_FEEDBACK, "reviewer"},
      {P2J_KIND_AUTH, "jwt"},    {P2J_KIND_STORAGE, "db"},         {P2J_KIND_CACHE, "answers"}};
  for (const auto& descriptor : actionCatalog()) {
    std::string line =
        "  - { method: " + std::string(descriptor.takes_json_body ? "POST" : "GET") + ", path: \"/" + descriptor.name;
    for (const auto& parameter : descriptor.path_parameters) line += "/{" + parameter + "}";
    line += "\", action: " + descriptor.name;
    for (const auto& setting : descriptor.plugin_settings) {
      // A setting that must differ from another (the fallback agent) names a second instance of its kind.
      line += ", " + setting.key + ": " + instance_of.at(setting.kind) + (setting.unlike.empty() ? "" : "2");
    }
    for (const auto& setting : descriptor.value_settings) {
      if (!setting.default_value) line += ", " + setting.key + ": ./" + setting.key;
    }
    endpoints += line + " }\n";
  }
  const config::Config config = parse(endpoints);
  const auto kind_of = [&](const std::string& name) -> std::optional<p2j_plugin_kind> {
    for (const auto& [kind, instance] : instance_of) {
      if (instance == name) return kind;
    }
    if (name == "key") return P2J_KIND_AUTH;
    if (name == "rules2") return P2J_KIND_AGENT;
    return std::nullopt;
  };
  ASSERT_NO_THROW(validateEndpoints(config, kind_of, true));
  rapidjson::Document document;
  ASSERT_NO_THROW(document = build(config));
  size_t operations = 0;
  for (const auto& path : document["paths"].GetObject()) operations += path.value.MemberCount();
  EXPECT_EQ(operations, actionCatalog().size());
}

TEST(OpenApiDocument, AnIncompleteDeclarationStopsTheBuild) {
  // The same check the unit test above runs, done by the server too: a broken schema is a logic error.
  const config::Config config = parse("endpoints:\n  - { method: GET, path: /livez, action: livez }\n");
  EXPECT_NO_THROW(buildOpenApiDocument(config, fakeScheme));
  config::Config unknown = config;
  unknown.endpoints[0].action = "no_such_action";
  EXPECT_THROW(buildOpenApiDocument(unknown, fakeScheme), std::logic_error);
}

TEST(OperationId, IsCamelCaseFromMethodAndPath) {
  EXPECT_EQ(operationId("GET", "/"), "getRoot");
  EXPECT_EQ(operationId("POST", "/batch-evaluate"), "postBatchEvaluate");
  EXPECT_EQ(operationId("GET", "/iterations/{session_id}"), "getIterationsBySessionId");
  EXPECT_EQ(operationId("GET", "/schemas/design-spec.json"), "getSchemasDesignSpecJson");
}

TEST(SecuritySchemeFromChallenge, ReadsTheSchemeAndItsHeader) {
  const auto bearer = securitySchemeFromChallenge(R"(Bearer realm="p2j")");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->type, SecurityScheme::Type::kHttp);
  EXPECT_EQ(bearer->scheme, "bearer");
  const auto key = securitySchemeFromChallenge(R"(ApiKey realm="p2j", header="X-Custom-Key")");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->type, SecurityScheme::Type::kApiKey);
  EXPECT_EQ(key->header, "X-Custom-Key");
  const auto quoted = securitySchemeFromChallenge(R"(apikey header = "X-\"Odd\"", realm=p2j)");
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->header, R"(X-"Odd")");
  EXPECT_EQ(securitySchemeFromChallenge("Basic")->scheme, "basic");
  EXPECT_FALSE(securitySchemeFromChallenge(""));
  EXPECT_FALSE(securitySchemeFromChallenge("   "));
  EXPECT_FALSE(securitySchemeFromChallenge(R"(ApiKey realm="p2j")"));  // which header?
}

}  // namespace
}  // namespace p2j::endpoints
