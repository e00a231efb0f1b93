#include "fake_openai.hpp"

#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace p2j::testing {

FakeOpenAiServer::FakeOpenAiServer(bool tls) : tls_(tls) {
  const auto port_file = dir_.path() / "ports";
  std::vector<std::string> argv{kPython,
                                (std::filesystem::path(kSourceDir) / "tests/support/fake_openai_server.py").string(),
                                "--port-file", port_file.string()};
  if (tls) {
    const ProcessResult made =
        runProcess({kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", (dir_.path() / "key.pem").string(), "-out", certificate().string()});
    if (made.exit_code != 0) throw std::runtime_error("openssl could not make a certificate: " + made.err);
    argv.insert(argv.end(), {"--cert", certificate().string(), "--key", (dir_.path() / "key.pem").string()});
  }
  const auto in = dir_.write("stdin", "");
  pid_ = spawnProcess(argv, {}, in, dir_.path() / "stdout", dir_.path() / "stderr");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream ports(port_file);
    if (ports >> api_port_ >> control_port_) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream err(dir_.path() / "stderr");
      throw std::runtime_error("the fake OpenAI server exited: " +
                               std::string(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the fake OpenAI server did not start in time");
}

FakeOpenAiServer::~FakeOpenAiServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::string FakeOpenAiServer::baseUrl() const {
  return (tls_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(api_port_);
}

void FakeOpenAiServer::script(const std::vector<std::string>& steps, const std::string& then) {
  std::string body = "{\"steps\": [";
  for (size_t i = 0; i < steps.size(); ++i) body += (i == 0 ? "" : ", ") + steps[i];
  body += "], \"then\": " + then + "}";
  if (httpRequest(control_port_, "PUT", "/script", body).status != 200) {
    throw std::runtime_error("the fake OpenAI server refused the script " + body);
  }
  httpRequest(control_port_, "DELETE", "/requests");
}

rapidjson::Document FakeOpenAiServer::requests() const {
  const HttpResult result = httpRequest(control_port_, "GET", "/requests");
  if (result.status != 200) throw std::runtime_error("the fake OpenAI server did not list its requests");
  return sdk::parseJson(result.body);
}

size_t FakeOpenAiServer::requestCount() const { return requests().Size(); }

}  // namespace p2j::testing
