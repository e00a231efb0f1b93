#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>

namespace p2j::endpoints {

// An endpoint's value settings (a bound, a target score, a file), parsed and range-checked once at
// start-up against what its action declares (validateEndpoint), and handed to the action typed.
class ActionSettings {
 public:
  using Value = std::variant<int64_t, double, std::filesystem::path>;

  void set(const std::string& key, Value value) { values_[key] = std::move(value); }

  // A key the action did not declare (std::out_of_range) or declared with another kind
  // (std::bad_variant_access) is the action's bug, not the operator's.
  int64_t integer(const std::string& key) const { return std::get<int64_t>(values_.at(key)); }
  double number(const std::string& key) const { return std::get<double>(values_.at(key)); }
  const std::filesystem::path& path(const std::string& key) const {
    return std::get<std::filesystem::path>(values_.at(key));
  }

 private:
  std::map<std::string, Value> values_;
};

}  // namespace p2j::endpoints
