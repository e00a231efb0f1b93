// REINFORCE for a softmax policy over an agent's improvement actions, as plain functions so the update
// can be checked by hand. The policy has no state input (it prefers actions per design type), so each
// step is credited with its own reward: the score that step gained.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace p2j::pipelines {

// π_k = exp(θ_k) / Σ_j exp(θ_j), computed stably (shifted by the largest θ).
std::vector<double> softmax(const std::vector<double>& weights);

// The index whose cumulative probability first exceeds `uniform` (in [0, 1)).
size_t sampleIndex(const std::vector<double>& probabilities, double uniform);

// A uniform double in [0, 1) from the generator's top 53 bits: the same sequence on every platform, which
// std::uniform_real_distribution does not promise.
double uniformUnit(std::mt19937_64& generator);

struct PolicyStep {
  size_t action = 0;
  double reward = 0;
};

// θ_k ← θ_k + α Σ_t (r_t − b)(1[k = a_t] − π_k(θ)): the gradient of log π(a_t) for a softmax is
// 1[k = a_t] − π_k; subtracting the baseline b keeps the estimate unbiased and lowers its variance.
// π is the policy the steps were sampled from.
std::vector<double> reinforceUpdate(const std::vector<double>& weights, const std::vector<PolicyStep>& steps,
                                    double baseline, double learning_rate);

// The baseline as an exponential moving average of the step rewards: b ← b + β (r − b) per step.
double updateBaseline(double baseline, const std::vector<PolicyStep>& steps, double rate);

// A generator seeded from the configured seed, the design type and the episode number, so a given history
// replays the same choices (deterministic tests, reproducible incidents) while episodes still differ.
std::mt19937_64 episodeGenerator(uint64_t seed, const std::string& design_type, int64_t episode);

}  // namespace p2j::pipelines
