#pragma once

#include <optional>
#include <string>
#include <vector>

namespace p2j::http {

// IPv4/IPv6 addresses and CIDR ranges of proxies whose X-Forwarded-For is believed.
class TrustedProxies {
 public:
  // Throws std::invalid_argument naming an entry that is not an address or a CIDR.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool contains(const std::string& address) const;

  // The client's address: the peer, unless the peer is a trusted proxy, in which case the right-most
  // X-Forwarded-For entry that is not itself a trusted proxy (entries to its left are client-supplied
  // and could be forged).
  std::string clientAddress(const std::string& peer, const std::vector<std::string>& forwarded_for) const;

 private:
  struct Range {
    std::vector<unsigned char> network;  // 4 or 16 bytes
    int prefix_bits = 0;
  };
  std::vector<Range> ranges_;
};

// The address as 4 (IPv4) or 16 (IPv6) bytes; IPv4-mapped IPv6 becomes IPv4. nullopt when not an address.
std::optional<std::vector<unsigned char>> parseAddress(const std::string& text);

}  // namespace p2j::http
