// A prompt read once: its tokens, the vocabulary terms found in them, and the noun-phrase helpers that the
// head-noun rule, the refusal check and the use-case reader share.
#pragma once

#include "lexicon.hpp"
#include "tokenizer.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace p2j::agent_rules {

class Analysis {
 public:
  Analysis(std::string_view prompt, const Lexicon& lexicon);

  std::string_view original() const { return text_.original(); }
  std::string_view lowered() const { return text_.lowered(); }  // byte for byte aligned with original()
  const std::vector<Token>& tokens() const { return text_.tokens(); }
  const std::vector<TermMatch>& matches() const { return matches_; }

  // The term covering token `index`, or nullptr.
  const TermMatch* termAt(size_t index) const;
  // The term that starts at token `index`, or nullptr.
  const TermMatch* termStartingAt(size_t index) const;
  // True when the token at `index` is the word `word`.
  bool isWord(size_t index, std::string_view word) const;

  // A design verb in use: "design", "built"; "building" only before a determiner; none inside a hyphenated
  // compound ("built-in").
  bool isDesignVerb(const TermMatch& match) const;
  // Whether a noun phrase ends before token `index`: punctuation, a line break, a preposition, relative word,
  // conjunction or auxiliary, or another design verb.
  bool endsPhrase(size_t index) const;
  // The first index at or after `from` that ends a noun phrase (the token count when none does).
  size_t phraseEnd(size_t from) const;

 private:
  bool joinedByHyphen(size_t index) const;

  TokenizedText text_;
  std::vector<TermMatch> matches_;
  std::vector<int32_t> termOfToken_;  // index into matches_, or -1
};

}  // namespace p2j::agent_rules
