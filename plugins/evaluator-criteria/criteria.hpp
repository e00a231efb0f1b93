// The original service's evaluation criteria (completeness, format validity, feasibility), applied to the
// universal design spec as it is, stories included. Immutable once built, so one instance serves every
// request thread without locking.
#pragma once

#include "criteria_config.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>

namespace p2j::evaluator_criteria {

class Criteria {
 public:
  explicit Criteria(CriteriaConfig config);

  // Everything but the timestamp, which the caller stamps: equal specs give equal evaluations.
  sdk::Evaluation evaluate(const sdk::DesignSpec& spec) const;

  // The report grade of a score: 'A' to 'D' from each boundary up, 'F' below D's.
  char grade(double score) const;

 private:
  CriteriaConfig config_;
};

}  // namespace p2j::evaluator_criteria
