#include "criteria_config.hpp"

#include <p2j/sdk/config_defaults.hpp>
#include <p2j/sdk/json.hpp>
#include <p2j/sdk/plugin.hpp>

#include <cmath>
#include <cstdio>
#include <string>

namespace p2j::evaluator_criteria {

const char* const kConfigSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "weights": {
      "description": "How much each criterion counts in the score; the three must sum to 1.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "completeness": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.4},
        "format_validity": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.3},
        "feasibility": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.3}
      }
    },
    "suggest_below": {
      "description": "A criterion scoring below its threshold adds its suggestion.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "completeness": {"type": "number", "minimum": 0, "maximum": 100, "default": 80},
        "format_validity": {"type": "number", "minimum": 0, "maximum": 100, "default": 90},
        "feasibility": {"type": "number", "minimum": 0, "maximum": 100, "default": 80}
      }
    },
    "grades": {
      "description": "The lowest score of each grade, descending from A to D; below D is F.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "A": {"type": "number", "minimum": 0, "maximum": 100, "default": 90},
        "B": {"type": "number", "minimum": 0, "maximum": 100, "default": 80},
        "C": {"type": "number", "minimum": 0, "maximum": 100, "default": 70},
        "D": {"type": "number", "minimum": 0, "maximum": 100, "default": 60}
      }
    },
    "feasibility_limits": {
      "description": "Above these a design is flagged as possibly infeasible (metres, kilograms).",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "building": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "max_stories": {"type": "integer", "minimum": 1, "default": 50},
            "max_height_m": {"type": "number", "exclusiveMinimum": 0, "default": 200},
            "wood_max_stories": {"type": "integer", "minimum": 1, "default": 5}
          }
        },
        "vehicle": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "max_length_m": {"type": "number", "exclusiveMinimum": 0, "default": 20},
            "max_height_m": {"type": "number", "exclusiveMinimum": 0, "default": 4}
          }
        },
        "electronics": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "max_weight_kg": {"type": "number", "exclusiveMinimum": 0, "default": 10}
          }
        },
        "appliance": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "max_width_m": {"type": "number", "exclusiveMinimum": 0, "default": 3}
          }
        },
        "furniture": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "steel_max_weight_kg": {"type": "number", "exclusiveMinimum": 0, "default": 100}
          }
        }
      }
    }
  }
})";

namespace {

const rapidjson::Value& object(const rapidjson::Value& parent, const char* key, const std::string& path) {
  return sdk::requireObject(parent[key], path);
}

double number(const rapidjson::Value& parent, const char* key, const std::string& path) {
  const auto value = sdk::optionalNumber(parent, key, path);
  if (!value) throw sdk::FieldError(sdk::joinPath(path, key), "must be a number");
  return *value;
}

std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

void checkWeights(const Weights& w) {
  const double sum = w.completeness + w.format_validity + w.feasibility;
  // Decimal weights such as 0.33 + 0.33 + 0.34 do not add up to exactly 1 in binary.
  if (std::abs(sum - 1.0) > 1e-6) {
    throw sdk::InvalidInput("weights must sum to 1, but completeness " + formatNumber(w.completeness) +
                            " + format_validity " + formatNumber(w.format_validity) + " + feasibility " +
                            formatNumber(w.feasibility) + " = " + formatNumber(sum));
  }
}

void checkGrades(const GradeBoundaries& g) {
  if (!(g.a > g.b && g.b > g.c && g.c > g.d)) {
    throw sdk::InvalidInput("grade boundaries must descend (A > B > C > D), but they are A " + formatNumber(g.a) +
                            ", B " + formatNumber(g.b) + ", C " + formatNumber(g.c) + ", D " + formatNumber(g.d));
  }
}

}  // namespace

CriteriaConfig criteriaConfigFromJson(const rapidjson::Value& config) {
  sdk::requireObject(config, "config");
  const rapidjson::Document full = sdk::withSchemaDefaults(kConfigSchema, config);

  CriteriaConfig result;
  const auto& weights = object(full, "weights", "weights");
  result.weights = {number(weights, "completeness", "weights"), number(weights, "format_validity", "weights"),
                    number(weights, "feasibility", "weights")};
  const auto& suggest = object(full, "suggest_below", "suggest_below");
  result.suggest_below = {number(suggest, "completeness", "suggest_below"),
                          number(suggest, "format_validity", "suggest_below"),
                          number(suggest, "feasibility", "suggest_below")};
  const auto& grades = object(full, "grades", "grades");
  result.grades = {number(grades, "A", "grades"), number(grades, "B", "grades"), number(grades, "C", "grades"),
                   number(grades, "D", "grades")};

  const auto& limits = object(full, "feasibility_limits", "feasibility_limits");
  const auto& building = object(limits, "building", "feasibility_limits.building");
  const auto& vehicle = object(limits, "vehicle", "feasibility_limits.vehicle");
  const auto& electronics = object(limits, "electronics", "feasibility_limits.electronics");
  const auto& appliance = object(limits, "appliance", "feasibility_limits.appliance");
  const auto& furniture = object(limits, "furniture", "feasibility_limits.furniture");
  result.limits = {
      number(building, "max_stories", "feasibility_limits.building"),
      number(building, "max_height_m", "feasibility_limits.building"),
      number(building, "wood_max_stories", "feasibility_limits.building"),
      number(vehicle, "max_length_m", "feasibility_limits.vehicle"),
      number(vehicle, "max_height_m", "feasibility_limits.vehicle"),
      number(electronics, "max_weight_kg", "feasibility_limits.electronics"),
      number(appliance, "max_width_m", "feasibility_limits.appliance"),
      number(furniture, "steel_max_weight_kg", "feasibility_limits.furniture"),
  };

  checkWeights(result.weights);
  checkGrades(result.grades);
  return result;
}

}  // namespace p2j::evaluator_criteria
