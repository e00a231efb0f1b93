// One HTTP(S) POST to the LLM server, bounded in time by a deadline (connect, send and every read) and in
// size by max_response_bytes. A new connection per call: an answer takes seconds, a handshake milliseconds,
// and no connection state is shared between request threads.
#pragma once

#include "settings.hpp"

#include <Poco/Net/Context.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace p2j::agent_openai {

struct HttpReply {
  int status = 0;
  std::string body;
};

// The call got no complete answer. The message is for the log: it names what failed, never the key.
class TransportError : public std::runtime_error {
 public:
  enum class Kind { kTimeout, kFailed };
  TransportError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class HttpTransport {
 public:
  using Clock = std::chrono::steady_clock;

  explicit HttpTransport(const Settings& settings);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Throws TransportError; any HTTP status is a reply.
  HttpReply post(const std::string& body, Clock::time_point deadline) const;

 private:
  ServerAddress server_;
  std::string authorization_;  // "Bearer <key>", or empty
  std::chrono::milliseconds connect_timeout_;
  int64_t max_response_bytes_;
  Poco::Net::Context::Ptr tls_;  // null for http
};

}  // namespace p2j::agent_openai
