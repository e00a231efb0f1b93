#include "http/client_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace p2j::http {

std::optional<std::vector<unsigned char>> parseAddress(const std::string& input) {
  std::string text = input;
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) return std::vector<unsigned char>(bytes, bytes + 4);
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped, kMapped + 12, bytes)) return std::vector<unsigned char>(bytes + 12, bytes + 16);
    return std::vector<unsigned char>(bytes, bytes + 16);
  }
  return std::nullopt;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    const size_t slash = entry.find('/');
    const auto address = parseAddress(entry.substr(0, slash));
    if (!address) throw std::invalid_argument("\"" + entry + "\" is not an IP address or CIDR range");
    const int max_bits = static_cast<int>(address->size() * 8);
    int prefix = max_bits;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      size_t consumed = 0;
      try {
        prefix = std::stoi(bits, &consumed);
      } catch (const std::exception&) {
        consumed = 0;
      }
      if (consumed == 0 || consumed != bits.size() || prefix < 0 || prefix > max_bits) {
        throw std::invalid_argument("\"" + entry + "\" has an invalid prefix length");
      }
    }
    ranges_.push_back({*address, prefix});
  }
}

bool TrustedProxies::contains(const std::string& text) const {
  const auto address = parseAddress(text);
  if (!address) return false;
  for (const auto& range : ranges_) {
    if (range.network.size() != address->size()) continue;
    int bits = range.prefix_bits;
    bool match = true;
    for (size_t i = 0; i < address->size() && bits > 0 && match; ++i, bits -= 8) {
      const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
      match = ((*address)[i] & mask) == (range.network[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string TrustedProxies::clientAddress(const std::string& peer,
                                          const std::vector<std::string>& forwarded_for) const {
  if (!contains(peer)) return peer;
  std::vector<std::string> hops;
  for (const auto& header : forwarded_for) {
    std::stringstream items(header);
    std::string item;
    while (std::getline(items, item, ',')) {
      const size_t first = item.find_first_not_of(" \t");
      const size_t last = item.find_last_not_of(" \t");
      if (first != std::string::npos) hops.push_back(item.substr(first, last - first + 1));
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!parseAddress(*it)) return peer;  // garbage in the chain: trust nothing beyond the proxy
    if (!contains(*it)) return *it;
  }
  return hops.empty() ? peer : hops.front();
}

}  // namespace p2j::http
