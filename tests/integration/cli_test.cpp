// The p2j command line as an operator uses it: the real binary, real files, exit codes and messages.
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/abi.h>
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
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

ProcessResult p2j(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv{kP2jBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProcess(argv, env);
}

std::string defaultConfig() { return readText(std::filesystem::path(kSourceDir) / "config" / "p2j.yaml"); }

void expectContains(const std::string& text, const std::string& fragment) {
  EXPECT_NE(text.find(fragment), std::string::npos) << "\"" << text << "\" lacks \"" << fragment << "\"";
}

// Writes `yaml` to a file, runs check-config on it and expects exit 2 with "<file>:<line>:" and `fragment`.
void expectConfigError(const std::string& yaml, int line, const std::string& fragment) {
  TempDir dir;
  const auto file = dir.write("p2j.yaml", yaml);
  const auto result =
      p2j({"check-config", "--plugin-dir", kBrokenPluginDir, file.string()}, {{"P2J_DATA_DIR", dir.path() / "data"}});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  expectContains(result.err, file.string() + ":" + std::to_string(line) + ":");
  expectContains(result.err, fragment);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data")) << "check-config must not create anything";
}

constexpr const char* kPlugins = R"(
plugins:
  rules: { use: agent-rules }
  db: { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
)";

TEST(Cli, VersionAndHelp) {
  const auto version = p2j({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  expectContains(version.out, "p2j ");
  expectContains(version.out, "plugin ABI 1.");
  const auto help = p2j({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  expectContains(help.out, "check-config");
}

TEST(Cli, UnknownCommandOrOptionIsUsageError) {
  EXPECT_EQ(p2j({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(p2j({"serve", "--colour"}).exit_code, 2);
  EXPECT_EQ(p2j({}).exit_code, 2);
}

TEST(Cli, CheckConfigAcceptsTheDefaultConfig) {
  TempDir dir;
  const auto result = p2j({"check-config", (std::filesystem::path(kSourceDir) / "config" / "p2j.yaml").string()},
                          {{"P2J_DATA_DIR", dir.path() / "data"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  expectContains(result.out, "OK (7 plugin instances, 30 endpoints)");
}

TEST(Cli, CheckConfigErrors) {
  expectConfigError(std::string(kPlugins) + "endpoints: []\nlisten: 8000\n", 7, "unknown key 'listen'");
  expectConfigError("server:\n  threads: lots\nendpoints: []\n", 2, "server.threads must be an integer");
  expectConfigError("plugins:\n  rules: { use: agent-rulez }\nendpoints: []\n", 2, "plugin 'agent-rulez' not found");
  expectConfigError(
      std::string(kPlugins) + "endpoints:\n  - { method: POST, path: /generate, action: generate, agent: rulez }\n", 7,
      "agent: no plugin instance named 'rulez'");
  expectConfigError(
      std::string(kPlugins) + "endpoints:\n  - { method: POST, path: /generate, action: generate, agent: db }\n", 7,
      "'db' is a storage plugin, but 'agent' needs an agent plugin");
  expectConfigError(
      std::string(kPlugins) + "endpoints:\n  - { method: POST, path: /generate, action: genrate, agent: rules }\n", 7,
      "unknown action 'genrate'");
  expectConfigError(std::string(kPlugins) + "endpoints:\n  - { method: POST, path: /g, action: generate }\n", 7,
                    "needs 'agent:'");
  expectConfigError(
      std::string(kPlugins) + "endpoints:\n  - { method: GET, path: /health, action: health, agent: rules }\n", 7,
      "unknown key 'agent' for action 'health'");
  expectConfigError(
      std::string(kPlugins) +
          "endpoints:\n  - { method: GET, path: /h, action: health }\n  - { method: GET, path: /h, action: livez }\n",
      8, "duplicate route GET /h");
  expectConfigError(std::string(kPlugins) + "endpoints:\n  - { method: GET, path: /specs, action: get_spec }\n", 7,
                    "needs a {id} parameter");
  expectConfigError(
      "plugins:\n  db:\n    use: storage-sqlite\n    config:\n      path: x.db\n      read_connections: 0\nendpoints: "
      "[]\n",
      6, "plugins.db.config.read_connections");
  expectConfigError(
      "plugins:\n  db:\n    use: storage-sqlite\n    config:\n      path: x.db\n      checkpoint_pages: -1\nendpoints: "
      "[]\n",
      6, "plugins.db.config.checkpoint_pages");
  expectConfigError("plugins:\n  db: { use: storage-sqlite, config: { pth: x.db } }\nendpoints: []\n", 2,
                    "plugins.db.config");
  expectConfigError("plugins:\n  rules: { use: agent-rules }\nstorage: rules\nendpoints: []\n", 3,
                    "'rules' is an agent plugin, not a storage plugin");
  expectConfigError("plugins:\n  old: { use: broken-abi-major }\nendpoints: []\n", 2, "broken-abi-major.so");
  expectConfigError("endpoints: [\n", 2, "invalid YAML");
}

TEST(Cli, CheckConfigOnAMissingFile) {
  const auto result = p2j({"check-config", "/nonexistent/p2j.yaml"});
  EXPECT_EQ(result.exit_code, 2);
  expectContains(result.err, "/nonexistent/p2j.yaml: cannot read the configuration file");
}

TEST(Cli, PluginsListsNameKindVersionAbiAndPath) {
  const auto result = p2j({"plugins"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  expectContains(result.out, "agent-rules");
  const std::string abi = std::to_string(P2J_ABI_MAJOR) + "." + std::to_string(P2J_ABI_MINOR);
  expectContains(result.out, "storage-sqlite            storage    1.0.0     " + abi + "   ");
  expectContains(result.out, "feedback-heuristic        feedback   1.0.0     " + abi + "   ");
  expectContains(result.out, std::string(kPluginDir) + "/storage-sqlite.so");
}

TEST(Cli, PluginsReportsBrokenOnes) {
  const auto result = p2j({"plugins", "--plugin-dir", kBrokenPluginDir});
  EXPECT_EQ(result.exit_code, 1);
  expectContains(result.out, "good-raw-agent");
  expectContains(result.err, "broken-abi-major.so");
}

TEST(Cli, GeneratePrintsASpec) {
  const auto result = p2j({"generate", "Design a 10-story office building with steel and glass, 40x30 m"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto spec = sdk::parseJson(result.out);
  EXPECT_STREQ(spec["design_type"].GetString(), "building");
  EXPECT_STREQ(spec["category"].GetString(), "commercial");
  EXPECT_EQ(spec["stories"].GetInt(), 10);
}

TEST(Cli, GenerateRefusalExitsTwoWithTheReason) {
  const auto result = p2j({"generate", "tell me a joke about cars"});
  EXPECT_EQ(result.exit_code, 2);
  expectContains(result.err, "refused");
  EXPECT_TRUE(result.out.empty());
}

TEST(Cli, GenerateJsonLinesAnswersEveryLine) {
  const auto result = runProcess({kP2jBinary, "generate", "--jsonl"}, {},
                                 "{\"id\": 1, \"prompt\": \"Design a 2-story house\"}\n"
                                 "\n"
                                 "{\"id\": \"b\", \"prompt\": \"tell me a joke\"}\n"
                                 "not json\n");
  EXPECT_EQ(result.exit_code, 1) << "a malformed line is an error";
  std::istringstream lines(result.out);
  std::string line;
  std::vector<rapidjson::Document> answers;
  while (std::getline(lines, line)) answers.push_back(sdk::parseJson(line));
  ASSERT_EQ(answers.size(), 3u) << result.out;
  EXPECT_EQ(answers[0]["id"].GetInt(), 1);
  EXPECT_EQ(answers[0]["spec"]["stories"].GetInt(), 2);
  EXPECT_STREQ(answers[1]["id"].GetString(), "b");
  EXPECT_TRUE(answers[1]["refused"].GetBool());
  EXPECT_TRUE(answers[2].HasMember("error"));
  EXPECT_TRUE(result.err.empty()) << "no progress line when stderr is not a terminal";
}

// A child process the test forked, killed and reaped when the test ends early.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  // The exit code, or -1 when it was killed by a signal.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_;
};

std::vector<rapidjson::Document> jsonLines(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::vector<rapidjson::Document> documents;
  while (std::getline(lines, line)) documents.push_back(sdk::parseJson(line));
  return documents;
}

TEST(Cli, GenerateJsonLinesAnswersAnOverlongLineWithAnErrorAndGoesOn) {
  const std::string overlong = R"({"id": 1, "prompt": ")" + std::string(1536 * 1024, 'a') + "\"}\n";
  const std::string chair = R"({"id": 2, "prompt": "Design a wooden chair"})";
  const std::string house = R"({"id": 3, "prompt": "Design a 3-story house"})";  // the last line, without "\n"
  const auto result = runProcess({kP2jBinary, "generate", "--jsonl"}, {}, overlong + chair + "\n" + house);
  EXPECT_EQ(result.exit_code, 1);
  const auto answers = jsonLines(result.out);
  ASSERT_EQ(answers.size(), 3u) << result.out.substr(0, 500);
  expectContains(answers[0]["error"].GetString(), "longer than 1048576 bytes");
  EXPECT_EQ(answers[1]["id"].GetInt(), 2);
  EXPECT_STREQ(answers[1]["spec"]["design_type"].GetString(), "furniture");
  EXPECT_EQ(answers[2]["spec"]["stories"].GetInt(), 3);
}

// Output is written in large blocks, but never held back while p2j waits for more input: a program feeding
// prompts one at a time gets each answer before it sends the next.
TEST(Cli, GenerateJsonLinesAnswersEachLineBeforeTheInputEnds) {
  int to_child[2];
  int from_child[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(from_child), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(to_child[0], STDIN_FILENO);
    ::dup2(from_child[1], STDOUT_FILENO);
    for (const int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) ::close(fd);
    ::execl(kP2jBinary, kP2jBinary, "generate", "--jsonl", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  Child child(pid);
  ::close(to_child[0]);
  ::close(from_child[1]);
  std::string received;
  auto readLine = [&]() -> std::string {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (received.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd ready{from_child[0], POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(from_child[0], chunk, sizeof chunk);
      if (n <= 0) break;
      received.append(chunk, static_cast<size_t>(n));
    }
    const size_t end = received.find('\n');
    if (end == std::string::npos) return "";
    std::string line = received.substr(0, end);
    received.erase(0, end + 1);
    return line;
  };
  for (const std::string prompt : {"Design a wooden chair", "Design a 2-story house"}) {
    const std::string line = R"({"prompt": ")" + prompt + "\"}\n";
    ASSERT_EQ(::write(to_child[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
    const std::string answer = readLine();
    ASSERT_FALSE(answer.empty()) << "no answer to '" << prompt << "' while the input stays open";
    EXPECT_TRUE(sdk::parseJson(answer).HasMember("spec")) << answer;
  }
  ::close(to_child[1]);
  EXPECT_EQ(child.wait(), 0);
  ::close(from_child[0]);
}

TEST(Cli, GenerateJsonLinesDrawsAProgressBarOnATerminal) {
  TempDir dir;
  std::string prompts;
  for (int i = 0; i < 500; ++i)
    prompts += R"({"id": )" + std::to_string(i) +
               R"(, "prompt": "Design a 2-story house"})"
               "\n";
  const auto input = dir.write("prompts.jsonl", prompts);
  const auto output = dir.path() / "specs.jsonl";
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // stderr stays on the terminal; the prompts and specs are files
    if (!std::freopen(input.c_str(), "r", stdin) || !std::freopen(output.c_str(), "w", stdout)) ::_exit(126);
    ::execl(kP2jBinary, kP2jBinary, "generate", "--jsonl", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  Child child(pid);
  std::string shown;
  char chunk[4096];
  while (true) {
    const ssize_t n = ::read(terminal, chunk, sizeof chunk);
    if (n <= 0) break;  // EIO once the child has exited and closed the terminal
    shown.append(chunk, static_cast<size_t>(n));
  }
  ASSERT_EQ(child.wait(), 0) << shown;
  ::close(terminal);
  expectContains(shown, "p2j generate: [####################] 100%  500 prompts, 0 errors");
  EXPECT_EQ(jsonLines(readText(output)).size(), 500u);
}

TEST(Cli, GenerateThroughAConfiguredAgent) {
  TempDir dir;
  const auto file = dir.write("p2j.yaml", std::string(kPlugins) + "endpoints: []\n");
  const auto result = p2j({"generate", "--config", file.string(), "--agent", "rules", "Design a wooden chair"},
                          {{"P2J_DATA_DIR", dir.path() / "data"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_STREQ(sdk::parseJson(result.out)["design_type"].GetString(), "furniture");
  EXPECT_EQ(p2j({"generate", "--config", file.string(), "--agent", "db", "x"}, {{"P2J_DATA_DIR", dir.path() / "data"}})
                .exit_code,
            2);
}

TEST(Cli, ServeRefusesABrokenPluginNamingTheFile) {
  TempDir dir;
  const auto file = dir.write("p2j.yaml", "plugin_dirs: [\"" + std::string(kBrokenPluginDir) +
                                              "\"]\nplugins:\n  a: { use: broken-create-fails }\nendpoints: []\n");
  const auto result = p2j({"serve", "--config", file.string(), "--listen", "127.0.0.1:" + std::to_string(freePort())},
                          {{"P2J_DATA_DIR", dir.path() / "data"}});
  EXPECT_EQ(result.exit_code, 2);
  expectContains(result.err, file.string() + ":3:");
  expectContains(result.err, "broken-create-fails.so");
  expectContains(result.err, "cannot reach the model server");
}

TEST(Cli, SecondServerOnTheSamePortFails) {
  ServerProcess first(defaultConfig());
  first.start();
  const auto result = p2j({"serve", "--config", (first.dir().path() / "p2j.yaml").string(), "--listen",
                           "127.0.0.1:" + std::to_string(first.port())},
                          {{"P2J_DATA_DIR", first.dataDir().string()}});
  EXPECT_EQ(result.exit_code, 1);
  expectContains(result.err, "cannot listen on 127.0.0.1:" + std::to_string(first.port()));
  EXPECT_EQ(first.request("GET", "/livez").status, 200);
  EXPECT_EQ(first.stop(), 0);
}

}  // namespace
}  // namespace p2j::testing
