// The documentation pages' files are served from memory by exact name: no name reaches the file system,
// types and caching headers are right, and gzip is negotiated.
#include "endpoints/web_assets.hpp"

#include "http/http_error.hpp"
#include "temp_dir.hpp"

#include <Poco/InflatingStream.h>

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace p2j::endpoints {
namespace {

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

// On the heap: a Request is neither copied nor moved.
std::unique_ptr<http::Request> requestWith(std::map<std::string, std::string> headers) {
  auto request = std::make_unique<http::Request>();
  request->method = "GET";
  request->header = [headers = std::move(headers)](const std::string& name) -> std::optional<std::string> {
    const auto found = headers.find(name);
    if (found == headers.end()) return std::nullopt;
    return found->second;
  };
  return request;
}

std::string header(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

std::string gunzip(const std::string& data) {
  std::istringstream in(data);
  Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::ostringstream out;
  out << inflate.rdbuf();
  return out.str();
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(dir_.path() / "app.js", "console.log('p2j');\n" + std::string(4096, ' '));
    write(dir_.path() / "style.css", "body{}");
    write(dir_.path() / "logo.png", std::string("\x89PNG\r\n", 6));
    write(dir_.path() / "NOTES", "no extension");
    write(dir_.path() / ".hidden", "secret");
    std::filesystem::create_directories(dir_.path() / "sub");
    write(dir_.path() / "sub" / "inner.js", "inner");
    write(outside_.path() / "passwd", "root:x:0:0");
  }

  testing::TempDir dir_;
  testing::TempDir outside_;
};

TEST_F(StaticFilesTest, LoadsThePlainFilesOfTheDirectoryOnly) {
  const StaticFiles files = StaticFiles::load(dir_.path());
  EXPECT_EQ(files.size(), 4u);
  EXPECT_TRUE(files.contains("app.js"));
  EXPECT_TRUE(files.contains("NOTES"));
  EXPECT_FALSE(files.contains(".hidden"));
  EXPECT_FALSE(files.contains("sub"));
  EXPECT_FALSE(files.contains("inner.js"));
}

TEST_F(StaticFilesTest, NoNameReachesTheFileSystem) {
  const StaticFiles files = StaticFiles::load(dir_.path());
  const auto request = requestWith({});
  const std::string escape = "../" + outside_.path().filename().string() + "/passwd";
  for (const std::string& name :
       {std::string(".hidden"), std::string("sub/inner.js"), std::string("../app.js"), escape,
        std::string("/etc/passwd"), std::string("app.js%00.png"), std::string("APP.JS"), std::string("")}) {
    try {
      files.serve(name, *request);
      FAIL() << name << " was served";
    } catch (const http::HttpError& e) {
      EXPECT_EQ(e.status(), 404) << name;
    }
  }
}

TEST_F(StaticFilesTest, ServesWithContentTypeEtagAndCacheHeaders) {
  const StaticFiles files = StaticFiles::load(dir_.path());
  const http::Response js = files.serve("app.js", *requestWith({}));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_TRUE(js.body.starts_with("console.log('p2j');"));
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(header(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(js, "Vary"), "Accept-Encoding");
  const std::string etag = header(js, "ETag");
  ASSERT_EQ(etag.size(), 34u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(files.serve("style.css", *requestWith({})).content_type, "text/css; charset=utf-8");
  EXPECT_EQ(files.serve("logo.png", *requestWith({})).content_type, "image/png");
  EXPECT_EQ(files.serve("NOTES", *requestWith({})).content_type, "application/octet-stream");
  EXPECT_EQ(header(files.serve("logo.png", *requestWith({})), "Vary"), "");

  // The same ETag again: 304 without a body; another one: the file.
  const http::Response again = files.serve("app.js", *requestWith({{"If-None-Match", "W/\"x\", " + etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(files.serve("app.js", *requestWith({{"If-None-Match", "\"other\""}})).status, 200);
}

TEST_F(StaticFilesTest, GzipWhenTheClientAcceptsIt) {
  const StaticFiles files = StaticFiles::load(dir_.path());
  const http::Response plain = files.serve("app.js", *requestWith({}));
  const http::Response zipped = files.serve("app.js", *requestWith({{"Accept-Encoding", "br, gzip;q=0.8"}}));
  EXPECT_EQ(header(zipped, "Content-Encoding"), "gzip");
  EXPECT_LT(zipped.body.size(), plain.body.size());
  EXPECT_EQ(gunzip(zipped.body), plain.body);
  EXPECT_EQ(header(zipped, "ETag"), header(plain, "ETag"));
  EXPECT_EQ(header(files.serve("app.js", *requestWith({{"Accept-Encoding", "gzip;q=0"}})), "Content-Encoding"), "");
  // Too small to gain: sent as it is.
  EXPECT_EQ(header(files.serve("style.css", *requestWith({{"Accept-Encoding", "gzip"}})), "Content-Encoding"), "");
}

TEST_F(StaticFilesTest, AMissingDirectoryOrAnOversizedFileIsAnErrorNamingIt) {
  try {
    StaticFiles::load(dir_.path() / "absent");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("absent"), std::string::npos) << e.what();
  }
  {
    std::ofstream big(dir_.path() / "big.js", std::ios::binary);
    big.seekp(static_cast<std::streamoff>(StaticFiles::kMaxFileBytes));
    big.put('x');
  }
  try {
    StaticFiles::load(dir_.path());
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("big.js"), std::string::npos) << e.what();
  }
}

TEST(AcceptsGzip, ReadsCodingsAndWeights) {
  EXPECT_TRUE(acceptsGzip("gzip"));
  EXPECT_TRUE(acceptsGzip("deflate, GZIP"));
  EXPECT_TRUE(acceptsGzip("*"));
  EXPECT_TRUE(acceptsGzip("gzip; q=0.5"));
  EXPECT_FALSE(acceptsGzip("gzip;q=0"));
  EXPECT_FALSE(acceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(acceptsGzip("identity"));
  EXPECT_FALSE(acceptsGzip("xgzip"));
  EXPECT_FALSE(acceptsGzip(""));
}

TEST(MatchesEtag, ComparesWeaklyAndAcceptsAStar) {
  EXPECT_TRUE(matchesEtag("\"abc\"", "\"abc\""));
  EXPECT_TRUE(matchesEtag("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(matchesEtag("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(matchesEtag("*", "\"abc\""));
  EXPECT_FALSE(matchesEtag("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(matchesEtag("", "\"abc\""));
}

}  // namespace
}  // namespace p2j::endpoints
