// libFuzzer entry point: any bytes in, a spec or a refusal out, never a crash, a hang or another exception.
// The spec is serialised too, so a NaN or an unbounded number would surface as a malformed answer.
#include "extractor.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const p2j::agent_rules::Extractor extractor;
  try {
    const auto spec = extractor.extract(std::string_view(reinterpret_cast<const char*>(data), size));
    if (p2j::sdk::serialize(spec).empty()) __builtin_trap();
  } catch (const p2j::sdk::Refused&) {
  }
  return 0;
}
