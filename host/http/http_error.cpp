#include "http/http_error.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::http {

HttpError badRequest(const std::string& message) { return HttpError(400, "bad_request", message); }
HttpError notFound(const std::string& message) { return HttpError(404, "not_found", message); }
HttpError unprocessable(const std::string& message, std::string field) {
  return HttpError(422, "validation_error", message, std::move(field));
}

std::string errorBody(int status, const std::string& code, const std::string& message, const std::string& request_id,
                      const std::string& field) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("error");
  sdk::writeString(writer, code);
  writer.Key("message");
  sdk::writeString(writer, message);
  writer.Key("status_code");
  writer.Int(status);
  writer.Key("request_id");
  sdk::writeString(writer, request_id);
  if (!field.empty()) {
    writer.Key("field");
    sdk::writeString(writer, field);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace p2j::http
