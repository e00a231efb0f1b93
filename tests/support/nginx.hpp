// nginx in front of p2j instances for the end-to-end tests (scripts/nginx-test-server.sh).
#pragma once

#include "temp_dir.hpp"

#include <cstdint>
#include <vector>

namespace p2j::testing {

// Balances round-robin over `upstreams` (ports on 127.0.0.1) from a free port of its own; started by the
// constructor (throws with the script's output when it fails), stopped by the destructor.
class NginxServer {
 public:
  explicit NginxServer(const std::vector<uint16_t>& upstreams);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  uint16_t port() const { return port_; }

 private:
  TempDir dir_;
  uint16_t port_ = 0;
};

}  // namespace p2j::testing
