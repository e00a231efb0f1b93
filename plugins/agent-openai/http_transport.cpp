#include "http_transport.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>

#include <algorithm>
#include <memory>

namespace p2j::agent_openai {
namespace {

using Clock = HttpTransport::Clock;

// Poco reads a zero timespan as "no timeout": whatever is left of the deadline is at least a millisecond.
Poco::Timespan timespan(Clock::duration duration) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  return Poco::Timespan(std::max<int64_t>(micros, 1000));
}

Clock::duration left(Clock::time_point deadline) {
  const auto now = Clock::now();
  return deadline > now ? deadline - now : Clock::duration::zero();
}

[[noreturn]] void timedOut() { throw TransportError(TransportError::Kind::kTimeout, "no complete answer in time"); }

}  // namespace

HttpTransport::HttpTransport(const Settings& settings)
    : server_(settings.server),
      authorization_(settings.api_key ? "Bearer " + *settings.api_key : ""),
      connect_timeout_(settings.connect_timeout),
      max_response_bytes_(settings.max_response_bytes) {
  if (server_.https) {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params params;
    params.caLocation = settings.ca_file;
    params.loadDefaultCAs = true;
    // STRICT also checks the certificate's name against the host for localhost (RELAXED skips that).
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    try {
      tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    } catch (const Poco::Exception& e) {
      Poco::Net::uninitializeSSL();
      throw std::invalid_argument("cannot set up TLS" +
                                  (settings.ca_file.empty() ? "" : " with ca_file " + settings.ca_file) + ": " +
                                  e.displayText());
    }
  }
}

HttpTransport::~HttpTransport() {
  if (server_.https) {
    tls_.reset();
    Poco::Net::uninitializeSSL();
  }
}

HttpReply HttpTransport::post(const std::string& body, Clock::time_point deadline) const {
  if (left(deadline) == Clock::duration::zero()) timedOut();
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (server_.https) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(server_.host, server_.port, tls_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(server_.host, server_.port);
  }
  try {
    const auto remaining = left(deadline);
    session->setTimeout(timespan(std::min<Clock::duration>(connect_timeout_, remaining)), timespan(remaining),
                        timespan(remaining));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, server_.path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("Accept", "application/json");
    request.setKeepAlive(false);
    if (!authorization_.empty()) request.set("Authorization", authorization_);
    std::ostream& out = session->sendRequest(request);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out) throw TransportError(TransportError::Kind::kFailed, "sending the request failed");

    if (left(deadline) == Clock::duration::zero()) timedOut();
    session->socket().setReceiveTimeout(timespan(left(deadline)));
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);

    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    char chunk[16384];
    while (true) {
      const auto remaining_now = left(deadline);
      if (remaining_now == Clock::duration::zero()) timedOut();
      session->socket().setReceiveTimeout(timespan(remaining_now));
      in.read(chunk, sizeof chunk);
      const std::streamsize got = in.gcount();
      if (got > 0) reply.body.append(chunk, static_cast<size_t>(got));
      if (static_cast<int64_t>(reply.body.size()) > max_response_bytes_) {
        throw TransportError(TransportError::Kind::kFailed, "the answer is larger than max_response_bytes (" +
                                                                std::to_string(max_response_bytes_) + ")");
      }
      if (!in) break;
    }
    // The stream swallows what the socket threw; the session kept it.
    if (in.bad() && session->networkException() != nullptr) session->networkException()->rethrow();
    return reply;
  } catch (const TransportError&) {
    throw;
  } catch (const Poco::TimeoutException&) {
    timedOut();
  } catch (const Poco::Exception& e) {
    throw TransportError(TransportError::Kind::kFailed, e.displayText());
  } catch (const std::exception& e) {
    throw TransportError(TransportError::Kind::kFailed, e.what());
  }
}

}  // namespace p2j::agent_openai
