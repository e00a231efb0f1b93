// The ceiling tests/load/bench.sh measures p2j against: a bare Poco HTTPServer that answers every request
// with the same small JSON body, with p2j's thread, queue and keep-alive settings (host/http/server.cpp).
// Whatever p2j spends beyond this is its own request path.
//
// Usage: p2j_reference_server [--listen HOST:PORT] [--threads N] [--max-queued N]
// Prints "listening on HOST:PORT" once it accepts connections; serves until SIGTERM or SIGINT.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <istream>
#include <limits>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kBody = R"({"status":"alive"})";

class FixedJsonHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    // The body is read as p2j reads it, so the connection can carry the next request.
    request.stream().ignore(std::numeric_limits<std::streamsize>::max());
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    response.setContentLength64(static_cast<Poco::Int64>(kBody.size()));
    response.sendBuffer(kBody.data(), kBody.size());
  }
};

class FixedJsonFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new FixedJsonHandler;
  }
};

struct Options {
  std::string listen = "127.0.0.1:0";
  int threads = 64;
  int max_queued = 1024;
};

Options parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(std::string(word) + " needs a value");
    const std::string value = argv[++i];
    if (word == "--listen") {
      options.listen = value;
    } else if (word == "--threads") {
      options.threads = std::stoi(value);
    } else if (word == "--max-queued") {
      options.max_queued = std::stoi(value);
    } else {
      throw std::invalid_argument("unknown option " + std::string(word));
    }
  }
  if (options.threads < 1 || options.max_queued < 1) throw std::invalid_argument("threads and queue must be >= 1");
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parseOptions(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "p2j_reference_server: " << e.what()
              << "\nusage: p2j_reference_server [--listen HOST:PORT] [--threads N] [--max-queued N]\n";
    return 2;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // The same pool, socket and parameters as p2j's http::Server.
  Poco::ThreadPool pool("http", 2, options.threads, 60);
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress(options.listen), /*reuseAddress=*/true, /*reusePort=*/false);
  socket.listen(std::max(64, options.max_queued));
  auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
  params->setMaxThreads(options.threads);
  params->setMaxQueued(options.max_queued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(15, 0));
  params->setMaxKeepAliveRequests(0);
  params->setTimeout(Poco::Timespan(30, 0));
  params->setServerName("p2j-reference");
  Poco::Net::HTTPServer server(new FixedJsonFactory, pool, socket, params);
  server.start();
  std::cout << "listening on " << socket.address().toString() << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server.stopAll(true);
  pool.joinAll();
  return 0;
}
