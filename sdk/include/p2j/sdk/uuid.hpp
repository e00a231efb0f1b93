// Random identifiers in the one form p2j uses for every id: a version 4 UUID in lower-case canonical text,
// its 122 random bits from the kernel's CSPRNG.
#pragma once

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <string>
#include <system_error>

namespace p2j::sdk {

// Fills `size` bytes from getrandom(2). The kernel's generator needs no seed, is shared safely by every
// thread and is not copied by fork(), unlike a generator kept in the process: a per-thread engine seeded
// from 32 bits repeats in other processes, and a forked child would repeat its parent's ids exactly.
// Throws std::system_error only when the kernel has no getrandom (Linux before 3.17).
inline void randomBytes(void* out, size_t size) {
  auto* bytes = static_cast<unsigned char*>(out);
  while (size > 0) {
    const ssize_t got = getrandom(bytes, size, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    bytes += got;
    size -= static_cast<size_t>(got);
  }
}

inline std::string randomUuid() {
  unsigned char bits[16];
  randomBytes(bits, sizeof bits);
  bits[6] = static_cast<unsigned char>((bits[6] & 0x0F) | 0x40);  // version 4
  bits[8] = static_cast<unsigned char>((bits[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  size_t at = 0;
  for (size_t i = 0; i < sizeof bits; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dashes of 8-4-4-4-12
    text[at++] = kHex[bits[i] >> 4];
    text[at++] = kHex[bits[i] & 0x0F];
  }
  return text;
}

}  // namespace p2j::sdk
