// The storage seam: the only door between the domain stores and the database engine below them.
// Domain stores speak SQL through Statement on a Tx; they never see which engine runs it, the way
// SQLite's VFS keeps SQLite ignorant of the operating system. The SQLite implementation lives in
// store/sqlite_*; nothing else in the server may name that engine (scripts/check-layering.sh).
//
// SQL is written once, in a form SQLite and PostgreSQL both accept: `?` or `?N` parameters,
// `INSERT ... ON CONFLICT DO NOTHING`, `RETURNING`, `CASE`, `COUNT(*) FILTER (WHERE ...)`,
// `COALESCE`. No `INSERT OR IGNORE`, `last_insert_rowid`, `json_extract` or `INDEXED BY`.
#ifndef KINDBAND_SERVER_STORE_DATABASE_H_
#define KINDBAND_SERVER_STORE_DATABASE_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kindband::server {

class Statement;

// The answer of a lookup that may also find the database unreachable (503, not 404).
enum class Lookup { kFound, kNotFound, kUnavailable };

// One connection's view of the store: inside a write job (one serialised, durable transaction) or
// a read (one consistent snapshot). Only the Database that handed it out may keep it.
class Tx {
 public:
  virtual ~Tx() = default;
  // Rows changed by the last INSERT, UPDATE or DELETE on this Tx.
  virtual int64_t changes() const = 0;
  // The engine's last error message on this Tx, for logs and admin output.
  virtual std::string last_error() const = 0;
  // The erasure list of this database (erasure_list.h), "" when it keeps none (in memory).
  virtual std::string erasure_list_path() const = 0;
  // Called inside a write job that erased content: once the job commits, the engine removes the
  // erased bytes from its logs too (SQLite: checkpoint and truncate the WAL).
  virtual void purge_after_commit() {}

 protected:
  friend class Statement;

  // The answer of a lookup that may also find the database unreachable (503, not 404).
  enum class Lookup { kFound, kNotFound, kUnavailable };
  // The cursor operations behind Statement, on an engine handle made by prepare().
  enum class Step { kRow, kDone, kError };
  virtual void* prepare(std::string_view sql) = 0;  // null on error
  virtual void finish(void* handle) = 0;
  virtual bool bind_text(void* handle, int index, std::string_view text) = 0;
  virtual bool bind_integer(void* handle, int index, int64_t value) = 0;
  virtual bool bind_null(void* handle, int index) = 0;
  virtual Step step(void* handle) = 0;
  virtual std::string column_text(void* handle, int column) const = 0;
  virtual int64_t column_integer(void* handle, int column) const = 0;
  virtual bool column_is_null(void* handle, int column) const = 0;
};

// A prepared statement on a Tx. Bind with 1-based indexes; step() returns true while a row is
// available. Errors are kept on the Tx (Tx::last_error()). Engines may reuse a prepared statement
// for the same SQL text; that never changes behaviour.
class Statement {
 public:
  Statement(Tx* tx, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return handle_ != nullptr; }
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
  Tx* tx_;
  void* handle_ = nullptr;
  bool failed_ = false;
};

// The store under the domain stores. A write runs as one job in a serialised transaction and is
// durable when write() returns kCommitted (engines may commit many jobs with one sync: group
// commit). A read gets one consistent snapshot for as long as its Snapshot lives.
class Database {
 public:
  enum class Outcome {
    kCommitted,   // the job returned true and its changes are durably committed
    kRolledBack,  // the job returned false; its changes were discarded
    kFailed,      // the transaction could not be committed (or the job threw): nothing is stored
  };
  // Runs inside the write transaction. Return true to keep its changes, false to roll back just
  // its own (e.g. a conflict it detected). It must not block.
  using Job = std::function<bool(Tx* tx)>;

  // A read: null tx() when the database could not be reached. Returned to the database on
  // destruction.
  class Snapshot {
   public:
    Snapshot(Database* owner, Tx* tx) : owner_(owner), tx_(tx) {}
    ~Snapshot() {
      if (tx_) owner_->release(tx_);
    }
    Snapshot(Snapshot&& other) noexcept : owner_(other.owner_), tx_(other.tx_) {
      other.tx_ = nullptr;
    }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;
    Snapshot& operator=(Snapshot&&) = delete;
    Tx* tx() const { return tx_; }

   private:
    Database* owner_;
    Tx* tx_;
  };

  // Where the time of the writer went (printed for the benchmark when the server stops).
  struct WriterStats {
    uint64_t commits = 0;
    uint64_t jobs = 0;
    uint64_t largest_batch = 0;
    double job_seconds = 0;
    double job_cpu_seconds = 0;
    double commit_seconds = 0;
    double slowest_commit_seconds = 0;
    uint64_t background_checkpoints = 0;
    uint64_t writer_checkpoints = 0;
    double wait_seconds = 0;
  };

  virtual ~Database() = default;

  // Runs job in the next write transaction and blocks until that is committed or failed.
  virtual Outcome write(Job job) = 0;
  virtual Snapshot read() = 0;
  // Copies a consistent snapshot of the whole store into a new file (kindband-admin backup).
  virtual bool backup(const std::string& destination, std::string* error) = 0;
  // Removes erased bytes from the engine's logs now (after setup or a restore). True when done.
  virtual bool purge_logs() = 0;
  // Whether this instance can reach a database it may write to now (GET /readyz). The embedded
  // SQLite file is always there; a PostgreSQL store asks its primary.
  virtual bool writable_primary_reachable() { return true; }
  // Finishes queued writes; later writes fail.
  virtual void stop() = 0;
  virtual WriterStats stats() const { return {}; }

  // What a caller answers after write(): the job's own verdict, unless the transaction failed, or
  // a verdict that only holds once committed (e.g. "created") was rolled back; then `failed`.
  template <typename Verdict>
  static Verdict settle(Outcome result, Verdict verdict, Verdict failed,
                        std::initializer_list<Verdict> must_commit = {}) {
    if (result == Outcome::kFailed) return failed;
    if (result == Outcome::kRolledBack &&
        std::find(must_commit.begin(), must_commit.end(), verdict) != must_commit.end()) {
      return failed;
    }
    return verdict;
  }

 protected:
  virtual void release(Tx* tx) = 0;
};

// Opens the store at location: a file path (SQLite; created with the current schema when missing,
// older schemas migrated) or a `postgresql://` URL (libpq's URL form, also with several hosts and
// target_session_attrs=read-write; the schema is created when missing). A server built without
// libpq refuses the URL. On failure returns null with error ("<location>: what").
std::unique_ptr<Database> open_database(const std::string& location, std::string* error);
// True when location names a PostgreSQL database rather than a SQLite file.
bool is_database_url(const std::string& location);

// Makes a new store at destination from a backup file that Database::backup wrote (kindband-admin
// restore), without opening it; open_database then brings it to the current schema.
bool copy_backup(const std::string& backup, const std::string& destination, std::string* error);

// How many rows of one table export_to_postgres copied.
struct TableCopied {
  std::string table;
  int64_t rows = 0;
};
// Runs on the target inside the export's transaction, after every row is copied; false (with
// error) rolls the whole export back.
using ExportCheck = std::function<bool(Tx* target, std::string* error)>;

// kindband-admin export-to-postgres: copies every table of source (a store whose server is
// stopped) into the PostgreSQL database at target, in ONE transaction: rows as they are (sealed
// values stay sealed), identity sequences set past the highest id, then check() on the target.
// The target must be empty (no rows in any table of its schema but the schema version); its schema
// is made or completed in the same transaction. All or nothing: on failure nothing is stored and
// error says where ("<table>, row N: what").
bool export_to_postgres(Database* source, const std::string& target, const ExportCheck& check,
                        std::vector<TableCopied>* copied, std::string* error);

// kindband-admin migrate --application-role ROLE: run as the database's owner, makes ROLE (a login
// role, when missing) the one the servers connect as: it may read and write every table but may
// not UPDATE, DELETE or TRUNCATE audit_log, and owns nothing (so it cannot drop the append-only
// triggers either). Also for tables a later migrate adds (default privileges).
bool set_up_application_role(const std::string& location, const std::string& role,
                             std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_DATABASE_H_
