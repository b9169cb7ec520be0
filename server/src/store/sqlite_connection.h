// One SQLite connection to the store (store/ only: the rest of the server speaks database.h).
// Opened with WAL, synchronous=FULL and secure_delete, the schema created or migrated on first
// open, and a cache of prepared statements per SQL text: parsing SQL cost as much as running it on
// the share path.
#ifndef KINDBAND_SERVER_STORE_SQLITE_CONNECTION_H_
#define KINDBAND_SERVER_STORE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "database.h"

namespace kindband::server {

class SqliteConnection {
 public:
  SqliteConnection() = default;
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Opens (creating when missing) the database file and ensures the schema. On failure returns
  // false and sets error ("<path>: <what>").
  bool open(const std::string& path, std::string* error);
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  // Runs SQL without results. Returns false and sets error on failure.
  bool exec(std::string_view sql, std::string* error = nullptr);
  std::string last_error() const;

  // A prepared statement of this connection. A cached one is reset (not finalized) when done; a
  // statement whose SQL is already in use (nested use) is prepared afresh, so reuse never changes
  // behaviour.
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    bool cached = false;
    bool in_use = false;
  };
  Prepared* prepare(std::string_view sql);
  void finish(Prepared* prepared);

 private:
  void close();

  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, Prepared> cache_;
};

// The Tx of one SQLite connection (see database.h).
class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SqliteConnection* connection) : connection_(connection) {}
  SqliteConnection* connection() const { return connection_; }

  int64_t changes() const override;
  std::string last_error() const override { return connection_->last_error(); }
  std::string erasure_list_path() const override;
  void purge_after_commit() override { purge_requested_ = true; }
  // True once, after a job asked for a purge (the writer then truncates the WAL).
  bool take_purge_request() {
    const bool requested = purge_requested_;
    purge_requested_ = false;
    return requested;
  }

 protected:
  void* prepare(std::string_view sql) override;
  void finish(void* handle) override;
  bool bind_text(void* handle, int index, std::string_view text) override;
  bool bind_integer(void* handle, int index, int64_t value) override;
  bool bind_null(void* handle, int index) override;
  Step step(void* handle) override;
  std::string column_text(void* handle, int column) const override;
  int64_t column_integer(void* handle, int column) const override;
  bool column_is_null(void* handle, int column) const override;

 private:
  SqliteConnection* connection_;
  bool purge_requested_ = false;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_SQLITE_CONNECTION_H_
