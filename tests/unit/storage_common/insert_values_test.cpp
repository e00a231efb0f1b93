// Collection::insertValues: what an INSERT binds for a record, JSON fields as the host sent their bytes.
#include "collections.hpp"

#include <gtest/gtest.h>

#include <string>

namespace p2j::storage_common {
namespace {

const sdk::InsertedRecord kIdentity{"0190c3a1-0000-7000-8000-000000000001", "2026-12-02T07:00:00.000000Z"};

TEST(InsertValues, BindsTheIdTheFieldsInColumnOrderAndTheTime) {
  const sdk::RecordToInsert record(
      R"({"prompt": "a tower", "spec": {"design_type": "tower",  "stories": 3}, "agent": "rules"})");
  const auto values = findCollection("specs").insertValues(kIdentity, record);
  ASSERT_EQ(values.size(), 5u);  // id, prompt, agent, spec, created_at
  EXPECT_EQ(std::get<std::string>(values[0]), kIdentity.id);
  EXPECT_EQ(std::get<std::string>(values[1]), "a tower");
  EXPECT_EQ(std::get<std::string>(values[2]), "rules");
  EXPECT_EQ(std::get<std::string>(values[3]), R"({"design_type": "tower",  "stories": 3})") << "the bytes as sent";
  EXPECT_EQ(std::get<std::string>(values[4]), kIdentity.created_at);
}

// A replayed spool entry is not validated again: a JSON field that is not an object or an array (a damaged
// entry) is bound as its JSON text rather than read through a missing span.
TEST(InsertValues, AJsonFieldThatIsNotAContainerIsWrittenFromItsValue) {
  const sdk::RecordToInsert record(R"({"prompt": "p", "spec": "not a spec", "agent": "rules"})");
  const auto values = findCollection("specs").insertValues(kIdentity, record);
  EXPECT_EQ(std::get<std::string>(values[3]), R"("not a spec")");
}

TEST(InsertValues, AnAbsentOptionalFieldIsNull) {
  const sdk::RecordToInsert record(R"({"spec_id": "s", "rating": 4})");
  const auto values = findCollection("feedback").insertValues(kIdentity, record);
  ASSERT_EQ(values.size(), 5u);  // id, spec_id, rating, comment, created_at
  EXPECT_EQ(std::get<int64_t>(values[2]), 4);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(values[3]));
}

}  // namespace
}  // namespace p2j::storage_common
