// The files of the API documentation pages (Swagger UI, ReDoc: npm packages copied into share/p2j/web at
// build time). They are read once at start-up and served from memory by name, so no request ever reaches
// the file system: a name that is not one of the loaded files is a 404, whatever dots or slashes it holds.
#pragma once

#include "config/config.hpp"
#include "http/exchange.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace p2j::endpoints {

// Where the build and the package put the documentation pages' files: <dir of p2j>/../share/p2j/web.
std::filesystem::path bundledWebDir();

// The web_assets endpoint's `directory:`, else the bundled directory.
std::filesystem::path webAssetsDirectory(const config::EndpointConfig& endpoint, const std::filesystem::path& base_dir);

// "text/javascript; charset=utf-8" for app.js, "application/octet-stream" for what it does not know.
std::string_view contentTypeFor(std::string_view file_name);

class StaticFiles {
 public:
  // Limits of what a directory may hold: it is read into memory.
  static constexpr size_t kMaxFiles = 256;
  static constexpr uintmax_t kMaxFileBytes = 16 * 1024 * 1024;
  static constexpr uintmax_t kMaxTotalBytes = 64 * 1024 * 1024;

  // Every regular file directly in `directory` whose name is a plain file name (letters, digits, '.', '-',
  // '_', not starting with '.'). Throws std::runtime_error naming the directory or file that cannot be read
  // or is over a limit.
  static StaticFiles load(const std::filesystem::path& directory);

  bool contains(const std::string& name) const { return files_.contains(name); }
  size_t size() const { return files_.size(); }

  // The file with its content type, an ETag (304 when If-None-Match has it), a cache lifetime, and the
  // gzip copy when the client accepts it; 404 for any other name.
  http::Response serve(const std::string& name, const http::Request& request) const;

 private:
  struct File {
    std::string body;
    std::string gzip;  // empty when compressing does not pay
    std::string_view content_type;
    std::string etag;
  };
  std::map<std::string, File> files_;
};

// Whether an Accept-Encoding value accepts gzip (a q of 0 refuses it).
bool acceptsGzip(std::string_view accept_encoding);

// A strong ETag for `body`: a quoted prefix of its SHA-256.
std::string entityTag(std::string_view body);

// Whether an If-None-Match value names `etag` (weakly compared, or "*").
bool matchesEtag(std::string_view if_none_match, std::string_view etag);

}  // namespace p2j::endpoints
