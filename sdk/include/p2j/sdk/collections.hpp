// The records the host writes through p2j_storage_insert_v2 (or _v1) and reads back: the contract between p2j and any
// storage plugin. A storage keeps every collection listed here, takes a record only when validateRecord()
// accepts it, stores each field as given (its JSON type and value unchanged), adds "id" (a UUID, looked
// up case-insensitively; the bundled storages make time-ordered ones, sdk::timeOrderedUuid()) and "created_at" (UTC,
// "2026-11-30T12:00:00.000000Z"), returns every field on get() and find() (an optional field that was left out as
// null), and lets find() filter and order on the filterable fields, id and created_at, ties broken by insertion order.
//
// sdk/schemas/records.schema.json states the same for implementations in other languages (a test keeps the
// two equal), and the storage conformance suite (p2j_storage_conformance) checks a plugin against it.
#pragma once

#include <p2j/sdk/abi.h>
#include <p2j/sdk/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::sdk {

enum class FieldType {
  kText,     // a JSON string
  kJson,     // a JSON object or array
  kReal,     // a JSON number
  kInteger,  // a JSON integer (64-bit)
};

struct RecordField {
  std::string_view name;
  FieldType type;
  bool required;
  bool filterable = false;         // find() may filter and order on it (text, real or integer only)
  std::optional<int64_t> minimum;  // integers: the smallest value a record may hold
  std::optional<int64_t> maximum;  // integers: the largest
};

struct RecordCollection {
  std::string_view name;
  std::vector<RecordField> fields;  // in the order get() and find() return them, after "id"
};

namespace record_field {

inline RecordField required(std::string_view name, FieldType type) {
  return {name, type, true, false, std::nullopt, std::nullopt};
}
inline RecordField optional(std::string_view name, FieldType type) {
  return {name, type, false, false, std::nullopt, std::nullopt};
}
inline RecordField filterable(std::string_view name, FieldType type) {
  return {name, type, true, true, std::nullopt, std::nullopt};
}
inline RecordField ranged(std::string_view name, int64_t minimum, int64_t maximum) {
  return {name, FieldType::kInteger, true, false, minimum, maximum};
}

}  // namespace record_field

// Every collection the host writes, in a fixed order. Adding one, or a field, is a change of this contract:
// it comes with a new SDK minor version, and storages that do not have it refuse the record.
inline const std::vector<RecordCollection>& recordCollections() {
  using namespace record_field;
  static const std::vector<RecordCollection> all = {
      // A spec /generate made (agent: the plugin instance) or a client posted (agent: "client").
      {"specs",
       {required("prompt", FieldType::kText), filterable("agent", FieldType::kText),
        required("spec", FieldType::kJson)}},
      // An evaluation report: the spec as evaluated and the evaluation, findings included.
      {"evaluations",
       {filterable("spec_id", FieldType::kText), required("prompt", FieldType::kText),
        required("evaluator", FieldType::kText), required("spec", FieldType::kJson),
        required("evaluation", FieldType::kJson), required("score", FieldType::kReal),
        optional("grade", FieldType::kText)}},
      // One round of /iterate, /coordinated-improvement or /advanced-rl.
      {"iterations",
       {filterable("session_id", FieldType::kText), required("pipeline", FieldType::kText),
        required("iteration_number", FieldType::kInteger), required("prompt", FieldType::kText),
        filterable("design_type", FieldType::kText), required("action", FieldType::kText),
        optional("spec_before", FieldType::kJson), required("spec_after", FieldType::kJson),
        required("evaluation", FieldType::kJson), required("feedback", FieldType::kJson),
        required("changes", FieldType::kJson), required("score_before", FieldType::kReal),
        required("score_after", FieldType::kReal), required("reward", FieldType::kReal)}},
      // A user's rating of a stored spec.
      {"feedback",
       {filterable("spec_id", FieldType::kText), ranged("rating", 1, 5), optional("comment", FieldType::kText)}},
      // POST /log-values.
      {"value_logs",
       {required("date", FieldType::kText), required("day", FieldType::kText), required("task", FieldType::kText),
        required("values_reflection", FieldType::kJson), optional("achievements", FieldType::kJson),
        optional("technical_notes", FieldType::kJson)}},
      // The learner's policy per design type; the newest record of a design type is the current one.
      {"policies",
       {filterable("design_type", FieldType::kText), required("weights", FieldType::kJson),
        required("baseline", FieldType::kReal), required("episodes", FieldType::kInteger)}},
  };
  return all;
}

// The collection called `name`, or nullptr.
inline const RecordCollection* findRecordCollection(std::string_view name) {
  for (const auto& collection : recordCollections()) {
    if (collection.name == name) return &collection;
  }
  return nullptr;
}

namespace detail {

// Whether every string and key under `value` is storable text. When one is not, `below` is set to its path
// relative to `value` (".key" and "[i]" steps, as joinPath and indexPath write them), built only then: every
// insert checks every field, failing is rare.
inline bool storableJson(const rapidjson::Value& value, std::string& below) {
  if (value.IsString()) return isStorableText({value.GetString(), value.GetStringLength()});
  if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      const std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (!isStorableText(key)) {
        below.clear();
        return false;
      }
      if (!storableJson(it->value, below)) {
        below = "." + std::string(key) + below;
        return false;
      }
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (!storableJson(value[i], below)) {
        below = "[" + std::to_string(i) + "]" + below;
        return false;
      }
    }
  }
  return true;
}

// `path` is not empty (a field's name), so `path + below` is the path joinPath and indexPath would have built.
inline void requireStorableJson(const rapidjson::Value& value, std::string_view path) {
  if (std::string below; !storableJson(value, below)) {
    throw FieldError(std::string(path) + below, "must be valid UTF-8 without NUL characters");
  }
}

}  // namespace detail

// Checks a record against its collection: a JSON object, no unknown field, every required field present (null
// counts as absent), each of its type and range, and text every storage keeps unchanged (valid UTF-8 without
// NUL, in keys too). Throws FieldError naming the field.
inline void validateRecord(const RecordCollection& collection, const rapidjson::Value& record) {
  if (!record.IsObject()) throw FieldError("", "a record must be a JSON object");
  for (auto it = record.MemberBegin(); it != record.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    bool known = false;
    for (const auto& field : collection.fields) known = known || field.name == key;
    if (!known) {
      throw FieldError(std::string(key), "is not a field of collection '" + std::string(collection.name) + "'");
    }
  }
  for (const auto& field : collection.fields) {
    const rapidjson::Value* value = findMember(record, field.name);
    if (value == nullptr) {
      if (field.required) throw FieldError(std::string(field.name), "is required");
      continue;
    }
    bool ok = false;
    switch (field.type) {
      case FieldType::kText:
        ok = value->IsString();
        break;
      case FieldType::kJson:
        ok = value->IsObject() || value->IsArray();
        break;
      case FieldType::kReal:
        ok = value->IsNumber();
        break;
      case FieldType::kInteger:
        ok = value->IsInt64();
        break;
    }
    if (!ok) throw FieldError(std::string(field.name), "has the wrong type");
    if (field.type == FieldType::kInteger && ((field.minimum && value->GetInt64() < *field.minimum) ||
                                              (field.maximum && value->GetInt64() > *field.maximum))) {
      throw FieldError(std::string(field.name), "must be between " + std::to_string(field.minimum.value_or(INT64_MIN)) +
                                                    " and " + std::to_string(field.maximum.value_or(INT64_MAX)));
    }
    detail::requireStorableJson(*value, field.name);
  }
}

namespace detail {

// A view of what crosses the ABI; an empty one may come without a pointer (a default std::string_view).
inline std::string_view view(p2j_str text) noexcept { return {text.data == nullptr ? "" : text.data, text.size}; }

inline int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the \uXXXX escape at json[at] (at its backslash), or -1 when there is none.
inline int32_t escapedUnit(std::string_view json, size_t at) {
  if (at + 6 > json.size() || json[at] != '\\' || json[at + 1] != 'u') return -1;
  int32_t unit = 0;
  for (size_t i = at + 2; i < at + 6; ++i) {
    const int digit = hexDigit(json[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

// Whether well-formed JSON text holds only text a store keeps (isStorableText) once its strings and keys are
// decoded, without parsing it: its bytes are valid UTF-8 (outside strings JSON is ASCII), and no escape
// decodes to a NUL or to half a surrogate pair.
inline bool storableJsonText(std::string_view json) {
  if (!isStorableText(json)) return false;
  for (size_t at = json.find('\\'); at != std::string_view::npos; at = json.find('\\', at)) {
    const int32_t unit = escapedUnit(json, at);
    if (unit < 0) {
      at += 2;  // another escape, \" or \\ say: the character after the backslash is not one
      continue;
    }
    if (unit == 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const int32_t low = escapedUnit(json, at + 6);
      if (low < 0xDC00 || low > 0xDFFF) return false;
      at += 12;
      continue;
    }
    at += 6;
  }
  return true;
}

}  // namespace detail

// One top-level field of a record to insert, viewing `name` and `value` (which must outlive it).
inline p2j_record_field recordField(std::string_view name, std::string_view value, p2j_field_kind kind) {
  return {{name.data(), name.size()}, {value.data(), value.size()}, static_cast<uint32_t>(kind)};
}

// A record given as its top-level fields (p2j_storage_insert_v2) written as the one JSON object
// p2j_storage_insert_v1 takes; a JSON field's text goes in as it is.
inline std::string recordFieldsJson(std::span<const p2j_record_field> fields) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  for (const p2j_record_field& field : fields) {
    writeKey(writer, detail::view(field.name));
    const std::string_view value = detail::view(field.value);
    if (field.kind == P2J_FIELD_TEXT) {
      writeString(writer, value);
    } else {
      writer.RawValue(value.data(), value.size(),
                      field.kind == P2J_FIELD_NUMBER ? rapidjson::kNumberType : rapidjson::kObjectType);
    }
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// A record the host sent to insert: checked to be JSON, its top-level fields read, and the JSON text each
// top-level object or array had in what was sent. A storage that keeps a JSON field as text stores that text
// rather than writing the parsed field again: the host writes records compactly, with a spec in the bytes
// the SDK writes for it. The whole record as a document, fields(), is parsed only when asked for: the
// bundled storages never ask, and building a spec's document cost a tenth of an insert.
// Not to be shared between threads (fields(), and text() of a record given as fields, fill themselves in on
// first use).
class RecordToInsert {
 public:
  // Throws JsonSyntaxError as parseJson does.
  explicit RecordToInsert(std::string_view json) : text_(json) {
    detail::refuseNul(text_);
    // Parsed in place, in a copy of its own: the top-level strings are the copy's bytes, unescaped where
    // they stood, rather than copied once more, and the text stays as sent.
    parsed_.reserve(text_.size() + 1);
    parsed_.assign(text_.begin(), text_.end());
    parsed_.push_back('\0');
    rapidjson::Reader reader;
    rapidjson::InsituStringStream stream(parsed_.data());
    TopLevel top_level{top_level_, stream, fields_, nested_text_storable_};
    auto parse = [&](rapidjson::Document&) {
      return !reader.Parse<rapidjson::kParseInsituFlag>(stream, top_level).IsError();
    };
    top_level_.Populate(parse);
    if (reader.HasParseError()) throw detail::syntaxError(reader.GetErrorOffset(), reader.GetParseErrorCode());
  }

  // A record the host sent as its top-level fields (p2j_storage_insert_v2): only its number fields are
  // parsed. Its JSON fields are taken on the host's word that they are well-formed (only their first byte is
  // checked) and scanned for text a store cannot keep (detail::storableJsonText). The record refers to the
  // fields' bytes, which must outlive it. Throws JsonSyntaxError for a number field that is not one JSON number
  // or a JSON field that does not start as an object or an array, FieldError for an unknown kind.
  explicit RecordToInsert(std::span<const p2j_record_field> fields)
      : given_(fields.begin(), fields.end()), from_fields_(true) {
    auto& allocator = top_level_.GetAllocator();
    top_level_.SetObject();
    for (p2j_record_field& field : given_) {
      // An empty view may come without a pointer (a default string_view), which RapidJSON takes for a bug.
      for (p2j_str* text : {&field.name, &field.value}) {
        if (text->data != nullptr) continue;
        if (text->size > 0) throw JsonSyntaxError("a field's name or value has a size but no bytes");
        text->data = "";
      }
      const std::string_view name(field.name.data, field.name.size);
      const std::string_view value(field.value.data, field.value.size);
      rapidjson::Value member;
      switch (field.kind) {
        case P2J_FIELD_TEXT:
          member.SetString(rapidjson::StringRef(value.data(), static_cast<rapidjson::SizeType>(value.size())));
          break;
        case P2J_FIELD_NUMBER: {
          detail::refuseNul(value);
          const std::string terminated(value);
          rapidjson::Document number;
          number.Parse(terminated.c_str());
          if (number.HasParseError() || !number.IsNumber()) {
            throw JsonSyntaxError("field '" + std::string(name) + "' is not a JSON number");
          }
          member.CopyFrom(number, allocator);
          break;
        }
        case P2J_FIELD_JSON:
          if (value.empty() || (value.front() != '{' && value.front() != '[')) {
            throw JsonSyntaxError("field '" + std::string(name) + "' is not a JSON object or array");
          }
          if (value.front() == '{') {
            member.SetObject();
          } else {
            member.SetArray();
          }
          nested_text_storable_ = nested_text_storable_ && detail::storableJsonText(value);
          break;
        default:
          throw FieldError(std::string(name), "has an unknown field kind " + std::to_string(field.kind));
      }
      top_level_.AddMember(rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())), member,
                           allocator);
    }
  }

  // The record's top level: its scalar fields as sent, and each object or array field as an empty one of its
  // kind (its text is fieldText(), its value fields()). Its strings are bytes of this object (of the host's
  // fields, for a record given as fields): copy them as std::string, or keep what refers to them no longer
  // than the record.
  const rapidjson::Value& topLevel() const { return top_level_; }
  // Whether every string and key inside the object and array fields is storable text (sdk::isStorableText);
  // the top level's own strings are for validateRecord to check.
  bool nestedTextStorable() const { return nested_text_storable_; }
  // The whole record, parsed on first use.
  const rapidjson::Value& fields() const {
    if (!fields_document_) fields_document_ = std::make_unique<rapidjson::Document>(parseJson(text()));
    return *fields_document_;
  }
  // The whole record as sent (written from its fields, on first use, when it came as fields). This view and
  // fieldText()'s are of this object: a move leaves them behind.
  std::string_view text() const {
    if (from_fields_ && text_.empty()) text_ = recordFieldsJson(given_);
    return text_;
  }
  // The text of the top-level field `name` as sent, when its (first) value is an object or an array — the
  // JSON fields of the collections; nullopt otherwise.
  std::optional<std::string_view> fieldText(std::string_view name) const {
    for (const p2j_record_field& field : given_) {
      if (std::string_view(field.name.data, field.name.size) != name) continue;
      if (field.kind != P2J_FIELD_JSON) return std::nullopt;
      return std::string_view(field.value.data, field.value.size);
    }
    for (const auto& field : fields_) {
      if (field.name != name) continue;
      if (field.end == 0) return std::nullopt;
      return std::string_view(text_).substr(field.begin, field.end - field.begin);
    }
    return std::nullopt;
  }

 private:
  struct FieldText {
    std::string name;
    size_t begin = 0;
    size_t end = 0;  // 0: the value is not an object or an array
  };

  // Builds the top-level document from the parser's events, notes where each top-level object or array
  // begins and ends, and checks the text inside them without building it. Only brackets are reported with
  // the stream where the parser stands: it reads a string or a number through a copy of the stream that it
  // writes back after reporting the value. That holds for RapidJSON's recursive parser with the flags used
  // above (not its iterative one, which reports from a state machine).
  struct TopLevel {
    rapidjson::Document& document;
    rapidjson::InsituStringStream& stream;
    std::vector<FieldText>& fields;
    bool& nested_text_storable;
    int depth = 0;  // containers open: 1 inside the record itself

    bool inside() const { return depth >= 2; }
    bool note(const char* str, rapidjson::SizeType length) {
      nested_text_storable = nested_text_storable && isStorableText({str, length});
      return true;
    }
    bool opened(bool object) {
      if (depth == 0) {
        depth = 1;
        return object ? document.StartObject() : document.StartArray();
      }
      if (depth++ == 1) {
        if (!fields.empty()) fields.back().begin = stream.Tell() - 1;  // at its bracket
        return object ? document.StartObject() && document.EndObject(0) : document.StartArray() && document.EndArray(0);
      }
      return true;
    }
    bool closed(bool object, rapidjson::SizeType count) {
      if (--depth == 1 && !fields.empty()) fields.back().end = stream.Tell();  // past its bracket
      if (depth == 0) return object ? document.EndObject(count) : document.EndArray(count);
      return true;
    }
    bool Null() { return inside() || document.Null(); }
    bool Bool(bool b) { return inside() || document.Bool(b); }
    bool Int(int i) { return inside() || document.Int(i); }
    bool Uint(unsigned u) { return inside() || document.Uint(u); }
    bool Int64(int64_t i) { return inside() || document.Int64(i); }
    bool Uint64(uint64_t u) { return inside() || document.Uint64(u); }
    bool Double(double d) { return inside() || document.Double(d); }
    bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
      return inside() || document.RawNumber(str, length, copy);
    }
    bool String(const char* str, rapidjson::SizeType length, bool copy) {
      return inside() ? note(str, length) : document.String(str, length, copy);
    }
    bool StartObject() { return opened(true); }
    bool EndObject(rapidjson::SizeType members) { return closed(true, members); }
    bool StartArray() { return opened(false); }
    bool EndArray(rapidjson::SizeType elements) { return closed(false, elements); }
    bool Key(const char* str, rapidjson::SizeType length, bool copy) {
      if (inside()) return note(str, length);
      if (depth == 1) fields.push_back({std::string(str, length)});
      return document.Key(str, length, copy);
    }
  };

  mutable std::string text_;             // as sent, or written from given_ on first use
  std::vector<p2j_record_field> given_;  // the fields, when the record came as fields
  bool from_fields_ = false;
  std::vector<char> parsed_;  // the text, NUL-terminated, parsed in place: the top level's strings live here
  rapidjson::Document top_level_;
  std::vector<FieldText> fields_;
  bool nested_text_storable_ = true;
  mutable std::unique_ptr<rapidjson::Document> fields_document_;
};

// Checks a record the host sent as validateRecord(collection, record.fields()) does, without parsing its
// object and array fields into a document unless one holds text that is not storable (the error then names
// the path to it).
inline void validateRecord(const RecordCollection& collection, const RecordToInsert& record) {
  validateRecord(collection, record.topLevel());
  if (!record.nestedTextStorable()) validateRecord(collection, record.fields());
}

}  // namespace p2j::sdk
