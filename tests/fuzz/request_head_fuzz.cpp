// libFuzzer entry point: any bytes in as a request head, never a crash, a read outside them or a head that
// parses differently once cut to the length it reported.
#include "http/request_head.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

bool inside(std::string_view view, std::string_view buffer) {
  return view.empty() || (view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view buffer(reinterpret_cast<const char*>(data), size);
  p2j::http::RequestHead head;
  const p2j::http::HeadParse parse = p2j::http::parseRequestHead(buffer, head);
  if (parse.outcome != p2j::http::HeadParse::Outcome::kComplete) return 0;
  if (parse.length > size || parse.length > p2j::http::kMaxRequestHeadBytes) __builtin_trap();
  if (head.headers.size() > p2j::http::kMaxRequestHeaders) __builtin_trap();
  const std::string_view own = buffer.substr(0, parse.length);
  if (!inside(head.method, own) || !inside(head.target, own)) __builtin_trap();
  for (const auto& [name, value] : head.headers) {
    if (!inside(name, own) || !inside(value, own)) __builtin_trap();
  }
  if (head.chunked && head.content_length) __builtin_trap();
  p2j::http::RequestHead again;
  const p2j::http::HeadParse cut = p2j::http::parseRequestHead(own, again);
  if (cut.outcome != parse.outcome || cut.length != parse.length || again.headers.size() != head.headers.size()) {
    __builtin_trap();
  }
  return 0;
}
