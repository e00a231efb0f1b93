#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace p2j::storage_common {

// A value for a statement's placeholder; monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, std::string, int64_t, double>;

}  // namespace p2j::storage_common
