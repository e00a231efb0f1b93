#include "plugins/feedback_plugin.hpp"

namespace p2j::plugins {

FeedbackPlugin::FeedbackPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      review_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_feedback_review_v1")) {}

sdk::FeedbackReport FeedbackPlugin::review(const sdk::FeedbackRequest& request) const {
  const std::string request_json = sdk::serialize(request);
  const std::string text = call(review_, toAbi(request_json));
  try {
    return sdk::feedbackReportFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(),
                          std::string("the feedback plugin returned a malformed review: ") + e.what());
  }
}

}  // namespace p2j::plugins
