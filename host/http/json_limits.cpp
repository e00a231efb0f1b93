#include "http/json_limits.hpp"

#include "http/http_error.hpp"

#include <string>

namespace p2j::http {

void checkJsonLimits(std::string_view body, int max_depth, int64_t max_string_bytes) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  int64_t string_bytes = 0;
  for (const char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        continue;
      }
      if (++string_bytes > max_string_bytes) {
        throw HttpError(413, "payload_too_large",
                        "a string in the request body is longer than " + std::to_string(max_string_bytes) + " bytes");
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      string_bytes = 0;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        throw badRequest("the request body is nested deeper than " + std::to_string(max_depth) + " levels");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

}  // namespace p2j::http
