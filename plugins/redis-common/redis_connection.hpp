// One connection to Redis (hiredis underneath) with a connect timeout and a command timeout.
//
// hiredis writes with write(2): a peer that closed the connection raises SIGPIPE, which the p2j host ignores
// (host/app/main.cpp) and so must every other program that uses this.
#pragma once

#include "redis_address.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace p2j::redis {

// Redis cannot be used right now: it refused or timed out the connection, the connection broke or timed out
// mid-command, or Redis said it is not ready (LOADING, BUSY, ...). Whether a command that failed this way
// ran is unknown, except when `peer_closed` says the server had closed the connection before it was sent.
class Unavailable : public std::runtime_error {
 public:
  explicit Unavailable(const std::string& message, bool peer_closed = false)
      : std::runtime_error(message), peer_closed_(peer_closed) {}
  bool peerClosed() const { return peer_closed_; }

 private:
  bool peer_closed_;
};

// A reply, owned: hiredis' reply tree copied out of its allocator.
struct Reply {
  enum class Type { kString, kStatus, kInteger, kNil, kArray, kError };
  Type type = Type::kNil;
  std::string text;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<Reply> elements;

  bool isError() const { return type == Type::kError; }
  bool isNil() const { return type == Type::kNil; }
};

struct Timeouts {
  std::chrono::milliseconds connect{200};
  std::chrono::milliseconds command{200};  // for sending a command and for its reply
};

class Connection {
 public:
  // Connects, logs in (AUTH) and selects the database; throws Unavailable when Redis cannot be reached or
  // refuses the login.
  Connection(const Address& address, Timeouts timeouts);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one command (arguments are bytes) and reads its reply. An error reply is returned as a Reply of
  // type kError, except the ones that mean Redis is not ready to serve (LOADING, BUSY, MASTERDOWN, READONLY,
  // TRYAGAIN, CLUSTERDOWN), which throw Unavailable like a broken connection. After Unavailable the
  // connection is broken() and must be dropped.
  Reply command(std::initializer_list<std::string_view> arguments);
  Reply command(const std::vector<std::string_view>& arguments);

  bool broken() const { return broken_; }

 private:
  Reply send(const std::string_view* arguments, size_t count);

  redisContext* context_ = nullptr;
  std::string where_;  // host:port/db, for messages
  bool broken_ = false;
};

}  // namespace p2j::redis
