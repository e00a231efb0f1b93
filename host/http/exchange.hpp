// What an action sees of a request and gives back: plain data, no Poco types, so actions stay testable
// and the HTTP library stays replaceable.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace p2j::http {

struct Request {
  Request() = default;
  // Not copied or moved: `json` holds views of `body`'s bytes, which a moved short body would leave behind.
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  std::string method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> parameters;  // from the route's {placeholders}, percent-decoded
  std::string request_id;
  std::string subject;             // the authenticated principal, empty on public endpoints
  std::vector<std::string> roles;  // the principal's roles
  std::string body;                // as read; once `json` is parsed, its strings are decoded in place
  // The parsed body, for actions that take JSON (else Null). Its strings are views of `body`, and so are those
  // of a CopyFrom (RapidJSON 1.1 copies a view as a view): what outlives the request is written out as text.
  rapidjson::Document json;
  std::function<std::optional<std::string>(const std::string& name)> header;

  // A query parameter's percent-decoded value, or nullopt.
  std::optional<std::string> queryParameter(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

inline Response jsonResponse(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace p2j::http
