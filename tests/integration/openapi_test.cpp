// /openapi.json from the real binary: every endpoint the YAML wires (an operator's /v2/generate too, no
// rebuild), the security each one is wired with, and answers that match what the document declares —
// checked here for every endpoint, in both the release and the sanitizer build. Also the documentation
// pages and their files.
#include "document_schema.hpp"
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <Poco/InflatingStream.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace p2j::testing {
namespace {

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path sourcePath(const std::string& relative) { return std::filesystem::path(kSourceDir) / relative; }

// The configs' plugin_dirs would be resolved against the temp dir: the tests find plugins in the build.
std::string withPluginDir(const std::string& yaml) {
  return "plugin_dirs: [\"" + std::string(kPluginDir) + "\"]\n" + yaml;
}

const std::map<std::string, std::string> kCredentials = {{"P2J_API_KEY", "test-key-0123456789abcdef"},
                                                         {"P2J_JWT_SECRET", "test-secret-0123456789abcdef0123456789"},
                                                         {"P2J_ADMIN_USER", "admin"},
                                                         {"P2J_ADMIN_PASSWORD", "test-password-123"}};

// (method, path template) of every endpoint line in a config file.
std::set<std::pair<std::string, std::string>> configuredEndpoints(const std::string& yaml) {
  std::set<std::pair<std::string, std::string>> endpoints;
  const std::regex line(R"re(-\s*\{\s*method:\s*(\w+),\s*path:\s*"?([^",]+)"?,)re");
  for (auto it = std::sregex_iterator(yaml.begin(), yaml.end(), line); it != std::sregex_iterator(); ++it) {
    endpoints.emplace((*it)[1].str(), (*it)[2].str());
  }
  return endpoints;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

class ApiClient {
 public:
  explicit ApiClient(ServerProcess& server) : server_(server) {
    const HttpResult document = server.request("GET", "/openapi.json");
    EXPECT_EQ(document.status, 200) << document.body;
    document_ = sdk::parseJson(document.body);
  }

  void authenticate() {
    headers_ = {{"X-API-Key", kCredentials.at("P2J_API_KEY")}};
    const HttpResult token =
        server_.request("POST", "/token", R"({"username": "admin", "password": "test-password-123"})", headers_);
    ASSERT_EQ(token.status, 200) << token.body;
    headers_.emplace_back("Authorization",
                          "Bearer " + std::string(sdk::parseJson(token.body)["access_token"].GetString()));
  }

  // Sends the request and checks the answer against the operation of (method, route): its status is one
  // the document declares, and its JSON body matches that status's schema. Returns the parsed body.
  rapidjson::Document call(const std::string& method, const std::string& route, const std::string& path,
                           const std::string& body = "", int expected_status = 0,
                           const std::string& content_type = "application/json") {
    const HttpResult answer = server_.request(method, path, body, headers_, content_type);
    ++calls_;
    const std::string where =
        method + " " + path + " -> " + std::to_string(answer.status) + ": " + answer.body.substr(0, 400);
    if (expected_status != 0) {
      EXPECT_EQ(answer.status, expected_status) << where;
    }
    const auto& paths = document_["paths"];
    const bool documented = paths.HasMember(route.c_str()) && paths[route.c_str()].HasMember(lower(method).c_str());
    EXPECT_TRUE(documented) << method << " " << route;
    if (!documented) return {};
    const auto& operation = paths[route.c_str()][lower(method).c_str()];
    const std::string status = std::to_string(answer.status);
    EXPECT_TRUE(operation["responses"].HasMember(status.c_str())) << "undeclared status: " << where;
    if (!operation["responses"].HasMember(status.c_str())) return {};
    const auto& declared = operation["responses"][status.c_str()];
    EXPECT_FALSE(answer.header("X-Request-ID").empty()) << where;
    if (!declared.HasMember("content") || !declared["content"].HasMember("application/json")) return {};
    EXPECT_EQ(answer.header("Content-Type").substr(0, 16), "application/json") << where;
    rapidjson::Document parsed = sdk::parseJson(answer.body);
    const std::string pointer = "/paths/" + pointerToken(route) + "/" + lower(method) + "/responses/" + status +
                                "/content/application~1json/schema";
    const DocumentSchema schema(document_, pointer);
    EXPECT_EQ(schema.violations(parsed), "") << where;
    ++checked_;
    return parsed;
  }

  const rapidjson::Document& document() const { return document_; }
  int calls() const { return calls_; }
  int checked() const { return checked_; }

 private:
  ServerProcess& server_;
  rapidjson::Document document_;
  Headers headers_;
  int calls_ = 0;
  int checked_ = 0;
};

TEST(OpenApi, TheDefaultConfigIsDocumentedWithTheSecurityItIsWiredWith) {
  const std::string yaml = readText(sourcePath("config/p2j.yaml"));
  ServerProcess server(withPluginDir(yaml));
  server.start();
  // Public: no credentials, though every other endpoint needs two.
  const HttpResult answer = server.request("GET", "/openapi.json");
  ASSERT_EQ(answer.status, 200) << answer.body << server.stderrText();
  EXPECT_EQ(answer.header("Content-Type"), "application/json");
  EXPECT_TRUE(answer.header("RateLimit-Limit").empty());
  const rapidjson::Document document = sdk::parseJson(answer.body);
  EXPECT_STREQ(document["openapi"].GetString(), "3.1.0");

  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& path : document["paths"].GetObject()) {
    for (const auto& operation : path.value.GetObject()) {
      std::string method = operation.name.GetString();
      std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
      documented.emplace(method, path.name.GetString());
    }
  }
  EXPECT_EQ(documented, configuredEndpoints(yaml));

  // The schemes as the auth plugins present themselves (their challenge), not as the host guesses.
  const auto& schemes = document["components"]["securitySchemes"];
  EXPECT_STREQ(schemes["key"]["type"].GetString(), "apiKey");
  EXPECT_STREQ(schemes["key"]["in"].GetString(), "header");
  EXPECT_STREQ(schemes["key"]["name"].GetString(), "X-API-Key");
  EXPECT_STREQ(schemes["jwt"]["type"].GetString(), "http");
  EXPECT_STREQ(schemes["jwt"]["scheme"].GetString(), "bearer");
  EXPECT_NE(std::string(schemes["jwt"]["description"].GetString()).find("POST /token"), std::string::npos);
  const auto& paths = document["paths"];
  EXPECT_EQ(sdk::toJsonText(paths["/generate"]["post"]["security"]), R"([{"key":[],"jwt":[]}])");
  EXPECT_EQ(sdk::toJsonText(paths["/token"]["post"]["security"]), R"([{"key":[]}])");
  EXPECT_EQ(sdk::toJsonText(paths["/health"]["get"]["security"]), "[]");
  EXPECT_EQ(sdk::toJsonText(paths["/docs"]["get"]["security"]), "[]");
  EXPECT_EQ(sdk::toJsonText(paths["/schemas/design-spec.json"]["get"]["security"]), "[]");
  EXPECT_STREQ(paths["/token"]["post"]["x-p2j-rate-limit"].GetString(), "10/minute");
  EXPECT_STREQ(paths["/generate"]["post"]["x-p2j-rate-limit"].GetString(), "20/minute");
  EXPECT_TRUE(paths["/admin/prune-logs"]["post"]["responses"].HasMember("403"));

  // Unchanged between requests, so clients can revalidate.
  const std::string etag = answer.header("ETag");
  EXPECT_EQ(server.request("GET", "/openapi.json", "", {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(server.stop(), 0);
}

TEST(OpenApi, AnEndpointAddedInYamlIsDocumentedWithoutARebuild) {
  const std::string yaml =
      std::regex_replace(readText(sourcePath("tests/data/open.yaml")), std::regex("endpoints:\n"),
                         "endpoints:\n  - { method: GET, path: /openapi.json, action: openapi }\n"
                         "  - { method: POST, path: /v2/generate, action: generate, agent: v2 }\n");
  ServerProcess server(
      withPluginDir(std::regex_replace(yaml, std::regex("plugins:\n"), "plugins:\n  v2: { use: agent-rules }\n")));
  server.start();
  ApiClient client(server);
  const auto& operation = client.document()["paths"]["/v2/generate"]["post"];
  EXPECT_STREQ(operation["x-p2j-action"].GetString(), "generate");
  EXPECT_STREQ(operation["operationId"].GetString(), "postV2Generate");
  const auto answer =
      client.call("POST", "/v2/generate", "/v2/generate", R"({"prompt": "Design a 2-story house"})", 200);
  EXPECT_TRUE(answer.IsObject() && answer.HasMember("spec_id"));
  EXPECT_EQ(server.stop(), 0);
}

TEST(OpenApi, EveryAnswerMatchesWhatTheDocumentDeclares) {
  ServerProcess server(withPluginDir(readText(sourcePath("tests/data/api.yaml"))), kCredentials);
  server.start();
  ApiClient client(server);

  // Without credentials: 401 as declared, with the envelope.
  client.call("POST", "/generate", "/generate", R"({"prompt": "Design a house"})", 401);
  client.authenticate();

  // Every operation with its documented example (or no body), ids carried from one answer to the next.
  const auto generated = client.call("POST", "/generate", "/generate", R"({"prompt": "Design a 3-story house"})", 200);
  ASSERT_TRUE(generated.IsObject() && generated.HasMember("spec_id"));
  const std::string spec_id = generated["spec_id"].GetString();
  const auto& paths = client.document()["paths"];
  std::string report_id;
  std::string session_id;
  for (const auto& path : paths.GetObject()) {
    for (const auto& operation : path.value.GetObject()) {
      const std::string route = path.name.GetString();
      std::string method = operation.name.GetString();
      std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
      // These need a refresh token or ids from earlier answers: below.
      if (route == "/token/refresh" || route == "/reports/{id}" || route == "/iterations/{session_id}") continue;
      std::string body;
      if (operation.value.HasMember("requestBody")) {
        const auto& media = operation.value["requestBody"]["content"]["application/json"];
        ASSERT_TRUE(media.HasMember("example")) << method << " " << route << " documents no example";
        body = sdk::toJsonText(media["example"]);
      }
      if (route == "/feedback") body = R"({"spec_id": ")" + spec_id + R"(", "rating": 4, "comment": "ok"})";
      std::string concrete = std::regex_replace(route, std::regex(R"(\{id\})"), spec_id);
      if (route == "/docs/assets/{file}") concrete = "/docs/assets/swagger-ui.css";
      const auto answer = client.call(method, route, concrete, body);
      if (route == "/evaluate" && answer.IsObject() && answer.HasMember("report_id")) {
        report_id = answer["report_id"].GetString();
      }
      if (route == "/iterate" && answer.IsObject() && answer.HasMember("session_id")) {
        session_id = answer["session_id"].GetString();
      }
    }
  }
  ASSERT_FALSE(report_id.empty());
  ASSERT_FALSE(session_id.empty());
  client.call("GET", "/reports/{id}", "/reports/" + report_id, "", 200);
  client.call("GET", "/iterations/{session_id}", "/iterations/" + session_id, "", 200);

  // The errors each kind of endpoint declares.
  client.call("GET", "/specs/{id}", "/specs/00000000-0000-0000-0000-000000000000", "", 404);
  client.call("GET", "/reports/{id}", "/reports/nope", "", 404);
  client.call("GET", "/iterations/{session_id}", "/iterations/nope", "", 404);
  client.call("POST", "/generate", "/generate", R"({"prompt": 5})", 422);
  client.call("POST", "/generate", "/generate", R"({"prompt": "hello there"})", 422);
  client.call("POST", "/generate", "/generate", R"({"prompt": )", 400);
  client.call("POST", "/generate", "/generate", "prompt=house", 415, "application/x-www-form-urlencoded");
  client.call("POST", "/evaluate", "/evaluate", R"({"prompt": "a house", "spec": {"design_type": 3}})", 422);
  client.call("POST", "/batch-evaluate", "/batch-evaluate", R"(["a", "b", "c", "d", "e", "f"])", 413);
  client.call("POST", "/batch-evaluate", "/batch-evaluate", R"(["Design a house", 7, "hello"])", 200);
  client.call("POST", "/iterate", "/iterate", R"({"prompt": "Design a house", "n_iter": 99})", 422);
  client.call("POST", "/feedback", "/feedback", R"({"spec_id": "nope", "rating": 3})", 404);
  client.call("POST", "/log-values", "/log-values", R"({"date": "x"})", 422);
  client.call("POST", "/admin/prune-logs", "/admin/prune-logs?retention_days=0", "", 422);
  client.call("POST", "/token", "/token", R"({"username": "admin", "password": "wrong"})", 401);
  client.call("POST", "/token/refresh", "/token/refresh", R"({"refresh_token": "not-a-token"})", 401);
  client.call("GET", "/docs/assets/{file}", "/docs/assets/nothing-here.js", "", 404);
  EXPECT_GE(client.checked(), 40);
  EXPECT_EQ(server.stop(), 0);
}

TEST(OpenApi, TheDocumentationPagesAndTheirFiles) {
  ServerProcess server(withPluginDir(readText(sourcePath("tests/data/api.yaml"))), kCredentials);
  server.start();
  const HttpResult docs = server.request("GET", "/docs");
  ASSERT_EQ(docs.status, 200) << docs.body;
  EXPECT_EQ(docs.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(docs.body.find("src=\"docs/assets/swagger-ui-bundle.js\""), std::string::npos) << docs.body;
  EXPECT_NE(docs.body.find("url: \"openapi.json\""), std::string::npos) << docs.body;
  const std::string csp = docs.header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self' 'sha256-"), std::string::npos) << csp;
  const HttpResult redoc = server.request("GET", "/redoc");
  ASSERT_EQ(redoc.status, 200) << redoc.body;
  EXPECT_NE(redoc.body.find("<redoc spec-url=\"openapi.json\">"), std::string::npos) << redoc.body;

  const HttpResult bundle = server.request("GET", "/docs/assets/swagger-ui-bundle.js");
  ASSERT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(bundle.header("Cache-Control"), "public, max-age=3600");
  EXPECT_GT(bundle.body.size(), 100000u);
  const HttpResult zipped =
      server.request("GET", "/docs/assets/swagger-ui-bundle.js", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(zipped.header("Content-Encoding"), "gzip");
  EXPECT_LT(zipped.body.size(), bundle.body.size() / 2);
  std::istringstream compressed(zipped.body);
  Poco::InflatingInputStream inflate(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::ostringstream inflated;
  inflated << inflate.rdbuf();
  EXPECT_EQ(inflated.str(), bundle.body);
  EXPECT_EQ(
      server.request("GET", "/docs/assets/swagger-ui-bundle.js", "", {{"If-None-Match", bundle.header("ETag")}}).status,
      304);
  EXPECT_EQ(server.request("HEAD", "/docs/assets/redoc.standalone.js").status, 200);
  EXPECT_EQ(server.request("GET", "/docs/assets/redoc-LICENSE.txt").header("Content-Type"),
            "text/plain; charset=utf-8");

  // Nothing outside the loaded files, however the name is spelled.
  for (const std::string path : {"/docs/assets/..%2fp2j.yaml", "/docs/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                 "/docs/assets/.%2e", "/docs/assets/..", "/docs/assets/%2fetc%2fpasswd",
                                 "/docs/assets/swagger-ui.css%00.png", "/docs/assets/swagger-ui.css/"}) {
    const HttpResult refused = server.request("GET", path);
    EXPECT_EQ(refused.status, 404) << path << ": " << refused.body.substr(0, 200);
  }
  EXPECT_EQ(server.stop(), 0);
}

TEST(OpenApi, AnAssetDirectoryThatIsNotThereStopsStartUp) {
  const std::string yaml =
      std::regex_replace(readText(sourcePath("tests/data/api.yaml")), std::regex(R"(action: web_assets \})"),
                         "action: web_assets, directory: ./no-such-dir }");
  ServerProcess server(withPluginDir(yaml), kCredentials);
  server.launch();
  EXPECT_EQ(server.waitForExit(std::chrono::seconds(20)), 2);
  const std::string err = server.stderrText();
  EXPECT_NE(err.find("directory: "), std::string::npos) << err;
  EXPECT_NE(err.find("no-such-dir"), std::string::npos) << err;
}

TEST(OpenApi, PagesWhoseFilesAreNotInstalledAnswer404SayingSo) {
  // A p2j without share/p2j/web beside it: built with P2J_WEB_ASSETS=OFF.
  TempDir install;
  std::filesystem::create_directories(install.path() / "bin");
  std::filesystem::copy_file(kP2jBinary, install.path() / "bin" / "p2j");
  std::filesystem::permissions(install.path() / "bin" / "p2j", std::filesystem::perms::owner_all);
  ServerProcess server(withPluginDir(readText(sourcePath("tests/data/api.yaml"))), kCredentials);
  server.setBinary(install.path() / "bin" / "p2j");
  server.start();
  const HttpResult docs = server.request("GET", "/docs");
  EXPECT_EQ(docs.status, 404);
  EXPECT_NE(docs.body.find("Swagger UI is not installed on this server"), std::string::npos) << docs.body;
  EXPECT_EQ(server.request("GET", "/redoc").status, 404);
  EXPECT_EQ(server.request("GET", "/openapi.json").status, 200);
  EXPECT_NE(server.stderrText().find("not installed"), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace p2j::testing
