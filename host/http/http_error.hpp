#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace p2j::http {

// A request that ends in an error response. `code` is the machine-readable "error" of the envelope,
// `message` the human text; both go to the client, so never put internal detail in them.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), field_(std::move(field)) {}

  HttpError& withHeader(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  int status_;
  std::string code_;
  std::string field_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// The error codes of the envelope, one per status the host produces.
HttpError badRequest(const std::string& message);
HttpError notFound(const std::string& message);
HttpError unprocessable(const std::string& message, std::string field = {});

// {"error", "message", "status_code", "request_id"[, "field"]}: the original's keys plus the request id.
std::string errorBody(int status, const std::string& code, const std::string& message, const std::string& request_id,
                      const std::string& field = {});

}  // namespace p2j::http
