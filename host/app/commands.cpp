// The p2j command line: serve, check-config, plugins, migrate, generate.
#include "app/commands.hpp"

#include "app/application.hpp"
#include "app/json_lines.hpp"
#include "auth/user_store.hpp"
#include "observability/logging.hpp"
#include "observability/metrics.hpp"
#include "plugins/agent_plugin.hpp"
#include "plugins/config_schema.hpp"
#include "plugins/storage_plugin.hpp"

#include <p2j/sdk/abi.h>
#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/time.hpp>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace p2j::app {
namespace {

constexpr const char* kUsage = R"(p2j — prompt to JSON design specifications, as a plugin-based server

Usage:
  p2j serve [--config FILE] [--listen HOST:PORT] [--plugin-dir DIR]...
  p2j check-config [--plugin-dir DIR]... FILE
  p2j plugins [--config FILE] [--plugin-dir DIR]...
  p2j migrate [--config FILE] [--plugin-dir DIR]...
  p2j generate [--config FILE] [--agent NAME] [--plugin-dir DIR]... PROMPT | --jsonl
  p2j user add NAME [--role ROLE]... --password-stdin [--config FILE]
  p2j --help | --version

Commands:
  user add      Add a user of POST /token (or set its password and roles) in the config's auth.users_file.
  serve         Serve the endpoints of the configuration until SIGTERM or SIGINT (then drain).
  check-config  Validate a configuration (YAML, plugins, their configs, endpoints) without serving.
  plugins       List the plugins found in the plugin directories: name, kind, version, ABI, path.
  migrate       Apply the storage's missing schema migrations (migrations/<database>/NNNN_name.sql), each in
                a transaction, and print what was applied; running it again applies nothing. `serve`
                refuses to start while a migration is missing.
  generate      Turn one prompt into a design spec with an agent plugin, offline; prints the spec JSON.
                Exit 2 with the reason when the agent refuses the prompt. With --jsonl, reads JSON lines
                ({"prompt": "...", "id": ...}) from stdin and writes one result line each:
                {"id", "spec"} or {"id", "refused": true, "error"}.

The configuration is --config, else $P2J_CONFIG, else ./config/p2j.yaml, else /etc/p2j/p2j.yaml.
The data directory is $P2J_DATA_DIR, else the file's data_dir, else ./data; the YAML may use it as
${P2J_DATA_DIR}.
Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
)";

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Arguments {
  std::string command;
  ConfigOptions config;
  std::optional<std::string> agent;
  bool jsonl = false;
  std::vector<std::string> roles;
  bool password_stdin = false;
  std::vector<std::string> positional;
};

Arguments parseArguments(int argc, char** argv) {
  Arguments args;
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) throw UsageError("no command given");
  args.command = words.front();
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    auto value = [&](const std::string& flag) -> std::string {
      const size_t equals = word.find('=');
      if (equals != std::string::npos) return word.substr(equals + 1);
      if (i + 1 >= words.size()) throw UsageError(flag + " needs a value");
      return words[++i];
    };
    auto is = [&](const std::string& flag) { return word == flag || word.starts_with(flag + "="); };
    if (is("--config")) {
      args.config.config_file = value("--config");
    } else if (is("--listen")) {
      args.config.listen = value("--listen");
    } else if (is("--plugin-dir")) {
      args.config.plugin_dirs.emplace_back(value("--plugin-dir"));
    } else if (is("--agent")) {
      args.agent = value("--agent");
    } else if (word == "--jsonl") {
      args.jsonl = true;
    } else if (is("--role")) {
      args.roles.push_back(value("--role"));
    } else if (word == "--password-stdin") {
      args.password_stdin = true;
    } else if (word == "--") {
      args.positional.insert(args.positional.end(), words.begin() + static_cast<long>(i) + 1, words.end());
      break;
    } else if (word.starts_with("--")) {
      throw UsageError("unknown option " + word);
    } else {
      args.positional.push_back(word);
    }
  }
  return args;
}

int serve(const Arguments& args, const sigset_t& signals) {
  if (!args.positional.empty()) throw UsageError("serve takes no positional arguments");
  config::Config config = loadEffectiveConfig(args.config);
  try {
    observability::setupLogging(config.logging);
  } catch (const observability::LogFileError& e) {
    throw config::ConfigError(
        config.file, e.path() == config.logging.file ? config.logging.file_mark : config.logging.access_file_mark,
        std::string("logging: ") + e.what());
  }
  observability::metrics().setEnabled(config.metrics.enabled);
  Application application(args.config, std::move(config));
  return application.serve(signals);
}

int checkConfigCommand(Arguments args) {
  if (args.positional.size() == 1 && !args.config.config_file) args.config.config_file = args.positional.front();
  if (!args.config.config_file || args.positional.size() > 1) throw UsageError("check-config takes one FILE");
  const config::Config config = loadEffectiveConfig(args.config);
  plugins::PluginCatalog catalog(config.plugin_dirs);
  const auto resolved = checkConfig(config, catalog);
  std::cout << config.file << ": OK (" << resolved.size() << " plugin instances, " << config.endpoints.size()
            << " endpoints)\n";
  return kExitOk;
}

int listPlugins(const Arguments& args) {
  std::vector<std::filesystem::path> dirs;
  if (args.config.config_file) {
    dirs = loadEffectiveConfig(args.config).plugin_dirs;
  } else {
    for (const auto& dir : args.config.plugin_dirs) dirs.push_back(std::filesystem::absolute(dir).lexically_normal());
    dirs.push_back(plugins::bundledPluginDir());
  }
  plugins::PluginCatalog catalog(dirs);
  std::cout << std::left << std::setw(26) << "NAME" << std::setw(11) << "KIND" << std::setw(10) << "VERSION"
            << std::setw(6) << "ABI"
            << "PATH\n";
  int broken = 0;
  for (const auto& entry : catalog.list()) {
    if (entry.info) {
      std::cout << std::setw(26) << entry.info->name << std::setw(11) << plugins::kindName(entry.info->kind)
                << std::setw(10) << entry.info->version << std::setw(6) << plugins::toString(entry.info->abi)
                << entry.file.string() << "\n";
    } else {
      ++broken;
      std::cerr << "not loadable: " << entry.error << "\n";
    }
  }
  std::cout << "searched: ";
  for (size_t i = 0; i < dirs.size(); ++i) std::cout << (i ? ", " : "") << dirs[i].string();
  std::cout << "\n";
  return broken == 0 ? kExitOk : kExitFailure;
}

// Creates only the configuration's storage instance and applies its missing migrations. The instance is
// created with auto_migrate off, so what this command prints is what it applied.
int migrateCommand(const Arguments& args) {
  if (!args.positional.empty()) throw UsageError("migrate takes no positional arguments");
  const config::Config config = loadEffectiveConfig(args.config);
  if (config.storage.empty())
    throw config::ConfigError(config.file, {}, "no storage is configured: nothing to migrate");
  plugins::PluginCatalog catalog(config.plugin_dirs);
  for (const auto& plugin : checkConfig(config, catalog)) {
    if (plugin.config->name != config.storage) continue;
    rapidjson::Document instance_config = sdk::parseJson(plugin.validated_config_json);
    const rapidjson::Document schema = sdk::parseJson(plugin.library->info().config_schema_json);
    const auto properties = schema.FindMember("properties");
    if (properties != schema.MemberEnd() && properties->value.IsObject() &&
        properties->value.HasMember("auto_migrate")) {
      instance_config.RemoveMember("auto_migrate");
      instance_config.AddMember("auto_migrate", false, instance_config.GetAllocator());
    }
    std::filesystem::create_directories(config.data_dir);
    const plugins::StoragePlugin storage(
        plugin.config->name, plugin.library,
        plugins::createInstance(*plugin.library, plugin.config->name, sdk::toJsonText(instance_config)));
    sdk::MigrationReport report;
    try {
      report = storage.migrate(true);
    } catch (const plugins::PluginCallError& e) {
      std::cerr << "p2j migrate: storage '" << storage.name() << "': " << e.what() << "\n";
      return e.status() == P2J_INVALID_INPUT ? kExitUsage : kExitFailure;
    }
    for (const auto& name : report.applied) std::cout << "applied " << name << "\n";
    std::cout << "storage '" << storage.name() << "' (" << plugin.library->info().name << "): schema version "
              << report.version << (report.applied.empty() ? ", up to date" : "") << "\n";
    return kExitOk;
  }
  throw config::ConfigError(config.file, config.storage_mark, "storage: no plugin instance '" + config.storage + "'");
}

// The agent instance for `generate`: --agent NAME from the configuration, else the configuration's
// first agent, else (no configuration) the bundled agent-rules with its default config.
std::unique_ptr<plugins::AgentPlugin> createAgent(const Arguments& args) {
  if (args.config.config_file) {
    const config::Config config = loadEffectiveConfig(args.config);
    plugins::PluginCatalog catalog(config.plugin_dirs);
    for (const auto& plugin : plugins::resolvePlugins(config, catalog)) {
      const bool wanted =
          args.agent ? plugin.config->name == *args.agent : plugin.library->info().kind == P2J_KIND_AGENT;
      if (!wanted) continue;
      if (plugin.library->info().kind != P2J_KIND_AGENT) throw UsageError("'" + *args.agent + "' is not an agent");
      const p2j_instance handle =
          plugins::createInstance(*plugin.library, plugin.config->name, plugin.validated_config_json);
      return std::make_unique<plugins::AgentPlugin>(plugin.config->name, plugin.library, handle);
    }
    throw UsageError(args.agent ? "no plugin instance named '" + *args.agent + "' in " + config.file
                                : "no agent plugin instance in " + config.file);
  }
  std::vector<std::filesystem::path> dirs;
  for (const auto& dir : args.config.plugin_dirs) dirs.push_back(std::filesystem::absolute(dir).lexically_normal());
  dirs.push_back(plugins::bundledPluginDir());
  plugins::PluginCatalog catalog(dirs);
  const std::string use = args.agent.value_or("agent-rules");
  auto library = catalog.find(use);
  if (library->info().kind != P2J_KIND_AGENT) throw UsageError("'" + use + "' is not an agent plugin");
  const std::string config_json = plugins::validatePluginConfig(library->info().config_schema_json, "{}", ".");
  return std::make_unique<plugins::AgentPlugin>(use, library, plugins::createInstance(*library, use, config_json));
}

// `p2j user add NAME [--role R]... --password-stdin`: the password comes from stdin so it never shows
// in the process list or the shell history.
int userCommand(const Arguments& args) {
  if (args.positional.size() != 2 || args.positional[0] != "add")
    throw UsageError("usage: p2j user add NAME [--role ROLE]... --password-stdin");
  if (!args.password_stdin)
    throw UsageError("pass the password on stdin with --password-stdin, never on the command line");
  const config::Config config = loadEffectiveConfig(args.config);
  if (config.auth.users_file.empty()) throw UsageError(config.file + " sets no auth.users_file");
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < 8) throw UsageError("the password must have at least 8 characters");
  auth::UserStore users(config.auth.users_file);
  users.put(args.positional[1], password, args.roles);
  std::string roles;
  for (const auto& role : args.roles) roles += (roles.empty() ? "" : ",") + role;
  std::cout << "user '" << args.positional[1] << "' saved in " << config.auth.users_file.string()
            << (roles.empty() ? "" : " with roles " + roles) << "\n";
  return kExitOk;
}

int generate(const Arguments& args) {
  if (args.jsonl) {
    if (!args.positional.empty()) throw UsageError("generate --jsonl reads prompts from stdin, not arguments");
    const auto agent = createAgent(args);
    std::cout.flush();
    return generateJsonLines(*agent, {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO});
  }
  if (args.positional.size() != 1) throw UsageError("generate takes one PROMPT (quote it) or --jsonl");
  const auto agent = createAgent(args);
  try {
    std::cout << agent->generateJson(args.positional.front()) << "\n";
  } catch (const plugins::PluginCallError& e) {
    std::cerr << "p2j generate: " << (e.status() == P2J_REFUSED ? "refused: " : "") << e.what() << "\n";
    return e.status() == P2J_REFUSED || e.status() == P2J_INVALID_INPUT ? kExitUsage : kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int runCommand(int argc, char** argv, const sigset_t& signals) {
  try {
    const Arguments args = parseArguments(argc, argv);
    if (args.command == "--help" || args.command == "-h" || args.command == "help") {
      std::cout << kUsage;
      return kExitOk;
    }
    if (args.command == "--version") {
      std::cout << "p2j " << P2J_VERSION << " (plugin ABI " << P2J_ABI_MAJOR << "." << P2J_ABI_MINOR << ")\n";
      return kExitOk;
    }
    if (args.command == "serve") return serve(args, signals);
    if (args.command == "check-config") return checkConfigCommand(args);
    if (args.command == "plugins") return listPlugins(args);
    if (args.command == "migrate") return migrateCommand(args);
    if (args.command == "generate") return generate(args);
    if (args.command == "user") return userCommand(args);
    throw UsageError("unknown command '" + args.command + "'");
  } catch (const UsageError& e) {
    std::cerr << "p2j: " << e.what() << "\n\n" << kUsage;
    return kExitUsage;
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kExitUsage;
  } catch (const plugins::PluginLoadError& e) {
    std::cerr << "p2j: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "p2j: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace p2j::app
