// An sdk::AuthRequest for calling an auth scheme directly, with the texts its views point into: a scheme is
// shown views of the host's request, valid for the call, and a test's request must outlive it the same way.
#pragma once

#include <p2j/sdk/auth.hpp>

#include <string>
#include <utility>
#include <vector>

namespace p2j::testing {

class OwnedAuthRequest {
 public:
  // A POST /generate from 127.0.0.1 with these headers (lower-case names), in this order.
  explicit OwnedAuthRequest(std::vector<std::pair<std::string, std::string>> headers) : headers_(std::move(headers)) {
    request_.method = "POST";
    request_.path = "/generate";
    request_.client_ip = "127.0.0.1";
    for (const auto& [name, value] : headers_) request_.headers.emplace_back(name, value);
  }
  // The views point into this object's own strings: it stays where it was made.
  OwnedAuthRequest(const OwnedAuthRequest&) = delete;
  OwnedAuthRequest& operator=(const OwnedAuthRequest&) = delete;

  operator const sdk::AuthRequest&() const { return request_; }  // NOLINT(google-explicit-constructor)

 private:
  std::vector<std::pair<std::string, std::string>> headers_;
  sdk::AuthRequest request_;
};

}  // namespace p2j::testing
