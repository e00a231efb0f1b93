// Identifiers in the one form p2j uses for every id: a UUID in lower-case canonical text, its random bits
// from the kernel's CSPRNG through a per-thread reserve (randomIdBytes). Records get time-ordered ones
// (version 7), everything else random ones (version 4).
#pragma once

#include <sys/mman.h>
#include <sys/random.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
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

namespace detail {

// A thread's reserve of kernel random bytes, one page: `left` unused bytes at the end of `bytes`. The page is
// marked MADV_WIPEONFORK, so a forked child finds it zeroed (`left` 0) and refills it from the kernel
// instead of handing out its parent's next ids.
struct RandomReserve {
  size_t left;
  unsigned char bytes[4096 - sizeof(size_t)];
};
static_assert(sizeof(RandomReserve) == 4096);

class ThreadRandomReserve {
 public:
  ThreadRandomReserve() {
    void* page = mmap(nullptr, sizeof(RandomReserve), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return;
    if (madvise(page, sizeof(RandomReserve), MADV_WIPEONFORK) != 0) {  // Linux before 4.14
      munmap(page, sizeof(RandomReserve));
      return;
    }
    reserve_ = static_cast<RandomReserve*>(page);  // a new mapping is zero: left == 0
  }
  ~ThreadRandomReserve() {
    if (reserve_ != nullptr) munmap(reserve_, sizeof(RandomReserve));
  }
  ThreadRandomReserve(const ThreadRandomReserve&) = delete;
  ThreadRandomReserve& operator=(const ThreadRandomReserve&) = delete;

  // False when the reserve could not be made; the caller then asks the kernel itself.
  bool take(unsigned char* out, size_t size) {
    if (reserve_ == nullptr || size > sizeof reserve_->bytes / 4) return false;
    if (reserve_->left < size) {
      randomBytes(reserve_->bytes, sizeof reserve_->bytes);
      reserve_->left = sizeof reserve_->bytes;
    }
    unsigned char* taken = reserve_->bytes + sizeof reserve_->bytes - reserve_->left;
    std::memcpy(out, taken, size);
    std::memset(taken, 0, size);  // handed out once: not left behind in memory
    reserve_->left -= size;
    return true;
  }

 private:
  RandomReserve* reserve_ = nullptr;
};

inline std::string uuidText(const unsigned char (&bits)[16]) {
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

inline void setVersionAndVariant(unsigned char (&bits)[16], unsigned version) {
  bits[6] = static_cast<unsigned char>((bits[6] & 0x0F) | (version << 4));
  bits[8] = static_cast<unsigned char>((bits[8] & 0x3F) | 0x80);  // RFC 9562 variant
}

}  // namespace detail

// Random bytes for ids, as unpredictable as randomBytes() but without a system call each: taken from a
// per-thread reserve that one getrandom call fills with 4 KiB (a getrandom call costs ~0.9 µs on a 2-core VM,
// and /generate made two ids a request). More than 1 KiB at once goes to the kernel directly.
inline void randomIdBytes(void* out, size_t size) {
  thread_local detail::ThreadRandomReserve reserve;
  if (!reserve.take(static_cast<unsigned char*>(out), size)) randomBytes(out, size);
}

// 122 random bits (version 4): for ids that must say nothing, such as session ids.
inline std::string randomUuid() {
  unsigned char bits[16];
  randomIdBytes(bits, sizeof bits);
  detail::setVersionAndVariant(bits, 4);
  return detail::uuidText(bits);
}

// Version 7 (RFC 9562): the Unix time in milliseconds in the first 48 bits, then 74 random bits. Ids made
// later sort after earlier ones (within a millisecond, in random order), so a database index on them grows
// at its right edge instead of touching a random page for every row. The random bits keep them
// unguessable; the time they carry is the record's created_at, which clients see anyway. Stored records
// use these.
inline std::string timeOrderedUuid() {
  unsigned char bits[16];
  randomIdBytes(bits + 6, sizeof bits - 6);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto milliseconds = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  for (int i = 0; i < 6; ++i) bits[i] = static_cast<unsigned char>(milliseconds >> (8 * (5 - i)));
  detail::setVersionAndVariant(bits, 7);
  return detail::uuidText(bits);
}

}  // namespace p2j::sdk
