// The vocabulary of terms.cpp as one phrase index. Scanning a prompt takes the longest phrase at each word,
// so a multi-word term always wins over its parts ("stainless steel" is not also "steel", "car park" not a
// car), whichever table each part comes from.
#pragma once

#include "terms.hpp"
#include "tokenizer.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::agent_rules {

struct TermMatch {
  size_t begin;  // token range [begin, end)
  size_t end;
  const TermEntry* entry;
};

class Lexicon {
 public:
  Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // Non-overlapping longest matches, left to right.
  std::vector<TermMatch> scan(const std::vector<Token>& tokens) const;

 private:
  struct Phrase {
    std::vector<std::string> rest;  // the words after the first
    TermEntry* entry;
  };

  // Registers `spelling` with its hyphen/space/joined forms (and plurals) and lets `assign` fill in the sense
  // on the entry of each form.
  void define(std::string_view spelling, bool withPlurals, const std::function<void(TermEntry&)>& assign);
  TermEntry& entryFor(const std::vector<std::string>& words);

  WordMap<std::vector<Phrase>> byFirstWord_;
  std::deque<TermEntry> entries_;  // a deque keeps entry addresses stable while the index grows
};

// The words of a spelling as the tokenizer reads them: "wi-fi" → {"wi", "fi"}, "touch screen" → {"touch", "screen"}.
std::vector<std::string> spellingWords(std::string_view spelling);
// Plural forms of one word: shelf → {shelfs, shelves}, balcony → {balconies}, bus → {buses}.
std::vector<std::string> pluralsOf(std::string_view word);

}  // namespace p2j::agent_rules
