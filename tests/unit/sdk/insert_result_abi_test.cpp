// How the SDK hands a storage's insert result back for ABI 1.6: the id and created_at slices of one buffer,
// and only as much of the struct as the host said it has.
#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace p2j::sdk {
namespace {

const InsertedRecord kInserted{"018f-id", "2026-12-03T10:00:00.000000Z"};

std::string_view sliceOf(const std::string& texts, const p2j_slice& slice) {
  return std::string_view(texts).substr(slice.offset, slice.size);
}

TEST(InsertResultAbi, TheIdAndCreatedAtAreSlicesOfOneBuffer) {
  p2j_inserted packed{};
  packed.struct_size = sizeof packed;
  const std::string texts = detail::packInserted(kInserted, &packed);
  EXPECT_EQ(packed.struct_size, sizeof packed);
  EXPECT_EQ(sliceOf(texts, packed.id), kInserted.id);
  EXPECT_EQ(sliceOf(texts, packed.created_at), kInserted.created_at);
  EXPECT_EQ(texts.size(), kInserted.id.size() + kInserted.created_at.size()) << "one copy of each, nothing else";
}

// A host built against a header whose struct ended after `id` gets exactly that much written; a later host's
// larger struct gets 1.6's fields and its own struct_size back as 1.6's.
TEST(InsertResultAbi, OnlyTheFieldsTheHostHasAreWritten) {
  constexpr size_t kOlderSize = offsetof(p2j_inserted, created_at);
  p2j_inserted packed{};
  packed.struct_size = kOlderSize;
  packed.created_at = {77, 77};  // beyond the older struct: must stay as the host left it
  const std::string texts = detail::packInserted(kInserted, &packed);
  EXPECT_EQ(packed.struct_size, kOlderSize);
  EXPECT_EQ(sliceOf(texts, packed.id), kInserted.id);
  EXPECT_EQ(packed.created_at.offset, 77u);

  struct Later {
    p2j_inserted known;
    uint64_t appended;
  } later{};
  later.known.struct_size = sizeof later;
  later.appended = 5;
  detail::packInserted(kInserted, &later.known);
  EXPECT_EQ(later.known.struct_size, sizeof(p2j_inserted));
  EXPECT_EQ(later.appended, 5u);
}

TEST(InsertResultAbi, NoStructOrOneWithoutRoomForItsSizeIsRefused) {
  EXPECT_THROW(detail::requireInsertResult(nullptr), std::invalid_argument);
  p2j_inserted tiny{};
  tiny.struct_size = 2;
  EXPECT_THROW(detail::packInserted(kInserted, &tiny), std::invalid_argument);
  tiny.struct_size = sizeof(uint32_t);
  EXPECT_NO_THROW(detail::requireInsertResult(&tiny));
}

}  // namespace
}  // namespace p2j::sdk
