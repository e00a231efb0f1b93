// tests/support/fake_openai_server.py as a test fixture: started on free ports, scripted, read back, and
// stopped with the object.
#pragma once

#include "temp_dir.hpp"

#include <rapidjson/document.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace p2j::testing {

class FakeOpenAiServer {
 public:
  // With `tls`, the API port serves https with a fresh self-signed certificate for localhost/127.0.0.1.
  explicit FakeOpenAiServer(bool tls = false);
  ~FakeOpenAiServer();
  FakeOpenAiServer(const FakeOpenAiServer&) = delete;
  FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

  // http://127.0.0.1:<port> (https://localhost:<port> with TLS), the agent's base_url.
  std::string baseUrl() const;
  // The certificate the TLS server presents (PEM), for the agent's ca_file.
  std::filesystem::path certificate() const { return dir_.path() / "cert.pem"; }

  // The next answers in order (mode names or {"mode", "delay", "total_tokens"} objects as JSON text),
  // then `then` for every later request. Also forgets the recorded requests.
  void script(const std::vector<std::string>& steps, const std::string& then = "\"valid\"");
  // The chat requests received since the last script(): [{"path", "headers", "body"}, ...].
  rapidjson::Document requests() const;
  size_t requestCount() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  bool tls_ = false;
  uint16_t api_port_ = 0;
  uint16_t control_port_ = 0;
};

}  // namespace p2j::testing
