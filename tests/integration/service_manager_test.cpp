// p2j under a service manager: the sd_notify(3) messages systemd's Type=notify waits for, received on a
// datagram socket of the test's own named by $NOTIFY_SOCKET, exactly as systemd passes it.
#include "server_process.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace p2j::testing {
namespace {

class NotifySocket {
 public:
  explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.string().copy(address.sun_path, sizeof address.sun_path - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("cannot bind " + path_.string());
    }
  }
  ~NotifySocket() { ::close(fd_); }

  // The next datagram, or "" when none arrives within `timeout`.
  std::string receive(std::chrono::milliseconds timeout) const {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) != 1) return "";
    char buffer[4096];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, static_cast<size_t>(got)) : "";
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

std::string openConfig() {
  std::ifstream in(std::filesystem::path(kSourceDir) / "tests" / "data" / "open.yaml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The assignments of one sd_notify message, one per line.
bool says(const std::string& message, const std::string& assignment) {
  std::istringstream lines(message);
  for (std::string line; std::getline(lines, line);) {
    if (line == assignment) return true;
  }
  return false;
}

TEST(ServiceManager, ToldReadyOnceServingAndStoppingWhenDraining) {
  const TempDir dir;
  const NotifySocket notify(dir.path() / "notify");
  ServerProcess server(openConfig(), {{"NOTIFY_SOCKET", notify.path().string()}});
  server.launch();

  const std::string ready = notify.receive(std::chrono::seconds(20));
  ASSERT_TRUE(says(ready, "READY=1")) << "no READY=1 in \"" << ready << "\"; stderr: " << server.stderrText();
  EXPECT_TRUE(says(ready, "STATUS=serving on 127.0.0.1:" + std::to_string(server.port()))) << ready;
  // READY=1 is what systemd starts dependent units on: the server must already answer then.
  EXPECT_EQ(server.request("GET", "/readyz").status, 200);

  ::kill(server.pid(), SIGTERM);
  const std::string stopping = notify.receive(std::chrono::seconds(20));
  EXPECT_TRUE(says(stopping, "STOPPING=1")) << stopping;
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(ServiceManager, ToldReloadingAndReadyAroundASighupReload) {
  const TempDir dir;
  const NotifySocket notify(dir.path() / "notify");
  ServerProcess server(openConfig(), {{"NOTIFY_SOCKET", notify.path().string()}});
  server.launch();
  ASSERT_TRUE(says(notify.receive(std::chrono::seconds(20)), "READY=1")) << server.stderrText();

  ::kill(server.pid(), SIGHUP);
  const std::string reloading = notify.receive(std::chrono::seconds(20));
  EXPECT_TRUE(says(reloading, "RELOADING=1")) << reloading;
  const std::string ready = notify.receive(std::chrono::seconds(20));
  EXPECT_TRUE(says(ready, "READY=1")) << ready;
  EXPECT_TRUE(says(ready, "STATUS=serving configuration generation 2")) << ready;

  // A file that no longer parses: the reload fails, the old configuration serves, and systemd hears READY=1.
  server.dir().write("p2j.yaml", "endpoints: [\n");
  ::kill(server.pid(), SIGHUP);
  EXPECT_TRUE(says(notify.receive(std::chrono::seconds(20)), "RELOADING=1"));
  const std::string after_failure = notify.receive(std::chrono::seconds(20));
  EXPECT_TRUE(says(after_failure, "READY=1")) << after_failure;
  EXPECT_TRUE(says(after_failure, "STATUS=serving configuration generation 2 (a reload failed)")) << after_failure;
  EXPECT_EQ(server.request("GET", "/readyz").status, 200);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(ServiceManager, WithoutOneTheServerSendsNothingAndRunsTheSame) {
  const TempDir dir;
  const NotifySocket notify(dir.path() / "notify");
  ServerProcess server(openConfig());
  server.start();
  EXPECT_EQ(server.request("GET", "/readyz").status, 200);
  EXPECT_EQ(server.stop(SIGTERM), 0);
  EXPECT_EQ(notify.receive(std::chrono::milliseconds(200)), "");
}

}  // namespace
}  // namespace p2j::testing
