#include "auth/first_start.hpp"

#include "auth/user_store.hpp"
#include "config/env_expand.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>

namespace p2j::auth {
namespace {

// Creates `file` with mode 0600 and `content`; never overwrites (O_EXCL), so two processes starting at
// once cannot both print different secrets for the same file.
bool createSecretFile(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw std::runtime_error("cannot create " + file.string());
  }
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write " + file.string());
  return true;
}

bool isSet(const char* name) {
  const auto value = config::processEnvironment(name);
  return value && !value->empty();
}

}  // namespace

std::string randomToken(size_t bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::ostringstream text;
  Poco::Base64Encoder encoder(text, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder.rdbuf()->setLineLength(0);
  encoder << raw;
  encoder.close();
  return text.str();
}

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

SecretFiles secretFilesIn(const std::filesystem::path& data_dir, const config::AuthConfig& auth) {
  return {data_dir / "api-keys", data_dir / "jwt-secret",
          auth.users_file.empty() ? data_dir / "users" : auth.users_file};
}

void prepareSecrets(const SecretFiles& files, bool generate_missing, std::ostream& announce) {
  if (generate_missing && !isSet("P2J_API_KEY") && !std::filesystem::exists(files.api_keys)) {
    const std::string key = "p2j_" + randomToken(32);
    if (createSecretFile(files.api_keys,
                         "# p2j API keys: <id> <sha256-hex of the key> [roles]\ndefault " + sha256Hex(key) + "\n")) {
      announce << "p2j: generated an API key (shown only now; its hash is in " << files.api_keys.string() << "):\n"
               << "  X-API-Key: " << key << "\n";
    }
  }
  if (generate_missing && !isSet("P2J_JWT_SECRET") && !std::filesystem::exists(files.jwt_secret)) {
    createSecretFile(files.jwt_secret, randomToken(48) + "\n");
  }
  const auto admin_user = config::processEnvironment("P2J_ADMIN_USER");
  const auto admin_password = config::processEnvironment("P2J_ADMIN_PASSWORD");
  if (admin_user && !admin_user->empty() && admin_password && !admin_password->empty()) {
    UserStore(files.users).put(*admin_user, *admin_password, {"admin"});
    return;
  }
  if (generate_missing && !std::filesystem::exists(files.users)) {
    const std::string password = randomToken(18);
    UserStore users(files.users);
    users.put("admin", password, {"admin"});
    announce
        << "p2j: created the user 'admin' (shown only now; change it with `p2j user add admin --password-stdin`):\n"
        << "  password: " << password << "\n";
  }
}

}  // namespace p2j::auth
