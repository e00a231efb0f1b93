// Every /generate answer on the public corpus conforms to the JSON Schema the server publishes.
#include "server_process.hpp"
#include "spec_schema.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace p2j::testing {
namespace {

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path corpusFile() { return std::filesystem::path(kSourceDir) / "tests" / "corpus" / "prompts.jsonl"; }

TEST(DesignSpecSchema, ServedAndEveryCorpusAnswerConforms) {
  ServerProcess server(readText(std::filesystem::path(kSourceDir) / "tests" / "data" / "open.yaml"));
  server.start();
  const auto served = server.request("GET", "/schemas/design-spec.json");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.header("Content-Type"), "application/schema+json");
  EXPECT_EQ(served.body, readText(std::filesystem::path(kSourceDir) / "sdk" / "schemas" / "design-spec.schema.json"));

  const SpecSchema schema(sdk::parseJson(served.body));

  std::ifstream corpus(corpusFile());
  ASSERT_TRUE(corpus) << "the public corpus is expected at " << corpusFile();
  std::string line;
  int validated = 0;
  while (std::getline(corpus, line)) {
    if (line.empty()) continue;
    const rapidjson::Document row = sdk::parseJson(line);
    const std::string prompt = row["prompt"].GetString();
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("prompt");
    sdk::writeString(writer, prompt);
    writer.EndObject();
    const auto answer = server.request("POST", "/generate", body.GetString());
    if (answer.status == 422) continue;  // refused prompts have no spec
    ASSERT_EQ(answer.status, 200) << prompt << ": " << answer.body;
    const rapidjson::Document document = sdk::parseJson(answer.body);
    EXPECT_EQ(schema.violations(document["spec"]), "") << prompt;
    ++validated;
  }
  EXPECT_GE(validated, 100);

  // The schema can fail: a spec missing its stories, or with a wrong unit, is rejected.
  rapidjson::Document broken = sdk::parseJson(sdk::toJsonText(
      sdk::parseJson(server.request("POST", "/generate", R"({"prompt": "Design a 3-story house"})").body)["spec"]));
  broken["dimensions"]["units"].SetString("imperial");
  EXPECT_NE(schema.violations(broken), "");
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace p2j::testing
