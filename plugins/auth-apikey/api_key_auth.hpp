#pragma once

#include "key_file.hpp"

#include <p2j/sdk/plugin.hpp>

#include <sys/types.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace p2j::auth_apikey {

struct Settings {
  std::optional<std::string> keys_file;
  std::string env = "P2J_API_KEY";
  std::vector<std::string> env_roles;
  std::string header = "X-API-Key";
  std::string realm = "p2j";
  std::chrono::milliseconds reload_interval{1000};

  static Settings fromJson(const rapidjson::Value& config);
};

// Which version of the keys file was read: a rotation by rename changes the inode, an edit in place
// the size or the modification time.
struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = -1;
  int64_t modified_ns = 0;
  int64_t changed_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// Authenticates a request by an API key in one header, checked against SHA-256 digests from a keys file
// and/or one raw key from an environment variable. The file is re-read when it changes, so operators
// rotate keys without a restart; requests keep using the previous key set until a new one parses.
class ApiKeyAuth : public sdk::Auth {
 public:
  // The key set is swapped under a lock when the file changes; a request reads the set it started with.
  static constexpr bool kThreadSafe = true;

  explicit ApiKeyAuth(const rapidjson::Value& config);

  sdk::AuthVerdict authenticate(const sdk::AuthRequest& request) override;
  sdk::Health health() override;

 private:
  using KeySet = std::vector<ApiKey>;

  std::shared_ptr<const KeySet> currentKeys();
  std::shared_ptr<const KeySet> loadKeys() const;
  void storeKeys(std::shared_ptr<const KeySet> keys);
  void reloadIfChanged();
  std::shared_ptr<const KeySet> withEnvKey(std::vector<ApiKey> file_keys) const;
  sdk::AuthVerdict deny(std::string error, std::string message) const;

  Settings settings_;
  std::optional<ApiKey> env_key_;
  std::string challenge_;
  // A plain mutex rather than std::atomic<std::shared_ptr>: it is held only to copy a pointer, and thread
  // sanitizers understand it (libstdc++'s atomic shared_ptr uses a lock bit they cannot see).
  mutable std::mutex keys_mutex_;
  std::shared_ptr<const KeySet> keys_;  // guarded by keys_mutex_
  // Steady-clock time of the next stat of the keys file; one request thread at a time does it.
  std::atomic<int64_t> next_check_ns_{0};
  std::mutex reload_mutex_;
  FileStamp seen_stamp_;      // guarded by reload_mutex_: the file version last read, good or bad
  std::string reload_error_;  // guarded by reload_mutex_: why that version was not taken
};

}  // namespace p2j::auth_apikey
