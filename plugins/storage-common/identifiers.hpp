// Record identity in the one form both storage plugins write and accept: ids are time-ordered UUIDs
// (version 7, sdk::timeOrderedUuid) in lower-case canonical text, timestamps are UTC with microseconds
// (p2j::sdk::formatUtcTimestamp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace p2j::storage_common {

// `text` as a canonical lower-case UUID, or nullopt when it is not a UUID (so no record can have it).
std::optional<std::string> canonicalUuid(std::string_view text);

// A UTC ISO 8601 timestamp ("2026-11-30T12:00:00Z", up to nine fraction digits, "Z" or "+00:00") in the
// form records carry, "2026-11-30T12:00:00.000000Z", or nullopt when `text` is not one. Canonical text
// sorts in time order, which is what lets SQLite compare timestamps as text.
std::optional<std::string> canonicalUtcTimestamp(std::string_view text);

}  // namespace p2j::storage_common
