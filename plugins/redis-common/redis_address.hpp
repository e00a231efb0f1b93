// Where a Redis server is and how to log in: parsed from the address an operator writes in YAML.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace p2j::redis {

struct Address {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  int database = 0;
  std::string username;  // a Redis 6 ACL user; empty: the default user
  std::string password;  // empty: no AUTH

  // host:port/database, for logs and messages: never the password.
  std::string display() const;
};

// "redis://[[user][:password]@]host[:port][/database]" (user and password percent-encoded), "host:port" or
// "host"; an IPv6 host is written in brackets, "[::1]:6379". Throws std::invalid_argument saying what is
// wrong (never echoing a password).
Address parseAddress(std::string_view text);

}  // namespace p2j::redis
