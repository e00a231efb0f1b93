// JSON helpers shared by the SDK's typed structs, the plugins and the host (RapidJSON underneath).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::sdk {

// RapidJSON's writer, with keys the code spells out written as their bytes. Writer::Key scans every
// character of a key for escapes; a design spec has some sixty keys, and that scan was most of the cost of
// writing one. A literal key is checked at compile time instead: no control character, quote or backslash
// (UTF-8 goes out as it is, as Writer writes it).
class JsonWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using Writer::Writer;

  class LiteralKey {
   public:
    template <size_t N>
    consteval LiteralKey(const char (&text)[N]) : text_(text), size_(N - 1) {  // NOLINT: literals convert
      if (text[N - 1] != '\0') throw "a literal key ends with its NUL";
      for (size_t i = 0; i + 1 < N; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == '"' || c == '\\') throw "a literal key needs no escaping: use writeKey for any other";
      }
    }
    const char* text() const { return text_; }
    size_t size() const { return size_; }

   private:
    const char* text_;
    size_t size_;
  };

  bool Key(LiteralKey key) {
    Prefix(rapidjson::kStringType);
    char* out = os_->Push(key.size() + 2);
    out[0] = '"';
    std::memcpy(out + 1, key.text(), key.size());
    out[key.size() + 1] = '"';
    return true;
  }
  bool Key(const Ch* text, rapidjson::SizeType length, bool copy = false) { return Writer::Key(text, length, copy); }

  // Well-formed JSON text (a spec the host checked, a stored record) copied in whole: RapidJSON's own copies
  // it a byte at a time, which for a spec cost as much as writing the rest of a /generate answer.
  bool RawValue(const Ch* json, size_t length, rapidjson::Type type) {
    Prefix(type);
    if (length > 0) std::memcpy(os_->Push(length), json, length);
    return EndValue(true);
  }
};

// A value in a JSON document that does not have the expected shape. `path` names it the way a client
// wrote it ("spec.materials[0].type"), so an HTTP 422 can point at the field.
class FieldError : public std::runtime_error {
 public:
  FieldError(std::string path, const std::string& message)
      : std::runtime_error(path.empty() ? message : path + ": " + message), path_(std::move(path)) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The text could not be parsed as JSON at all.
class JsonSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

// JSON has no NUL outside strings and none unescaped in them; to a parser of NUL-terminated text, one would
// also end the text early.
inline void refuseNul(std::string_view text) {
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    throw JsonSyntaxError("invalid JSON at byte " + std::to_string(static_cast<const char*>(nul) - text.data()) +
                          ": a NUL byte");
  }
}

inline JsonSyntaxError syntaxError(size_t offset, rapidjson::ParseErrorCode code) {
  return JsonSyntaxError(std::string("invalid JSON at byte ") + std::to_string(offset) + ": " +
                         rapidjson::GetParseError_En(code));
}

}  // namespace detail

// One JSON text (RFC 8259): a value with nothing but whitespace around it.
inline rapidjson::Document parseJson(std::string_view text) {
  detail::refuseNul(text);
  // Parsed from a NUL-terminated copy: RapidJSON reads a length-bounded text through a stream that checks
  // for the end at every byte, a terminated one with its fast scans (SIMD ones with RAPIDJSON_SSE2), and
  // with the copy included a spec parses in about half the time.
  const std::string terminated(text);
  rapidjson::Document document;
  document.Parse(terminated.c_str());
  if (document.HasParseError()) throw detail::syntaxError(document.GetErrorOffset(), document.GetParseError());
  return document;
}

inline std::string joinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path(parent);
  path += '.';
  path += key;
  return path;
}

inline std::string indexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

inline const rapidjson::Value& requireObject(const rapidjson::Value& value, std::string_view path) {
  if (!value.IsObject()) throw FieldError(std::string(path), "must be an object");
  return value;
}

// Member `key` of `object`, or nullptr when absent or JSON null.
inline const rapidjson::Value* findMember(const rapidjson::Value& object, std::string_view key) {
  auto it = object.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

inline std::string readString(const rapidjson::Value& value, std::string_view path) {
  if (!value.IsString()) throw FieldError(std::string(path), "must be a string");
  return std::string(value.GetString(), value.GetStringLength());
}

// The readers below build a field's path only when they report it: reading is on every request, failing is rare.
inline std::string requireString(const rapidjson::Value& object, std::string_view key, std::string_view parent) {
  const auto* member = findMember(object, key);
  if (member == nullptr) throw FieldError(joinPath(parent, key), "is required");
  if (!member->IsString()) throw FieldError(joinPath(parent, key), "must be a string");
  return std::string(member->GetString(), member->GetStringLength());
}

inline std::optional<std::string> optionalString(const rapidjson::Value& object, std::string_view key,
                                                 std::string_view parent) {
  const auto* member = findMember(object, key);
  if (member == nullptr) return std::nullopt;
  if (!member->IsString()) throw FieldError(joinPath(parent, key), "must be a string");
  return std::string(member->GetString(), member->GetStringLength());
}

inline std::optional<double> optionalNumber(const rapidjson::Value& object, std::string_view key,
                                            std::string_view parent) {
  const auto* member = findMember(object, key);
  if (member == nullptr) return std::nullopt;
  if (!member->IsNumber()) throw FieldError(joinPath(parent, key), "must be a number");
  return member->GetDouble();
}

inline std::optional<int64_t> optionalInteger(const rapidjson::Value& object, std::string_view key,
                                              std::string_view parent) {
  const auto* member = findMember(object, key);
  if (member == nullptr) return std::nullopt;
  if (!member->IsInt64()) throw FieldError(joinPath(parent, key), "must be an integer");
  return member->GetInt64();
}

inline std::vector<std::string> optionalStringList(const rapidjson::Value& object, std::string_view key,
                                                   std::string_view parent) {
  std::vector<std::string> items;
  const auto* member = findMember(object, key);
  if (member == nullptr) return items;
  if (!member->IsArray()) throw FieldError(joinPath(parent, key), "must be an array of strings");
  items.reserve(member->Size());
  for (rapidjson::SizeType i = 0; i < member->Size(); ++i) {
    const rapidjson::Value& item = (*member)[i];
    if (!item.IsString()) throw FieldError(indexPath(joinPath(parent, key), i), "must be a string");
    items.emplace_back(item.GetString(), item.GetStringLength());
  }
  return items;
}

inline void writeString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

inline void writeKey(JsonWriter& writer, std::string_view key) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

inline void writeOptional(JsonWriter& writer, const std::optional<std::string>& value) {
  if (value) {
    writeString(writer, *value);
  } else {
    writer.Null();
  }
}

inline void writeOptional(JsonWriter& writer, const std::optional<double>& value) {
  if (value) {
    writer.Double(*value);
  } else {
    writer.Null();
  }
}

inline void writeStringList(JsonWriter& writer, const std::vector<std::string>& items) {
  writer.StartArray();
  for (const auto& item : items) writeString(writer, item);
  writer.EndArray();
}

inline void writeStringMap(JsonWriter& writer, const std::map<std::string, std::string>& items) {
  writer.StartObject();
  for (const auto& [key, value] : items) {
    writeKey(writer, key);
    writeString(writer, value);
  }
  writer.EndObject();
}

// Text every p2j store keeps unchanged: valid UTF-8 (PostgreSQL refuses anything else) and no NUL character
// (neither PostgreSQL text nor jsonb can hold one; RapidJSON decodes "\u0000" into one).
inline bool isStorableText(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Eight bytes at a time while they are ASCII without NUL, most of a spec: a third of the instructions.
    while (i + 8 <= text.size()) {
      uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      constexpr uint64_t kLowBits = 0x0101010101010101ULL;
      constexpr uint64_t kHighBits = 0x8080808080808080ULL;
      const bool has_nul = ((word - kLowBits) & ~word & kHighBits) != 0;
      if (has_nul || (word & kHighBits) != 0) break;
      i += 8;
    }
    if (i == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0) return false;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code_point = 0;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto continuation = static_cast<unsigned char>(text[i + k]);
      if ((continuation & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (continuation & 0x3F);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallest[length] || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Serialises any RapidJSON value as compact text.
inline std::string toJsonText(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Compact JSON text of a typed SDK struct (anything with a writeJson overload, found by ADL).
template <typename T>
std::string serialize(const T& typed) {
  // Room for a typical spec (~700 bytes) from the start: growing from RapidJSON's 256 bytes copies it thrice.
  rapidjson::StringBuffer buffer(nullptr, 1024);
  JsonWriter writer(buffer);
  writeJson(writer, typed);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace p2j::sdk
