// The users who may ask POST /token for a JWT: a text file of `name:argon2id-hash:role,role` lines
// (mode 0600), written by `p2j user add` and read by the token action. Passwords exist only as salted
// Argon2id hashes (libsodium's crypto_pwhash_str).
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace p2j::auth {

struct User {
  std::string name;
  std::string password_hash;
  std::vector<std::string> roles;
};

class UserStore {
 public:
  // Throws std::runtime_error naming the file and line of a malformed entry.
  explicit UserStore(std::filesystem::path file);

  // The user when the name exists and the password matches, else nullopt. Unknown names cost the same
  // time as known ones (a dummy hash is checked), so the answer's timing does not reveal which names exist.
  std::optional<User> verify(const std::string& name, const std::string& password);

  // Adds the user or replaces its password and roles; writes the file atomically with mode 0600.
  void put(const std::string& name, const std::string& password, const std::vector<std::string>& roles);

  bool empty();

  // A name may be used: 1-64 of [A-Za-z0-9._@-].
  static bool isValidName(const std::string& name);

 private:
  void reloadIfChanged();  // callers hold mutex_
  void save();             // callers hold mutex_

  std::filesystem::path file_;
  std::mutex mutex_;
  std::filesystem::file_time_type loaded_mtime_{};
  std::vector<User> users_;
};

// An Argon2id hash of `password` (libsodium, interactive limits).
std::string hashPassword(const std::string& password);

}  // namespace p2j::auth
