#include "nginx.hpp"

#include "server_process.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace p2j::testing {
namespace {

std::string script() { return std::string(kSourceDir) + "/scripts/nginx-test-server.sh"; }

}  // namespace

NginxServer::NginxServer(const std::vector<uint16_t>& upstreams) {
  std::vector<std::string> argv = {"/bin/bash", script(), "start", dir_.path().string()};
  for (const uint16_t upstream : upstreams) argv.push_back(std::to_string(upstream));
  const ProcessResult result = runProcess(argv);
  if (result.exit_code != 0) {
    throw std::runtime_error("scripts/nginx-test-server.sh start failed: " + result.out + result.err);
  }
  const std::string url = result.out.substr(0, result.out.find('\n'));
  port_ = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

NginxServer::~NginxServer() {
  const ProcessResult result = runProcess({"/bin/bash", script(), "stop", dir_.path().string()});
  if (result.exit_code != 0) ADD_FAILURE() << "scripts/nginx-test-server.sh stop failed: " << result.err;
}

}  // namespace p2j::testing
