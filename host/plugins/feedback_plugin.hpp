#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/feedback.hpp>

namespace p2j::plugins {

class FeedbackPlugin : public PluginInstance {
 public:
  FeedbackPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  // The plugin's review, checked against the typed shape (a malformed answer is a plugin bug:
  // PluginCallError with P2J_INTERNAL).
  sdk::FeedbackReport review(const sdk::FeedbackRequest& request) const;

 private:
  decltype(&p2j_feedback_review_v1) review_;
};

}  // namespace p2j::plugins
