#include "redis_address.hpp"

#include <charconv>
#include <stdexcept>

namespace p2j::redis {
namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecoded(std::string_view text, const char* what) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hexDigit(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hexDigit(text[i + 2]) : -1;
    if (high < 0 || low < 0) throw std::invalid_argument(std::string("bad percent-encoding in the ") + what);
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return decoded;
}

template <typename Integer>
Integer parseNumber(std::string_view text, Integer min, Integer max, const std::string& what) {
  Integer value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw std::invalid_argument(what + " must be a number from " + std::to_string(min) + " to " + std::to_string(max) +
                                ", got \"" + std::string(text) + "\"");
  }
  return value;
}

}  // namespace

std::string Address::display() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + std::to_string(database);
}

Address parseAddress(std::string_view text) {
  Address address;
  std::string_view rest = text;
  constexpr std::string_view kScheme = "redis://";
  if (rest.starts_with("rediss://")) throw std::invalid_argument("rediss:// (TLS) is not supported; use redis://");
  const bool uri = rest.starts_with(kScheme);
  if (uri) {
    rest.remove_prefix(kScheme.size());
  } else if (rest.find("://") != std::string_view::npos) {
    throw std::invalid_argument("the address must start with redis:// or be HOST:PORT");
  }
  if (uri) {
    // The credentials end at the last '@' before the path, so an unencoded '@' in a password still parses.
    const size_t path_at = rest.find('/');
    const size_t at = rest.substr(0, path_at).rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view credentials = rest.substr(0, at);
      const size_t colon = credentials.find(':');
      address.username = percentDecoded(credentials.substr(0, colon), "user name");
      if (colon != std::string_view::npos) address.password = percentDecoded(credentials.substr(colon + 1), "password");
      rest.remove_prefix(at + 1);
    }
    const size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      std::string_view database = rest.substr(slash + 1);
      rest = rest.substr(0, slash);
      if (!database.empty()) address.database = parseNumber<int>(database, 0, 1 << 20, "the database");
    }
  }
  if (rest.empty()) throw std::invalid_argument("the address names no host");
  std::string_view port;
  if (rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("an IPv6 host lacks its closing ']'");
    address.host = std::string(rest.substr(1, close - 1));
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw std::invalid_argument("expected :PORT after the IPv6 host");
      port = after.substr(1);
      if (port.empty()) throw std::invalid_argument("the port is empty");
    }
  } else {
    const size_t colon = rest.find(':');
    address.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) throw std::invalid_argument("the port is empty");
    }
  }
  if (address.host.empty()) throw std::invalid_argument("the address names no host");
  if (!port.empty()) address.port = parseNumber<uint16_t>(port, 1, 65535, "the port");
  return address;
}

}  // namespace p2j::redis
