#pragma once

#include <cstdint>
#include <string_view>

namespace p2j::http {

// Refuses, before parsing, a JSON body nested deeper than `max_depth` (400: a parser's stack and the
// code that walks the result are both at risk) or holding a string longer than `max_string_bytes` (413).
// One pass over the bytes; strings and escapes are honoured so brackets inside strings do not count.
void checkJsonLimits(std::string_view body, int max_depth, int64_t max_string_bytes);

}  // namespace p2j::http
