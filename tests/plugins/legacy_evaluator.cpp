// An evaluator as it was built against ABI 1.1, before findings: hand-written C entry points declaring
// abi_minor 1 and exporting only the 1.1 symbols, scoring with evaluator-criteria's rules and answering the
// 1.1 evaluation JSON, which has feedback for people and no "findings".
#include "criteria.hpp"
#include "criteria_config.hpp"

#include <p2j/sdk/abi.h>
#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>
#include <p2j/sdk/time.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

namespace {

void fill(p2j_buffer* buffer, const std::string& text) {
  buffer->data = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(buffer->data, text.c_str(), text.size() + 1);
  buffer->size = text.size();
}

}  // namespace

extern "C" {

P2J_EXPORT const p2j_plugin_info* p2j_plugin_info_v1(void) {
  static const p2j_plugin_info info = {sizeof(p2j_plugin_info),
                                       1,
                                       1,
                                       P2J_KIND_EVALUATOR,
                                       P2J_PLUGIN_THREAD_SAFE,
                                       "legacy-evaluator",
                                       "0.0.1",
                                       "evaluator-criteria as built against ABI 1.1 (no findings)",
                                       R"({"type": "object"})"};
  return &info;
}

P2J_EXPORT p2j_status p2j_plugin_create_v1(p2j_str, p2j_instance* instance, p2j_buffer* error) {
  try {
    const rapidjson::Document defaults = p2j::sdk::parseJson("{}");
    *instance = new p2j::evaluator_criteria::Criteria(p2j::evaluator_criteria::criteriaConfigFromJson(defaults));
    return P2J_OK;
  } catch (const std::exception& e) {
    fill(error, e.what());
    return P2J_INTERNAL;
  }
}

P2J_EXPORT void p2j_plugin_destroy_v1(p2j_instance instance) {
  delete static_cast<p2j::evaluator_criteria::Criteria*>(instance);
}

P2J_EXPORT p2j_status p2j_plugin_health_v1(p2j_instance, p2j_buffer*) { return P2J_OK; }

P2J_EXPORT void p2j_buffer_free_v1(p2j_buffer* buffer) {
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

P2J_EXPORT p2j_status p2j_evaluator_evaluate_v1(p2j_instance instance, p2j_str spec_json, p2j_str, p2j_buffer* out) {
  try {
    const auto spec = p2j::sdk::designSpecFromJson(p2j::sdk::parseJson({spec_json.data, spec_json.size}));
    p2j::sdk::Evaluation evaluation = static_cast<p2j::evaluator_criteria::Criteria*>(instance)->evaluate(spec);
    evaluation.timestamp = p2j::sdk::utcNow();
    evaluation.findings.reset();
    fill(out, p2j::sdk::serialize(evaluation));
    return P2J_OK;
  } catch (const std::exception& e) {
    fill(out, e.what());
    return P2J_INVALID_INPUT;
  }
}

}  // extern "C"
