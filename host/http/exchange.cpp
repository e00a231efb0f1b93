#include "http/exchange.hpp"

#include "http/percent_decode.hpp"

namespace p2j::http {

std::optional<std::string> Request::queryParameter(const std::string& name) const {
  size_t start = 0;
  while (start <= query.size()) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string_view pair = std::string_view(query).substr(start, end - start);
    const size_t equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    if (key == name) {
      std::string value(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
      for (char& c : value) {
        if (c == '+') c = ' ';
      }
      return percentDecode(value);
    }
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace p2j::http
