// The head of an HTTP/1.x request (RFC 9112 §3, §5), read in place from the connection's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2j::http {

// Every view points into the buffer the head was parsed from, and is valid while that buffer is unchanged.
struct RequestHead {
  std::string_view method;
  std::string_view target;  // the request target as sent: path and query, not decoded
  int minor_version = 1;    // HTTP/1.0 or HTTP/1.1
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // names as sent, values trimmed, in order

  // What the framing headers say, checked: at most one Content-Length, never with Transfer-Encoding.
  std::optional<int64_t> content_length;
  bool chunked = false;
  bool keep_alive = true;  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive"
  bool expect_continue = false;

  // The first value of the header `name` (any case), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
  // Back to a default head, keeping the header list's capacity: a connection parses each request's head
  // into the same RequestHead, and assigning a new one cost four allocations a request.
  void clear();
};

// Limits on a head; beyond them the request is refused (431) before anything else is read.
inline constexpr size_t kMaxRequestHeadBytes = 32 * 1024;
inline constexpr size_t kMaxRequestHeaders = 100;
inline constexpr size_t kMaxRequestHeaderLineBytes = 8 * 1024;

struct HeadParse {
  enum class Outcome {
    kComplete,           // `length` bytes of the buffer are the head; the body (or the next request) follows
    kIncomplete,         // no blank line yet, and within the limits: read more
    kInvalid,            // not an HTTP/1.x request head: 400, `error` says why
    kTooLarge,           // over kMaxRequestHeadBytes or kMaxRequestHeaders: 431
    kUnsupportedCoding,  // a transfer coding other than chunked: 501
  };
  Outcome outcome = Outcome::kIncomplete;
  size_t length = 0;
  std::string error;
};

// Parses the head at the start of `buffer` into `head` (cleared first). Lines end in CRLF or a bare LF
// (RFC 9112 §2.2); empty lines before the request line are skipped; obsolete line folding, whitespace
// before a colon, control characters and a request line that is not `method SP target SP HTTP/1.x` are
// invalid.
HeadParse parseRequestHead(std::string_view buffer, RequestHead& head);

// ASCII case-insensitive equality, for header names and tokens.
bool equalsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace p2j::http
