#include "verified_token_cache.hpp"

#include "key_ring.hpp"

#include <openssl/crypto.h>
#include <sodium/crypto_shorthash.h>

#include <cstring>

namespace p2j::auth_jwt {

static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);

VerifiedTokenCache::VerifiedTokenCache(size_t capacity)
    : shard_capacity_((capacity + kShards - 1) / kShards), shards_(std::make_unique<Shard[]>(kShards)) {
  const std::string key = randomBytes(key_.size());
  std::memcpy(key_.data(), key.data(), key_.size());
}

uint64_t VerifiedTokenCache::hash(std::string_view token) const {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(token.data()), token.size(), key_.data());
  uint64_t value = 0;
  std::memcpy(&value, out, sizeof value);
  return value;
}

std::optional<VerifiedTokenCache::Principal> VerifiedTokenCache::find(std::string_view token, int64_t now) const {
  const uint64_t key = hash(token);
  const Shard& shard = shardOf(key);
  std::lock_guard lock(shard.mutex);
  const auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  const Entry& entry = it->second;
  if (entry.token.size() != token.size() || CRYPTO_memcmp(entry.token.data(), token.data(), token.size()) != 0)
    return std::nullopt;
  if (now >= entry.expires_at) return std::nullopt;
  return entry.principal;
}

void VerifiedTokenCache::remember(std::string_view token, const Principal& principal, int64_t expires_at, int64_t now) {
  if (shard_capacity_ == 0 || now >= expires_at) return;
  const uint64_t key = hash(token);
  Shard& shard = shardOf(key);
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= shard_capacity_ && !shard.entries.contains(key)) {
    std::erase_if(shard.entries, [&](const auto& item) { return now >= item.second.expires_at; });
    // Still full of live tokens: one goes (the table's first, which is as good as any).
    if (shard.entries.size() >= shard_capacity_) shard.entries.erase(shard.entries.begin());
  }
  shard.entries.insert_or_assign(key, Entry{std::string(token), principal, expires_at});
}

size_t VerifiedTokenCache::size() const {
  size_t total = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    total += shards_[i].entries.size();
  }
  return total;
}

}  // namespace p2j::auth_jwt
