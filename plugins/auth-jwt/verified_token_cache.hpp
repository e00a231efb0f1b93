#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace p2j::auth_jwt {

// Access tokens this instance has verified, so that a client sending the same bearer token with every request
// pays for its signature and claims once per token instead of once per request. An entry answers only until
// `expires_at`, the first second a fresh verification would refuse the token as expired; nothing else can
// change a verified token's verdict (the key ring and the settings are fixed for the life of the instance, and
// nbf and iat only ever get further into the past). Only verified tokens are remembered, so refused tokens
// cannot crowd out the good ones, and the cache is bounded: at most `capacity` tokens, the expired ones dropped
// first when it is full.
//
// A token is looked up by a keyed hash (SipHash with a random key per cache), and the candidate found is
// compared with the presented bytes in constant time: neither the time a lookup takes nor the bucket a crafted
// token lands in says anything about the tokens held.
class VerifiedTokenCache {
 public:
  struct Principal {
    std::string subject;
    std::vector<std::string> roles;
  };

  explicit VerifiedTokenCache(size_t capacity);

  // The principal of `token` when it was remembered and `now` (seconds since the epoch) is before its expiry.
  std::optional<Principal> find(std::string_view token, int64_t now) const;
  // Remembers a token that was just verified, until `expires_at`.
  void remember(std::string_view token, const Principal& principal, int64_t expires_at, int64_t now);
  size_t size() const;

 private:
  struct Entry {
    std::string token;
    Principal principal;
    int64_t expires_at;
  };
  // Independent locks, so request threads rarely wait for each other.
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<uint64_t, Entry> entries;  // keyed by the token's keyed hash
  };
  static constexpr size_t kShards = 8;

  uint64_t hash(std::string_view token) const;
  Shard& shardOf(uint64_t hash) const { return shards_[hash % kShards]; }

  size_t shard_capacity_;
  std::array<unsigned char, 16> key_{};
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace p2j::auth_jwt
