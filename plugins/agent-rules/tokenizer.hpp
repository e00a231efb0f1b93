// Splits a prompt into lower-cased words, numbers and symbols, so that every later rule matches whole words
// (never substrings) and reads each number exactly once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::agent_rules {

enum class TokenKind : uint8_t {
  Word,       // letters (ASCII or accented Latin) with inner apostrophes: "house", "what's", "café"
  Number,     // digits with optional thousands separators and one decimal part: "10,000", "4.5"
  Symbol,     // one other character: "$", ",", "²", "中", an emoji, a byte that is not UTF-8
  Malformed,  // a digit run that is no number, such as "1.2.3": it still separates, but is never read
};

struct Token {
  TokenKind kind = TokenKind::Symbol;
  std::string_view text;  // lower-cased
  double value = 0;       // Number only
  size_t begin = 0;       // byte range in the original prompt
  size_t end = 0;
  bool glued = false;       // touches the previous token: the "m" of "12m", the "200" of "$200"
  bool hyphenated = false;  // joined to the previous token by a hyphen: "10-story", "wi-fi"
  bool lineStart = false;   // a line break precedes it
};

// Owns the lower-cased copy that the tokens point into, hence neither copyable nor movable.
class TokenizedText {
 public:
  explicit TokenizedText(std::string_view text);
  TokenizedText(const TokenizedText&) = delete;
  TokenizedText& operator=(const TokenizedText&) = delete;

  std::string_view original() const { return original_; }
  std::string_view lowered() const { return lowered_; }
  const std::vector<Token>& tokens() const { return tokens_; }

 private:
  void scanNumber(size_t& i);

  std::string_view original_;
  std::string lowered_;
  std::vector<Token> tokens_;
};

}  // namespace p2j::agent_rules
