// What a cache plugin's stats() reports, with the JSON mapping. Keys and values of a cache are bytes; the
// host decides what it caches (the /generate action: an agent's spec per prompt) and under which key.
#pragma once

#include <p2j/sdk/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace p2j::sdk {

struct CacheStats {
  std::string backend;  // "memory", "redis", ...: what /cache-stats calls the cache_type
  // The calls this instance answered, in this process.
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t sets = 0;
  uint64_t deletes = 0;
  // What this process holds in memory (for a shared backend: its in-process fallback).
  uint64_t entries = 0;
  uint64_t bytes = 0;
  uint64_t max_bytes = 0;
  uint64_t evictions = 0;    // entries dropped to stay within max_bytes
  uint64_t expirations = 0;  // entries dropped because their TTL had passed
  // A shared backend (Redis): whether it answers now. Absent for an in-process cache.
  std::optional<bool> connected;

  bool operator==(const CacheStats&) const = default;
};

inline void writeJson(JsonWriter& w, const CacheStats& stats) {
  w.StartObject();
  w.Key("backend");
  writeString(w, stats.backend);
  const auto count = [&](JsonWriter::LiteralKey key, uint64_t value) {
    w.Key(key);
    w.Uint64(value);
  };
  count("hits", stats.hits);
  count("misses", stats.misses);
  count("sets", stats.sets);
  count("deletes", stats.deletes);
  count("entries", stats.entries);
  count("bytes", stats.bytes);
  count("max_bytes", stats.max_bytes);
  count("evictions", stats.evictions);
  count("expirations", stats.expirations);
  if (stats.connected) {
    w.Key("connected");
    w.Bool(*stats.connected);
  }
  w.EndObject();
}

inline CacheStats cacheStatsFromJson(const rapidjson::Value& value) {
  requireObject(value, "");
  CacheStats stats;
  stats.backend = requireString(value, "backend", "");
  const auto count = [&](const char* key) -> uint64_t {
    const auto* member = findMember(value, key);
    if (member == nullptr) return 0;
    if (!member->IsUint64()) throw FieldError(key, "must be a non-negative integer");
    return member->GetUint64();
  };
  stats.hits = count("hits");
  stats.misses = count("misses");
  stats.sets = count("sets");
  stats.deletes = count("deletes");
  stats.entries = count("entries");
  stats.bytes = count("bytes");
  stats.max_bytes = count("max_bytes");
  stats.evictions = count("evictions");
  stats.expirations = count("expirations");
  if (const auto* connected = findMember(value, "connected")) {
    if (!connected->IsBool()) throw FieldError("connected", "must be true or false");
    stats.connected = connected->GetBool();
  }
  return stats;
}

}  // namespace p2j::sdk
