// How the SDK hands a storage's insert result back for ABI 1.6: the id and created_at slices of one buffer,
// and only as much of the struct as the host said it has; for ABI 1.7's batches, each record's in its own
// struct, and Storage::insertAll's default for storages without transactions.
#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

TEST(InsertResultAbi, ABatchsIdentitiesAreSlicesOfOneBufferEachInItsOwnStruct) {
  const std::vector<InsertedRecord> inserted = {kInserted, {"018f-second", "2026-12-03T10:00:01.000000Z"}};
  p2j_inserted first{};
  first.struct_size = sizeof first;
  p2j_inserted second{};
  second.struct_size = offsetof(p2j_inserted, created_at);  // a host whose struct ends after the id
  second.created_at = {77, 77};
  p2j_inserted* const out[] = {&first, &second};
  const std::string texts = detail::packAllInserted(inserted, out, 2);
  EXPECT_EQ(sliceOf(texts, first.id), kInserted.id);
  EXPECT_EQ(sliceOf(texts, first.created_at), kInserted.created_at);
  EXPECT_EQ(sliceOf(texts, second.id), "018f-second");
  EXPECT_EQ(second.created_at.offset, 77u) << "beyond the host's struct: left as it was";
  EXPECT_THROW(detail::packAllInserted(inserted, out, 1), std::logic_error) << "one identity a record";
}

// Keeps what it is given, as a storage without transactions would, and refuses a record naming "refuse me".
class ListStorage : public Storage {
 public:
  InsertedRecord insert(std::string_view collection, const RecordToInsert& record) override {
    if (record.text().find("refuse me") != std::string_view::npos) throw InvalidInput("refused");
    kept.emplace_back(std::string(collection), std::string(record.text()));
    return {"id-" + std::to_string(kept.size()), "2026-12-03T10:00:00.000000Z"};
  }
  std::optional<std::string> get(std::string_view, std::string_view) override { return std::nullopt; }
  std::string find(std::string_view, const FindQuery&) override { return "[]"; }
  PruneResult prune(std::string_view, std::string_view) override { return {}; }
  std::map<std::string, int64_t> counts() override { return {}; }

  std::vector<std::pair<std::string, std::string>> kept;
};

TEST(InsertResultAbi, TheDefaultInsertAllInsertsInOrderWithTheIdsOfEarlierRecords) {
  ListStorage storage;
  const p2j_record_field spec[] = {recordField("prompt", "p", P2J_FIELD_TEXT)};
  const p2j_record_field report[] = {recordField("spec_id", "0", P2J_FIELD_RECORD_ID),
                                     recordField("score", "5", P2J_FIELD_NUMBER)};
  const RecordOfBatch batch[] = {{"specs", spec}, {"evaluations", report}};
  const std::vector<InsertedRecord> inserted = storage.insertAll(batch);
  ASSERT_EQ(inserted.size(), 2u);
  EXPECT_EQ(inserted[1].id, "id-2");
  ASSERT_EQ(storage.kept.size(), 2u);
  EXPECT_EQ(storage.kept[0], (std::pair<std::string, std::string>{"specs", R"({"prompt":"p"})"}));
  EXPECT_EQ(storage.kept[1], (std::pair<std::string, std::string>{"evaluations", R"({"spec_id":"id-1","score":5})"}));

  // Without transactions a failure keeps what was inserted before it, as the default's comment says.
  const p2j_record_field refused[] = {recordField("prompt", "refuse me", P2J_FIELD_TEXT)};
  const RecordOfBatch failing[] = {{"specs", spec}, {"specs", refused}};
  EXPECT_THROW(storage.insertAll(failing), InvalidInput);
  EXPECT_EQ(storage.kept.size(), 3u);
  const RecordOfBatch forward[] = {{"evaluations", report}};
  EXPECT_THROW(storage.insertAll(forward), FieldError) << "record 0 has no earlier record to name";
  EXPECT_EQ(storage.kept.size(), 3u);
}

}  // namespace
}  // namespace p2j::sdk
