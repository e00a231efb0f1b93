#include "api_key_auth.hpp"

#include <openssl/crypto.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace p2j::auth_apikey {
namespace {

// A key from the environment has no file to say how it was made; below this it is a password, not a key.
constexpr size_t kMinEnvKeyBytes = 16;

int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

FileStamp stampOf(const struct stat& info) {
  FileStamp stamp;
  stamp.device = info.st_dev;
  stamp.inode = info.st_ino;
  stamp.size = info.st_size;
  stamp.modified_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  stamp.changed_ns = static_cast<int64_t>(info.st_ctim.tv_sec) * 1000000000 + info.st_ctim.tv_nsec;
  return stamp;
}

std::string errnoText(const std::string& what, const std::string& path) {
  return "cannot " + what + " keys_file " + path + ": " + std::strerror(errno);
}

// The content and the stamp of the same open file, so a rename in between cannot pair them wrongly.
std::pair<std::string, FileStamp> readKeysFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::invalid_argument(errnoText("open", path));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const std::string message = errnoText("stat", path);
    ::close(fd);
    throw std::invalid_argument(message);
  }
  std::string content;
  char chunk[8192];
  while (true) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const std::string message = errnoText("read", path);
      ::close(fd);
      throw std::invalid_argument(message);
    }
    if (got == 0) break;
    content.append(chunk, static_cast<size_t>(got));
  }
  ::close(fd);
  return {std::move(content), stampOf(info)};
}

bool isHeaderName(std::string_view name) {
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (const char c : name) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && kTokenSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool isQuotable(std::string_view text) {
  for (const char c : text) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

}  // namespace

Settings Settings::fromJson(const rapidjson::Value& config) {
  sdk::requireObject(config, "config");
  Settings settings;
  settings.keys_file = sdk::optionalString(config, "keys_file", "");
  settings.env = sdk::optionalString(config, "env", "").value_or(settings.env);
  settings.env_roles = sdk::optionalStringList(config, "env_roles", "");
  settings.header = sdk::optionalString(config, "header", "").value_or(settings.header);
  settings.realm = sdk::optionalString(config, "realm", "").value_or(settings.realm);
  const int64_t interval = sdk::optionalInteger(config, "reload_interval_ms", "").value_or(1000);

  if (settings.keys_file && settings.keys_file->empty()) throw sdk::InvalidInput("keys_file: must not be empty");
  if (settings.env.empty()) throw sdk::InvalidInput("env: must name an environment variable");
  for (const auto& role : settings.env_roles) {
    if (!isValidRole(role))
      throw sdk::InvalidInput("env_roles: '" + role + "' is not 1-64 characters from A-Z a-z 0-9 . _ : -");
  }
  if (!isHeaderName(settings.header)) throw sdk::InvalidInput("header: '" + settings.header + "' is not a header name");
  if (!isQuotable(settings.realm)) throw sdk::InvalidInput("realm: must not contain quotes, backslashes or controls");
  if (interval < 0) throw sdk::InvalidInput("reload_interval_ms: must not be negative");
  settings.reload_interval = std::chrono::milliseconds(interval);
  return settings;
}

ApiKeyAuth::ApiKeyAuth(const rapidjson::Value& config)
    : settings_(Settings::fromJson(config)),
      challenge_("ApiKey realm=\"" + settings_.realm + "\", header=\"" + settings_.header + "\"") {
  if (const char* value = std::getenv(settings_.env.c_str()); value != nullptr && *value != '\0') {
    const std::string_view key(value);
    if (key.size() < kMinEnvKeyBytes) {
      throw sdk::InvalidInput("the API key in " + settings_.env + " is " + std::to_string(key.size()) +
                              " bytes; use a random key of at least " + std::to_string(kMinEnvKeyBytes) +
                              " (e.g. openssl rand -hex 32)");
    }
    env_key_ = ApiKey{std::string(kEnvKeyId), sha256(key), settings_.env_roles};
  }

  std::vector<ApiKey> file_keys;
  struct stat info {};
  const bool file_missing = settings_.keys_file && ::stat(settings_.keys_file->c_str(), &info) != 0 && errno == ENOENT;
  if (file_missing && env_key_) {
    // The environment key is enough to serve (a container's usual setup); the file is taken once it appears.
    reload_error_ = "keys_file " + *settings_.keys_file + " does not exist; only the key in " + settings_.env +
                    " is accepted until it does";
  } else if (settings_.keys_file) {
    try {
      auto [content, stamp] = readKeysFile(*settings_.keys_file);
      file_keys = parseKeyFile(content, *settings_.keys_file);
      seen_stamp_ = stamp;
    } catch (const std::invalid_argument& e) {
      throw sdk::InvalidInput(e.what());
    }
  }
  if (file_keys.empty() && !env_key_ && settings_.keys_file) {
    throw sdk::InvalidInput("keys_file " + *settings_.keys_file + " lists no key and " + settings_.env +
                            " is not set: configure at least one API key");
  }
  if (file_keys.empty() && !env_key_) {
    throw sdk::InvalidInput("no API key configured: set keys_file or the " + settings_.env +
                            " environment variable (there is no default key)");
  }
  storeKeys(withEnvKey(std::move(file_keys)));
  next_check_ns_.store(steadyNowNs() + std::chrono::nanoseconds(settings_.reload_interval).count());
}

std::shared_ptr<const ApiKeyAuth::KeySet> ApiKeyAuth::withEnvKey(std::vector<ApiKey> file_keys) const {
  if (env_key_) file_keys.push_back(*env_key_);
  return std::make_shared<const KeySet>(std::move(file_keys));
}

std::shared_ptr<const ApiKeyAuth::KeySet> ApiKeyAuth::loadKeys() const {
  std::lock_guard lock(keys_mutex_);
  return keys_;
}

void ApiKeyAuth::storeKeys(std::shared_ptr<const KeySet> keys) {
  std::lock_guard lock(keys_mutex_);
  keys_ = std::move(keys);
}

std::shared_ptr<const ApiKeyAuth::KeySet> ApiKeyAuth::currentKeys() {
  if (settings_.keys_file && steadyNowNs() >= next_check_ns_.load(std::memory_order_relaxed)) reloadIfChanged();
  return loadKeys();
}

void ApiKeyAuth::reloadIfChanged() {
  // Requests that find a reload under way keep the current keys rather than wait for the disk.
  std::unique_lock lock(reload_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const int64_t now = steadyNowNs();
  if (now < next_check_ns_.load(std::memory_order_relaxed)) return;
  next_check_ns_.store(now + std::chrono::nanoseconds(settings_.reload_interval).count(), std::memory_order_relaxed);

  struct stat info {};
  if (::stat(settings_.keys_file->c_str(), &info) != 0) {
    reload_error_ = errnoText("stat", *settings_.keys_file) + "; still using the keys read before";
    seen_stamp_ = FileStamp{};
    return;
  }
  const FileStamp stamp = stampOf(info);
  if (stamp == seen_stamp_) return;
  try {
    auto [content, read_stamp] = readKeysFile(*settings_.keys_file);
    auto file_keys = parseKeyFile(content, *settings_.keys_file);
    storeKeys(withEnvKey(std::move(file_keys)));
    seen_stamp_ = read_stamp;
    reload_error_.clear();
  } catch (const std::invalid_argument& e) {
    // An operator's typo must not lock everyone out: keep the last good keys and say why in /readyz.
    seen_stamp_ = stamp;
    reload_error_ = std::string(e.what()) + "; still using the keys read before";
  }
}

sdk::AuthVerdict ApiKeyAuth::deny(std::string error, std::string message) const {
  return sdk::AuthVerdict::deny(std::move(error), std::move(message), challenge_);
}

sdk::AuthVerdict ApiKeyAuth::authenticate(const sdk::AuthRequest& request) {
  const auto& values = request.header(settings_.header);
  if (values.empty()) return deny("invalid_request", "an API key is required in the " + settings_.header + " header");
  if (values.size() > 1) return deny("invalid_request", "the " + settings_.header + " header must be sent once");
  if (values.front().empty()) return deny("invalid_request", "the " + settings_.header + " header is empty");

  const Digest presented = sha256(values.front());
  const auto keys = currentKeys();
  // Every key is compared, in constant time, so the answer's timing says nothing about which key is close.
  // File keys come first: when the same key is also in the environment, its file id names the principal.
  const ApiKey* match = nullptr;
  for (const auto& key : *keys) {
    const bool equal = CRYPTO_memcmp(presented.data(), key.digest.data(), presented.size()) == 0;
    if (equal && match == nullptr) match = &key;
  }
  if (match == nullptr) return deny("invalid_key", "the API key is not valid");
  return sdk::AuthVerdict::allow("apikey:" + match->id, match->roles);
}

sdk::Health ApiKeyAuth::health() {
  const auto keys = loadKeys();
  rapidjson::StringBuffer text;
  sdk::JsonWriter writer(text);
  writer.StartObject();
  writer.Key("keys");
  writer.Uint64(keys->size());
  writer.Key("env_key");
  writer.Bool(env_key_.has_value());
  if (settings_.keys_file) {
    writer.Key("keys_file");
    sdk::writeString(writer, *settings_.keys_file);
    std::lock_guard lock(reload_mutex_);
    if (!reload_error_.empty()) {
      writer.Key("reload_error");
      sdk::writeString(writer, reload_error_);
    }
  }
  writer.EndObject();
  return {sdk::HealthState::kOk, std::string(text.GetString(), text.GetSize())};
}

}  // namespace p2j::auth_apikey
