#pragma once

#include <string>

namespace p2j::http {

// The client's X-Request-ID when it is a sane token (1-128 of [A-Za-z0-9._:-]), else a fresh random id.
std::string requestIdFor(const std::string& client_value);

}  // namespace p2j::http
