// Write a p2j plugin as a C++ class: derive from Agent, Evaluator, FeedbackAgent, Storage, Auth or Cache, give the
// class a constructor taking its (already validated) JSON config, and export it with the matching macro:
//
//   class MyEvaluator : public p2j::sdk::Evaluator {
//    public:
//     explicit MyEvaluator(const rapidjson::Value& config);
//     p2j::sdk::Evaluation evaluate(const p2j::sdk::DesignSpec& spec, std::string_view prompt) override;
//   };
//   P2J_EXPORT_EVALUATOR(MyEvaluator, "my-evaluator", "1.0.0", "What it scores", R"({"type": "object"})")
//
// A class whose instances may be called from many threads at once says so, and the host then calls it
// concurrently; without it, the host calls each instance from one thread at a time:
//
//     static constexpr bool kThreadSafe = true;
//
// The macro emits the C entry points of p2j/sdk/abi.h and catches every exception at the boundary:
// throw Refused / InvalidInput / NotFound / Unavailable for the matching status; anything else becomes
// P2J_INTERNAL, whose message the host logs but never shows a client.
#pragma once

#include <p2j/sdk/abi.h>
#include <p2j/sdk/auth.hpp>
#include <p2j/sdk/cache.hpp>
#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>
#include <p2j/sdk/feedback.hpp>
#include <p2j/sdk/health.hpp>
#include <p2j/sdk/improvement.hpp>
#include <p2j/sdk/json.hpp>
#include <p2j/sdk/storage.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::sdk {

class PluginError : public std::runtime_error {
 public:
  PluginError(p2j_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  p2j_status status() const { return status_; }

 private:
  p2j_status status_;
};

struct Refused : PluginError {
  explicit Refused(const std::string& message) : PluginError(P2J_REFUSED, message) {}
};
struct InvalidInput : PluginError {
  explicit InvalidInput(const std::string& message) : PluginError(P2J_INVALID_INPUT, message) {}
};
struct NotFound : PluginError {
  explicit NotFound(const std::string& message) : PluginError(P2J_NOT_FOUND, message) {}
};
struct Unavailable : PluginError {
  explicit Unavailable(const std::string& message) : PluginError(P2J_UNAVAILABLE, message) {}
};

class Plugin {
 public:
  // Not thread-safe unless the class says otherwise: a plugin that forgets to say is then slower (its calls
  // are serialized), never wrong. Shadow it with `static constexpr bool kThreadSafe = true;` when one
  // instance may be called from many threads at once.
  static constexpr bool kThreadSafe = false;

  virtual ~Plugin() = default;
  virtual Health health() { return {}; }
};

class Agent : public Plugin {
 public:
  static constexpr p2j_plugin_kind kKind = P2J_KIND_AGENT;
  // Throws Refused when the prompt asks for no design.
  virtual DesignSpec generate(std::string_view prompt) = 0;
  // A better spec given its evaluation; agents that cannot improve keep this default.
  virtual Improvement improve(const ImproveRequest& /*request*/) {
    throw Refused("this agent cannot improve specifications");
  }
  // The improvement actions improve() accepts by name (what a learner can choose between).
  virtual std::vector<ImprovementAction> actions() { return {}; }
};

class Evaluator : public Plugin {
 public:
  static constexpr p2j_plugin_kind kKind = P2J_KIND_EVALUATOR;
  virtual Evaluation evaluate(const DesignSpec& spec, std::string_view prompt) = 0;
};

class FeedbackAgent : public Plugin {
 public:
  static constexpr p2j_plugin_kind kKind = P2J_KIND_FEEDBACK;
  virtual FeedbackReport review(const FeedbackRequest& request) = 0;
};

class Storage : public Plugin {
 public:
  static constexpr p2j_plugin_kind kKind = P2J_KIND_STORAGE;
  // Returns once the record is committed. Throws InvalidInput for an unknown collection or a record
  // that lacks a required field, Unavailable when the database cannot be reached. A JSON field is best kept
  // as record.fieldText() gives it: the host's bytes, not written again.
  virtual InsertedRecord insert(std::string_view collection, const RecordToInsert& record) = 0;
  // Inserts the records in one transaction and returns their identities, in order, once all are committed;
  // on failure none may be kept. A record's P2J_FIELD_RECORD_ID fields name earlier records of the batch
  // (resolveRecordIds turns them into their ids). This default, for storages without transactions, inserts
  // the records one after another: a failure leaves the records before it stored.
  virtual std::vector<InsertedRecord> insertAll(std::span<const RecordOfBatch> records) {
    std::vector<InsertedRecord> inserted;
    inserted.reserve(records.size());
    for (const RecordOfBatch& record : records) {
      const std::vector<p2j_record_field> fields = resolveRecordIds(record.fields, inserted);
      inserted.push_back(insert(record.collection, RecordToInsert(fields)));
    }
    return inserted;
  }
  // The stored record as JSON text (with "id" and "created_at"), or nullopt when there is none.
  virtual std::optional<std::string> get(std::string_view collection, std::string_view id) = 0;
  // Matching records as a JSON array text; throws InvalidInput for a field that cannot be filtered on.
  virtual std::string find(std::string_view collection, const FindQuery& query) = 0;
  // Deletes records created before `before` (UTC ISO 8601).
  virtual PruneResult prune(std::string_view collection, std::string_view before) = 0;
  virtual std::map<std::string, int64_t> counts() = 0;
  // Reports the schema (apply=false) or brings it to the newest version this plugin knows (apply=true).
  // Throws InvalidInput for a database written by a newer plugin. Storages without a versioned schema keep
  // this default: nothing to apply, nothing missing.
  virtual MigrationReport migrate(bool /*apply*/) { return {}; }
};

class Auth : public Plugin {
 public:
  static constexpr p2j_plugin_kind kKind = P2J_KIND_AUTH;
  virtual AuthVerdict authenticate(const AuthRequest& request) = 0;
  // Schemes that issue tokens override this; throw InvalidInput for a bad refresh token.
  virtual IssuedTokens issue(const TokenGrant& /*grant*/) { throw Refused("this auth scheme does not issue tokens"); }
};

class Cache : public Plugin {
 public:
  static constexpr p2j_plugin_kind kKind = P2J_KIND_CACHE;
  // The value (bytes) under `key`, or nullopt when it is absent or expired.
  virtual std::optional<std::string> get(std::string_view key) = 0;
  // Keeps `value` for `ttl` (zero: the instance's default; at most a year), replacing what the key held. Throw
  // InvalidInput for a value the cache will not keep, after removing what the key held.
  virtual void set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) = 0;
  // True when the key held something; throw Unavailable when the cache cannot say the key is gone.
  virtual bool erase(std::string_view key) = 0;
  virtual CacheStats stats() = 0;
};

namespace detail {

inline void fillBuffer(p2j_buffer* buffer, std::string_view text) noexcept {
  if (buffer == nullptr) return;
  buffer->data = static_cast<char*>(std::malloc(text.size() + 1));
  if (buffer->data == nullptr) {
    buffer->size = 0;
    return;
  }
  std::memcpy(buffer->data, text.data(), text.size());
  buffer->data[text.size()] = '\0';
  buffer->size = text.size();
}

inline void freeBuffer(p2j_buffer* buffer) noexcept {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

// The request as an auth plugin's class sees it. Names arrive in lower case (the ABI promises it); a header
// sent several times keeps its values in the order sent.
inline AuthRequest authRequest(const p2j_auth_request* request) {
  if (request == nullptr) throw InvalidInput("no request");
  AuthRequest converted{view(request->method), view(request->path), view(request->client_ip), {}};
  if (request->headers == nullptr) return converted;
  converted.headers.reserve(request->header_count);
  for (size_t i = 0; i < request->header_count; ++i) {
    converted.headers.emplace_back(view(request->headers[i].name), view(request->headers[i].value));
  }
  return converted;
}

// Lays `verdict` out as ABI 1.5 passes it: the texts one after another in the returned string, each field of
// `out` (as far as out->struct_size reaches) a slice of it.
inline std::string packVerdict(const AuthVerdict& verdict, p2j_auth_verdict* out) {
  if (out == nullptr) throw std::invalid_argument("no verdict to fill");
  std::string texts;
  size_t total = verdict.subject.size() + verdict.token_use.size() + verdict.error.size() + verdict.message.size() +
                 verdict.challenge.size();
  for (const auto& role : verdict.roles) total += role.size() + 1;
  if (total > UINT32_MAX) throw std::length_error("the verdict is too large");
  texts.reserve(total);
  auto slice = [&](std::string_view text) {
    const p2j_slice placed{static_cast<uint32_t>(texts.size()), static_cast<uint32_t>(text.size())};
    texts.append(text);
    return placed;
  };
  p2j_auth_verdict packed{};
  packed.authenticated = verdict.authenticated ? 1u : 0u;
  packed.subject = slice(verdict.subject);
  packed.roles.offset = static_cast<uint32_t>(texts.size());
  for (const auto& role : verdict.roles) {
    if (role.find('\0') != std::string::npos) throw std::invalid_argument("a role name holds a NUL byte");
    texts.append(role);
    texts.push_back('\0');
  }
  packed.roles.size = static_cast<uint32_t>(texts.size() - packed.roles.offset);
  packed.token_use = slice(verdict.token_use);
  packed.error = slice(verdict.error);
  packed.message = slice(verdict.message);
  packed.challenge = slice(verdict.challenge);
  // Only the fields the host knows: a host compiled against an older header passes a smaller struct.
  const size_t filled = std::min<size_t>(out->struct_size, sizeof packed);
  if (filled < sizeof(uint32_t)) throw std::invalid_argument("the verdict struct is too small");
  packed.struct_size = static_cast<uint32_t>(filled);
  std::memcpy(out, &packed, filled);
  return texts;
}

// Throws unless the host passed a struct that can take the insert's id: checked before the insert, so that a
// record is never committed and then reported as failed.
inline void requireInsertResult(const p2j_inserted* out) {
  if (out == nullptr || out->struct_size < sizeof(uint32_t)) {
    throw std::invalid_argument("no insert result struct to fill");
  }
}

// Points `out` (as far as out->struct_size reaches) at `inserted` in a result string where its id starts at
// `base` and its created_at follows.
inline void fillInserted(const InsertedRecord& inserted, size_t base, p2j_inserted* out) {
  if (base + inserted.id.size() + inserted.created_at.size() > UINT32_MAX)
    throw std::length_error("the id is too large");
  p2j_inserted packed{};
  packed.id = {static_cast<uint32_t>(base), static_cast<uint32_t>(inserted.id.size())};
  packed.created_at = {static_cast<uint32_t>(base + inserted.id.size()),
                       static_cast<uint32_t>(inserted.created_at.size())};
  const size_t filled = std::min<size_t>(out->struct_size, sizeof packed);
  packed.struct_size = static_cast<uint32_t>(filled);
  std::memcpy(out, &packed, filled);
}

// Lays `inserted` out as ABI 1.6 passes it: the id then created_at in the returned string, each field of
// `out` (as far as out->struct_size reaches) a slice of it.
inline std::string packInserted(const InsertedRecord& inserted, p2j_inserted* out) {
  requireInsertResult(out);
  fillInserted(inserted, 0, out);
  return inserted.id + inserted.created_at;
}

// Lays the identities of a batch out as p2j_storage_insert_all_v1 passes them: each id then its created_at in
// the returned string, out[i]'s fields slices of it (each out[i] checked by batchRecords before the insert).
inline std::string packAllInserted(const std::vector<InsertedRecord>& inserted, p2j_inserted* const* out,
                                   size_t count) {
  if (inserted.size() != count) throw std::logic_error("the storage returned another number of identities");
  std::string texts;
  for (size_t i = 0; i < count; ++i) {
    fillInserted(inserted[i], texts.size(), out[i]);
    texts.append(inserted[i].id).append(inserted[i].created_at);
  }
  return texts;
}

// The records of a p2j_storage_insert_all_v1 call, each result struct checked before anything is inserted.
inline std::vector<RecordOfBatch> batchRecords(const p2j_record_to_insert* records, size_t count,
                                               p2j_inserted* const* inserted) {
  if (count > 0 && (records == nullptr || inserted == nullptr)) throw std::invalid_argument("no records");
  std::vector<RecordOfBatch> batch;
  batch.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    requireInsertResult(inserted[i]);
    if (records[i].fields == nullptr && records[i].field_count > 0) throw std::invalid_argument("no fields");
    batch.push_back({view(records[i].collection), {records[i].fields, records[i].field_count}});
  }
  return batch;
}

// Runs `body` (which returns the result text) and turns every exception into a status and message.
template <typename Body>
p2j_status guarded(p2j_buffer* out, Body&& body) noexcept {
  try {
    fillBuffer(out, body());
    return P2J_OK;
  } catch (const PluginError& e) {
    fillBuffer(out, e.what());
    return e.status();
  } catch (const FieldError& e) {
    fillBuffer(out, e.what());
    return P2J_INVALID_INPUT;
  } catch (const JsonSyntaxError& e) {
    fillBuffer(out, e.what());
    return P2J_INVALID_INPUT;
  } catch (const std::exception& e) {
    fillBuffer(out, e.what());
    return P2J_INTERNAL;
  } catch (...) {
    fillBuffer(out, "unknown exception");
    return P2J_INTERNAL;
  }
}

template <typename PluginClass>
p2j_status create(p2j_str config, p2j_instance* instance, p2j_buffer* error) noexcept {
  if (instance == nullptr) return P2J_INVALID_INPUT;
  PluginClass* created = nullptr;
  const p2j_status status = guarded(error, [&] {
    const auto text = view(config);
    const rapidjson::Document document = parseJson(text.empty() ? std::string_view("{}") : text);
    created = new PluginClass(document);
    return std::string();
  });
  if (status == P2J_OK) *instance = created;
  return status;
}

// A cache keeps nothing longer than a year: longer TTLs (up to 2^64 ms across the ABI) are cut to one, so no
// plugin adds an overflowing duration to its clock.
inline std::chrono::milliseconds cacheTtl(uint64_t ttl_ms) noexcept {
  constexpr uint64_t kYearMs = 366ULL * 24 * 3600 * 1000;
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(ttl_ms, kYearMs)));
}

template <typename PluginClass>
PluginClass& self(p2j_instance instance) noexcept {
  return *static_cast<PluginClass*>(instance);
}

template <typename PluginClass>
p2j_status health(p2j_instance instance, uint32_t* state, p2j_buffer* detail) noexcept {
  if (state == nullptr) return P2J_INVALID_INPUT;
  return guarded(detail, [&] {
    Health health = self<PluginClass>(instance).health();
    *state = static_cast<uint32_t>(health.state);
    return health.detail_json;
  });
}

}  // namespace detail
}  // namespace p2j::sdk

#define P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                           \
  extern "C" P2J_EXPORT const p2j_plugin_info* p2j_plugin_info_v1(void) {                                             \
    static const p2j_plugin_info info = {sizeof(p2j_plugin_info),                                                     \
                                         P2J_ABI_MAJOR,                                                               \
                                         P2J_ABI_MINOR,                                                               \
                                         static_cast<uint32_t>(Class::kKind),                                         \
                                         Class::kThreadSafe ? P2J_PLUGIN_THREAD_SAFE : 0u,                            \
                                         name,                                                                        \
                                         version,                                                                     \
                                         description,                                                                 \
                                         schema};                                                                     \
    return &info;                                                                                                     \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_plugin_create_v1(p2j_str config, p2j_instance* instance, p2j_buffer* error) {  \
    return ::p2j::sdk::detail::create<Class>(config, instance, error);                                                \
  }                                                                                                                   \
  extern "C" P2J_EXPORT void p2j_plugin_destroy_v1(p2j_instance instance) { delete static_cast<Class*>(instance); }   \
  extern "C" P2J_EXPORT p2j_status p2j_plugin_health_v2(p2j_instance instance, uint32_t* state, p2j_buffer* detail) { \
    return ::p2j::sdk::detail::health<Class>(instance, state, detail);                                                \
  }                                                                                                                   \
  extern "C" P2J_EXPORT void p2j_buffer_free_v1(p2j_buffer* buffer) { ::p2j::sdk::detail::freeBuffer(buffer); }

#define P2J_EXPORT_AGENT(Class, name, version, description, schema)                                                \
  P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                              \
  extern "C" P2J_EXPORT p2j_status p2j_agent_generate_v2(p2j_instance instance, p2j_str prompt, p2j_buffer* out) { \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                  \
      return ::p2j::sdk::serialize(                                                                                \
          ::p2j::sdk::detail::self<Class>(instance).generate(::p2j::sdk::detail::view(prompt)));                   \
    });                                                                                                            \
  }                                                                                                                \
  P2J_DETAIL_AGENT_IMPROVE(Class)

#define P2J_DETAIL_AGENT_IMPROVE(Class)                                                                     \
  extern "C" P2J_EXPORT p2j_status p2j_agent_improve_v1(p2j_instance instance, p2j_str request_json,        \
                                                        p2j_buffer* out) {                                  \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                           \
      const rapidjson::Document document = ::p2j::sdk::parseJson(::p2j::sdk::detail::view(request_json));   \
      return ::p2j::sdk::serialize(                                                                         \
          ::p2j::sdk::detail::self<Class>(instance).improve(::p2j::sdk::improveRequestFromJson(document))); \
    });                                                                                                     \
  }                                                                                                         \
  extern "C" P2J_EXPORT p2j_status p2j_agent_actions_v1(p2j_instance instance, p2j_buffer* out) {           \
    return ::p2j::sdk::detail::guarded(                                                                     \
        out, [&] { return ::p2j::sdk::serialize(::p2j::sdk::detail::self<Class>(instance).actions()); });   \
  }

#define P2J_EXPORT_EVALUATOR(Class, name, version, description, schema)                                                \
  P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                                  \
  extern "C" P2J_EXPORT p2j_status p2j_evaluator_evaluate_v1(p2j_instance instance, p2j_str spec_json, p2j_str prompt, \
                                                             p2j_buffer* out) {                                        \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                      \
      const rapidjson::Document document = ::p2j::sdk::parseJson(::p2j::sdk::detail::view(spec_json));                 \
      const ::p2j::sdk::DesignSpec spec = ::p2j::sdk::designSpecFromJson(document);                                    \
      return ::p2j::sdk::serialize(                                                                                    \
          ::p2j::sdk::detail::self<Class>(instance).evaluate(spec, ::p2j::sdk::detail::view(prompt)));                 \
    });                                                                                                                \
  }

#define P2J_EXPORT_FEEDBACK(Class, name, version, description, schema)                                      \
  P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                       \
  extern "C" P2J_EXPORT p2j_status p2j_feedback_review_v1(p2j_instance instance, p2j_str request_json,      \
                                                          p2j_buffer* out) {                                \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                           \
      const rapidjson::Document document = ::p2j::sdk::parseJson(::p2j::sdk::detail::view(request_json));   \
      return ::p2j::sdk::serialize(                                                                         \
          ::p2j::sdk::detail::self<Class>(instance).review(::p2j::sdk::feedbackRequestFromJson(document))); \
    });                                                                                                     \
  }

#define P2J_EXPORT_STORAGE(Class, name, version, description, schema)                                                 \
  P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                                 \
  extern "C" P2J_EXPORT p2j_status p2j_storage_insert_v2(p2j_instance instance, p2j_str collection,                   \
                                                         const p2j_record_field* fields, size_t field_count,          \
                                                         p2j_inserted* inserted, p2j_buffer* out) {                   \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      if (fields == nullptr && field_count > 0) throw std::invalid_argument("no fields");                             \
      ::p2j::sdk::detail::requireInsertResult(inserted);                                                              \
      const ::p2j::sdk::RecordToInsert record(std::span<const p2j_record_field>(fields, field_count));                \
      return ::p2j::sdk::detail::packInserted(                                                                        \
          ::p2j::sdk::detail::self<Class>(instance).insert(::p2j::sdk::detail::view(collection), record), inserted);  \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_insert_all_v1(p2j_instance instance,                                   \
                                                             const p2j_record_to_insert* records, size_t count,       \
                                                             p2j_inserted* const* inserted, p2j_buffer* out) {        \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      const auto batch = ::p2j::sdk::detail::batchRecords(records, count, inserted);                                  \
      auto& storage = ::p2j::sdk::detail::self<Class>(instance);                                                      \
      return ::p2j::sdk::detail::packAllInserted(storage.insertAll(batch), inserted, count);                          \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_insert_v1(p2j_instance instance, p2j_str collection,                   \
                                                         p2j_str record_json, p2j_buffer* out) {                      \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      const ::p2j::sdk::RecordToInsert record(::p2j::sdk::detail::view(record_json));                                 \
      const ::p2j::sdk::InsertedRecord inserted =                                                                     \
          ::p2j::sdk::detail::self<Class>(instance).insert(::p2j::sdk::detail::view(collection), record);             \
      rapidjson::StringBuffer text;                                                                                   \
      ::p2j::sdk::JsonWriter writer(text);                                                                            \
      writer.StartObject();                                                                                           \
      writer.Key("id");                                                                                               \
      ::p2j::sdk::writeString(writer, inserted.id);                                                                   \
      writer.Key("created_at");                                                                                       \
      ::p2j::sdk::writeString(writer, inserted.created_at);                                                           \
      writer.EndObject();                                                                                             \
      return std::string(text.GetString(), text.GetSize());                                                           \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_get_v1(p2j_instance instance, p2j_str collection, p2j_str id,          \
                                                      p2j_buffer* out) {                                              \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      auto record = ::p2j::sdk::detail::self<Class>(instance).get(::p2j::sdk::detail::view(collection),               \
                                                                  ::p2j::sdk::detail::view(id));                      \
      if (!record) throw ::p2j::sdk::NotFound("no such record");                                                      \
      return std::move(*record);                                                                                      \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_find_v1(p2j_instance instance, p2j_str collection, p2j_str query_json, \
                                                       p2j_buffer* out) {                                             \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      const rapidjson::Document query = ::p2j::sdk::parseJson(::p2j::sdk::detail::view(query_json));                  \
      return ::p2j::sdk::detail::self<Class>(instance).find(::p2j::sdk::detail::view(collection),                     \
                                                            ::p2j::sdk::findQueryFromJson(query));                    \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_prune_v1(p2j_instance instance, p2j_str collection, p2j_str before,    \
                                                        p2j_buffer* out) {                                            \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      const ::p2j::sdk::PruneResult result = ::p2j::sdk::detail::self<Class>(instance).prune(                         \
          ::p2j::sdk::detail::view(collection), ::p2j::sdk::detail::view(before));                                    \
      return "{\"pruned\":" + std::to_string(result.pruned) + ",\"remaining\":" + std::to_string(result.remaining) +  \
             "}";                                                                                                     \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_counts_v1(p2j_instance instance, p2j_buffer* out) {                    \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      rapidjson::StringBuffer text;                                                                                   \
      ::p2j::sdk::JsonWriter writer(text);                                                                            \
      writer.StartObject();                                                                                           \
      for (const auto& [collection, count] : ::p2j::sdk::detail::self<Class>(instance).counts()) {                    \
        ::p2j::sdk::writeKey(writer, collection);                                                                     \
        writer.Int64(count);                                                                                          \
      }                                                                                                               \
      writer.EndObject();                                                                                             \
      return std::string(text.GetString(), text.GetSize());                                                           \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_storage_migrate_v1(p2j_instance instance, p2j_str mode, p2j_buffer* out) {     \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      const std::string_view requested = ::p2j::sdk::detail::view(mode);                                              \
      if (requested != "check" && requested != "apply")                                                               \
        throw ::p2j::sdk::InvalidInput("mode must be \"check\" or \"apply\"");                                        \
      return ::p2j::sdk::serialize(::p2j::sdk::detail::self<Class>(instance).migrate(requested == "apply"));          \
    });                                                                                                               \
  }

#define P2J_EXPORT_AUTH(Class, name, version, description, schema)                                                    \
  P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                                 \
  extern "C" P2J_EXPORT p2j_status p2j_auth_authenticate_v3(p2j_instance instance, const p2j_auth_request* request,   \
                                                            p2j_auth_verdict* verdict, p2j_buffer* out) {             \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      return ::p2j::sdk::detail::packVerdict(                                                                         \
          ::p2j::sdk::detail::self<Class>(instance).authenticate(::p2j::sdk::detail::authRequest(request)), verdict); \
    });                                                                                                               \
  }                                                                                                                   \
  extern "C" P2J_EXPORT p2j_status p2j_auth_issue_v1(p2j_instance instance, p2j_str request_json, p2j_buffer* out) {  \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                     \
      const rapidjson::Document document = ::p2j::sdk::parseJson(::p2j::sdk::detail::view(request_json));             \
      return ::p2j::sdk::serialize(                                                                                   \
          ::p2j::sdk::detail::self<Class>(instance).issue(::p2j::sdk::tokenGrantFromJson(document)));                 \
    });                                                                                                               \
  }

#define P2J_EXPORT_CACHE(Class, name, version, description, schema)                                                 \
  P2J_DETAIL_EXPORT_COMMON(Class, name, version, description, schema)                                               \
  extern "C" P2J_EXPORT p2j_status p2j_cache_get_v1(p2j_instance instance, p2j_str key, p2j_buffer* out) {          \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                   \
      auto value = ::p2j::sdk::detail::self<Class>(instance).get(::p2j::sdk::detail::view(key));                    \
      if (!value) throw ::p2j::sdk::NotFound("no such key");                                                        \
      return std::move(*value);                                                                                     \
    });                                                                                                             \
  }                                                                                                                 \
  extern "C" P2J_EXPORT p2j_status p2j_cache_set_v1(p2j_instance instance, p2j_str key, p2j_str value,              \
                                                    uint64_t ttl_ms, p2j_buffer* out) {                             \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                   \
      ::p2j::sdk::detail::self<Class>(instance).set(::p2j::sdk::detail::view(key), ::p2j::sdk::detail::view(value), \
                                                    ::p2j::sdk::detail::cacheTtl(ttl_ms));                          \
      return std::string();                                                                                         \
    });                                                                                                             \
  }                                                                                                                 \
  extern "C" P2J_EXPORT p2j_status p2j_cache_delete_v1(p2j_instance instance, p2j_str key, p2j_buffer* out) {       \
    return ::p2j::sdk::detail::guarded(out, [&] {                                                                   \
      const bool deleted = ::p2j::sdk::detail::self<Class>(instance).erase(::p2j::sdk::detail::view(key));          \
      return std::string(deleted ? "{\"deleted\":true}" : "{\"deleted\":false}");                                   \
    });                                                                                                             \
  }                                                                                                                 \
  extern "C" P2J_EXPORT p2j_status p2j_cache_stats_v1(p2j_instance instance, p2j_buffer* out) {                     \
    return ::p2j::sdk::detail::guarded(                                                                             \
        out, [&] { return ::p2j::sdk::serialize(::p2j::sdk::detail::self<Class>(instance).stats()); });             \
  }
