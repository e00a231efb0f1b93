#include "config/env_expand.hpp"

#include <cctype>
#include <cstdlib>

namespace p2j::config {

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

namespace {

bool isValidName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string expandEnvironment(std::string_view text, const EnvironmentLookup& lookup) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (i + 1 >= text.size() || text[i + 1] != '{') {
      out += c;
      ++i;
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) throw ExpansionError("unterminated ${ in \"" + std::string(text) + "\"");
    const std::string_view body = text.substr(i + 2, close - i - 2);
    const size_t default_at = body.find(":-");
    const std::string_view name = body.substr(0, default_at);
    if (!isValidName(name)) throw ExpansionError("invalid environment variable name \"" + std::string(name) + "\"");
    const std::optional<std::string> value = lookup(std::string(name));
    if (value && !value->empty()) {
      out += *value;
    } else if (default_at != std::string_view::npos) {
      out += body.substr(default_at + 2);
    } else if (value) {
      // Set but empty, without a default: the operator said "empty" on purpose.
    } else {
      throw ExpansionError("environment variable " + std::string(name) + " is not set (use ${" + std::string(name) +
                           ":-default} to give a default)");
    }
    i = close + 1;
  }
  return out;
}

}  // namespace p2j::config
