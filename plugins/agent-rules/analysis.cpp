#include "analysis.hpp"

#include "terms.hpp"

namespace p2j::agent_rules {
namespace {

bool isPhraseBreakingSymbol(std::string_view text) {
  static const WordSet symbols{",", ".", ":", ";", "!", "?", "(", ")", "[", "]",
                               "{", "}", "&", "-", "|", "—", "…", "•", "<", ">"};
  return symbols.contains(text);
}

}  // namespace

Analysis::Analysis(std::string_view prompt, const Lexicon& lexicon)
    : text_(prompt), matches_(lexicon.scan(text_.tokens())), termOfToken_(text_.tokens().size(), -1) {
  for (size_t m = 0; m < matches_.size(); ++m) {
    for (size_t k = matches_[m].begin; k < matches_[m].end; ++k) termOfToken_[k] = static_cast<int32_t>(m);
  }
}

const TermMatch* Analysis::termAt(size_t index) const {
  if (index >= termOfToken_.size() || termOfToken_[index] < 0) return nullptr;
  return &matches_[static_cast<size_t>(termOfToken_[index])];
}

const TermMatch* Analysis::termStartingAt(size_t index) const {
  const TermMatch* match = termAt(index);
  return match != nullptr && match->begin == index ? match : nullptr;
}

bool Analysis::isWord(size_t index, std::string_view word) const {
  const auto& t = tokens();
  return index < t.size() && t[index].kind == TokenKind::Word && t[index].text == word;
}

bool Analysis::joinedByHyphen(size_t index) const {
  const auto& t = tokens();
  return t[index].hyphenated || (index + 1 < t.size() && t[index + 1].hyphenated);
}

bool Analysis::isDesignVerb(const TermMatch& match) const {
  const VerbUse use = match.entry->verb;
  if (use == VerbUse::None) return false;
  if (match.end - match.begin == 1 && joinedByHyphen(match.begin)) return false;
  if (use == VerbUse::BeforeDeterminer) {
    const auto& t = tokens();
    return match.end < t.size() && t[match.end].kind == TokenKind::Word && determiners().contains(t[match.end].text);
  }
  return true;
}

bool Analysis::endsPhrase(size_t index) const {
  const auto& t = tokens();
  if (index >= t.size()) return true;
  const Token& token = t[index];
  if (token.lineStart) return true;
  if (token.kind == TokenKind::Symbol) return isPhraseBreakingSymbol(token.text);
  if (token.kind != TokenKind::Word) return false;
  if (const TermMatch* match = termStartingAt(index); match != nullptr && isDesignVerb(*match)) return true;
  if (!phraseBoundaryWords().contains(token.text) || joinedByHyphen(index)) return false;
  // "10 by 7 m" keeps its "by" inside the phrase.
  const bool betweenNumbers = index + 1 < t.size() && t[index + 1].kind == TokenKind::Number;
  return !(token.text == "by" && betweenNumbers);
}

size_t Analysis::phraseEnd(size_t from) const {
  size_t k = from;
  while (k < tokens().size() && !endsPhrase(k)) ++k;
  return k;
}

}  // namespace p2j::agent_rules
