// Connection::runInTransaction, storage-postgres's group commit on the wire: the statements of a batch go to
// PostgreSQL in one pipeline inside one transaction, a refused one commits none of them and leaves the
// connection usable, and a connection the server dropped is reported as lost.
#include "pg_connection.hpp"
#include "postgres.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace p2j::storage_postgres {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    P2J_REQUIRE_POSTGRES();
    schema_ = std::make_unique<testing::PostgresSchema>(*testing::testPostgresUrl());
    schema_->query("CREATE TABLE items (id integer PRIMARY KEY, value integer NOT NULL CHECK (value >= 0))");
    connection_ = std::make_unique<Connection>(ConnectionSettings{schema_->connection()});
  }

  // Runs "INSERT (id, value)" for every pair in one pipelined transaction.
  void insertAll(const std::vector<std::pair<int64_t, int64_t>>& rows) {
    std::vector<std::vector<storage_common::SqlValue>> parameters;
    for (const auto& [id, value] : rows) parameters.push_back({id, value});
    std::vector<PipelinedStatement> statements;
    for (const auto& values : parameters) statements.push_back({&insert_, &values});
    connection_->runInTransaction(statements);
  }

  std::string count() { return schema_->query("SELECT COUNT(*) FROM items")[0][0]; }

  const std::string insert_ = "INSERT INTO items (id, value) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
  std::unique_ptr<testing::PostgresSchema> schema_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(PipelineTest, CommitsEveryStatementOfTheBatch) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t i = 1; i <= 200; ++i) rows.emplace_back(i, i * 10);
  insertAll(rows);
  EXPECT_EQ(count(), "200");
  EXPECT_EQ(schema_->query("SELECT value FROM items WHERE id = 137")[0][0], "1370");
  EXPECT_FALSE(connection_->inTransaction());
  // Repeating a committed batch inserts nothing twice: what a retry after a lost COMMIT relies on.
  insertAll(rows);
  EXPECT_EQ(count(), "200");
}

TEST_F(PipelineTest, ARefusedStatementCommitsNoneAndLeavesTheConnectionUsable) {
  try {
    insertAll({{1, 1}, {2, 2}, {3, -1}, {4, 4}});
    FAIL() << "the CHECK violation was not reported";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.state(), "23514");
    EXPECT_TRUE(e.rejectsData());
  }
  EXPECT_EQ(count(), "0");
  EXPECT_FALSE(connection_->broken());
  EXPECT_FALSE(connection_->inTransaction());
  insertAll({{1, 1}, {2, 2}});
  EXPECT_EQ(count(), "2");
  EXPECT_EQ(connection_->run("SELECT COUNT(*) FROM items", {}).int64(0, 0), 2);
}

TEST_F(PipelineTest, AConnectionTheServerDroppedIsLost) {
  const std::string pid(connection_->run("SELECT pg_backend_pid()", {}).text(0, 0));
  schema_->query("SELECT pg_terminate_backend(" + pid + ")");
  EXPECT_THROW(insertAll({{1, 1}}), ConnectionLost);
  EXPECT_TRUE(connection_->broken());
}

}  // namespace
}  // namespace p2j::storage_postgres
