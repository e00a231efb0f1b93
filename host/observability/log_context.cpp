#include "observability/log_context.hpp"

namespace p2j::observability {
namespace {

thread_local std::string_view request_id;
thread_local std::span<const LogField> fields;

}  // namespace

std::string_view currentRequestId() { return request_id; }
std::span<const LogField> currentLogFields() { return fields; }

RequestLogScope::RequestLogScope(std::string_view id) : previous_(request_id) { request_id = id; }
RequestLogScope::~RequestLogScope() { request_id = previous_; }

LogFieldsScope::LogFieldsScope(std::span<const LogField> attached) : previous_(fields) { fields = attached; }
LogFieldsScope::~LogFieldsScope() { fields = previous_; }

}  // namespace p2j::observability
