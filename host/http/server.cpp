#include "http/server.hpp"

#include "observability/logging.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <stdexcept>
#include <thread>

namespace p2j::http {

Server::Server(const config::ServerConfig& config, Poco::Net::HTTPRequestHandlerFactory::Ptr factory)
    : pool_("http", 2, config.threads, 60) {
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
  params->setMaxKeepAliveRequests(0);  // unlimited
  params->setTimeout(Poco::Timespan(config.receive_timeout_seconds, 0));
  params->setServerName("p2j");
  server_ = std::make_unique<Poco::Net::HTTPServer>(factory, pool_, socket, params);
}

Server::~Server() {
  if (!stopped_) drain(std::chrono::seconds(0));
}

void Server::start() { server_->start(); }

uint16_t Server::port() const { return server_->port(); }

void Server::drain(std::chrono::seconds grace) {
  stopped_ = true;
  server_->stopAll(false);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (server_->currentConnections() > 0) {
    observability::log(observability::Log::kApplication)
        .warn("drain: {} connections still open after {}s; closing them", server_->currentConnections(), grace.count());
    server_->stopAll(true);
  }
  pool_.joinAll();
}

}  // namespace p2j::http
