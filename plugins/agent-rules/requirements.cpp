#include "requirements.hpp"

#include "terms.hpp"

#include <string_view>
#include <unordered_set>

namespace p2j::agent_rules {
namespace {

constexpr size_t kMaxUseCaseWords = 8;

bool endsSentence(const Token& token) {
  return token.kind == TokenKind::Symbol &&
         (token.text == "." || token.text == "!" || token.text == "?" || token.text == ";");
}

std::string_view trim(std::string_view text) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Keeps first occurrences only, in order, without quadratic scans on very long prompts.
class UniqueList {
 public:
  void add(std::string_view item) {
    if (!item.empty() && seen_.insert(item).second) items_.emplace_back(item);
  }
  std::vector<std::string> take() { return std::move(items_); }

 private:
  std::unordered_set<std::string_view> seen_;
  std::vector<std::string> items_;
};

}  // namespace

std::vector<std::string> readRequirements(const Analysis& analysis) {
  const auto& t = analysis.tokens();
  const std::string_view prompt = trim(analysis.original());
  std::string_view unpunctuated = prompt;
  while (!unpunctuated.empty() &&
         (unpunctuated.back() == '.' || unpunctuated.back() == '!' || unpunctuated.back() == '?')) {
    unpunctuated.remove_suffix(1);
  }
  UniqueList requirements;
  requirements.add(prompt);
  size_t start = 0;
  const auto addSentence = [&](size_t end) {
    bool required = false;
    for (size_t k = start; k < end && !required; ++k) {
      required = t[k].kind == TokenKind::Word && requirementWords().contains(t[k].text);
    }
    if (!required) return;
    const std::string_view sentence = trim(analysis.original().substr(t[start].begin, t[end - 1].end - t[start].begin));
    // A one-sentence prompt is already there in full.
    if (sentence != unpunctuated) requirements.add(sentence);
  };
  for (size_t i = 0; i < t.size(); ++i) {
    if (endsSentence(t[i])) {
      addSentence(i);
      start = i + 1;
    } else if (t[i].lineStart && i > start) {
      addSentence(i);
      start = i;
    }
  }
  addSentence(t.size());
  return requirements.take();
}

std::vector<std::string> readUseCases(const Analysis& analysis) {
  const auto& t = analysis.tokens();
  UniqueList useCases;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!analysis.isWord(i, "for") || t[i + 1].kind == TokenKind::Symbol) continue;
    size_t end = i + 1;
    while (end < t.size() && end - i <= kMaxUseCaseWords && !analysis.endsPhrase(end)) ++end;
    if (end == i + 1) continue;
    // Lower-cased, as the original service gave them.
    useCases.add(analysis.lowered().substr(t[i + 1].begin, t[end - 1].end - t[i + 1].begin));
  }
  return useCases.take();
}

}  // namespace p2j::agent_rules
