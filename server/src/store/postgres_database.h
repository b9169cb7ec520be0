// The PostgreSQL implementation of the storage seam (database.h), for several server instances on
// one replicated database (docs/deployment.md). Per instance: one writer connection whose thread
// runs every job waiting at that moment in ONE transaction (at most 64, each in its own savepoint,
// as the SQLite writer does), after taking a transaction-level advisory lock first, so that the
// writers of all instances take turns: every check-then-act and the audit log's hash chain see
// one order of writes across instances. Commits wait for the WAL flush (synchronous_commit on) and,
// when the cluster names one, for the synchronous standby. Reads use a small pool of connections to
// the primary (never a standby: a parent's key must not work on a lagging copy after erasure), each
// read one REPEATABLE READ READ ONLY snapshot.
#ifndef KINDBAND_SERVER_STORE_POSTGRES_DATABASE_H_
#define KINDBAND_SERVER_STORE_POSTGRES_DATABASE_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "batching_writer.h"
#include "database.h"
#include "postgres_connection.h"

namespace kindband::server {

class PostgresDatabase final : public Database, private BatchingWriter::Engine {
 public:
  PostgresDatabase() = default;
  ~PostgresDatabase() override;

  // Connects, creates or completes the schema (under a lock, so instances may start together)
  // and starts the writer.
  bool open(const std::string& conninfo, std::string* error);

  Outcome write(Job job) override;
  Snapshot read() override;
  // A PostgreSQL store is backed up with PostgreSQL's own tools (pg_basebackup, pgBackRest).
  bool backup(const std::string& destination, std::string* error) override;
  // Erased rows leave the live tables at once; WAL and freed pages are PostgreSQL's to recycle.
  bool purge_logs() override { return true; }
  void stop() override;
  WriterStats stats() const override;
  bool writable_primary_reachable() override;

 protected:
  void release(Tx* tx) override;

 private:
  struct Reader {
    PostgresConnection connection;
    PostgresTx tx{&connection};
  };
  // BatchingWriter::Engine, on the writer's thread.
  bool begin(std::string* error) override;
  Tx* tx() override { return &writer_tx_; }
  bool exec(const char* sql, std::string* error) override {
    return writer_connection_.exec(sql, error);
  }
  bool statement_failed() override { return writer_connection_.in_failed_transaction(); }
  bool commit(std::string* error) override;
  void rollback() override { writer_connection_.exec("ROLLBACK"); }
  void stopped() override { writer_connection_.close(); }

  std::string conninfo_;
  PostgresConnection writer_connection_;
  PostgresTx writer_tx_{&writer_connection_};
  // Large enough that one commit serves a burst; small enough that the lock, which every
  // instance's writer waits for, is held briefly.
  static constexpr size_t kMaxBatch = 64;
  BatchingWriter writer_{kMaxBatch};

  std::mutex readers_mutex_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<Reader>> readers_;  // every read connection open now
  std::vector<Reader*> idle_;
};

// Inside a transaction the caller began: takes the schema lock, then creates or completes the
// schema (a newer one is refused; a role that does not own the tables uses a current schema as it
// is and refuses an older one). False with error, the transaction to be rolled back.
bool postgres_create_or_complete_schema(PostgresConnection& connection, std::string* error);
// The statement every write transaction begins with (one writer across all instances).
const char* postgres_writer_lock();

// export_to_postgres and set_up_application_role (database.h) on PostgreSQL
// (store/postgres_operations.cpp).
bool export_to_postgres_database(Database* source, const std::string& target,
                                 const ExportCheck& check, std::vector<TableCopied>* copied,
                                 std::string* error);
bool set_up_application_role_on(const std::string& location, const std::string& role,
                                std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_POSTGRES_DATABASE_H_
