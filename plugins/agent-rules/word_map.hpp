// The tables the extractor asks about nearly every token of a prompt: the context-word sets, the number
// words and the first words of terms and units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2j::agent_rules {

// Short words to values, filled once and then only read (concurrently, by every request): open addressing
// over a power of two, hashed with FNV-1a. std::unordered_map spent more on a word's murmur hash and the
// division by its prime bucket count than on the comparison that finds it.
template <typename Value>
class WordMap {
 public:
  // The value of `word`, default-constructed when it is new; valid until the next call (the slots may move).
  // Not while others read the map.
  Value& operator[](std::string_view word) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    Slot& slot = slotFor(slots_, word);
    if (!slot.used) {
      slot = Slot{std::string(word), Value{}, true};
      ++count_;
    }
    return slot.value;
  }

  const Value* find(std::string_view word) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slotFor(slots_, word);
    return slot.used ? &slot.value : nullptr;
  }

  size_t size() const { return count_; }

  // Calls `visit(word, value)` for every word, in no particular order.
  template <typename Visit>
  void forEach(Visit&& visit) {
    for (Slot& slot : slots_) {
      if (slot.used) visit(std::string_view(slot.word), slot.value);
    }
  }

 private:
  struct Slot {
    std::string word;
    Value value{};
    bool used = false;
  };

  static uint64_t hash(std::string_view word) {
    uint64_t value = 14695981039346656037ull;
    for (const char c : word) value = (value ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return value;
  }

  // The word's slot, or the empty one where it would go: at most half the slots are used, so one is empty.
  template <typename Slots>
  static auto& slotFor(Slots& slots, std::string_view word) {
    const size_t mask = slots.size() - 1;
    for (size_t index = hash(word) & mask;; index = (index + 1) & mask) {
      auto& slot = slots[index];
      if (!slot.used || std::string_view(slot.word) == word) return slot;
    }
  }

  void grow() {
    std::vector<Slot> larger(slots_.empty() ? 16 : slots_.size() * 2);
    for (Slot& slot : slots_) {
      if (slot.used) slotFor(larger, slot.word) = std::move(slot);
    }
    slots_ = std::move(larger);
  }

  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace p2j::agent_rules
