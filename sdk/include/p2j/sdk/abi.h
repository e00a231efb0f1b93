/*
 * The p2j plugin ABI: the only contract between the host and a plugin shared library.
 *
 * Everything that crosses the boundary is plain C: UTF-8 JSON text in {pointer, length} views, results
 * in buffers that the plugin allocates and the host hands back to the plugin's own p2j_buffer_free_v1, and
 * errors as status values with a message. No exception and no C++ type ever crosses it, so a plugin may be
 * built with another compiler or standard library than the host.
 *
 * Versioning: the host loads a plugin when abi_major equals P2J_ABI_MAJOR and the plugin's abi_minor is
 * not newer than the host's. A minor version only ever adds symbols or appends struct fields (struct_size
 * tells which fields a plugin filled in); anything else is a major version.
 *
 * Plugin authors normally never use this header directly: p2j/sdk/plugin.hpp emits these symbols from a
 * C++ class and one export macro.
 */
#ifndef P2J_SDK_ABI_H
#define P2J_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define P2J_ABI_MAJOR 1
#define P2J_ABI_MINOR 7

#if defined(__GNUC__)
#define P2J_EXPORT __attribute__((visibility("default")))
#else
#define P2J_EXPORT
#endif

typedef enum p2j_plugin_kind {
  P2J_KIND_AGENT = 1,     /* prompt -> design spec */
  P2J_KIND_EVALUATOR = 2, /* design spec + prompt -> evaluation */
  P2J_KIND_STORAGE = 3,   /* durable records: specs, evaluations, ... */
  P2J_KIND_AUTH = 4,      /* request headers -> principal; may also issue tokens */
  P2J_KIND_FEEDBACK = 5,  /* design spec + its evaluation -> suggestions for people (since ABI 1.1) */
  P2J_KIND_CACHE = 6      /* bytes under keys, for a while (since ABI 1.2) */
} p2j_plugin_kind;

/* Outcome of every call. The host maps them to HTTP statuses: INVALID_INPUT and REFUSED -> 422,
 * NOT_FOUND -> 404, UNAVAILABLE -> 503, INTERNAL -> 500 (the message is logged, never sent). */
typedef enum p2j_status {
  P2J_OK = 0,
  P2J_INVALID_INPUT = 1, /* the input is malformed for this plugin (message names the field) */
  P2J_REFUSED = 2,       /* well-formed, but the plugin declines it (e.g. not a design request) */
  P2J_NOT_FOUND = 3,     /* the record asked for does not exist */
  P2J_UNAVAILABLE = 4,   /* a dependency is down; retrying later may work */
  P2J_INTERNAL = 5       /* a bug or an unexpected failure inside the plugin */
} p2j_status;

/* A read-only view of UTF-8 text owned by the caller; not NUL-terminated. */
typedef struct p2j_str {
  const char* data;
  size_t size;
} p2j_str;

/* Text produced by the plugin: the result JSON on P2J_OK, the error message otherwise. The host returns
 * every non-empty buffer to the plugin's p2j_buffer_free_v1, because only the plugin knows its allocator. */
typedef struct p2j_buffer {
  char* data;
  size_t size;
} p2j_buffer;

/* `size` bytes from `offset` of a buffer the plugin returned (since ABI 1.5). */
typedef struct p2j_slice {
  uint32_t offset;
  uint32_t size;
} p2j_slice;

/* The plugin promises that one instance may be called from many threads at once, and the host does so.
 * Without it (since ABI 1.2) the host calls each instance from one thread at a time, health() included;
 * hosts before 1.2 refused such plugins. */
#define P2J_PLUGIN_THREAD_SAFE 0x1u

/* What an instance reports of itself through p2j_plugin_health_v2 (since ABI 1.2). */
typedef enum p2j_health_state {
  P2J_HEALTH_OK = 0,       /* serving fully */
  P2J_HEALTH_DEGRADED = 1, /* serving, but not fully: e.g. a storage that spools writes while its database is
                            * unreachable; /readyz still answers 200 */
  P2J_HEALTH_DOWN = 2      /* cannot serve: /readyz answers 503 */
} p2j_health_state;

typedef struct p2j_plugin_info {
  uint32_t struct_size; /* sizeof(p2j_plugin_info) as the plugin was compiled */
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t kind; /* p2j_plugin_kind */
  uint32_t flags;
  const char* name;               /* the name used in YAML `use:`, e.g. "agent-rules" */
  const char* version;            /* the plugin's own version, e.g. "1.2.0" */
  const char* description;        /* one line for `p2j plugins` */
  const char* config_schema_json; /* JSON Schema (draft 7) of the instance config */
} p2j_plugin_info;

typedef void* p2j_instance;

/* ---- Mandatory in every plugin -------------------------------------------------------------------- */

/* Static data; callable before anything else and at any time. */
P2J_EXPORT const p2j_plugin_info* p2j_plugin_info_v1(void);

/* Creates an instance from its config (a JSON object, already validated against config_schema_json).
 * On failure *error holds the reason and *instance is untouched. */
P2J_EXPORT p2j_status p2j_plugin_create_v1(p2j_str config_json, p2j_instance* instance, p2j_buffer* error);

P2J_EXPORT void p2j_plugin_destroy_v1(p2j_instance instance);

/* The instance's state (since ABI 1.2; plugins built against 1.0 and 1.1 export p2j_plugin_health_v1
 * instead). *state: a p2j_health_state; *detail: a JSON object describing it (may be empty), for the
 * operator's log. Returns P2J_OK when it could tell its state; any other status means it could not and
 * counts as down, its message being the detail. */
P2J_EXPORT p2j_status p2j_plugin_health_v2(p2j_instance instance, uint32_t* state, p2j_buffer* detail);

/* ABI 1.0 and 1.1: P2J_OK when the instance can serve; *detail is a JSON object describing its state. The
 * host reads P2J_OK as ok, or as degraded when the detail has "degraded": true (what 1.1 documented), and
 * any other status as down. Not called for plugins built against 1.2 or newer. */
P2J_EXPORT p2j_status p2j_plugin_health_v1(p2j_instance instance, p2j_buffer* detail);

P2J_EXPORT void p2j_buffer_free_v1(p2j_buffer* buffer);

/* ---- Agent (P2J_KIND_AGENT) ----------------------------------------------------------------------- */

/* Since ABI 1.4. *out: the design spec exactly as the SDK of this ABI version writes a p2j::sdk::DesignSpec
 * (sdk::serialize): compact UTF-8, every field in the order of sdk/schemas/design-spec.schema.json. The host
 * passes the text on as it is, to clients, caches and storage, so that a spec is written once rather than
 * parsed and written again by the host; it checks only that the text is one well-formed JSON object. A later
 * ABI that changes the spec's shape adds p2j_agent_generate_v3. */
P2J_EXPORT p2j_status p2j_agent_generate_v2(p2j_instance instance, p2j_str prompt, p2j_buffer* out);

/* ABI 1.0 to 1.3: *out is any design spec JSON object (see sdk/schemas/design-spec.schema.json); the host
 * reads it as a DesignSpec and writes it again. Not called for plugins built against 1.4 or newer. */
P2J_EXPORT p2j_status p2j_agent_generate_v1(p2j_instance instance, p2j_str prompt, p2j_buffer* out);

/* Improves a spec given how it was evaluated.
 * request_json: {"prompt": "...", "spec": {...}, "evaluation": {...}, "action": "<name>"}; "action" is one of
 * p2j_agent_actions_v1's names, or absent to let the agent act on all the evaluation found. An agent acts on
 * the evaluation's "findings" (see p2j_evaluator_evaluate_v1), never on the wording of its feedback; without
 * findings it decides from the spec itself.
 * *out: {"spec": {...}, "changes": ["what was changed, for people", ...]}. An agent that cannot improve
 * returns P2J_REFUSED. */
P2J_EXPORT p2j_status p2j_agent_improve_v1(p2j_instance instance, p2j_str request_json, p2j_buffer* out);

/* *out: the improvement actions this agent knows, [{"name": "...", "description": "..."}, ...] (may be []). */
P2J_EXPORT p2j_status p2j_agent_actions_v1(p2j_instance instance, p2j_buffer* out);

/* ---- Evaluator (P2J_KIND_EVALUATOR) --------------------------------------------------------------- */

/* *out: an evaluation JSON object {score, completeness, format_validity, feasibility, feedback, suggestions,
 * timestamp, grade?, findings?}; "grade" is optional (the evaluator's letter for the score, when it grades).
 * "findings" (since ABI 1.2) is what programs act on, one object per problem found:
 *   {"criterion": "<the evaluator's stable id of the check>", "field": "<path into the spec, e.g.
 *    dimensions.height; empty for the whole spec>", "severity": "info" | "warning" | "error",
 *    "action": "add" | "specify" | "correct" | "review" (words may be added; skip unknown ones),
 *    "message": "<for people, as in feedback>"}
 * No "findings" means the evaluator does not report them (every evaluator built against ABI 1.0 or 1.1);
 * [] means it found nothing. The host stores the evaluation with its findings and passes them on to agents
 * and feedback plugins unchanged. */
P2J_EXPORT p2j_status p2j_evaluator_evaluate_v1(p2j_instance instance, p2j_str spec_json, p2j_str prompt,
                                                p2j_buffer* out);

/* ---- Feedback (P2J_KIND_FEEDBACK, since ABI 1.1) ------------------------------------------------- */

/* Reviews a spec the way a person would, after it was evaluated; the improvement pipelines report it with
 * every round. request_json: {"prompt": "...", "spec": {...}, "evaluation": {...}}.
 * *out: {"feedback_type": "...", "suggestions": ["...", ...], "confidence": 0..1, "source": "..."}. */
P2J_EXPORT p2j_status p2j_feedback_review_v1(p2j_instance instance, p2j_str request_json, p2j_buffer* out);

/* ---- Storage (P2J_KIND_STORAGE) ------------------------------------------------------------------- */
/* Records are JSON objects of a named collection ("specs", ...). A storage plugin documents the
 * collections it knows; an unknown collection is P2J_INVALID_INPUT. */

/* The kinds of a record's top-level field (since ABI 1.6). */
typedef enum p2j_field_kind {
  P2J_FIELD_TEXT = 1,   /* a JSON string: value is its text, unescaped */
  P2J_FIELD_NUMBER = 2, /* a JSON number: value is its JSON text, "4" or "87.5" */
  P2J_FIELD_JSON = 3,   /* a JSON object or array: value is its JSON text, well-formed (the host checked it) */
  /* Since ABI 1.7, only in p2j_storage_insert_all_v1: the id of an earlier record of the same call, which
   * the storage chooses; value is that record's index in decimal ("0"). The field is stored as that id's text. */
  P2J_FIELD_RECORD_ID = 4
} p2j_field_kind;

/* One top-level field of a record to insert (since ABI 1.6). */
typedef struct p2j_record_field {
  p2j_str name;
  p2j_str value;
  uint32_t kind; /* a p2j_field_kind */
} p2j_record_field;

/* Where p2j_storage_insert_v2 puts the stored record's identity (since ABI 1.6): slices of the call's *out
 * buffer. The host zeroes it and sets struct_size to the size it was compiled with; a plugin fills only the
 * fields that fit in struct_size. */
typedef struct p2j_inserted {
  uint32_t struct_size;
  p2j_slice id;         /* "<uuid>" */
  p2j_slice created_at; /* "<UTC ISO 8601>" */
} p2j_inserted;

/* Durably stores a record; returns only after it is committed (since ABI 1.6, called instead of
 * p2j_storage_insert_v1 for plugins built against 1.6 or newer). The record arrives as its top-level fields,
 * each name once, so that the host does not write it as JSON for the plugin to parse again: a spec's text is
 * checked once, by the host. On P2J_OK *inserted holds slices of *out; otherwise *out is the message. */
P2J_EXPORT p2j_status p2j_storage_insert_v2(p2j_instance instance, p2j_str collection, const p2j_record_field* fields,
                                            size_t field_count, p2j_inserted* inserted, p2j_buffer* out);

/* One record of p2j_storage_insert_all_v1 (since ABI 1.7): its collection and its top-level fields, as
 * p2j_storage_insert_v2 takes them. */
typedef struct p2j_record_to_insert {
  p2j_str collection;
  const p2j_record_field* fields;
  size_t field_count;
} p2j_record_to_insert;

/* Durably stores several records in one transaction: returns only after all of them are committed, and on
 * failure none of them is (since ABI 1.7). A record may refer to an earlier one of the call by a
 * P2J_FIELD_RECORD_ID field (an evaluation to the spec it scored): the storage stores the earlier record's id
 * there. inserted[i], one struct per record, each zeroed by the host with its struct_size set, gets record
 * i's identity as p2j_storage_insert_v2 gives it, as slices of the one *out; otherwise *out is the message. */
P2J_EXPORT p2j_status p2j_storage_insert_all_v1(p2j_instance instance, const p2j_record_to_insert* records,
                                                size_t record_count, p2j_inserted* const* inserted, p2j_buffer* out);

/* ABI 1.0 to 1.5: the same with the record as one JSON object.
 * *out: {"id": "<uuid>", "created_at": "<UTC ISO 8601>"}. */
P2J_EXPORT p2j_status p2j_storage_insert_v1(p2j_instance instance, p2j_str collection, p2j_str record_json,
                                            p2j_buffer* out);

/* *out: the record with its "id" and "created_at", or P2J_NOT_FOUND. */
P2J_EXPORT p2j_status p2j_storage_get_v1(p2j_instance instance, p2j_str collection, p2j_str id, p2j_buffer* out);

/* Records of a collection, as a JSON array. query_json:
 *   {"where": {"<field>": <string or number>, ...},  equality on the collection's filterable fields
 *    "order_by": "<field>",                          default "created_at"
 *    "descending": false, "limit": 100,              limit 1..1000
 *    "fields": ["<field>", ...]}                     optional: each record has only these besides "id" and
 *                                                    "created_at" (storages that predate it send every field)
 * Ties in the order are broken by insertion order, so results are stable. */
P2J_EXPORT p2j_status p2j_storage_find_v1(p2j_instance instance, p2j_str collection, p2j_str query_json,
                                          p2j_buffer* out);

/* Deletes the records of `collection` whose created_at is before `before` (UTC ISO 8601).
 * *out: {"pruned": <deleted>, "remaining": <left>}. */
P2J_EXPORT p2j_status p2j_storage_prune_v1(p2j_instance instance, p2j_str collection, p2j_str before, p2j_buffer* out);

/* *out: {"<collection>": <record count>, ...} for every collection, a cheap statistics call. */
P2J_EXPORT p2j_status p2j_storage_counts_v1(p2j_instance instance, p2j_buffer* out);

/* The storage's versioned schema. mode "check" only reports; mode "apply" applies the missing migrations in
 * order, each in its own transaction, and is idempotent. *out:
 *   {"version": <the schema version now>, "latest": <the newest version this plugin knows>,
 *    "applied": ["0002_x", ...],   applied by this call, oldest first ([] for "check")
 *    "missing": ["0003_y", ...]}   known to the plugin but not in the database, oldest first
 * A database that has a migration this plugin does not know (written by a newer p2j) is P2J_INVALID_INPUT,
 * with a message naming its version and saying to upgrade p2j; an unreachable database is P2J_UNAVAILABLE. */
P2J_EXPORT p2j_status p2j_storage_migrate_v1(p2j_instance instance, p2j_str mode, p2j_buffer* out);

/* ---- Auth (P2J_KIND_AUTH) ------------------------------------------------------------------------- */

/* One request header (since ABI 1.3): its name in lower case, its value as it arrived. A header sent several
 * times appears once each time, in the order sent. */
typedef struct p2j_header {
  p2j_str name;
  p2j_str value;
} p2j_header;

/* What an auth plugin sees of a request (since ABI 1.3). Every view is valid for the call only. */
typedef struct p2j_auth_request {
  uint32_t struct_size; /* sizeof(p2j_auth_request) as the host was compiled; later fields are appended */
  p2j_str method;       /* "POST" */
  p2j_str path;         /* "/generate", without the query */
  p2j_str client_ip;    /* "127.0.0.1" */
  const p2j_header* headers;
  size_t header_count;
} p2j_auth_request;

/* An auth plugin's verdict (since ABI 1.5). The host zeroes it and sets struct_size to the size it was
 * compiled with; a plugin fills only the fields that fit in struct_size. Every text is a slice of the call's
 * *out buffer, which holds all of them: one allocation a call, and nothing for the host to parse. */
typedef struct p2j_auth_verdict {
  uint32_t struct_size;
  uint32_t authenticated; /* 1: the request is authenticated; 0: refused, and the host answers 401 */
  p2j_slice subject;      /* who, for the access log and the endpoints */
  p2j_slice roles;        /* the role names in order, each followed by a NUL byte: "admin\0ops\0" */
  p2j_slice token_use;    /* "access" (empty reads as "access") */
  p2j_slice error;        /* refused: "invalid_token", "invalid_request", ... */
  p2j_slice message;      /* refused: for people, sent in the 401 body */
  p2j_slice challenge;    /* refused: the WWW-Authenticate value, e.g. Bearer realm="p2j", error="invalid_token" */
} p2j_auth_verdict;

/* Since ABI 1.5. Always P2J_OK unless the plugin itself fails, with the verdict in *verdict and its texts in
 * *out; on any other status *out is the message and *verdict is not read. */
P2J_EXPORT p2j_status p2j_auth_authenticate_v3(p2j_instance instance, const p2j_auth_request* request,
                                               p2j_auth_verdict* verdict, p2j_buffer* out);

/* ABI 1.3 and 1.4; plugins built against 1.0 to 1.2 export p2j_auth_authenticate_v1 instead. The request
 * arrives as a struct, so that an endpoint guarded by several schemes does not write its headers as JSON and
 * have each scheme parse them again. Not called for plugins built against 1.5 or newer.
 * Always P2J_OK unless the plugin itself fails; the verdict is a value:
 *   {"authenticated": true, "subject": "...", "roles": ["admin", ...], "token_use": "access"}
 *   {"authenticated": false, "error": "invalid_token", "message": "for people",
 *    "challenge": "Bearer realm=\"p2j\", error=\"invalid_token\""}   -> the host answers 401 */
P2J_EXPORT p2j_status p2j_auth_authenticate_v2(p2j_instance instance, const p2j_auth_request* request, p2j_buffer* out);

/* ABI 1.0 to 1.2: the same with the request as JSON; not called for plugins built against 1.3 or newer.
 * request_json: {"method": "POST", "path": "/generate", "client_ip": "127.0.0.1",
 *                "headers": {"<lower-case name>": ["value", ...], ...}} */
P2J_EXPORT p2j_status p2j_auth_authenticate_v1(p2j_instance instance, p2j_str request_json, p2j_buffer* out);

/* Issues tokens, for schemes that can (others return P2J_REFUSED).
 * request_json: {"grant": "subject", "subject": "...", "roles": [...]}    the host has checked the password
 *            or {"grant": "refresh_token", "refresh_token": "..."}
 * *out: {"access_token": "...", "token_type": "bearer", "expires_in": <seconds>, "refresh_token": "..."};
 * an invalid refresh token is P2J_INVALID_INPUT. */
P2J_EXPORT p2j_status p2j_auth_issue_v1(p2j_instance instance, p2j_str request_json, p2j_buffer* out);

/* ---- Cache (P2J_KIND_CACHE, since ABI 1.2) -------------------------------------------------------- */
/* Keys and values are bytes (any content, not NUL-terminated). The host decides what it caches and under
 * which key; a cache plugin only keeps bytes for a while. A cache only saves work: the host treats a failed
 * get as a miss and a failed set as not kept, and goes on. */

/* P2J_OK with the value in *out, or P2J_NOT_FOUND when the key is absent or expired. */
P2J_EXPORT p2j_status p2j_cache_get_v1(p2j_instance instance, p2j_str key, p2j_buffer* out);

/* Keeps `value` under `key` for ttl_ms milliseconds (0: the instance's default TTL; more than a year is cut to
 * a year), replacing what the key held. A value the cache will not keep (too large) is P2J_INVALID_INPUT,
 * and the key then holds nothing.
 * *out is empty on P2J_OK. */
P2J_EXPORT p2j_status p2j_cache_set_v1(p2j_instance instance, p2j_str key, p2j_str value, uint64_t ttl_ms,
                                       p2j_buffer* out);

/* Removes the key. *out: {"deleted": true|false}. P2J_UNAVAILABLE when the cache cannot say the key is gone. */
P2J_EXPORT p2j_status p2j_cache_delete_v1(p2j_instance instance, p2j_str key, p2j_buffer* out);

/* *out: {"backend": "memory"|"redis"|..., "hits", "misses", "sets", "deletes",   calls answered in this process
 *        "entries", "bytes", "max_bytes", "evictions", "expirations",           what this process holds
 *        "connected": true|false}                                               a shared backend only
 * (all counts non-negative integers). */
P2J_EXPORT p2j_status p2j_cache_stats_v1(p2j_instance instance, p2j_buffer* out);

#ifdef __cplusplus
}
#endif

#endif /* P2J_SDK_ABI_H */
