#include "lexicon.hpp"

#include <algorithm>
#include <stdexcept>

namespace p2j::agent_rules {
namespace {

bool isVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool endsWith(std::string_view word, std::string_view suffix) {
  return word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
}

// The spelling itself, its joined form ("touch screen" → "touchscreen"), and the plurals of both.
std::vector<std::vector<std::string>> formsOf(std::string_view spelling, bool withPlurals) {
  std::vector<std::vector<std::string>> forms{spellingWords(spelling)};
  if (forms.front().size() > 1) {
    std::string joined;
    for (const auto& word : forms.front()) joined += word;
    forms.push_back({joined});
  }
  if (withPlurals) {
    const size_t singularCount = forms.size();
    for (size_t i = 0; i < singularCount; ++i) {
      for (auto& plural : pluralsOf(forms[i].back())) {
        auto form = forms[i];
        form.back() = std::move(plural);
        forms.push_back(std::move(form));
      }
    }
  }
  return forms;
}

}  // namespace

std::vector<std::string> spellingWords(std::string_view spelling) {
  const TokenizedText text(spelling);
  std::vector<std::string> words;
  for (const auto& token : text.tokens()) {
    if (token.kind != TokenKind::Word) {
      throw std::logic_error("term spelling must hold words only: " + std::string(spelling));
    }
    words.emplace_back(token.text);
  }
  if (words.empty()) throw std::logic_error("empty term spelling");
  return words;
}

std::vector<std::string> pluralsOf(std::string_view word) {
  const std::string base(word);
  if (endsWith(word, "s") || endsWith(word, "x") || endsWith(word, "z") || endsWith(word, "ch") ||
      endsWith(word, "sh")) {
    return {base + "es"};
  }
  if (word.size() > 1 && word.back() == 'y' && !isVowel(word[word.size() - 2])) {
    return {base.substr(0, base.size() - 1) + "ies"};
  }
  if (word.back() == 'f') return {base + "s", base.substr(0, base.size() - 1) + "ves"};
  if (endsWith(word, "fe")) return {base + "s", base.substr(0, base.size() - 2) + "ves"};
  return {base + "s"};
}

TermEntry& Lexicon::entryFor(const std::vector<std::string>& words) {
  auto& phrases = byFirstWord_[words.front()];
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  for (auto& phrase : phrases) {
    if (phrase.rest == rest) return *phrase.entry;
  }
  TermEntry& entry = entries_.emplace_back();
  phrases.push_back({rest, &entry});
  return entry;
}

void Lexicon::define(std::string_view spelling, bool withPlurals, const std::function<void(TermEntry&)>& assign) {
  for (const auto& form : formsOf(spelling, withPlurals)) assign(entryFor(form));
}

Lexicon::Lexicon() {
  for (const auto& term : objectTerms()) {
    define(term.spelling, true, [&](TermEntry& e) { e.object = term.sense; });
  }
  for (const auto& term : materialTerms()) {
    define(term.spelling, true, [&](TermEntry& e) { e.material = term.sense; });
  }
  for (const auto& term : featureTerms()) {
    define(term.spelling, true, [&](TermEntry& e) { e.feature = term.id; });
  }
  for (const auto& term : audienceTerms()) {
    define(term.spelling, true, [&](TermEntry& e) {
      e.audience = term.audience;
      e.audienceNeedsNoun = term.needsNoun;
    });
  }
  for (const auto& term : constraintTerms()) {
    define(term.spelling, true, [&](TermEntry& e) { e.constraint = term.name; });
  }
  for (const auto& term : componentTerms()) {
    define(term.spelling, true, [&](TermEntry& e) { e.components.push_back(term.sense); });
  }
  for (const auto& term : verbTerms()) {
    define(term.spelling, false, [&](TermEntry& e) { e.verb = term.use; });
  }
  for (const auto& term : nonDesignTerms()) {
    define(term.spelling, true, [&](TermEntry& e) { e.nonDesign = term.kind; });
  }
  for (const auto spelling : neutralTerms()) define(spelling, false, [](TermEntry&) {});
  byFirstWord_.forEach([](std::string_view, std::vector<Phrase>& phrases) {
    std::stable_sort(phrases.begin(), phrases.end(),
                     [](const Phrase& a, const Phrase& b) { return a.rest.size() > b.rest.size(); });
  });
}

std::vector<TermMatch> Lexicon::scan(const std::vector<Token>& tokens) const {
  std::vector<TermMatch> matches;
  size_t i = 0;
  while (i < tokens.size()) {
    const Token& token = tokens[i];
    const std::vector<Phrase>* found = token.kind == TokenKind::Word ? byFirstWord_.find(token.text) : nullptr;
    size_t next = i + 1;
    if (found != nullptr) {
      for (const auto& phrase : *found) {
        const size_t end = i + 1 + phrase.rest.size();
        if (end > tokens.size()) continue;
        bool same = true;
        for (size_t k = 0; k < phrase.rest.size() && same; ++k) {
          const Token& word = tokens[i + 1 + k];
          same = word.kind == TokenKind::Word && word.text == phrase.rest[k];
        }
        if (same) {
          matches.push_back({i, end, phrase.entry});
          next = end;
          break;
        }
      }
    }
    i = next;
  }
  return matches;
}

}  // namespace p2j::agent_rules
