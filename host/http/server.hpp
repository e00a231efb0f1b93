#pragma once

#include "config/config.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>

namespace p2j::http {

// Poco's HTTPServer with explicit threads, queue and timeouts, bound without SO_REUSEPORT (so a second
// server on the same port fails loudly instead of sharing it), and a drain that lets in-flight requests
// finish before the plugins they use are torn down.
class Server {
 public:
  // Binds now; throws std::runtime_error naming the address when that fails.
  Server(const config::ServerConfig& config, Poco::Net::HTTPRequestHandlerFactory::Ptr factory);
  ~Server();

  void start();
  uint16_t port() const;

  // Stops accepting, lets current requests finish (keep-alive connections close after theirs) for up to
  // `grace`, then aborts what is left and waits for every worker thread to return.
  void drain(std::chrono::seconds grace);

 private:
  Poco::ThreadPool pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  bool stopped_ = false;
};

}  // namespace p2j::http
