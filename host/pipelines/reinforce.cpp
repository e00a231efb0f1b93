#include "pipelines/reinforce.hpp"

#include <algorithm>
#include <cmath>

namespace p2j::pipelines {

std::vector<double> softmax(const std::vector<double>& weights) {
  if (weights.empty()) return {};
  const double largest = *std::max_element(weights.begin(), weights.end());
  std::vector<double> probabilities;
  probabilities.reserve(weights.size());
  double total = 0;
  for (const double weight : weights) {
    probabilities.push_back(std::exp(weight - largest));
    total += probabilities.back();
  }
  for (double& probability : probabilities) probability /= total;
  return probabilities;
}

size_t sampleIndex(const std::vector<double>& probabilities, double uniform) {
  double cumulative = 0;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    cumulative += probabilities[i];
    if (uniform < cumulative) return i;
  }
  return probabilities.empty() ? 0 : probabilities.size() - 1;  // rounding left the sum just under 1
}

double uniformUnit(std::mt19937_64& generator) { return static_cast<double>(generator() >> 11) * 0x1.0p-53; }

std::vector<double> reinforceUpdate(const std::vector<double>& weights, const std::vector<PolicyStep>& steps,
                                    double baseline, double learning_rate) {
  const std::vector<double> probabilities = softmax(weights);
  std::vector<double> updated = weights;
  for (const auto& step : steps) {
    const double advantage = step.reward - baseline;
    for (size_t k = 0; k < updated.size(); ++k) {
      const double gradient = (k == step.action ? 1.0 : 0.0) - probabilities[k];
      updated[k] += learning_rate * advantage * gradient;
    }
  }
  return updated;
}

double updateBaseline(double baseline, const std::vector<PolicyStep>& steps, double rate) {
  for (const auto& step : steps) baseline += rate * (step.reward - baseline);
  return baseline;
}

std::mt19937_64 episodeGenerator(uint64_t seed, const std::string& design_type, int64_t episode) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a: stable across runs, unlike std::hash
  for (const unsigned char c : design_type) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  std::seed_seq sequence{static_cast<uint32_t>(seed),    static_cast<uint32_t>(seed >> 32),
                         static_cast<uint32_t>(hash),    static_cast<uint32_t>(hash >> 32),
                         static_cast<uint32_t>(episode), static_cast<uint32_t>(static_cast<uint64_t>(episode) >> 32)};
  return std::mt19937_64(sequence);
}

}  // namespace p2j::pipelines
