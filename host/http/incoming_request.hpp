// A request as the server's connection hands it to the dispatcher: its head, its body on demand, and the
// one way to answer it. The connection implements it on its socket; nothing here is Poco's.
#pragma once

#include "http/exchange.hpp"
#include "http/request_head.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace p2j::http {

// Thrown by readBody: the body is over `limit`. `drained` says whether it was read to its end anyway, so
// that the connection can carry another request.
struct BodyTooLarge {
  int64_t limit;
  bool drained;
};

// Thrown by readBody when the body cannot be read: the client stopped sending (timeout), went away, or
// framed a chunked body wrongly. The connection cannot carry another request.
class BodyReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class IncomingRequest {
 public:
  virtual ~IncomingRequest() = default;

  virtual const RequestHead& head() const = 0;
  // The peer's address, as text (the proxy's, behind one).
  virtual const std::string& peerAddress() const = 0;

  // The body, at most `limit` bytes; empty without Content-Length and chunked coding (RFC 9112 §6.3).
  // Sends "100 Continue" first when the client waits for it. Throws BodyTooLarge or BodyReadError.
  virtual std::string readBody(int64_t limit) = 0;
  // Reads and drops whatever of the body is still unread (none once readBody returned); false when the
  // connection must close instead (the rest is too large to be worth reading, could not be read, or the
  // client still waits for a 100 Continue it will not get).
  virtual bool discardBody(int64_t limit) = 0;

  // Sends the response (without its body to a HEAD), and closes the connection after it unless
  // `keep_alive` and the request allow it to carry another. Failures to send are the client's: logged only.
  virtual void respond(const Response& response, std::string_view request_id, bool keep_alive) = 0;
};

// What the server runs for every request it reads.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void serve(IncomingRequest& request) const = 0;
};

}  // namespace p2j::http
