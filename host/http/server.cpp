#include "http/server.hpp"

#include "http/http_error.hpp"
#include "http/request_id.hpp"
#include "observability/logging.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Timestamp.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>

namespace p2j::http {

// The connections being served, so that a drain can close the idle ones and, after its grace, abort the
// rest. A connection holds its `busy` lock from the moment its next request arrives until it has answered.
class ConnectionRegistry {
 public:
  struct Entry {
    Poco::Net::StreamSocket socket;
    std::mutex busy;
  };

  void add(Entry* entry) {
    std::lock_guard lock(mutex_);
    entries_.insert(entry);
  }
  void remove(Entry* entry) {
    std::lock_guard lock(mutex_);
    entries_.erase(entry);
  }
  size_t size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
  }

  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // From now on connections take no further request; those waiting for one are shut down now. With
  // `abort`, so are those in the middle of one.
  void stop(bool abort) {
    stopping_.store(true, std::memory_order_release);
    std::lock_guard lock(mutex_);
    for (Entry* entry : entries_) {
      std::unique_lock busy(entry->busy, std::try_to_lock);
      if (busy.owns_lock() || abort) shutdown(entry->socket);
    }
  }

 private:
  static void shutdown(Poco::Net::StreamSocket& socket) {
    try {
      socket.shutdown();
    } catch (const Poco::Exception&) {
      // already closed by the client: nothing to wake
    }
  }

  mutable std::mutex mutex_;
  std::unordered_set<Entry*> entries_;
  std::atomic<bool> stopping_{false};
};

namespace {

// The Date header (RFC 9110 6.6.1), formatted once a second per thread instead of once a request.
const std::string& httpDate() {
  thread_local std::time_t formatted_second = 0;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != formatted_second) {
    formatted_second = now;
    text = Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(now), Poco::DateTimeFormat::HTTP_FORMAT);
  }
  return text;
}

// Thrown when the connection is unusable: the client went away, reset it, or stopped sending mid-request.
struct ConnectionLost {
  const char* why;
};

constexpr size_t kReadChunkBytes = 16 * 1024;
// A chunk-size line, with extensions, and the trailer section: generous, and bounded.
constexpr size_t kMaxChunkLineBytes = 1024;
constexpr size_t kMaxTrailerBytes = 8 * 1024;
// A body declared this much over the limit is still read and thrown away before the 413, so the client,
// which is usually still sending, gets the answer instead of a connection reset. Beyond it the 413 goes
// out at once and the connection is closed.
constexpr int64_t kDiscardAllowanceBytes = 4 * 1024 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 1024 * 1024;

// One HTTP/1.1 connection: reads requests from its socket into one buffer (a pipelined next request stays
// there), parses each head in place, reads bodies on demand and writes each response with one sendmsg.
// Poco's HTTPServerRequestImpl and HTTPServerResponseImpl cost a sixth of /generate's instructions: a
// character-at-a-time head parse through an istream, a map node and two strings a header, and the
// getpeername/getsockname of every request's address.
class SocketRequest final : public IncomingRequest {
 public:
  SocketRequest(Poco::Net::StreamSocket& socket, const Poco::Net::HTTPServerParams& params)
      : fd_(socket.impl()->sockfd()),
        receive_timeout_(params.getTimeout()),
        keep_alive_timeout_(params.getKeepAliveTimeout()) {
    // The receive timeout bounds the blocking wait for a kept-alive connection's next request (one recv, no
    // poll before it); the reads of a request itself poll for the receive timeout when the socket is empty.
    socket.setReceiveTimeout(keep_alive_timeout_);
    socket.setSendTimeout(receive_timeout_);
    socket.setNoDelay(true);
    try {
      peer_address_ = socket.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
      peer_address_ = "-";  // already gone; its first read will say so
    }
  }

  // Waits for the next request's first bytes (`first`: the connection's first request, which gets the
  // receive timeout; later ones get the keep-alive timeout); false when none comes. A later request is
  // waited for in recv itself: a poll before it was one more system call a request.
  bool awaitRequest(bool first) {
    if (consumed_ < buffer_.size()) return true;
    if (first) return fill();
    compact();
    return receive(0) > 0;  // not: closed, reset, or the keep-alive timeout passed
  }

  enum class Read { kRequest, kClosed, kRefused };

  // Reads the next request's head. kClosed: the client closed or stalled before sending one; kRefused: the
  // bytes were not a request, and the error response has been sent.
  Read readHead() {
    for (;;) {
      const std::string_view pending = std::string_view(buffer_).substr(consumed_);
      const HeadParse parse = parseRequestHead(pending, head_);
      switch (parse.outcome) {
        case HeadParse::Outcome::kComplete:
          keepHead(parse.length);
          consumed_ += parse.length;
          body_state_ =
              head_.chunked ? Body::kChunked : (head_.content_length.value_or(0) > 0 ? Body::kLength : Body::kDone);
          body_left_ = head_.content_length.value_or(0);
          continue_sent_ = false;
          return Read::kRequest;
        case HeadParse::Outcome::kIncomplete:
          // Parsed again only once a line has ended, so a head that trickles in byte by byte costs linear time.
          for (bool line_ended = false; !line_ended;) {
            const size_t parsed = buffer_.size() - consumed_;
            if (!fill()) return Read::kClosed;
            line_ended = buffer_.find('\n', consumed_ + parsed) != std::string::npos ||
                         buffer_.size() - consumed_ >= kMaxRequestHeadBytes;
          }
          break;
        case HeadParse::Outcome::kInvalid:
          refuse(400, "bad_request", "the request is not valid HTTP/1.1: " + parse.error);
          return Read::kRefused;
        case HeadParse::Outcome::kTooLarge:
          refuse(431, "request_header_fields_too_large", parse.error);
          return Read::kRefused;
        case HeadParse::Outcome::kUnsupportedCoding:
          refuse(501, "not_implemented", parse.error);
          return Read::kRefused;
      }
    }
  }

  // Whether the connection can carry the request after the one just answered.
  bool keptAlive() const { return kept_alive_; }

  // Closing a socket with unread bytes makes the kernel reset the connection, and a reset can destroy the
  // response the client has not read yet. So after refusing a request whose bytes are still coming, stop
  // sending and read what arrives until the client closes, for a bounded time and amount.
  void lingerIfUnread() {
    if (consumed_ == buffer_.size() && body_state_ == Body::kDone) return;  // nothing unread
    ::shutdown(fd_, SHUT_WR);
    const auto deadline = std::chrono::steady_clock::now() + kLingerTime;
    size_t drained = 0;
    char chunk[kReadChunkBytes];
    while (drained < kLingerBytes) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd descriptor{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&descriptor, 1, static_cast<int>(left.count())) <= 0) break;
      const ssize_t got = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
      if (got <= 0) break;
      drained += static_cast<size_t>(got);
    }
  }

  const RequestHead& head() const override { return head_; }
  const std::string& peerAddress() const override { return peer_address_; }

  std::string readBody(int64_t limit) override {
    std::string body;
    if (body_state_ == Body::kDone) return body;
    if (body_state_ == Body::kAbandoned) throw BodyReadError("the rest of the body was abandoned");
    const bool awaits_continue = head_.expect_continue && !continue_sent_ && consumed_ == buffer_.size();
    // A body declared too large is refused before the client is told to send it.
    if (awaits_continue && body_state_ == Body::kLength && body_left_ > limit) throw BodyTooLarge{limit, false};
    if (awaits_continue) {
      continue_sent_ = true;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      try {
        sendAll(kContinue, {});
      } catch (const ConnectionLost& lost) {
        throw BodyReadError(lost.why);
      }
    }
    if (body_state_ == Body::kLength) {
      if (body_left_ > limit) {
        if (body_left_ - limit > kDiscardAllowanceBytes) throw BodyTooLarge{limit, false};
        skipLengthBody();
        throw BodyTooLarge{limit, true};
      }
      body.reserve(static_cast<size_t>(body_left_));
      while (body_left_ > 0) {
        if (consumed_ == buffer_.size() && !fill()) throw BodyReadError("the body ended early");
        const size_t take = std::min(buffer_.size() - consumed_, static_cast<size_t>(body_left_));
        body.append(buffer_, consumed_, take);
        consumed_ += take;
        body_left_ -= static_cast<int64_t>(take);
      }
      body_state_ = Body::kDone;
      return body;
    }
    readChunked(body, limit);
    return body;
  }

  bool discardBody(int64_t limit) override {
    if (body_state_ == Body::kDone) return true;
    if (body_state_ == Body::kAbandoned) return false;
    // The client waits for a 100 Continue before it sends the body: it will not come, so neither will it.
    if (head_.expect_continue && !continue_sent_ && consumed_ == buffer_.size()) return false;
    try {
      if (body_state_ == Body::kLength && body_left_ <= limit + kDiscardAllowanceBytes) {
        skipLengthBody();
        return true;
      }
      readBody(limit);
      return true;
    } catch (const BodyTooLarge& e) {
      return e.drained;
    } catch (const BodyReadError&) {
      return false;
    }
  }

  void respond(const Response& response, std::string_view request_id, bool keep_alive) override {
    // Whatever the handler decided, a body left on the connection would be read as the next request.
    kept_alive_ = keep_alive && head_.keep_alive && body_state_ == Body::kDone;
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
    out_.clear();
    out_.append("HTTP/1.1 ").append(std::to_string(response.status)).append(" ");
    out_.append(Poco::Net::HTTPResponse::getReasonForStatus(status));
    out_.append("\r\nDate: ").append(httpDate());
    out_.append("\r\nContent-Type: ").append(response.content_type);
    if (!request_id.empty()) out_.append("\r\nX-Request-ID: ").append(request_id);
    for (const auto& [name, value] : response.headers) out_.append("\r\n").append(name).append(": ").append(value);
    if (!kept_alive_) {
      out_.append("\r\nConnection: close");
    } else if (head_.minor_version == 0) {
      out_.append("\r\nConnection: keep-alive");
    }
    out_.append("\r\nContent-Length: ").append(std::to_string(response.body.size())).append("\r\n\r\n");
    try {
      sendAll(out_, head_.method == "HEAD" ? std::string_view() : std::string_view(response.body));
    } catch (const ConnectionLost& lost) {
      observability::log(observability::Log::kHttp)
          .debug("client went away before the response was sent: {}", lost.why);
      kept_alive_ = false;
    }
  }

 private:
  // kAbandoned: refused partway (a chunk over the limit); the rest is still on the connection.
  enum class Body { kDone, kLength, kChunked, kAbandoned };

  // Copies the head out of the buffer, which reading the body may move, and points head_ at the copy.
  void keepHead(size_t length) {
    const char* const old_base = buffer_.data() + consumed_;
    head_text_.assign(old_base, length);
    const char* const new_base = head_text_.data();
    auto moved = [&](std::string_view view) {
      return std::string_view(new_base + (view.data() - old_base), view.size());
    };
    head_.method = moved(head_.method);
    head_.target = moved(head_.target);
    for (auto& [name, value] : head_.headers) {
      name = moved(name);
      value = moved(value);
    }
  }

  // Reads what the socket has into the buffer, after what is still unread there, waiting up to the receive
  // timeout when it has nothing; false when the client closed it or stopped sending.
  bool fill() {
    compact();
    for (;;) {
      const ssize_t got = receive(MSG_DONTWAIT);
      if (got > 0) return true;
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;  // closed or reset
      pollfd descriptor{.fd = fd_, .events = POLLIN, .revents = 0};
      int ready = 0;
      do {
        ready = ::poll(&descriptor, 1, static_cast<int>(receive_timeout_.totalMilliseconds()));
      } while (ready < 0 && errno == EINTR);
      if (ready <= 0) return false;  // the receive timeout passed
    }
  }

  // One recv (retried when a signal interrupts it) appended to the buffer; what recv returned.
  ssize_t receive(int flags) {
    char chunk[kReadChunkBytes];
    ssize_t got = 0;
    do {
      got = ::recv(fd_, chunk, sizeof chunk, flags);
    } while (got < 0 && errno == EINTR);
    if (got > 0) buffer_.append(chunk, static_cast<size_t>(got));
    return got;
  }

  // Drops the consumed front of the buffer, keeping a pipelined request's bytes and the capacity.
  void compact() {
    if (consumed_ == buffer_.size()) {
      buffer_.clear();
    } else if (consumed_ > 0) {
      buffer_.erase(0, consumed_);
    }
    consumed_ = 0;
  }

  void skipLengthBody() {
    while (body_left_ > 0) {
      if (consumed_ == buffer_.size() && !fill()) throw BodyReadError("the body ended early");
      const size_t take = std::min(buffer_.size() - consumed_, static_cast<size_t>(body_left_));
      consumed_ += take;
      body_left_ -= static_cast<int64_t>(take);
    }
    body_state_ = Body::kDone;
  }

  // The next line of a chunked body (RFC 9112 §7.1), without its CRLF.
  std::string_view chunkLine(size_t max_bytes) {
    for (;;) {
      const size_t end = buffer_.find('\n', consumed_);
      if (end != std::string::npos) {
        if (end - consumed_ > max_bytes) throw BodyReadError("a chunk line is too long");
        std::string_view line(buffer_.data() + consumed_, end - consumed_);
        consumed_ = end + 1;
        // Strict where the head is lenient: a proxy in front that framed chunks otherwise could smuggle a
        // request inside a body.
        if (line.empty() || line.back() != '\r') throw BodyReadError("a chunk line does not end in CRLF");
        line.remove_suffix(1);
        for (const char c : line) {
          const auto byte = static_cast<unsigned char>(c);
          if ((byte < 0x20 && byte != '\t') || byte == 0x7f) throw BodyReadError("a control character in a chunk line");
        }
        return line;
      }
      if (buffer_.size() - consumed_ > max_bytes) throw BodyReadError("a chunk line is too long");
      if (!fill()) throw BodyReadError("the chunked body ended early");
    }
  }

  void readChunked(std::string& body, int64_t limit) {
    for (;;) {
      std::string_view size_line = chunkLine(kMaxChunkLineBytes);
      size_line = size_line.substr(0, size_line.find(';'));  // chunk extensions are ignored
      while (!size_line.empty() && (size_line.back() == ' ' || size_line.back() == '\t')) size_line.remove_suffix(1);
      uint64_t size = 0;
      const auto [end, error] = std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
      if (error != std::errc() || end != size_line.data() + size_line.size() || size_line.empty()) {
        throw BodyReadError("a chunk size is not a hexadecimal number");
      }
      if (size == 0) break;
      if (size > static_cast<uint64_t>(limit) || static_cast<int64_t>(body.size() + size) > limit) {
        body_state_ = Body::kAbandoned;  // the connection closes after the 413
        throw BodyTooLarge{limit, false};
      }
      uint64_t left = size;
      while (left > 0) {
        if (consumed_ == buffer_.size() && !fill()) throw BodyReadError("the chunked body ended early");
        const size_t take = std::min<uint64_t>(buffer_.size() - consumed_, left);
        body.append(buffer_, consumed_, take);
        consumed_ += take;
        left -= take;
      }
      if (!chunkLine(2).empty()) throw BodyReadError("a chunk is longer than its size");
    }
    size_t trailer_bytes = 0;
    for (;;) {  // the trailer section, read and dropped
      const std::string_view line = chunkLine(kMaxTrailerBytes);
      if (line.empty()) break;
      trailer_bytes += line.size();
      if (trailer_bytes > kMaxTrailerBytes) throw BodyReadError("the chunked trailer is too long");
    }
    body_state_ = Body::kDone;
  }

  // Sends `head` then `body` in as few system calls as the socket takes; throws ConnectionLost.
  void sendAll(std::string_view head, std::string_view body) {
    iovec parts[2] = {{const_cast<char*>(head.data()), head.size()}, {const_cast<char*>(body.data()), body.size()}};
    size_t first = 0;
    while (first < 2) {
      if (parts[first].iov_len == 0) {
        ++first;
        continue;
      }
      msghdr message{};
      message.msg_iov = parts + first;
      message.msg_iovlen = 2 - first;
      const ssize_t sent = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) continue;
        throw ConnectionLost{errno == EAGAIN || errno == EWOULDBLOCK ? "send timed out" : "send failed"};
      }
      auto left = static_cast<size_t>(sent);
      while (first < 2 && left >= parts[first].iov_len) {
        left -= parts[first].iov_len;
        parts[first].iov_len = 0;
        ++first;
      }
      if (first < 2) {
        parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + left;
        parts[first].iov_len -= left;
      }
    }
  }

  // Answers bytes that are not a request it can serve with the error envelope, and closes.
  void refuse(int status, std::string_view code, const std::string& message) {
    observability::log(observability::Log::kHttp).debug("refused a request head: {}", message);
    head_ = RequestHead{};
    head_.method = "GET";
    const std::string request_id = requestIdFor("");
    respond(jsonResponse(errorBody(status, std::string(code), message, request_id), status), request_id, false);
  }

  int fd_;
  Poco::Timespan receive_timeout_;
  Poco::Timespan keep_alive_timeout_;
  std::string peer_address_;
  std::string buffer_;  // what has been read and not yet served: the current request's head, maybe more
  size_t consumed_ = 0;
  std::string head_text_;  // the current request's head
  RequestHead head_;       // views into head_text_
  Body body_state_ = Body::kDone;
  int64_t body_left_ = 0;
  bool continue_sent_ = false;
  bool kept_alive_ = false;
  std::string out_;  // the response head, its capacity kept across requests
};

class Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, std::shared_ptr<ConnectionRegistry> registry,
             std::shared_ptr<const RequestHandler> handler, Poco::Net::HTTPServerParams::Ptr params)
      : TCPServerConnection(socket),
        registry_(std::move(registry)),
        handler_(std::move(handler)),
        params_(std::move(params)) {
    entry_.socket = this->socket();
    registry_->add(&entry_);
  }
  ~Connection() override { registry_->remove(&entry_); }

  void run() override {
    try {
      SocketRequest request(socket(), *params_);
      bool first = true;
      while (!registry_->stopping() && request.awaitRequest(first)) {
        first = false;
        const std::lock_guard busy(entry_.busy);
        if (registry_->stopping()) break;
        const SocketRequest::Read read = request.readHead();
        if (read == SocketRequest::Read::kClosed) break;
        if (read == SocketRequest::Read::kRequest) handler_->serve(request);
        if (read == SocketRequest::Read::kRefused || !request.keptAlive()) {
          request.lingerIfUnread();
          break;
        }
      }
    } catch (const Poco::Exception& e) {
      observability::log(observability::Log::kHttp).debug("connection closed: {}", e.displayText());
    } catch (const std::exception& e) {
      observability::log(observability::Log::kHttp).error("connection closed after an unexpected error: {}", e.what());
    }
  }

 private:
  std::shared_ptr<ConnectionRegistry> registry_;
  std::shared_ptr<const RequestHandler> handler_;
  Poco::Net::HTTPServerParams::Ptr params_;
  ConnectionRegistry::Entry entry_;
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  ConnectionFactory(std::shared_ptr<ConnectionRegistry> registry, std::shared_ptr<const RequestHandler> handler,
                    Poco::Net::HTTPServerParams::Ptr params)
      : registry_(std::move(registry)), handler_(std::move(handler)), params_(std::move(params)) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, registry_, handler_, params_);
  }

 private:
  std::shared_ptr<ConnectionRegistry> registry_;
  std::shared_ptr<const RequestHandler> handler_;
  Poco::Net::HTTPServerParams::Ptr params_;
};

}  // namespace

Server::Server(const config::ServerConfig& config, std::shared_ptr<const RequestHandler> handler)
    : pool_("http", 2, config.threads, 60), connections_(std::make_shared<ConnectionRegistry>()) {
  Poco::Net::ServerSocket socket;
  try {
    const Poco::Net::SocketAddress address(config.host, config.port);
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(std::max(64, config.max_queued));
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + config.host + ":" + std::to_string(config.port) + ": " +
                             e.displayText());
  }
  auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
  params->setMaxThreads(config.threads);
  params->setMaxQueued(config.max_queued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(config.keep_alive_timeout_seconds, 0));
  params->setTimeout(Poco::Timespan(config.receive_timeout_seconds, 0));
  params->setServerName("p2j");
  server_ = std::make_unique<Poco::Net::TCPServer>(
      Poco::makeShared<ConnectionFactory>(connections_, std::move(handler), params), pool_, socket, params);
}

Server::~Server() {
  if (!stopped_) drain(std::chrono::seconds(0));
}

void Server::start() { server_->start(); }

uint16_t Server::port() const { return server_->port(); }

void Server::drain(std::chrono::seconds grace) {
  stopped_ = true;
  server_->stop();  // no new connections; those accepted but not yet started are closed
  const auto deadline = std::chrono::steady_clock::now() + grace;
  // Repeated: a connection busy at one pass is idle, waiting for a next request it will not take, at the next.
  do {
    connections_->stop(/*abort=*/false);
    if (connections_->size() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  if (const size_t open = connections_->size(); open > 0) {
    observability::log(observability::Log::kApplication)
        .warn("drain: {} connections still open after {}s; closing them", open, grace.count());
    connections_->stop(/*abort=*/true);
  }
  pool_.joinAll();
}

}  // namespace p2j::http
