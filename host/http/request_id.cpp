#include "http/request_id.hpp"

#include <p2j/sdk/uuid.hpp>

#include <algorithm>
#include <cctype>

namespace p2j::http {
namespace {

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
}

}  // namespace

std::string requestIdFor(const std::string& client_value) {
  if (!client_value.empty() && client_value.size() <= 128 &&
      std::all_of(client_value.begin(), client_value.end(), isTokenChar)) {
    return client_value;
  }
  // From the kernel's CSPRNG like every other id: a per-thread engine seeded from random_device's 32 bits
  // would repeat whole sequences of ids across the threads of a fleet.
  unsigned char bits[16];
  sdk::randomIdBytes(bits, sizeof bits);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (size_t i = 0; i < sizeof bits; ++i) {
    id[2 * i] = kHex[bits[i] >> 4];
    id[2 * i + 1] = kHex[bits[i] & 0x0F];
  }
  return id;
}

}  // namespace p2j::http
