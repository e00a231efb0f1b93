#include "endpoints/api_components.hpp"

#include <p2j/sdk/json.hpp>

#include <stdexcept>

namespace p2j::endpoints {
namespace {

constexpr std::string_view kDesignSpecSchema =
#include "design_spec_schema.inc"
    ;
constexpr std::string_view kEvaluationSchema =
#include "evaluation_schema.inc"
    ;
constexpr std::string_view kFeedbackReportSchema =
#include "feedback_report_schema.inc"
    ;

// What http::errorBody writes.
constexpr std::string_view kErrorSchema = R"json({
  "type": "object",
  "description": "Every error answer: a machine-readable code, a message for people, the status and the request id to quote",
  "required": ["error", "message", "status_code", "request_id"],
  "additionalProperties": false,
  "properties": {
    "error": {"type": "string", "minLength": 1, "description": "e.g. validation_error, not_found, unauthorized, rate_limited"},
    "message": {"type": "string"},
    "status_code": {"type": "integer", "minimum": 400, "maximum": 599},
    "request_id": {"type": "string", "minLength": 1},
    "field": {"type": "string", "description": "The body field a 422 is about"}
  }
})json";

// What writeCacheStats writes (endpoints/cache_report.hpp): /cache-stats' "cache_stats" and /system-overview's
// "cache".
constexpr std::string_view kCacheStatsSchema = R"json({
  "type": "object",
  "description": "A cache instance's counters in this process, in the original service's keys plus p2j's",
  "required": ["cache_type", "hits", "misses", "sets", "hit_rate_percent", "memory_cache_size", "redis_connected",
               "instance", "backend", "deletes", "bytes", "max_bytes", "evictions", "expirations"],
  "additionalProperties": false,
  "properties": {
    "cache_type": {"type": "string", "description": "Memory, Redis, another backend's name, none (no cache), or unavailable"},
    "hits": {"type": "integer", "minimum": 0},
    "misses": {"type": "integer", "minimum": 0},
    "sets": {"type": "integer", "minimum": 0},
    "hit_rate_percent": {"type": "number", "minimum": 0, "maximum": 100, "description": "hits / (hits + misses), rounded to 0.01"},
    "memory_cache_size": {"type": "integer", "minimum": 0, "description": "Entries held in this process"},
    "redis_connected": {"type": "boolean"},
    "instance": {"type": ["string", "null"], "description": "The cache plugin instance"},
    "backend": {"type": "string"},
    "deletes": {"type": "integer", "minimum": 0},
    "bytes": {"type": "integer", "minimum": 0},
    "max_bytes": {"type": "integer", "minimum": 0},
    "evictions": {"type": "integer", "minimum": 0},
    "expirations": {"type": "integer", "minimum": 0}
  }
})json";

// What writePerformance writes (endpoints/performance_report.hpp): /system-overview's "performance".
constexpr std::string_view kPerformanceSchema = R"json({
  "type": "object",
  "description": "What this process measured since it started (each instance behind a load balancer has its own)",
  "required": ["uptime_seconds", "requests", "server_errors", "error_rate_percent", "in_flight", "peak_in_flight",
               "max_concurrent_requests", "response_time_ms", "rate_limit", "rate_limit_store"],
  "additionalProperties": false,
  "properties": {
    "uptime_seconds": {"type": "integer", "minimum": 0},
    "requests": {"type": "integer", "minimum": 0, "description": "Requests answered, any endpoint and status"},
    "server_errors": {"type": "integer", "minimum": 0, "description": "Of those, answered with a 5xx"},
    "error_rate_percent": {"type": "number", "minimum": 0, "maximum": 100},
    "in_flight": {"type": "integer", "minimum": 0, "description": "Requests being served now, this one included"},
    "peak_in_flight": {"type": "integer", "minimum": 0},
    "max_concurrent_requests": {"type": "integer", "minimum": 1, "description": "server.threads: one per connection"},
    "response_time_ms": {
      "type": "object",
      "required": ["mean", "p50", "p95", "p99"],
      "additionalProperties": false,
      "description": "Null before any request was answered; the quantiles are interpolated in histogram buckets",
      "properties": {
        "mean": {"type": ["number", "null"], "minimum": 0},
        "p50": {"type": ["number", "null"], "minimum": 0},
        "p95": {"type": ["number", "null"], "minimum": 0},
        "p99": {"type": ["number", "null"], "minimum": 0}
      }
    },
    "rate_limit": {"type": "string", "description": "rate_limits.default, such as 20/minute, or none"},
    "rate_limit_store": {"enum": ["memory", "redis"]}
  }
})json";

// Rewrites {"$ref": "#/definitions/x"} (and "#/$defs/x") below `value` to the lifted component's name.
void rewriteReferences(rapidjson::Value& value, const std::string& owner,
                       rapidjson::Document::AllocatorType& allocator) {
  if (value.IsArray()) {
    for (auto& item : value.GetArray()) rewriteReferences(item, owner, allocator);
    return;
  }
  if (!value.IsObject()) return;
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString()) == "$ref" && it->value.IsString()) {
      const std::string_view target(it->value.GetString(), it->value.GetStringLength());
      for (const std::string_view prefix : {"#/definitions/", "#/$defs/"}) {
        if (!target.starts_with(prefix)) continue;
        const std::string lifted = "#/components/schemas/" + owner + "_" + std::string(target.substr(prefix.size()));
        it->value.SetString(lifted.c_str(), static_cast<rapidjson::SizeType>(lifted.size()), allocator);
      }
    } else {
      rewriteReferences(it->value, owner, allocator);
    }
  }
}

void addPublishedSchema(std::vector<ApiComponent>& components, const std::string& name, std::string_view text) {
  rapidjson::Document schema = sdk::parseJson(text);
  if (!schema.IsObject()) throw std::logic_error("the compiled-in schema of " + name + " is not an object");
  auto& allocator = schema.GetAllocator();
  schema.RemoveMember("$schema");
  schema.RemoveMember("$id");
  rewriteReferences(schema, name, allocator);
  for (const char* key : {"definitions", "$defs"}) {
    const auto definitions = schema.FindMember(key);
    if (definitions == schema.MemberEnd()) continue;
    for (auto it = definitions->value.MemberBegin(); it != definitions->value.MemberEnd(); ++it) {
      components.push_back({name + "_" + it->name.GetString(), sdk::toJsonText(it->value)});
    }
    schema.RemoveMember(definitions);
  }
  components.push_back({name, sdk::toJsonText(schema)});
}

}  // namespace

const std::vector<ApiTag>& apiTags() {
  static const std::vector<ApiTag> tags = {
      {"Design", "Prompts to design specifications, and the stored specifications"},
      {"Evaluation", "Scoring specifications, and the stored reports"},
      {"Improvement", "Loops that generate, score and improve a specification, and their stored rounds"},
      {"Feedback", "What people say about specifications, and the daily values log"},
      {"Authentication", "Tokens for the bearer scheme"},
      {"Operations", "Health, readiness, and what the service says about itself"},
      {"Documentation", "This description of the API and the pages that show it"},
  };
  return tags;
}

const std::vector<ApiComponent>& apiComponents() {
  static const std::vector<ApiComponent> components = [] {
    std::vector<ApiComponent> all;
    all.push_back({std::string(kErrorComponent), std::string(kErrorSchema)});
    all.push_back({"CacheStats", std::string(kCacheStatsSchema)});
    all.push_back({"Performance", std::string(kPerformanceSchema)});
    addPublishedSchema(all, "DesignSpec", kDesignSpecSchema);
    addPublishedSchema(all, "Evaluation", kEvaluationSchema);
    addPublishedSchema(all, "FeedbackReport", kFeedbackReportSchema);
    return all;
  }();
  return components;
}

}  // namespace p2j::endpoints
