// GET /docs/assets/{file}: the documentation pages' scripts, styles and images.
#include "endpoints/web_assets.hpp"

#include "endpoints/action.hpp"
#include "http/http_error.hpp"
#include "observability/logging.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <unistd.h>

#include <climits>
#include <fstream>
#include <map>
#include <sstream>

namespace p2j::endpoints {
namespace {

bool isPlainFileName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

bool isCompressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("image/svg");
}

std::string gzipped(const std::string& body) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
  deflate.write(body.data(), static_cast<std::streamsize>(body.size()));
  deflate.close();
  return out.str();
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The comma-separated items of a header value, trimmed.
std::vector<std::string_view> listItems(std::string_view value) {
  std::vector<std::string_view> items;
  while (!value.empty()) {
    const size_t comma = value.find(',');
    items.push_back(trimmed(value.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return items;
}

}  // namespace

std::filesystem::path bundledWebDir() {
  char buffer[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (length <= 0) return {};
  const std::filesystem::path executable(std::string(buffer, static_cast<size_t>(length)));
  return (executable.parent_path() / ".." / "share" / "p2j" / "web").lexically_normal();
}

std::filesystem::path webAssetsDirectory(const config::EndpointConfig& endpoint,
                                         const std::filesystem::path& base_dir) {
  const auto setting = endpoint.settings.find("directory");
  if (setting == endpoint.settings.end()) return bundledWebDir();
  const std::filesystem::path directory(setting->second.value);
  return directory.is_relative() ? (base_dir / directory).lexically_normal() : directory;
}

std::string_view contentTypeFor(std::string_view file_name) {
  static const std::map<std::string, std::string_view, std::less<>> kTypes = {
      {".css", "text/css; charset=utf-8"},
      {".gif", "image/gif"},
      {".html", "text/html; charset=utf-8"},
      {".ico", "image/x-icon"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
  };
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const auto found = kTypes.find(lowered(file_name.substr(dot)));
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

bool acceptsGzip(std::string_view accept_encoding) {
  for (const std::string_view item : listItems(accept_encoding)) {
    const size_t semicolon = item.find(';');
    const std::string coding = lowered(trimmed(item.substr(0, semicolon)));
    if (coding != "gzip" && coding != "*") continue;
    if (semicolon == std::string_view::npos) return true;
    const std::string parameters = lowered(item.substr(semicolon + 1));
    const size_t q = parameters.find("q=");
    if (q == std::string::npos) return true;
    const std::string_view weight = trimmed(std::string_view(parameters).substr(q + 2));
    return weight.find_first_not_of("0.") != std::string_view::npos;  // q=0, q=0.0, q=0.000 refuse
  }
  return false;
}

std::string entityTag(std::string_view body) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(body.data(), static_cast<unsigned>(body.size()));
  return "\"" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32) + "\"";
}

bool matchesEtag(std::string_view if_none_match, std::string_view etag) {
  for (std::string_view item : listItems(if_none_match)) {
    if (item == "*") return true;
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
  }
  return false;
}

StaticFiles StaticFiles::load(const std::filesystem::path& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw std::runtime_error(directory.string() + " is not a directory");
  }
  StaticFiles files;
  uintmax_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (!isPlainFileName(name) || !entry.is_regular_file()) continue;
    const uintmax_t size = entry.file_size();
    total += size;
    if (files.files_.size() == kMaxFiles || size > kMaxFileBytes || total > kMaxTotalBytes) {
      throw std::runtime_error(entry.path().string() + ": over the limits of a web asset directory (" +
                               std::to_string(kMaxFiles) + " files, " + std::to_string(kMaxFileBytes >> 20) +
                               " MiB each, " + std::to_string(kMaxTotalBytes >> 20) + " MiB in all)");
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read " + entry.path().string());
    File file;
    file.body = body.str();
    file.content_type = contentTypeFor(name);
    file.etag = entityTag(file.body);
    if (isCompressible(file.content_type) && file.body.size() >= 1024) {
      file.gzip = gzipped(file.body);
      if (file.gzip.size() >= file.body.size()) file.gzip.clear();
    }
    files.files_.emplace(name, std::move(file));
  }
  return files;
}

http::Response StaticFiles::serve(const std::string& name, const http::Request& request) const {
  const auto found = files_.find(name);
  if (found == files_.end()) throw http::notFound("no such file");
  const File& file = found->second;
  http::Response response;
  response.content_type = std::string(file.content_type);
  response.headers = {
      {"ETag", file.etag}, {"Cache-Control", "public, max-age=3600"}, {"X-Content-Type-Options", "nosniff"}};
  if (isCompressible(file.content_type)) response.headers.emplace_back("Vary", "Accept-Encoding");
  const auto if_none_match = request.header ? request.header("If-None-Match") : std::nullopt;
  if (if_none_match && matchesEtag(*if_none_match, file.etag)) {
    response.status = 304;
    return response;
  }
  const auto accept_encoding = request.header ? request.header("Accept-Encoding") : std::nullopt;
  if (!file.gzip.empty() && accept_encoding && acceptsGzip(*accept_encoding)) {
    response.body = file.gzip;
    response.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    response.body = file.body;
  }
  return response;
}

namespace {

constexpr std::string_view kFileSchema = R"json({"type": "string", "description": "The file's bytes"})json";

class WebAssetsAction : public Action {
 public:
  explicit WebAssetsAction(const ActionSetup& setup) {
    const config::EndpointConfig& endpoint = setup.endpoint;
    const auto& config = setup.context.config;
    if (!endpoint.path.ends_with("/{file}")) {
      throw config::ConfigError(config.file, endpoint.path_mark,
                                "action 'web_assets' serves files by name: its path must end in /{file}");
    }
    const std::filesystem::path directory = webAssetsDirectory(endpoint, config.base_dir);
    try {
      files_ = StaticFiles::load(directory);
    } catch (const std::exception& e) {
      if (endpoint.settings.contains("directory")) {
        throw config::ConfigError(config.file, endpoint.settings.at("directory").mark,
                                  std::string("directory: ") + e.what());
      }
      // Built without the npm packages: the pages say so (404 with a message) instead of p2j refusing to
      // start over its documentation.
      observability::log(observability::Log::kApplication)
          .warn("{} {}: the documentation pages' files are not installed ({}); /docs and /redoc answer 404",
                endpoint.method, endpoint.path, e.what());
    }
  }

  http::Response handle(http::Request& request) const override {
    return files_.serve(request.parameters.at("file"), request);
  }

 private:
  StaticFiles files_;
};

}  // namespace

std::vector<ActionDescriptor> webAssetActions() {
  return {{
      .name = "web_assets",
      .summary = "The scripts, styles and images of the documentation pages",
      .public_by_default = true,
      .value_settings = {{"directory", ValueSetting::Kind::kPath, 0, 0, bundledWebDir().string()}},
      .path_parameters = {"file"},
      .api = {.tag = "Documentation",
              .responses = {{200, "The file (gzip when accepted), with an ETag and a cache lifetime", kFileSchema,
                             "*/*"},
                            {304, "Not modified: If-None-Match names the current ETag"},
                            {404, "No such file"}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<WebAssetsAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
