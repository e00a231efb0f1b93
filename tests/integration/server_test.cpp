// The real `p2j serve` on a free port with the default configuration: the request path end to end.
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

namespace p2j::testing {
namespace {

std::string openConfig() {
  std::ifstream in(std::filesystem::path(kSourceDir) / "tests" / "data" / "open.yaml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rapidjson::Document json(const HttpResult& result) { return sdk::parseJson(result.body); }

// Checks the error envelope and returns the parsed body.
rapidjson::Document expectError(const HttpResult& result, int status, const std::string& code) {
  EXPECT_EQ(result.status, status) << result.body;
  rapidjson::Document body = json(result);
  EXPECT_STREQ(body["error"].GetString(), code.c_str()) << result.body;
  EXPECT_EQ(body["status_code"].GetInt(), status);
  EXPECT_TRUE(body["message"].IsString());
  EXPECT_EQ(std::string(body["request_id"].GetString()), result.header("X-Request-ID"));
  return body;
}

// Sends raw bytes and returns what the server answered, up to the connection's end or `limit` bytes.
std::string rawExchange(uint16_t port, const std::string& bytes, size_t limit = 65536) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string answer;
  char buffer[4096];
  while (answer.size() < limit) {
    int got = 0;
    try {
      got = socket.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      break;
    }
    if (got <= 0) break;
    answer.append(buffer, static_cast<size_t>(got));
    if (answer.find("\r\n\r\n") != std::string::npos && answer.find("}") != std::string::npos) break;
  }
  return answer;
}

// Sends `first` and then, on the same connection, a GET /livez that closes it; returns everything the
// server answered to both.
std::string twoRequestsOnOneConnection(uint16_t port, const std::string& first) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  const std::string bytes = first + "GET /livez HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  std::string answer;
  char buffer[4096];
  while (true) {
    int got = 0;
    try {
      got = socket.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      break;
    }
    if (got <= 0) break;
    answer.append(buffer, static_cast<size_t>(got));
  }
  return answer;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(openConfig());
    server_->start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
  }
  static ServerProcess* server_;
};

ServerProcess* ServerTest::server_ = nullptr;

TEST_F(ServerTest, LivezReadyzHealth) {
  const auto livez = server_->request("GET", "/livez");
  EXPECT_EQ(livez.status, 200);
  EXPECT_STREQ(json(livez)["status"].GetString(), "alive");

  const auto readyz = server_->request("GET", "/readyz");
  EXPECT_EQ(readyz.status, 200) << readyz.body;
  EXPECT_STREQ(json(readyz)["status"].GetString(), "ready");
  EXPECT_STREQ(json(readyz)["checks"]["db"].GetString(), "ok");

  const auto health = server_->request("GET", "/health");
  ASSERT_EQ(health.status, 200);
  const auto body = json(health);
  EXPECT_STREQ(body["status"].GetString(), "healthy");
  EXPECT_TRUE(body["database"].GetBool());
  ASSERT_TRUE(body["agents"].IsArray());
  EXPECT_STREQ(body["agents"][0].GetString(), "rules");
  EXPECT_TRUE(std::regex_match(body["timestamp"].GetString(), std::regex(R"(\d{4}-\d\d-\d\dT.*Z)")));
}

TEST_F(ServerTest, GenerateReturnsTheOriginalShape) {
  const auto result = server_->request(
      "POST", "/generate", R"({"prompt": "Design a 10-story office building with steel and glass, 40x30 m"})");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.header("Content-Type").rfind("application/json", 0), 0u);
  const auto body = json(result);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_STREQ(body["message"].GetString(), "Specification generated successfully");
  EXPECT_TRUE(std::regex_match(body["spec_id"].GetString(), std::regex("[0-9a-f-]{36}")));
  const auto& spec = body["spec"];
  EXPECT_STREQ(spec["design_type"].GetString(), "building");
  EXPECT_STREQ(spec["category"].GetString(), "commercial");
  EXPECT_EQ(spec["stories"].GetInt(), 10);
  EXPECT_DOUBLE_EQ(spec["dimensions"]["length"].GetDouble(), 40);
  EXPECT_DOUBLE_EQ(spec["dimensions"]["width"].GetDouble(), 30);
  EXPECT_STREQ(spec["dimensions"]["units"].GetString(), "metric");
  for (const char* key : {"materials", "performance", "features", "components", "requirements", "constraints",
                          "use_cases", "target_audience", "estimated_cost", "timeline", "timestamp"}) {
    EXPECT_TRUE(spec.HasMember(key)) << key;
  }
}

// The body is parsed in place: its escapes decode where they stand, and what is stored is the decoded text.
TEST_F(ServerTest, EscapedTextInTheBodyArrivesDecoded) {
  const auto created = server_->request(
      "POST", "/generate",
      R"({"prompt": "Design a 3-story \u00e9cole \"library\"\twith steel \ud83c\udfeb and a\\b roof", "x": "\u0041"})");
  ASSERT_EQ(created.status, 200) << created.body;
  const auto fetched = server_->request("GET", std::string("/specs/") + json(created)["spec_id"].GetString());
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  EXPECT_EQ(std::string(json(fetched)["prompt"].GetString()),
            "Design a 3-story \xC3\xA9"
            "cole \"library\"\twith steel \xF0\x9F\x8F\xAB and a\\b roof");
}

TEST_F(ServerTest, MalformedJsonIs400) {
  const auto body = expectError(server_->request("POST", "/generate", R"({"prompt": "x",)"), 400, "bad_request");
  EXPECT_NE(std::string(body["message"].GetString()).find("malformed JSON"), std::string::npos);
}

TEST_F(ServerTest, JsonFollowedByMoreIs400) {
  for (const std::string body :
       {R"({"prompt": "Design a house"} garbage)", R"({"prompt": "Design a house"}{"x": 1})"}) {
    expectError(server_->request("POST", "/generate", body), 400, "bad_request");
  }
}

TEST_F(ServerTest, EmptyBodyIs400) { expectError(server_->request("POST", "/generate", ""), 400, "bad_request"); }

TEST_F(ServerTest, MissingPromptIs422WithTheField) {
  const auto body =
      expectError(server_->request("POST", "/generate", R"({"promt": "Design a house"})"), 422, "validation_error");
  EXPECT_STREQ(body["field"].GetString(), "prompt");
}

TEST_F(ServerTest, WrongTypesAre422) {
  EXPECT_STREQ(expectError(server_->request("POST", "/generate", R"({"prompt": 42})"), 422, "validation_error")["field"]
                   .GetString(),
               "prompt");
  expectError(server_->request("POST", "/generate", R"(["Design a house"])"), 422, "validation_error");
  expectError(server_->request("POST", "/generate", R"("Design a house")"), 422, "validation_error");
}

TEST_F(ServerTest, EmptyAndNonDesignPromptsAre422WithAReason) {
  const auto empty = expectError(server_->request("POST", "/generate", R"({"prompt": "  "})"), 422, "prompt_refused");
  EXPECT_GT(std::string(empty["message"].GetString()).size(), 10u);
  expectError(server_->request("POST", "/generate", R"({"prompt": "tell me a joke about cars"})"), 422,
              "prompt_refused");
}

TEST_F(ServerTest, OverlongPromptIs422) {
  const std::string prompt(10001, 'a');
  expectError(server_->request("POST", "/generate", R"({"prompt": ")" + prompt + "\"}"), 422, "validation_error");
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
  const std::string big = R"({"prompt": ")" + std::string(1048576, 'a') + "\"}";
  expectError(server_->request("POST", "/generate", big), 413, "payload_too_large");
}

TEST_F(ServerTest, DeclaredHugeBodyIsRefusedBeforeReading) {
  const std::string answer = rawExchange(server_->port(),
                                         "POST /generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         "Content-Length: 10000000000\r\n\r\n{\"prompt\":");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  std::string request =
      "POST /generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(65536, 'a');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 17; ++i) request += size_line + chunk + "\r\n";
  request += "0\r\n\r\n";
  const std::string answer = rawExchange(server_->port(), request);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
}

TEST_F(ServerTest, WrongContentTypeIs415) {
  expectError(server_->request("POST", "/generate", R"({"prompt": "Design a house"})", {}, "text/plain"), 415,
              "unsupported_media_type");
}

// A request refused before its body was read (415, 404, 405) must not leave the body on the connection,
// where it would be read as the next request.
TEST_F(ServerTest, ABodyRefusedUnreadDoesNotPoisonTheConnection) {
  const std::string body = R"({"prompt": "Design a house"})";
  const std::string length = std::to_string(body.size());
  for (const char* first : {"POST /generate HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n",
                            "POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n",
                            "POST /livez HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"}) {
    const std::string answer = twoRequestsOnOneConnection(
        server_->port(), std::string(first) + "Content-Length: " + length + "\r\n\r\n" + body);
    const size_t second = answer.find("HTTP/1.1", 1);
    ASSERT_NE(second, std::string::npos) << first << answer;
    EXPECT_TRUE(answer.substr(second).starts_with("HTTP/1.1 200")) << first << answer;
    EXPECT_NE(answer.substr(second).find("X-Request-ID"), std::string::npos) << answer;
    EXPECT_NE(answer.substr(second).find(R"({"status":"alive"})"), std::string::npos) << answer;
  }
}

// A POST without Content-Length or chunked encoding has no body: answered at once, not read until the
// client gives up.
TEST_F(ServerTest, APostWithoutALengthHasNoBody) {
  const auto started = std::chrono::steady_clock::now();
  const std::string answer = twoRequestsOnOneConnection(
      server_->port(), "POST /generate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer;
  EXPECT_NE(answer.find("the request body is empty"), std::string::npos) << answer;
  EXPECT_NE(answer.find("HTTP/1.1 200", 1), std::string::npos) << answer;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(ServerTest, JsonWithCharsetIsAccepted) {
  EXPECT_EQ(
      server_->request("POST", "/generate", R"({"prompt": "Design a house"})", {}, "application/json; charset=utf-8")
          .status,
      200);
}

// Bytes that are not an HTTP request get the error envelope, not a bare status line, and the connection
// closes: whatever follows them cannot be told apart from more garbage.
TEST_F(ServerTest, BytesThatAreNotHttpAre400AndCloseTheConnection) {
  for (const std::string& garbage :
       std::vector<std::string>{"NOT HTTP AT ALL\r\n\r\n", "GET /livez SPDY/3\r\nHost: t\r\n\r\n",
                                std::string(100, 'X') + " / HTTP/1.1\r\n\r\n"}) {
    const std::string answer = rawExchange(server_->port(), garbage);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << answer;
    EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
    EXPECT_NE(answer.find(R"("error":"bad_request")"), std::string::npos) << answer;
  }
  EXPECT_EQ(server_->request("GET", "/livez").status, 200);
}

TEST_F(ServerTest, ResponsesCarryTheDate) {
  const HttpResult result = server_->request("GET", "/livez");
  EXPECT_TRUE(
      std::regex_match(result.header("Date"),
                       std::regex(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT)")))
      << result.header("Date");
}

TEST_F(ServerTest, UnknownPathIs404) { expectError(server_->request("GET", "/nope"), 404, "not_found"); }

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  const auto result = server_->request("GET", "/generate");
  expectError(result, 405, "method_not_allowed");
  EXPECT_EQ(result.header("Allow"), "POST");
  EXPECT_EQ(server_->request("DELETE", "/health").header("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, UnknownSpecIs404) {
  expectError(server_->request("GET", "/specs/00000000-0000-4000-8000-000000000000"), 404, "not_found");
  expectError(server_->request("GET", "/specs/not-a-uuid'%20OR%201=1"), 404, "not_found");
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
  EXPECT_EQ(server_->request("GET", "/livez", "", {{"X-Request-ID", "trace-42"}}).header("X-Request-ID"), "trace-42");
  const auto generated = server_->request("GET", "/livez").header("X-Request-ID");
  EXPECT_EQ(generated.size(), 32u);
  EXPECT_EQ(server_->request("GET", "/nope").header("X-Request-ID").size(), 32u);
}

TEST_F(ServerTest, HeadHasNoBody) {
  const auto result = server_->request("HEAD", "/livez");
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.body.empty());
}

TEST_F(ServerTest, HeadOnTheWireHasTheLengthButNoBody) {
  const std::string answer = twoRequestsOnOneConnection(server_->port(), "HEAD /livez HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(answer.starts_with("HTTP/1.1 200 OK\r\n")) << answer;
  EXPECT_NE(answer.find("Content-Length: 18\r\n"), std::string::npos) << answer;  // {"status":"alive"}
  // The GET that followed is the next thing on the connection: no body came between.
  const size_t head_end = answer.find("\r\n\r\n");
  EXPECT_TRUE(answer.substr(head_end + 4).starts_with("HTTP/1.1 200 OK\r\n")) << answer;
}

// HTTP/1.1 framing, byte by byte on one connection: what the server's own reader must get right.
class Wire {
 public:
  explicit Wire(uint16_t port) : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
    socket_.setReceiveTimeout(Poco::Timespan(10, 0));
  }
  void send(const std::string& bytes) { socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }
  // The next whole response (head and Content-Length body), or what came before the connection ended.
  std::string response() {
    for (;;) {
      const size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length = 0;
        const size_t at = pending_.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) length = std::stoul(pending_.substr(at + 16));
        if (pending_.starts_with("HTTP/1.1 100 ")) length = 0;
        if (pending_.size() >= head_end + 4 + length) {
          std::string one = pending_.substr(0, head_end + 4 + length);
          pending_.erase(0, one.size());
          return one;
        }
      }
      if (!receive()) return std::exchange(pending_, {});
    }
  }
  // Whether the server closed the connection without sending more, within two seconds.
  bool closed() {
    if (!pending_.empty()) return false;
    socket_.setReceiveTimeout(Poco::Timespan(2, 0));
    char byte = 0;
    try {
      return socket_.receiveBytes(&byte, 1) == 0;
    } catch (const Poco::TimeoutException&) {
      return false;  // still open
    } catch (const Poco::Exception&) {
      return true;  // reset: closed as well
    }
  }

 private:
  bool receive() {
    char buffer[4096];
    int got = 0;
    try {
      got = socket_.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      return false;
    }
    if (got <= 0) return false;
    pending_.append(buffer, static_cast<size_t>(got));
    return true;
  }

  Poco::Net::StreamSocket socket_;
  std::string pending_;
};

const std::string kJsonPost = "POST /generate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n";
const std::string kPromptBody = R"({"prompt": "Design a house"})";

TEST_F(ServerTest, AChunkedBodyWithExtensionsAndTrailersIsRead) {
  Wire wire(server_->port());
  wire.send(kJsonPost + "Transfer-Encoding: chunked\r\n\r\n" + "5;name=value\r\n" + kPromptBody.substr(0, 5) + "\r\n" +
            "A\r\n" + kPromptBody.substr(5, 10) + "\r\n");
  char last_size[16];  // chunk sizes are hexadecimal
  std::snprintf(last_size, sizeof last_size, "%zx\r\n", kPromptBody.size() - 15);
  wire.send(last_size + kPromptBody.substr(15) + "\r\n0\r\nX-Trailer: t\r\n\r\n");
  const std::string answer = wire.response();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 OK\r\n")) << answer;
  wire.send("GET /livez HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_TRUE(wire.response().starts_with("HTTP/1.1 200 OK\r\n"));
}

TEST_F(ServerTest, ABodyThatArrivesInPiecesIsRead) {
  Wire wire(server_->port());
  wire.send(kJsonPost + "Content-Length: " + std::to_string(kPromptBody.size()) + "\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  wire.send("\r\n" + kPromptBody.substr(0, 7));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  wire.send(kPromptBody.substr(7));
  const std::string answer = wire.response();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 OK\r\n")) << answer;
  EXPECT_NE(answer.find(R"("spec")"), std::string::npos) << answer;
}

TEST_F(ServerTest, MalformedChunkedFramingIs400AndCloses) {
  for (const std::string& body :
       {std::string("zz\r\n{}\r\n0\r\n\r\n"), std::string("2\r\n{}}\r\n0\r\n\r\n"), std::string(2000, '1') + "\r\n"}) {
    Wire wire(server_->port());
    wire.send(kJsonPost + "Transfer-Encoding: chunked\r\n\r\n" + body);
    const std::string answer = wire.response();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 Bad Request\r\n")) << answer;
    EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
    EXPECT_NE(answer.find("could not be read"), std::string::npos) << answer;
    EXPECT_TRUE(wire.closed());
  }
}

TEST_F(ServerTest, ExpectContinueGetsA100OnlyWhenTheBodyIsWanted) {
  Wire wire(server_->port());
  wire.send(kJsonPost + "Expect: 100-continue\r\nContent-Length: " + std::to_string(kPromptBody.size()) + "\r\n\r\n");
  EXPECT_EQ(wire.response(), "HTTP/1.1 100 Continue\r\n\r\n");
  wire.send(kPromptBody);
  EXPECT_TRUE(wire.response().starts_with("HTTP/1.1 200 OK\r\n"));

  // Refused before the body is read: no 100, and the connection closes, since the body never comes.
  Wire refused(server_->port());
  refused.send(
      "POST /generate HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\n"
      "Content-Length: 10\r\n\r\n");
  const std::string answer = refused.response();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 415 ")) << answer;
  EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
  EXPECT_TRUE(refused.closed());
}

TEST_F(ServerTest, ExpectContinueWithABodyOverTheLimitIs413WithoutA100) {
  Wire wire(server_->port());
  wire.send(kJsonPost + "Expect: 100-continue\r\nContent-Length: 100000000\r\n\r\n");
  const std::string answer = wire.response();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413 ")) << answer;
  EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
  EXPECT_TRUE(wire.closed());
}

TEST_F(ServerTest, Http10KeepsTheConnectionOnlyWhenAsked) {
  Wire kept(server_->port());
  kept.send("GET /livez HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const std::string first = kept.response();
  EXPECT_TRUE(first.starts_with("HTTP/1.1 200 OK\r\n")) << first;
  EXPECT_NE(first.find("Connection: keep-alive\r\n"), std::string::npos) << first;
  kept.send("GET /livez HTTP/1.0\r\n\r\n");
  const std::string second = kept.response();
  EXPECT_TRUE(second.starts_with("HTTP/1.1 200 OK\r\n")) << second;
  EXPECT_NE(second.find("Connection: close\r\n"), std::string::npos) << second;
  EXPECT_TRUE(kept.closed());
}

TEST_F(ServerTest, HeadsTheServerCannotFrameAreRefusedAndClose) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET /livez HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", "HTTP/1.1 431 "},
      {"GET /livez HTTP/1.1\r\nX-Big: " + std::string(40000, 'a'), "HTTP/1.1 431 "},
      {kJsonPost + "Transfer-Encoding: gzip, chunked\r\n\r\n", "HTTP/1.1 501 "},
      {kJsonPost + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n", "HTTP/1.1 400 "},
      {kJsonPost + "Content-Length: 4\r\nContent-Length: 5\r\n\r\n", "HTTP/1.1 400 "},
  };
  for (const auto& [request, status_line] : cases) {
    Wire wire(server_->port());
    wire.send(request);
    const std::string answer = wire.response();
    EXPECT_TRUE(answer.starts_with(status_line)) << answer.substr(0, 300);
    EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer.substr(0, 300);
    EXPECT_NE(answer.find(R"("request_id")"), std::string::npos) << answer.substr(0, 300);
    EXPECT_TRUE(wire.closed());
  }
  EXPECT_EQ(server_->request("GET", "/livez").status, 200);
}

// The access log is written in blocks, at the latest a second after a line: waits that long for `pattern`.
bool accessLogShows(const ServerProcess& server, const std::regex& pattern) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::regex_search(server.stdoutText(), pattern)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_F(ServerTest, AccessLogHasMethodRouteStatusDurationAndRequestId) {
  server_->request("GET", "/specs/abc", "", {{"X-Request-ID", "log-check-1"}});
  EXPECT_TRUE(accessLogShows(
      *server_,
      std::regex(
          R"(GET /specs/abc route=/specs/\{id\} status=404 duration_ms=[0-9.]+ bytes=\d+ client=127\.0\.0\.1 principal=- request_id=log-check-1\n)")))
      << server_->stdoutText().substr(server_->stdoutText().size() > 2000 ? server_->stdoutText().size() - 2000 : 0);
}

// The access log keeps lines in a block for up to a second: a drain writes out what it still held.
TEST(ServerLifecycle, TheAccessLogIsCompleteAfterADrain) {
  ServerProcess server(openConfig() + "logging: { level: warn, levels: { access: info }, access_log: true }\n");
  server.start();
  constexpr int kRequests = 50;
  for (int i = 0; i < kRequests; ++i) {
    server.request("GET", "/livez", "", {{"X-Request-ID", "drained-" + std::to_string(i)}});
  }
  EXPECT_TRUE(accessLogShows(server, std::regex("request_id=drained-0\n")));
  for (int i = 0; i < kRequests; ++i) {
    server.request("GET", "/livez", "", {{"X-Request-ID", "after-" + std::to_string(i)}});
  }
  ASSERT_EQ(server.stop(), 0);
  const std::string log = server.stdoutText();
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_NE(log.find("request_id=after-" + std::to_string(i) + "\n"), std::string::npos) << "after-" << i;
  }
}

TEST(ServerLifecycle, SpecsSurviveARestart) {
  ServerProcess server(openConfig());
  server.start();
  const auto created =
      server.request("POST", "/generate", R"({"prompt": "Design a wooden dining table for 6 people"})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = json(created)["spec_id"].GetString();
  EXPECT_EQ(server.stop(), 0);

  server.start();
  const auto fetched = server.request("GET", "/specs/" + id);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  const auto body = json(fetched);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(std::string(body["spec_id"].GetString()), id);
  EXPECT_STREQ(body["prompt"].GetString(), "Design a wooden dining table for 6 people");
  EXPECT_STREQ(body["spec"]["design_type"].GetString(), "furniture");
  EXPECT_STREQ(body["agent"].GetString(), "rules");
  EXPECT_TRUE(body["created_at"].IsString());
  EXPECT_EQ(server.stop(), 0);
}

TEST(ServerLifecycle, SigtermDuringRequestsLosesNone) {
  ServerProcess server(openConfig());
  server.start();
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<int> failures_while_serving{0};
  std::atomic<bool> stop_sent{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < 400; ++i) {
        const auto result = server.request(
            "POST", "/generate", R"({"prompt": "Design a house number )" + std::to_string(c * 1000 + i) + "\"}");
        if (result.status == 200) {
          std::lock_guard lock(mutex);
          acknowledged.push_back(json(result)["spec_id"].GetString());
        } else if (result.status == 0) {
          if (stop_sent) return;  // the server stopped accepting: expected after SIGTERM
          ++failures_while_serving;
        } else {
          ++failures_while_serving;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  stop_sent = true;
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.stderrText();
  for (auto& client : clients) client.join();
  EXPECT_EQ(failures_while_serving.load(), 0);
  ASSERT_GT(acknowledged.size(), 10u);

  server.start();
  for (const auto& id : acknowledged) ASSERT_EQ(server.request("GET", "/specs/" + id).status, 200) << id;
  EXPECT_EQ(server.stop(), 0);
}

// A plugin that does not declare itself thread-safe is served (hosts before ABI 1.2 refused it), and its
// instance sees one call at a time however many requests arrive together (tests/plugins/unsafe_agent.cpp
// reports the overlapping calls it saw in the spec's features).
TEST(ServerPlugins, APluginThatIsNotThreadSafeIsCalledOneRequestAtATime) {
  ServerProcess server(std::string("plugin_dirs: [\"") + kBrokenPluginDir + R"("]
server: { threads: 16 }
plugins:
  unsafe: { use: unsafe-agent }
  db:     { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: unsafe }
  - { method: GET,  path: /readyz,   action: readyz }
)");
  server.start();
  std::atomic<int> answered{0};
  std::mutex mutex;
  std::vector<std::string> features;
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 6; ++i) {
        const auto result = server.request("POST", "/generate", R"({"prompt": "Design a chair"})");
        if (result.status != 200) continue;
        ++answered;
        std::lock_guard lock(mutex);
        features.push_back(json(result)["spec"]["features"][0].GetString());
        server.request("GET", "/readyz");
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(answered.load(), 48);
  for (const auto& feature : features) EXPECT_EQ(feature, "overlaps-0");
  EXPECT_NE(server.stderrText().find("'unsafe': unsafe-agent does not declare itself thread-safe"), std::string::npos)
      << server.stderrText();
  EXPECT_EQ(server.stop(), 0);
}

// ok, degraded and down as /readyz, /health and /agent-status show them, from plugins built against ABI 1.2
// and (mapped) 1.1. Degraded still serves (200); down does not (503).
TEST(ServerHealth, ReadyzHealthAndAgentStatusShowThreeStates) {
  const std::string plugins = std::string("plugin_dirs: [\"") + kBrokenPluginDir + R"("]
plugins:
  fine:     { use: good-raw-agent }
  spooling: { use: degraded-raw-agent }
  old:      { use: abi11-degraded-agent }
  gone:     { use: down-raw-agent }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db:       { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
)";
  const auto serve = [&](const std::vector<std::string>& unused, const std::string& status_agent) {
    std::string config = plugins;
    for (const auto& name : unused) {
      const size_t at = config.find("  " + name + ":");
      config.erase(at, config.find('\n', at) - at + 1);
    }
    config +=
        "endpoints:\n"
        "  - { method: GET, path: /readyz, action: readyz }\n"
        "  - { method: GET, path: /health, action: health }\n"
        "  - { method: GET, path: /agent-status, action: agent_status, agent: " +
        status_agent + ", evaluator: criteria, feedback: reviewer }\n";
    return std::make_unique<ServerProcess>(config);
  };

  auto degraded = serve({"gone"}, "spooling");
  degraded->start();
  auto readyz = degraded->request("GET", "/readyz");
  EXPECT_EQ(readyz.status, 200) << readyz.body;
  auto body = json(readyz);
  EXPECT_STREQ(body["status"].GetString(), "degraded");
  EXPECT_STREQ(body["checks"]["fine"].GetString(), "ok");
  EXPECT_STREQ(body["checks"]["spooling"].GetString(), "degraded");
  EXPECT_STREQ(body["checks"]["old"].GetString(), "degraded") << "an ABI 1.1 plugin's \"degraded\": true";
  EXPECT_STREQ(body["checks"]["db"].GetString(), "ok");
  EXPECT_EQ(readyz.body.find("spooled"), std::string::npos) << "details stay in the log";
  body = json(degraded->request("GET", "/health"));
  EXPECT_STREQ(body["status"].GetString(), "degraded");
  EXPECT_TRUE(body["database"].GetBool());
  EXPECT_EQ(body["agents"].Size(), 4u) << "degraded agents still serve";
  body = json(degraded->request("GET", "/agent-status"));
  EXPECT_EQ(std::string(body["agents"]["prompt"].GetString()), "⚠️ Degraded");
  EXPECT_EQ(std::string(body["agents"]["evaluator"].GetString()), "✅ Ready");
  EXPECT_EQ(std::string(body["agents"]["rl"].GetString()), "❌ Unavailable") << "the raw agent has no actions";
  EXPECT_EQ(degraded->stop(), 0);

  auto down = serve({}, "gone");
  down->start();
  readyz = down->request("GET", "/readyz");
  EXPECT_EQ(readyz.status, 503) << readyz.body;
  body = json(readyz);
  EXPECT_STREQ(body["status"].GetString(), "unavailable");
  EXPECT_STREQ(body["checks"]["gone"].GetString(), "down");
  EXPECT_STREQ(body["checks"]["spooling"].GetString(), "degraded");
  body = json(down->request("GET", "/health"));
  EXPECT_STREQ(body["status"].GetString(), "unhealthy");
  EXPECT_TRUE(body["database"].GetBool());
  for (const auto& agent : body["agents"].GetArray()) EXPECT_STRNE(agent.GetString(), "gone");
  body = json(down->request("GET", "/agent-status"));
  EXPECT_EQ(std::string(body["agents"]["prompt"].GetString()), "❌ Unavailable");
  EXPECT_NE(down->stderrText().find("plugin instance 'gone' is down"), std::string::npos) << down->stderrText();
  EXPECT_EQ(down->stop(), 0);
}

// Keep-alive connections waiting for their next request are closed at once by a drain, not waited for
// until the drain's timeout.
TEST(ServerLifecycle, IdleKeepAliveConnectionsDoNotHoldUpTheDrain) {
  std::string config = openConfig();
  config.replace(config.find("server:\n"), 8, "server:\n  drain_timeout_seconds: 20\n");
  ServerProcess server(config);
  server.start();
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> idle;
  for (int i = 0; i < 4; ++i) {
    auto socket = std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress("127.0.0.1", server.port()));
    socket->setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string request = "GET /livez HTTP/1.1\r\nHost: t\r\n\r\n";
    socket->sendBytes(request.data(), static_cast<int>(request.size()));
    char buffer[4096];
    ASSERT_GT(socket->receiveBytes(buffer, sizeof buffer), 0);
    idle.push_back(std::move(socket));
  }
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.stderrText();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  for (auto& socket : idle) {
    char buffer[16];
    int got = -1;
    try {
      got = socket->receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      got = 0;  // reset: closed as well
    }
    EXPECT_EQ(got, 0) << "the idle connection should have been closed";
  }
}

TEST(ServerLifecycle, SigintStopsCleanly) {
  ServerProcess server(openConfig());
  server.start();
  EXPECT_EQ(server.stop(SIGINT), 0);
  EXPECT_NE(server.stderrText().find("received SIGINT"), std::string::npos) << server.stderrText();
}

// True once `pid` has SIGTERM blocked, i.e. main() has started and a signal now waits for sigwait().
bool blocksSigterm(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("SigBlk:", 0) == 0) return (std::stoull(line.substr(7), nullptr, 16) & (1ull << (SIGTERM - 1))) != 0;
  }
  return false;
}

TEST(ServerLifecycle, SignalDuringStartupStillStopsCleanly) {
  ServerProcess server(openConfig());
  server.launch();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!blocksSigterm(server.pid()) && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_NE(server.request("GET", "/livez").status, 200) << "the signal should come before the server listens";
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.stderrText();
}

// The two timeouts of a connection: `keep_alive_timeout_seconds` while it waits for its next request,
// `receive_timeout_seconds` for its first request and in the middle of one.
class ServerTimeouts : public ::testing::Test {
 protected:
  static constexpr auto kKeepAlive = std::chrono::seconds(1);
  static constexpr auto kReceive = std::chrono::seconds(3);

  void SetUp() override {
    std::string config = openConfig();
    config.replace(config.find("server:\n"), 8,
                   "server:\n  keep_alive_timeout_seconds: 1\n  receive_timeout_seconds: 3\n");
    server_ = std::make_unique<ServerProcess>(config);
    server_->start();
  }

  std::unique_ptr<Poco::Net::StreamSocket> connect() {
    auto socket = std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
    socket->setReceiveTimeout(Poco::Timespan(10, 0));
    return socket;
  }
  static void send(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  }
  // Sends a GET /livez and reads its whole answer.
  static void exchange(Poco::Net::StreamSocket& socket) {
    send(socket, "GET /livez HTTP/1.1\r\nHost: t\r\n\r\n");
    std::string answer;
    char buffer[4096];
    while (answer.find("}") == std::string::npos) {
      const int got = socket.receiveBytes(buffer, sizeof buffer);
      ASSERT_GT(got, 0) << "the server closed the connection";
      answer.append(buffer, static_cast<size_t>(got));
    }
    ASSERT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  }
  // Reads until the server closes the connection (whatever it answers first) and returns how long that took.
  static std::chrono::milliseconds untilClosed(Poco::Net::StreamSocket& socket) {
    const auto started = std::chrono::steady_clock::now();
    char buffer[4096];
    for (;;) {
      int got = 0;
      try {
        got = socket.receiveBytes(buffer, sizeof buffer);
      } catch (const Poco::TimeoutException&) {
        ADD_FAILURE() << "the server did not close the connection within 10 s";
        break;
      } catch (const Poco::Exception&) {
        break;  // reset: closed as well
      }
      if (got <= 0) break;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerTimeouts, AnIdleKeptAliveConnectionIsClosedAfterTheKeepAliveTimeout) {
  auto socket = connect();
  exchange(*socket);
  exchange(*socket);  // the connection is reused before the timeout
  const auto waited = untilClosed(*socket);
  EXPECT_GE(waited, kKeepAlive - std::chrono::milliseconds(100));
  EXPECT_LT(waited, kReceive - std::chrono::milliseconds(500)) << "closed after the receive timeout instead";
}

TEST_F(ServerTimeouts, TheFirstRequestGetsTheReceiveTimeout) {
  auto socket = connect();
  const auto waited = untilClosed(*socket);
  EXPECT_GE(waited, kReceive - std::chrono::milliseconds(100));
  EXPECT_LT(waited, kReceive + std::chrono::seconds(3));
}

TEST_F(ServerTimeouts, ARequestStalledInItsHeadOrBodyGetsTheReceiveTimeoutNotTheKeepAliveOne) {
  for (const std::string stalled : {"GET /livez HTTP/1.1\r\nHo",
                                    "POST /generate HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 40\r\n\r\n{\"prompt\": "}) {
    auto socket = connect();
    exchange(*socket);
    send(*socket, stalled);
    const auto waited = untilClosed(*socket);
    EXPECT_GE(waited, kReceive - std::chrono::milliseconds(100)) << stalled;
    EXPECT_LT(waited, kReceive + std::chrono::seconds(3)) << stalled;
  }
  // The server goes on serving.
  auto socket = connect();
  exchange(*socket);
}

}  // namespace
}  // namespace p2j::testing
