#include "auth/user_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace p2j::auth {
namespace {

void ensureSodium() {
  static const int status = sodium_init();
  if (status < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::vector<std::string> splitRoles(const std::string& text) {
  std::vector<std::string> roles;
  std::stringstream items(text);
  std::string role;
  while (std::getline(items, role, ',')) {
    if (!role.empty()) roles.push_back(role);
  }
  return roles;
}

// Writes `content` to `file` through a temporary file and rename, so a reader never sees half a file.
void writeAtomically(const std::filesystem::path& file, const std::string& content) {
  const std::filesystem::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + temporary.string());
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write " + temporary.string());
  std::filesystem::rename(temporary, file);
}

}  // namespace

std::string hashPassword(const std::string& password) {
  ensureSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return hash;
}

bool UserStore::isValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-';
  });
}

UserStore::UserStore(std::filesystem::path file) : file_(std::move(file)) {
  ensureSodium();
  std::lock_guard lock(mutex_);
  reloadIfChanged();
}

void UserStore::reloadIfChanged() {
  std::error_code error;
  const auto mtime = std::filesystem::last_write_time(file_, error);
  if (error) {
    users_.clear();
    loaded_mtime_ = {};
    return;
  }
  if (mtime == loaded_mtime_ && !users_.empty()) return;
  std::ifstream in(file_);
  std::vector<User> users;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const size_t first = line.find(':');
    const size_t last = line.rfind(':');
    if (first == std::string::npos || first == last) {
      throw std::runtime_error(file_.string() + ":" + std::to_string(number) + ": expected name:hash:roles");
    }
    User user{line.substr(0, first), line.substr(first + 1, last - first - 1), splitRoles(line.substr(last + 1))};
    if (!isValidName(user.name) || !user.password_hash.starts_with("$argon2")) {
      throw std::runtime_error(file_.string() + ":" + std::to_string(number) + ": malformed user entry");
    }
    users.push_back(std::move(user));
  }
  users_ = std::move(users);
  loaded_mtime_ = mtime;
}

std::optional<User> UserStore::verify(const std::string& name, const std::string& password) {
  static const std::string kDummyHash = hashPassword("p2j dummy password, never matches a request");
  User found;
  {
    std::lock_guard lock(mutex_);
    reloadIfChanged();
    const auto it = std::find_if(users_.begin(), users_.end(), [&](const User& user) { return user.name == name; });
    if (it != users_.end()) found = *it;
  }
  const std::string& hash = found.name.empty() ? kDummyHash : found.password_hash;
  const bool matches = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (found.name.empty() || !matches) return std::nullopt;
  return found;
}

void UserStore::put(const std::string& name, const std::string& password, const std::vector<std::string>& roles) {
  if (!isValidName(name)) throw std::invalid_argument("user names are 1-64 of letters, digits and . _ @ -");
  for (const auto& role : roles) {
    if (!isValidName(role)) throw std::invalid_argument("role names are 1-64 of letters, digits and . _ @ -");
  }
  User user{name, hashPassword(password), roles};
  std::lock_guard lock(mutex_);
  reloadIfChanged();
  const auto it =
      std::find_if(users_.begin(), users_.end(), [&](const User& existing) { return existing.name == name; });
  if (it != users_.end()) {
    *it = std::move(user);
  } else {
    users_.push_back(std::move(user));
  }
  save();
}

bool UserStore::empty() {
  std::lock_guard lock(mutex_);
  reloadIfChanged();
  return users_.empty();
}

void UserStore::save() {
  std::string content = "# p2j users: name:argon2id-hash:roles (written by `p2j user add`)\n";
  for (const auto& user : users_) {
    std::string roles;
    for (const auto& role : user.roles) roles += (roles.empty() ? "" : ",") + role;
    content += user.name + ":" + user.password_hash + ":" + roles + "\n";
  }
  if (!file_.parent_path().empty()) std::filesystem::create_directories(file_.parent_path());
  writeAtomically(file_, content);
  loaded_mtime_ = std::filesystem::last_write_time(file_);
}

}  // namespace p2j::auth
