#include "http/request_head.hpp"

#include <array>
#include <charconv>
#include <cstring>

namespace p2j::http {
namespace {

constexpr size_t kMaxMethodBytes = 32;

// tchar (RFC 9110 §5.6.2): the characters of a method or a header name, as a table: the head's names are
// checked a byte at a time, a table lookup instead of a chain of comparisons each.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (const char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool isToken(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!kTokenChars[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

bool isFieldValueByte(unsigned char byte) { return (byte >= 0x20 || byte == '\t') && byte != 0x7f; }

// field-value characters: visible, space, tab and obs-text; no other control character. Eight bytes at a
// time while none is below 0x20 or DEL (a credential is most of a head's bytes); a word with one, a tab
// most likely, is checked byte by byte.
bool isFieldValue(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
    const uint64_t delete_byte = ((word ^ (kOnes * 0x7f)) - kOnes) & ~(word ^ (kOnes * 0x7f)) & kHighBits;
    if ((below_space | delete_byte) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) {
      if (!isFieldValueByte(static_cast<unsigned char>(text[k]))) return false;
    }
  }
  for (; i < text.size(); ++i) {
    if (!isFieldValueByte(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Whether the comma-separated list `value` holds `token`, in any case.
bool listHas(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (equalsIgnoringCase(trimmed(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

HeadParse invalid(std::string error) {
  return {.outcome = HeadParse::Outcome::kInvalid, .length = 0, .error = std::move(error)};
}

bool parseRequestLine(std::string_view line, RequestHead& head) {
  const size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos || first_space > kMaxMethodBytes) return false;
  const size_t second_space = line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return false;
  head.method = line.substr(0, first_space);
  head.target = line.substr(first_space + 1, second_space - first_space - 1);
  const std::string_view version = line.substr(second_space + 1);
  if (!isToken(head.method) || head.target.empty()) return false;
  for (const char c : head.target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return false;
  }
  if (version == "HTTP/1.1") {
    head.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    head.minor_version = 0;
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void RequestHead::clear() {
  std::vector<std::pair<std::string_view, std::string_view>> kept = std::move(headers);
  kept.clear();
  *this = RequestHead{};
  headers = std::move(kept);
}

std::optional<std::string_view> RequestHead::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (equalsIgnoringCase(field, name)) return value;
  }
  return std::nullopt;
}

HeadParse parseRequestHead(std::string_view buffer, RequestHead& head) {
  head.clear();
  const std::string_view window = buffer.substr(0, kMaxRequestHeadBytes);
  size_t position = 0;
  // Reads the next line of `window` without its terminator; false when it has not all arrived.
  auto nextLine = [&](std::string_view& line) {
    const size_t end = window.find('\n', position);
    if (end == std::string_view::npos) return false;
    line = window.substr(position, end - position);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    position = end + 1;
    return true;
  };
  auto incomplete = [&] {
    if (buffer.size() >= kMaxRequestHeadBytes) {
      return HeadParse{.outcome = HeadParse::Outcome::kTooLarge, .length = 0, .error = "the request head is too large"};
    }
    return HeadParse{};
  };

  std::string_view line;
  do {  // RFC 9112 §2.2: empty lines before the request line are ignored
    if (!nextLine(line)) return incomplete();
  } while (line.empty());
  if (!parseRequestLine(line, head)) return invalid("the request line is not `method target HTTP/1.x`");

  bool connection_close = false;
  bool connection_keep_alive = false;
  bool has_transfer_encoding = false;
  for (;;) {
    if (!nextLine(line)) return incomplete();
    if (line.empty()) break;
    if (line.size() > kMaxRequestHeaderLineBytes) {
      return {.outcome = HeadParse::Outcome::kTooLarge, .length = 0, .error = "a header field is too large"};
    }
    if (line.front() == ' ' || line.front() == '\t') return invalid("obsolete line folding in a header");
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return invalid("a header line without a colon");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (!isToken(name)) return invalid("a header name that is not a token");
    if (!isFieldValue(value)) return invalid("a control character in a header value");
    if (head.headers.size() == kMaxRequestHeaders) {
      return {.outcome = HeadParse::Outcome::kTooLarge, .length = 0, .error = "too many header fields"};
    }
    head.headers.emplace_back(name, value);

    if (equalsIgnoringCase(name, "content-length")) {
      int64_t length = -1;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
      if (error != std::errc() || end != value.data() + value.size() || value.empty() || length < 0) {
        return invalid("Content-Length is not a number");
      }
      if (head.content_length && *head.content_length != length) return invalid("two different Content-Length values");
      head.content_length = length;
    } else if (equalsIgnoringCase(name, "transfer-encoding")) {
      if (has_transfer_encoding || !equalsIgnoringCase(value, "chunked")) {
        // RFC 9112 §6.3: a body whose last coding is not chunked cannot be framed at all.
        const size_t last_comma = value.rfind(',');
        const std::string_view last =
            trimmed(last_comma == std::string_view::npos ? value : value.substr(last_comma + 1));
        if (!equalsIgnoringCase(last, "chunked")) return invalid("the request's last transfer coding is not chunked");
        return {.outcome = HeadParse::Outcome::kUnsupportedCoding,
                .length = 0,
                .error = "only the chunked transfer coding is supported"};
      }
      has_transfer_encoding = true;
      head.chunked = true;
    } else if (equalsIgnoringCase(name, "connection")) {
      connection_close = connection_close || listHas(value, "close");
      connection_keep_alive = connection_keep_alive || listHas(value, "keep-alive");
    } else if (equalsIgnoringCase(name, "expect")) {
      // Other expectations are ignored, as RFC 9110 §10.1.1 allows.
      head.expect_continue = head.minor_version == 1 && equalsIgnoringCase(value, "100-continue");
    }
  }
  // A request with both could be read two ways by two servers on its path (request smuggling).
  if (head.chunked && head.content_length) return invalid("both Content-Length and Transfer-Encoding");
  head.keep_alive = head.minor_version == 1 ? !connection_close : connection_keep_alive && !connection_close;
  // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding is framed faultily; read it, then close.
  if (head.chunked && head.minor_version == 0) head.keep_alive = false;
  return {.outcome = HeadParse::Outcome::kComplete, .length = position, .error = {}};
}

}  // namespace p2j::http
