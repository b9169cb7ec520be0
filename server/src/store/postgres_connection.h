// One PostgreSQL connection to the store (store/ only: the rest of the server speaks database.h),
// through libpq. The seam's SQL uses SQLite's `?` and `?N` parameters; they are translated to `$N`
// here and each SQL text is prepared once per connection. Parameters go as text with types that
// PostgreSQL infers from where they stand (as SQLite's type affinity would), results come back as
// text; a boolean result reads as 0 or 1.
#ifndef KINDBAND_SERVER_STORE_POSTGRES_CONNECTION_H_
#define KINDBAND_SERVER_STORE_POSTGRES_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "database.h"

namespace kindband::server {

// `?` and `?N` parameters as `$N` (outside string literals, quoted names and comments); sets
// *parameters to the highest number used.
std::string postgres_parameters(std::string_view sql, int* parameters);

// The schema (store/schema.h) in PostgreSQL's dialect, idempotent (IF NOT EXISTS throughout).
std::string postgres_schema();

class PostgresConnection {
 public:
  PostgresConnection() = default;
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Connects with a libpq connection string or URL; every commit waits for the WAL flush
  // (synchronous_commit on), and for a synchronous standby when the cluster names one.
  bool open(const std::string& conninfo, std::string* error);
  void close();
  bool healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  // Inside a transaction whose last statement failed: only ROLLBACK (TO SAVEPOINT) works now.
  bool in_failed_transaction() const {
    return conn_ && PQtransactionStatus(conn_) == PQTRANS_INERROR;
  }
  PGconn* handle() const { return conn_; }
  // Runs SQL without parameters (several statements allowed). False with error on failure.
  bool exec(std::string_view sql, std::string* error = nullptr);
  // exec() whose command tag must be `tag` (a COMMIT of a failed transaction answers ROLLBACK).
  bool exec_expecting(std::string_view sql, std::string_view tag, std::string* error = nullptr);
  std::string last_error() const { return last_error_; }
  void set_error(std::string error) { last_error_ = std::move(error); }

  // A cursor over one execution of a prepared SQL text.
  struct Cursor {
    std::string name;  // the prepared statement
    int parameters = 0;
    std::vector<std::optional<std::string>> values;
    PGresult* result = nullptr;
    int row = -1;
    bool executed = false;
  };
  Cursor* prepare(std::string_view sql);
  void finish(Cursor* cursor);
  // Executes (first call) and moves to the next row.
  enum class Next { kRow, kDone, kError };
  Next step(Cursor* cursor);
  int64_t changes() const { return changes_; }

 private:
  struct Prepared {
    std::string name;
    int parameters = 0;
  };
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared> prepared_;
  unsigned long long statement_names_ = 0;
  int64_t changes_ = 0;
  std::string last_error_;
};

// The Tx of one PostgreSQL connection (see database.h).
class PostgresTx final : public Tx {
 public:
  explicit PostgresTx(PostgresConnection* connection) : connection_(connection) {}
  PostgresConnection* connection() const { return connection_; }

  int64_t changes() const override { return connection_->changes(); }
  std::string last_error() const override { return connection_->last_error(); }
  // Erasure lists belong to a database file (a restore of a SQLite backup); PostgreSQL is
  // restored with its own tools (docs/deployment.md).
  std::string erasure_list_path() const override { return ""; }
  bool connection_lost() const override { return !connection_->healthy(); }

 protected:
  void* prepare(std::string_view sql) override { return connection_->prepare(sql); }
  void finish(void* handle) override {
    connection_->finish(static_cast<PostgresConnection::Cursor*>(handle));
  }
  bool bind_text(void* handle, int index, std::string_view text) override;
  bool bind_integer(void* handle, int index, int64_t value) override;
  bool bind_null(void* handle, int index) override;
  Step step(void* handle) override {
    switch (connection_->step(static_cast<PostgresConnection::Cursor*>(handle))) {
      case PostgresConnection::Next::kRow:
        return Step::kRow;
      case PostgresConnection::Next::kDone:
        return Step::kDone;
      case PostgresConnection::Next::kError:
        break;
    }
    return Step::kError;
  }
  std::string column_text(void* handle, int column) const override;
  int64_t column_integer(void* handle, int column) const override;
  bool column_is_null(void* handle, int column) const override;

 private:
  PostgresConnection* connection_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_POSTGRES_CONNECTION_H_
