#include "endpoints/action.hpp"

namespace p2j::endpoints {

const std::vector<ActionDescriptor>& actionCatalog() {
  static const std::vector<ActionDescriptor> catalog = [] {
    std::vector<ActionDescriptor> all;
    for (auto family : {generateActions, specActions, healthActions, schemaActions, tokenActions, evaluateActions,
                        iterateActions, learningActions, valueActions, adminActions, cacheActions, infoActions,
                        metricsActions, documentationActions, webAssetActions}) {
      for (auto& descriptor : family()) all.push_back(std::move(descriptor));
    }
    return all;
  }();
  return catalog;
}

const ActionDescriptor* findAction(const std::string& name) {
  for (const auto& descriptor : actionCatalog()) {
    if (descriptor.name == name) return &descriptor;
  }
  return nullptr;
}

}  // namespace p2j::endpoints
