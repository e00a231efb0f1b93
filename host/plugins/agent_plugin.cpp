#include "plugins/agent_plugin.hpp"

#include <simdjson.h>

#include <cstring>
#include <stdexcept>

namespace p2j::plugins {
namespace {

constexpr uint32_t kCanonicalSpecsSince = 4;  // the ABI minor that added p2j_agent_generate_v2

// A spec the agent wrote as a DesignSpec is not read again, only checked to be one well-formed JSON object
// of valid UTF-8: what the host passes on is JSON whatever the plugin does. simdjson checks both in fewer
// instructions than RapidJSON's reader took for the structure alone (6.6k against 8.7k for a /generate spec).
constexpr size_t kLargestSpecForTheThreadsParser = 16 * 1024;

void requireJsonObject(std::string& text) {
  sdk::detail::refuseNul(text);
  if (text.empty() || text.front() != '{' || text.back() != '}') throw std::runtime_error("not a JSON object");
  // A JSON string holds no raw line break, so one here is space between tokens: the text is not compact, and
  // it would split a line of `p2j generate --jsonl`.
  if (std::memchr(text.data(), '\n', text.size()) != nullptr ||
      std::memchr(text.data(), '\r', text.size()) != nullptr) {
    throw std::runtime_error("a line break: not the compact text the SDK writes");
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the text; room for them, not a copy of the text.
  text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  // Each thread keeps a parser, which holds about 14 bytes for each byte of the largest text it checked: up
  // to 16 KiB (ten times a /generate spec, ~220 KiB a thread) the thread's, beyond it one of its own for the
  // call, so that no thread keeps megabytes for one large spec.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::parser large_parser;
  simdjson::dom::parser& checking = text.size() <= kLargestSpecForTheThreadsParser ? parser : large_parser;
  const simdjson::error_code error = checking.parse(text.data(), text.size(), false).error();
  if (error != simdjson::SUCCESS) throw std::runtime_error(simdjson::error_message(error));
}

sdk::DesignSpec readSpec(const std::string& text) { return sdk::designSpecFromJson(sdk::parseJson(text)); }

}  // namespace

AgentPlugin::AgentPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      improve_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_agent_improve_v1")),
      actions_(library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_agent_actions_v1")) {
  writes_canonical_specs_ = library->info().abi.minor >= kCanonicalSpecsSince;
  generate_ = library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>(
      writes_canonical_specs_ ? "p2j_agent_generate_v2" : "p2j_agent_generate_v1");
  if (observability::metrics().enabled()) {
    auto& generations = observability::metrics().counter(
        "spec_generations_total", "Prompts an agent was asked to design, by whether it produced a spec");
    generated_ = &generations.Add({{"agent", this->name()}, {"success", "true"}});
    not_generated_ = &generations.Add({{"agent", this->name()}, {"success", "false"}});
  }
}

template <typename Read>
auto AgentPlugin::designed(std::string_view prompt, Read read) const {
  try {
    std::string text = call(generate_, toAbi(prompt));
    try {
      auto spec = read(text);
      if (generated_ != nullptr) generated_->Increment();
      return spec;
    } catch (const std::exception& e) {
      throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned a malformed spec: ") + e.what());
    }
  } catch (const PluginCallError&) {
    if (not_generated_ != nullptr) not_generated_->Increment();
    throw;
  }
}

std::string AgentPlugin::generateJson(std::string_view prompt) const {
  return designed(prompt, [&](std::string& text) {
    if (!writes_canonical_specs_) return sdk::serialize(readSpec(text));
    requireJsonObject(text);
    return std::move(text);
  });
}

sdk::DesignSpec AgentPlugin::generate(std::string_view prompt) const { return designed(prompt, readSpec); }

}  // namespace p2j::plugins

namespace p2j::plugins {

sdk::Improvement AgentPlugin::improve(const sdk::ImproveRequest& request) const {
  const std::string request_json = sdk::serialize(request);
  const std::string text = call(improve_, toAbi(request_json));
  try {
    return sdk::improvementFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned a malformed improvement: ") + e.what());
  }
}

std::vector<sdk::ImprovementAction> AgentPlugin::actions() const {
  const std::string text = call(actions_);
  try {
    return sdk::improvementActionsFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned malformed actions: ") + e.what());
  }
}

}  // namespace p2j::plugins
