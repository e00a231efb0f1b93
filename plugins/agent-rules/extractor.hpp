// The rule-based prompt → design-spec extractor (contract: shared/spec/extraction.md). It builds its tables
// once; extract() is then const, allocation-light and safe to call from many threads.
#pragma once

#include "lexicon.hpp"
#include "quantities.hpp"

#include <p2j/sdk/design_spec.hpp>

#include <string_view>

namespace p2j::agent_rules {

class Extractor {
 public:
  Extractor();

  // Throws p2j::sdk::Refused, saying why, for a prompt that asks for no design or has under 3 non-space
  // characters. Leaves `timestamp` empty for the caller to set.
  sdk::DesignSpec extract(std::string_view prompt) const;

 private:
  Lexicon lexicon_;
  UnitIndex units_;
};

}  // namespace p2j::agent_rules
