#pragma once

#include "config/config.hpp"
#include "http/incoming_request.hpp"

#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>

namespace p2j::http {

class ConnectionRegistry;

// An HTTP/1.1 server on Poco's TCPServer: explicit threads, queue and timeouts, bound without SO_REUSEPORT
// (so a second server on the same port fails loudly instead of sharing it), and a drain that lets in-flight
// requests finish before the plugins they use are torn down.
//
// Its connections read and answer HTTP/1.1 themselves (request_head.hpp parses a head in place) and
// wait for a keep-alive connection's next request with one poll(2) on its socket: Poco 1.11's
// Socket::poll creates, fills, waits on and closes an epoll instance each time, four system calls a request
// that were a tenth of /generate's time.
class Server {
 public:
  // Binds now; throws std::runtime_error naming the address when that fails.
  Server(const config::ServerConfig& config, std::shared_ptr<const RequestHandler> handler);
  ~Server();

  void start();
  uint16_t port() const;

  // Stops accepting, lets current requests finish (keep-alive connections close after theirs, idle ones at
  // once) for up to `grace`, then aborts what is left and waits for every worker thread to return.
  void drain(std::chrono::seconds grace);

 private:
  Poco::ThreadPool pool_;
  std::shared_ptr<ConnectionRegistry> connections_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  bool stopped_ = false;
};

}  // namespace p2j::http
