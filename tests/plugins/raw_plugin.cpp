// A hand-written C-ABI plugin for the loader tests, built several times with different defects (selected by
// BROKEN_* macros), ABI versions (RAW_ABI_MINOR) and health (RAW_HEALTH_*), without the SDK's C++ helpers, so
// the defects and the older ABIs can be put in on purpose. With RAW_AUTH it is an auth scheme, reading the
// request as its ABI version passes it; with RAW_STORAGE a storage that keeps the last record it was given,
// as its ABI version passes it.

#include <p2j/sdk/abi.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#ifndef RAW_PLUGIN_NAME
#error "define RAW_PLUGIN_NAME"
#endif
#ifndef RAW_ABI_MAJOR
#define RAW_ABI_MAJOR P2J_ABI_MAJOR
#endif
#ifndef RAW_ABI_MINOR
#define RAW_ABI_MINOR P2J_ABI_MINOR
#endif
#ifndef RAW_KIND
#define RAW_KIND P2J_KIND_AGENT
#endif

namespace {

void fillBytes(p2j_buffer* buffer, const char* bytes, size_t size) {
  buffer->data = static_cast<char*>(std::malloc(size));
  std::memcpy(buffer->data, bytes, size);
  buffer->size = size;
}

void fill(p2j_buffer* buffer, const char* text) { fillBytes(buffer, text, std::strlen(text)); }

[[maybe_unused]] int instance_token = 0;

}  // namespace

extern "C" {

#ifndef BROKEN_NO_INFO
P2J_EXPORT const p2j_plugin_info* p2j_plugin_info_v1(void) {
  static const p2j_plugin_info info = {
      sizeof(p2j_plugin_info), RAW_ABI_MAJOR,   RAW_ABI_MINOR, RAW_KIND,
      P2J_PLUGIN_THREAD_SAFE,  RAW_PLUGIN_NAME, "0.0.1",       "a plugin broken on purpose",
      R"({"type": "object"})"};
  return &info;
}
#endif

P2J_EXPORT p2j_status p2j_plugin_create_v1(p2j_str, p2j_instance* instance, p2j_buffer* error) {
#ifdef BROKEN_CREATE_FAILS
  (void)instance;
  fill(error, "cannot reach the model server at 10.0.0.1:9000");
  return P2J_UNAVAILABLE;
#else
  (void)error;
  *instance = &instance_token;
  return P2J_OK;
#endif
}

P2J_EXPORT void p2j_plugin_destroy_v1(p2j_instance) {}

// Health as each ABI asks for it: the three states of 1.2 (RAW_HEALTH_DEGRADED, RAW_HEALTH_DOWN,
// RAW_HEALTH_UNKNOWN_STATE pick one), or 1.0/1.1's status with "degraded": true in the detail.
#if RAW_ABI_MINOR >= 2 && !defined(BROKEN_NO_HEALTH_V2)
P2J_EXPORT p2j_status p2j_plugin_health_v2(p2j_instance, uint32_t* state, p2j_buffer* detail) {
#if defined(RAW_HEALTH_DEGRADED)
  *state = P2J_HEALTH_DEGRADED;
  fill(detail, R"({"spooled": 3})");
#elif defined(RAW_HEALTH_DOWN)
  *state = P2J_HEALTH_DOWN;
  fill(detail, R"({"problem": "the model server at 10.0.0.1:9000 does not answer"})");
#elif defined(RAW_HEALTH_UNKNOWN_STATE)
  *state = 7;
  fill(detail, "{}");
#else
  *state = P2J_HEALTH_OK;
  (void)detail;
#endif
  return P2J_OK;
}
#else
P2J_EXPORT p2j_status p2j_plugin_health_v1(p2j_instance, p2j_buffer* detail) {
#if defined(RAW_HEALTH_DEGRADED)
  fill(detail, R"({"degraded": true, "spooled": 3})");
#elif defined(RAW_HEALTH_DOWN)
  fill(detail, "the model server at 10.0.0.1:9000 does not answer");
  return P2J_UNAVAILABLE;
#else
  (void)detail;
#endif
  return P2J_OK;
}
#endif

P2J_EXPORT void p2j_buffer_free_v1(p2j_buffer* buffer) {
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

// Since ABI 1.4 the spec comes as the SDK writes a DesignSpec (BROKEN_SPEC_TEXT: JSON cut short;
// BROKEN_SPEC_LINES: valid JSON, but not compact; BROKEN_SPEC_SYNTAX and BROKEN_SPEC_UTF8: an object's braces
// around a member without a value, around a string that is not UTF-8); before, as any spec object, here one that leaves
// out every optional field.
#ifndef BROKEN_NO_GENERATE
#if RAW_ABI_MINOR >= 4
P2J_EXPORT p2j_status p2j_agent_generate_v2(p2j_instance, p2j_str, p2j_buffer* out) {
#if defined(BROKEN_SPEC_TEXT)
  fill(out, R"({"design_type":"general","category":)");
#elif defined(BROKEN_SPEC_LINES)
  fill(out, "{\n  \"design_type\": \"general\",\n  \"category\": \"custom\"\n}");
#elif defined(BROKEN_SPEC_SYNTAX)
  fill(out, R"({"design_type":"general","category"})");
#elif defined(BROKEN_SPEC_UTF8)
  fill(out, "{\"design_type\":\"gen\xC3(eral\",\"category\":\"custom\"}");
#else
  fill(out, R"({"design_type":"general","category":"custom","stories":null,"materials":[],"dimensions":{"length":null,)"
            R"("width":null,"height":null,"depth":null,"diameter":null,"area":null,"volume":null,"weight":null,)"
            R"("units":"metric"},"performance":{"power":null,"efficiency":null,"capacity":null,"speed":null,)"
            R"("other_specs":{}},"features":[],"components":[],"requirements":[],"constraints":[],"use_cases":[],)"
            R"("target_audience":null,"estimated_cost":null,"timeline":null,"timestamp":""})");
#endif
  return P2J_OK;
}
#else
P2J_EXPORT p2j_status p2j_agent_generate_v1(p2j_instance, p2j_str, p2j_buffer* out) {
  fill(out, R"({"design_type": "general", "category": "custom"})");
  return P2J_OK;
}
#endif
#endif

P2J_EXPORT p2j_status p2j_agent_improve_v1(p2j_instance, p2j_str, p2j_buffer* out) {
  fill(out, "this agent cannot improve");
  return P2J_REFUSED;
}

P2J_EXPORT p2j_status p2j_agent_actions_v1(p2j_instance, p2j_buffer* out) {
  fill(out, "[]");
  return P2J_OK;
}

#ifdef RAW_AUTH
// Accepts the requests that carry "X-Raw-Key: open-sesame", and names the ABI call it was asked through as its
// subject. Since ABI 1.3 the request is a struct with the header names lower-cased; before, it is JSON that
// groups the values of each lower-case name. Since ABI 1.5 the verdict is a struct of slices of *out.
#if RAW_ABI_MINOR >= 3
static bool rawKeyPresented(const p2j_auth_request* request) {
  bool has_key = false;
  for (size_t i = 0; i < request->header_count; ++i) {
    const p2j_header& header = request->headers[i];
    has_key = has_key || (header.name.size == 9 && std::memcmp(header.name.data, "x-raw-key", 9) == 0 &&
                          header.value.size == 11 && std::memcmp(header.value.data, "open-sesame", 11) == 0);
  }
  const bool has_path = request->path.size == 6 && std::memcmp(request->path.data, "/guard", 6) == 0;
  return has_key && has_path;
}
#endif
#if RAW_ABI_MINOR >= 5
P2J_EXPORT p2j_status p2j_auth_authenticate_v3(p2j_instance, const p2j_auth_request* request, p2j_auth_verdict* verdict,
                                               p2j_buffer* out) {
  // "raw-v3" then "admin\0", or the refusal's error and message.
  if (rawKeyPresented(request)) {
    fillBytes(out, "raw-v3admin", 12);  // the literal's own NUL ends the role
    verdict->authenticated = 1;
    verdict->subject = {0, 6};
    verdict->roles = {6, 6};
  } else {
    fill(out, "invalid_requestno raw key");
    verdict->authenticated = 0;
    verdict->error = {0, 15};
    verdict->message = {15, 10};
  }
#ifdef BROKEN_VERDICT
  verdict->message = {static_cast<uint32_t>(out->size), 1};  // one byte past the buffer
#endif
  return P2J_OK;
}
#elif RAW_ABI_MINOR >= 3
P2J_EXPORT p2j_status p2j_auth_authenticate_v2(p2j_instance, const p2j_auth_request* request, p2j_buffer* out) {
  fill(out, rawKeyPresented(request)
                ? R"({"authenticated": true, "subject": "raw-v2", "roles": ["admin"]})"
                : R"({"authenticated": false, "error": "invalid_request", "message": "no raw key"})");
  return P2J_OK;
}
#else
P2J_EXPORT p2j_status p2j_auth_authenticate_v1(p2j_instance, p2j_str request_json, p2j_buffer* out) {
  const std::string_view request(request_json.data, request_json.size);
  const bool has_key = request.find(R"("x-raw-key":["open-sesame"])") != std::string_view::npos;
  const bool has_path = request.find(R"("path":"/guard")") != std::string_view::npos;
  fill(out, has_key && has_path ? R"({"authenticated": true, "subject": "raw-v1", "roles": ["admin"]})"
                                : R"({"authenticated": false, "error": "invalid_request", "message": "no raw key"})");
  return P2J_OK;
}
#endif

P2J_EXPORT p2j_status p2j_auth_issue_v1(p2j_instance, p2j_str, p2j_buffer* out) {
  fill(out, "this scheme issues no tokens");
  return P2J_REFUSED;
}
#endif

#ifdef RAW_STORAGE
// get() answers the last record inserted, as received: since ABI 1.6 its fields as "name=kind:value" lines,
// before it the JSON text; since 1.7 the last batch, each record's lines after its collection's. The id names
// the insert call.
static std::string last_record;

#if RAW_ABI_MINOR >= 6
P2J_EXPORT p2j_status p2j_storage_insert_v2(p2j_instance, p2j_str, const p2j_record_field* fields, size_t field_count,
                                            p2j_inserted* inserted, p2j_buffer* out) {
  last_record.clear();
  for (size_t i = 0; i < field_count; ++i) {
    last_record.append(fields[i].name.data, fields[i].name.size).append("=");
    last_record.append(std::to_string(fields[i].kind)).append(":");
    last_record.append(fields[i].value.data, fields[i].value.size).append("\n");
  }
  fill(out, "raw-v22026-12-03T10:00:00.000000Z");
  inserted->id = {0, 6};
  inserted->created_at = {6, 27};
#if BROKEN_INSERTED == 1
  inserted->created_at = {6, 28};  // one byte past the buffer
#elif BROKEN_INSERTED == 2
  inserted->struct_size = sizeof(uint32_t);  // as if its header had no id and created_at
#elif BROKEN_INSERTED == 3
  inserted->id = {0, 0};
#endif
  return P2J_OK;
}
#endif

#if RAW_ABI_MINOR >= 7 && !defined(BROKEN_NO_INSERT_ALL)
// Keeps the batch as "[collection]" lines, each followed by its fields' lines; record i's id is "raw-a<i>".
P2J_EXPORT p2j_status p2j_storage_insert_all_v1(p2j_instance, const p2j_record_to_insert* records, size_t record_count,
                                                p2j_inserted* const* inserted, p2j_buffer* out) {
  last_record.clear();
  std::string texts;
  for (size_t r = 0; r < record_count; ++r) {
    last_record.append("[").append(records[r].collection.data, records[r].collection.size).append("]\n");
    for (size_t i = 0; i < records[r].field_count; ++i) {
      const p2j_record_field& field = records[r].fields[i];
      last_record.append(field.name.data, field.name.size).append("=");
      last_record.append(std::to_string(field.kind)).append(":");
      last_record.append(field.value.data, field.value.size).append("\n");
    }
    const std::string id = "raw-a" + std::to_string(r);
    inserted[r]->id = {static_cast<uint32_t>(texts.size()), static_cast<uint32_t>(id.size())};
    texts.append(id);
    inserted[r]->created_at = {static_cast<uint32_t>(texts.size()), 27};
    texts.append("2026-12-03T10:00:00.000000Z");
#if BROKEN_INSERTED == 1
    inserted[r]->created_at.size = 28;  // one byte past this record's slice, and past the buffer for the last
#elif BROKEN_INSERTED == 2
    inserted[r]->struct_size = sizeof(uint32_t);
#elif BROKEN_INSERTED == 3
    inserted[r]->id = {0, 0};
#endif
  }
  fillBytes(out, texts.data(), texts.size());
  return P2J_OK;
}
#endif

P2J_EXPORT p2j_status p2j_storage_insert_v1(p2j_instance, p2j_str, p2j_str record_json, p2j_buffer* out) {
  last_record.assign(record_json.data, record_json.size);
  fill(out, R"({"id": "raw-v1", "created_at": "2026-12-03T10:00:00.000000Z"})");
  return P2J_OK;
}

P2J_EXPORT p2j_status p2j_storage_get_v1(p2j_instance, p2j_str, p2j_str, p2j_buffer* out) {
  fillBytes(out, last_record.data(), last_record.size());
  return P2J_OK;
}

P2J_EXPORT p2j_status p2j_storage_find_v1(p2j_instance, p2j_str, p2j_str, p2j_buffer* out) {
  fill(out, "[]");
  return P2J_OK;
}

P2J_EXPORT p2j_status p2j_storage_prune_v1(p2j_instance, p2j_str, p2j_str, p2j_buffer* out) {
  fill(out, R"({"pruned": 0, "remaining": 0})");
  return P2J_OK;
}

P2J_EXPORT p2j_status p2j_storage_counts_v1(p2j_instance, p2j_buffer* out) {
  fill(out, "{}");
  return P2J_OK;
}

P2J_EXPORT p2j_status p2j_storage_migrate_v1(p2j_instance, p2j_str, p2j_buffer* out) {
  fill(out, R"({"version": 0, "latest": 0, "applied": [], "missing": []})");
  return P2J_OK;
}
#endif

}  // extern "C"
