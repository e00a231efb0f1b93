#include "tokenizer.hpp"

#include <charconv>

namespace p2j::agent_rules {
namespace {

struct CodePoint {
  uint32_t value;
  size_t length;
};

constexpr uint32_t kInvalid = 0xFFFD;

// Decodes one UTF-8 sequence; a malformed one is taken as a single invalid byte so that scanning always
// advances and never reads past the end.
CodePoint decode(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  uint32_t value = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07u;
  } else {
    return {kInvalid, 1};
  }
  if (i + length > s.size()) return {kInvalid, 1};
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = byte(i + k);
    if ((next & 0xC0u) != 0x80u) return {kInvalid, 1};
    value = (value << 6) | (next & 0x3Fu);
  }
  return {value, length};
}

bool isDigit(uint32_t c) { return c >= '0' && c <= '9'; }
bool isAsciiLetter(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Latin-1 and Latin Extended letters keep "café" one word; × and ÷ are operators, not letters.
bool isLatinLetter(uint32_t c) { return c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7; }
bool isLetter(uint32_t c) { return isAsciiLetter(c) || isLatinLetter(c); }
bool isApostrophe(uint32_t c) { return c == '\'' || c == 0x2019; }
bool isHyphen(uint32_t c) { return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2013; }
bool isLineBreak(uint32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
bool isSpace(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || isLineBreak(c) || c == 0xA0 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000;
}

// ASCII and Latin-1 capitals only: enough for every term the tables hold, and length-preserving.
std::string lowerCase(std::string_view text) {
  std::string lowered(text);
  for (size_t i = 0; i < lowered.size(); ++i) {
    auto& c = reinterpret_cast<unsigned char&>(lowered[i]);
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<unsigned char>(c + 32);
    } else if (c == 0xC3 && i + 1 < lowered.size()) {
      auto& next = reinterpret_cast<unsigned char&>(lowered[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
      ++i;
    }
  }
  return lowered;
}

}  // namespace

TokenizedText::TokenizedText(std::string_view text) : original_(text), lowered_(lowerCase(text)) {
  const std::string_view s = lowered_;
  tokens_.reserve(s.size() / 4 + 4);
  bool spaced = false;
  bool hyphen = false;
  bool lineStart = false;
  size_t i = 0;
  while (i < s.size()) {
    const CodePoint cp = decode(s, i);
    if (isSpace(cp.value)) {
      spaced = true;
      lineStart = lineStart || isLineBreak(cp.value);
      i += cp.length;
      continue;
    }
    const bool touchesPrevious = !tokens_.empty() && !spaced && !hyphen && tokens_.back().end == i;
    if (isHyphen(cp.value) && touchesPrevious) {
      const size_t next = i + cp.length;
      if (next < s.size()) {
        const uint32_t after = decode(s, next).value;
        if (!isSpace(after) && !isHyphen(after)) {
          hyphen = true;
          i = next;
          continue;
        }
      }
    }
    const size_t start = i;
    const size_t count = tokens_.size();
    const bool leadingDot = cp.value == '.' && i + 1 < s.size() && isDigit(static_cast<unsigned char>(s[i + 1])) &&
                            (tokens_.empty() || tokens_.back().end != i || tokens_.back().kind == TokenKind::Symbol);
    if (isDigit(cp.value) || leadingDot) {
      scanNumber(i);
    } else if (isLetter(cp.value)) {
      i += cp.length;
      while (i < s.size()) {
        const CodePoint next = decode(s, i);
        if (isLetter(next.value)) {
          i += next.length;
        } else if (isApostrophe(next.value) && i + next.length < s.size() &&
                   isLetter(decode(s, i + next.length).value)) {
          i += next.length;
        } else {
          break;
        }
      }
      tokens_.push_back({TokenKind::Word, s.substr(start, i - start)});
    } else {
      i += cp.length;
      tokens_.push_back({TokenKind::Symbol, s.substr(start, i - start)});
    }
    if (tokens_.size() == count) continue;
    Token& token = tokens_.back();
    token.begin = start;
    token.end = i;
    token.glued = count > 0 && !spaced && !hyphen && tokens_[count - 1].end == start;
    token.hyphenated = hyphen;
    token.lineStart = lineStart;
    spaced = hyphen = lineStart = false;
  }
}

// Reads digits, thousands groups ("10,000") and one decimal part. A second decimal part ("1.2.3") makes the
// whole run Malformed; so does a run too long to be a quantity.
void TokenizedText::scanNumber(size_t& i) {
  const std::string_view s = lowered_;
  const size_t start = i;
  const auto digitAt = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  std::string digits;
  while (digitAt(i)) digits += s[i++];
  while (i < s.size() && s[i] == ',' && digitAt(i + 1) && digitAt(i + 2) && digitAt(i + 3) && !digitAt(i + 4) &&
         !digits.empty()) {
    digits.append(s.substr(i + 1, 3));
    i += 4;
  }
  if (i < s.size() && s[i] == '.' && digitAt(i + 1)) {
    if (digits.empty()) digits.push_back('0');
    digits += s[i++];
    while (digitAt(i)) digits += s[i++];
  }
  const bool malformed = digits.size() > 30 || (i < s.size() && s[i] == '.' && digitAt(i + 1));
  if (malformed) {
    while (digitAt(i) || (i < s.size() && (s[i] == '.' || s[i] == ',') && digitAt(i + 1))) ++i;
    tokens_.push_back({TokenKind::Malformed, s.substr(start, i - start)});
    return;
  }
  double value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  tokens_.push_back({TokenKind::Number, s.substr(start, i - start), value});
}

}  // namespace p2j::agent_rules
