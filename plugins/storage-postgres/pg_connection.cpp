#include "pg_connection.hpp"

#include <charconv>
#include <exception>

namespace p2j::storage_postgres {
namespace {

std::string trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

template <typename Number>
Number parseNumber(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("PostgreSQL returned '" + std::string(text) + "' where a number was expected");
  }
  return value;
}

// libpq's text form of a parameter; `storage` keeps the converted numbers alive until the call.
const char* parameterText(const storage_common::SqlValue& value, std::string& storage) {
  if (const auto* text = std::get_if<std::string>(&value)) return text->c_str();
  if (const auto* integer = std::get_if<int64_t>(&value)) {
    storage = std::to_string(*integer);
    return storage.c_str();
  }
  if (const auto* real = std::get_if<double>(&value)) {
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, *real);
    storage.assign(buffer, error == std::errc() ? end : buffer);
    return storage.c_str();
  }
  return nullptr;
}

void ignoreNotice(void* /*context*/, const char* /*message*/) {}

}  // namespace

bool QueryError::transient() const {
  return state_ == "57014"                                  // statement timeout
         || state_ == "40001" || state_ == "40P01"          // serialization failure, deadlock
         || state_ == "55P03" || state_.starts_with("53");  // lock not available, insufficient resources
}

int64_t Result::int64(int row, int column) const { return parseNumber<int64_t>(text(row, column)); }

double Result::real(int row, int column) const { return parseNumber<double>(text(row, column)); }

int64_t Result::affectedRows() const {
  const std::string_view count = PQcmdTuples(result_);
  return count.empty() ? 0 : parseNumber<int64_t>(count);
}

Connection::Connection(const ConnectionSettings& settings) {
  // The configured timeout comes after the connection string, so it is the one that applies.
  const std::string timeout = std::to_string(settings.connect_timeout_seconds);
  const char* keywords[] = {"dbname", "connect_timeout", "fallback_application_name", nullptr};
  const char* values[] = {settings.connection.c_str(), timeout.c_str(), "p2j", nullptr};
  connection_ = PQconnectdbParams(keywords, values, 1);
  if (connection_ == nullptr) throw ConnectionLost("cannot reach PostgreSQL: out of memory");
  if (PQstatus(connection_) != CONNECTION_OK) {
    const std::string message = trimmed(PQerrorMessage(connection_));
    PQfinish(connection_);
    connection_ = nullptr;
    throw ConnectionLost("cannot reach PostgreSQL: " + message);
  }
  // Notices ("relation already exists, skipping") are not errors, and stderr is the host's.
  PQsetNoticeProcessor(connection_, ignoreNotice, nullptr);
  try {
    execute("SET statement_timeout = " + std::to_string(settings.statement_timeout_ms));
  } catch (...) {
    // The destructor does not run for a constructor that throws: a server going away right now would
    // otherwise leak the connection on every reconnect attempt.
    PQfinish(connection_);
    connection_ = nullptr;
    throw;
  }
}

Connection::~Connection() { PQfinish(connection_); }

Result Connection::execute(const std::string& sql) { return check(PQexec(connection_, sql.c_str())); }

const std::string& Connection::preparedName(const std::string& sql) {
  auto prepared = prepared_.find(sql);
  if (prepared == prepared_.end()) {
    const std::string name = "p2j_" + std::to_string(prepared_.size() + 1);
    check(PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr));
    prepared = prepared_.emplace(sql, name).first;
  }
  return prepared->second;
}

namespace {

// libpq's text form of `parameters`, alive as long as this object.
class ParameterTexts {
 public:
  explicit ParameterTexts(const std::vector<storage_common::SqlValue>& parameters)
      : storage_(parameters.size()), texts_(parameters.size()) {
    for (size_t i = 0; i < parameters.size(); ++i) texts_[i] = parameterText(parameters[i], storage_[i]);
  }
  int count() const { return static_cast<int>(texts_.size()); }
  const char* const* texts() const { return texts_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<const char*> texts_;
};

}  // namespace

Result Connection::run(const std::string& sql, const std::vector<storage_common::SqlValue>& parameters) {
  const std::string& name = preparedName(sql);
  const ParameterTexts texts(parameters);
  return check(PQexecPrepared(connection_, name.c_str(), texts.count(), texts.texts(), nullptr, nullptr, 0));
}

void Connection::runInTransaction(std::span<const PipelinedStatement> statements) {
  // Prepared before the pipeline starts: a statement prepared inside it would need its own result handling.
  std::vector<const std::string*> names;
  names.reserve(statements.size());
  for (const auto& statement : statements) names.push_back(&preparedName(*statement.sql));

  if (PQenterPipelineMode(connection_) != 1) {
    throw ConnectionLost("cannot use pipeline mode: " + trimmed(PQerrorMessage(connection_)));
  }
  size_t sent = 0;
  bool sending = PQsendQueryParams(connection_, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  for (size_t i = 0; sending && i < statements.size(); ++i) {
    ++sent;
    const ParameterTexts texts(*statements[i].parameters);
    sending =
        PQsendQueryPrepared(connection_, names[i]->c_str(), texts.count(), texts.texts(), nullptr, nullptr, 0) == 1;
  }
  if (sending) {
    ++sent;
    sending = PQsendQueryParams(connection_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  }
  if (!sending || PQpipelineSync(connection_) != 1) {
    // Half a pipeline is on the wire: the connection cannot be used for anything else.
    poisoned_ = true;
    throw ConnectionLost("lost the PostgreSQL connection while sending: " + trimmed(PQerrorMessage(connection_)));
  }
  finishPipeline(sent + 1);
}

void Connection::finishPipeline(size_t commands) {
  auto confused = [&](const char* what) {
    poisoned_ = true;
    return ConnectionLost(std::string("the PostgreSQL pipeline ") + what + ": " + trimmed(PQerrorMessage(connection_)));
  };
  // The first refusal wins; the statements after it are not run (PGRES_PIPELINE_ABORTED).
  std::exception_ptr refusal;
  for (size_t i = 0; i < commands; ++i) {
    PGresult* raw = PQgetResult(connection_);
    if (raw == nullptr) throw confused("ended early");
    if (PQresultStatus(raw) == PGRES_PIPELINE_ABORTED) {
      PQclear(raw);
    } else if (refusal) {
      PQclear(raw);
    } else {
      try {
        check(raw);
      } catch (const QueryError&) {
        refusal = std::current_exception();
      }
    }
    if (PGresult* extra = PQgetResult(connection_); extra != nullptr) {  // each command's results end with null
      PQclear(extra);
      throw confused("returned more than one result for a statement");
    }
  }
  PGresult* sync = PQgetResult(connection_);
  const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced || PQexitPipelineMode(connection_) != 1) throw confused("did not end with its sync");
  if (refusal) {
    // A refused statement leaves the transaction aborted, and nothing of it is committed.
    if (inTransaction()) execute("ROLLBACK");
    std::rethrow_exception(refusal);
  }
}

Result Connection::check(PGresult* raw) {
  Result result(raw);
  const ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = raw == nullptr ? nullptr : PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state == nullptr ? "" : state;
  const std::string message = trimmed(
      raw != nullptr && PQresultErrorMessage(raw)[0] != '\0' ? PQresultErrorMessage(raw) : PQerrorMessage(connection_));
  // Class 08 is a connection failure; 57P01..57P03 mean the server is shutting down or starting.
  if (broken() || sqlstate.empty() || sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    throw ConnectionLost("lost the PostgreSQL connection: " + message);
  }
  throw QueryError(sqlstate, message);
}

}  // namespace p2j::storage_postgres
