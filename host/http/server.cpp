#include "http/server.hpp"

#include "http/http_error.hpp"
#include "http/request_id.hpp"
#include "observability/logging.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Timestamp.h>

#include <poll.h>

#include <atomic>
#include <cerrno>
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

// Poco's HTTPServerSession, with the one check its keep-alive loop needs made cheaply: whether a request has
// arrived (or is already buffered) within a timeout, by poll(2) on the socket.
class KeepAliveSession : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;

  bool awaitRequest(const Poco::Timespan& timeout) {
    if (buffered() > 0) return true;
    pollfd descriptor{.fd = socket().impl()->sockfd(), .events = POLLIN, .revents = 0};
    const auto timeout_ms = static_cast<int>(timeout.totalMilliseconds());
    int ready = 0;
    do {
      ready = ::poll(&descriptor, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
  }
};

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

void sendBadRequest(Poco::Net::HTTPServerSession& session) {
  Poco::Net::HTTPServerResponseImpl response(session);
  const std::string body = errorBody(400, "bad_request", "the request is not valid HTTP/1.1", requestIdFor(""));
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
  response.setContentType("application/json");
  response.set("Date", httpDate());
  response.setKeepAlive(false);
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  // send(), not sendBuffer(): with no request attached (there is none to attach) sendBuffer sends no body.
  response.send().write(body.data(), static_cast<std::streamsize>(body.size())).flush();
}

class Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, std::shared_ptr<ConnectionRegistry> registry,
             Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, Poco::Net::HTTPServerParams::Ptr params)
      : TCPServerConnection(socket),
        registry_(std::move(registry)),
        handlers_(std::move(handlers)),
        params_(std::move(params)) {
    entry_.socket = this->socket();
    registry_->add(&entry_);
  }
  ~Connection() override { registry_->remove(&entry_); }

  void run() override {
    KeepAliveSession session(socket(), params_);
    Poco::Timespan wait_for = params_->getTimeout();  // the first request: the receive timeout
    while (!registry_->stopping() && session.awaitRequest(wait_for)) {
      wait_for = params_->getKeepAliveTimeout();
      const std::lock_guard busy(entry_.busy);
      if (registry_->stopping()) break;
      try {
        if (!serveOne(session)) break;
      } catch (const Poco::Net::NoMessageException&) {
        break;  // the client closed the connection between requests
      } catch (const Poco::Net::MessageException&) {
        try {
          sendBadRequest(session);
        } catch (const Poco::Exception&) {
          // the client is gone as well
        }
        break;
      } catch (const Poco::Exception& e) {
        // A timeout or reset while reading or writing: the connection is unusable, the client gone or stuck.
        observability::log(observability::Log::kHttp).debug("connection closed: {}", e.displayText());
        break;
      }
    }
  }

 private:
  // Reads one request, has it handled and answered; false when the connection must close after it.
  bool serveOne(KeepAliveSession& session) {
    Poco::Net::HTTPServerResponseImpl response(session);
    Poco::Net::HTTPServerRequestImpl request(response, session, params_.get());
    // Poco takes any third word of the request line as the version, and would echo it in the status line.
    if (request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 &&
        request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_0) {
      throw Poco::Net::MessageException("not an HTTP/1.x request line");
    }
    response.set("Date", httpDate());
    response.setVersion(request.getVersion());
    response.setKeepAlive(request.getKeepAlive() && !registry_->stopping());
    const std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(request));
    if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
      response.sendContinue();
    }
    handler->handleRequest(request, response);
    return response.getKeepAlive();
  }

  std::shared_ptr<ConnectionRegistry> registry_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  Poco::Net::HTTPServerParams::Ptr params_;
  ConnectionRegistry::Entry entry_;
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  ConnectionFactory(std::shared_ptr<ConnectionRegistry> registry, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                    Poco::Net::HTTPServerParams::Ptr params)
      : registry_(std::move(registry)), handlers_(std::move(handlers)), params_(std::move(params)) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, registry_, handlers_, params_);
  }

 private:
  std::shared_ptr<ConnectionRegistry> registry_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  Poco::Net::HTTPServerParams::Ptr params_;
};

}  // namespace

Server::Server(const config::ServerConfig& config, Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
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
      Poco::makeShared<ConnectionFactory>(connections_, std::move(factory), params), pool_, socket, params);
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
