#include "extractor.hpp"

#include "analysis.hpp"
#include "classification.hpp"
#include "materials.hpp"
#include "measurements.hpp"
#include "money.hpp"
#include "requirements.hpp"
#include "terms.hpp"
#include "timeline.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace p2j::agent_rules {
namespace {

void addOnce(std::vector<std::string>& list, std::string_view item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.emplace_back(item);
}

std::vector<std::string> readFeatures(const Analysis& analysis) {
  std::vector<std::string> features;
  for (const auto& match : analysis.matches()) {
    if (!match.entry->feature.empty()) addOnce(features, match.entry->feature);
  }
  return features;
}

std::vector<std::string> readComponents(const Analysis& analysis, std::string_view designType) {
  std::vector<std::string> components;
  for (const auto& match : analysis.matches()) {
    for (const auto& component : match.entry->components) {
      if (component.designType == designType) addOnce(components, component.name);
    }
  }
  return components;
}

std::vector<std::string> readConstraints(const Analysis& analysis) {
  std::vector<std::string> constraints;
  for (const auto& match : analysis.matches()) {
    if (!match.entry->constraint.empty()) addOnce(constraints, match.entry->constraint);
  }
  return constraints;
}

// "budget phone" names an audience; "a budget of $500" and "budget: $500" do not.
bool isAdjective(const Analysis& analysis, const TermMatch& match) {
  const auto& t = analysis.tokens();
  if (match.end >= t.size() || t[match.end].kind != TokenKind::Word) return false;
  const std::string_view next = t[match.end].text;
  return !budgetNounFollowers().contains(next) && !numberWordValue(next);
}

std::optional<std::string> readAudience(const Analysis& analysis) {
  for (const auto& match : analysis.matches()) {
    const TermEntry& entry = *match.entry;
    if (entry.audience == Audience::None) continue;
    if (entry.audienceNeedsNoun && !isAdjective(analysis, match)) continue;
    return std::string(audienceName(entry.audience));
  }
  return std::nullopt;
}

}  // namespace

Extractor::Extractor() = default;

sdk::DesignSpec Extractor::extract(std::string_view prompt) const {
  const Analysis analysis(prompt, lexicon_);
  ensureDesignRequest(analysis);

  sdk::DesignSpec spec;
  const DesignKind kind = classify(analysis);
  spec.design_type = kind.designType;
  spec.category = kind.category;
  if (kind.designType == "building") spec.stories = readStories(analysis).value_or(1);
  spec.materials = readMaterials(analysis, kind.designType);
  readMeasurements(analysis, units_, kind.designType, spec.dimensions, spec.performance);
  spec.features = readFeatures(analysis);
  spec.components = readComponents(analysis, kind.designType);
  spec.requirements = readRequirements(analysis);
  spec.constraints = readConstraints(analysis);
  spec.use_cases = readUseCases(analysis);
  spec.target_audience = readAudience(analysis);
  spec.estimated_cost = readCost(analysis, units_);
  spec.timeline = readTimeline(analysis);
  return spec;
}

}  // namespace p2j::agent_rules
