// SQLite access: opening the store with the right durability settings, the schema, and a small
// prepared-statement wrapper. One Connection per thread; SQLite itself handles the locking.
#ifndef KINDBAND_SERVER_DATABASE_H_
#define KINDBAND_SERVER_DATABASE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kindband::server {

// A prepared statement. Bind with 1-based indexes; step() returns true while a row is available.
// Errors are kept in the connection (see Connection::last_error()).
//
// On a connection opened through Connection, statements are prepared once per SQL text and reused
// (reset and unbound when the Statement ends): parsing SQL cost as much as running it on the share
// path. A statement whose text is already in use on that connection (nested use) is prepared
// afresh, so reuse never changes behaviour.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);
  Statement& bind_optional(int index, const std::optional<std::string>& text);
  // Steps once. Returns true when a row is available, false when done or on error (see failed()).
  bool step();
  bool failed() const { return failed_; }
  // Runs to completion; returns false on any error.
  bool run();

  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool failed_ = false;
  bool* cached_in_use_ = nullptr;  // set when stmt_ belongs to the connection's cache
};

// Prepared statements of one connection, by SQL text (see Statement).
struct StatementCache {
  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  std::unordered_map<std::string, Entry> entries;
};

// One SQLite connection to the store, configured for WAL and synchronous=FULL, with the schema
// created on first open.
class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens (creating when missing) the database file and ensures the schema. On failure returns
  // false and sets error ("<path>: <what>").
  bool open(const std::string& path, std::string* error);
  sqlite3* handle() const { return db_; }
  // Runs SQL without results. Returns false and sets error on failure.
  bool exec(std::string_view sql, std::string* error = nullptr);
  std::string last_error() const;

 private:
  void close();

  sqlite3* db_ = nullptr;
  std::unique_ptr<StatementCache> cache_;
};

// A handful of read connections shared by request threads (WAL readers do not block the writer).
class ReadPool {
 public:
  explicit ReadPool(std::string path) : path_(std::move(path)) {}
  ~ReadPool();

  class Lease {
   public:
    Lease(ReadPool* pool, Connection* connection) : pool_(pool), connection_(connection) {}
    ~Lease();
    Lease(Lease&& other) noexcept : pool_(other.pool_), connection_(other.connection_) {
      other.connection_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    // Null when the database could not be opened.
    sqlite3* db() const { return connection_ ? connection_->handle() : nullptr; }

   private:
    ReadPool* pool_;
    Connection* connection_;
  };
  Lease acquire();

 private:
  std::string path_;
  std::mutex mutex_;
  std::vector<Connection*> idle_;
};

// Reads or creates a named secret key stored in the meta table (32 random bytes, hex).
bool load_or_create_key(sqlite3* db, std::string_view name, std::string* key, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_DATABASE_H_
