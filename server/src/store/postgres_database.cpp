#include "postgres_database.h"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "schema.h"
#include "writer_timing.h"

namespace kindband::server {
namespace {

// Large enough that one commit serves a burst; small enough that the lock, which every instance's
// writer waits for, is held briefly.
constexpr size_t kPostgresMaxBatch = 64;
// Read connections per instance; a read waits for a free one past this.
constexpr size_t kMaxReaders = 16;
constexpr auto kReaderWait = std::chrono::seconds(30);
// pg_advisory_xact_lock keys: the writers of all instances, and the schema set-up.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(7202602701)";
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7202602702)";

using Clock = std::chrono::steady_clock;

// The URL without a password, for messages.
std::string printable(const std::string& conninfo) {
  const size_t scheme = conninfo.find("://");
  const size_t at = conninfo.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return conninfo;
  return conninfo.substr(0, scheme + 3) + "…" + conninfo.substr(at);
}

// The first column of the first row of sql ("" when there is none); false on error.
bool query_one(PostgresConnection& connection, const char* sql, std::string* value) {
  PGresult* result = PQexec(connection.handle(), sql);
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
  *value = ok && PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  return ok;
}

bool set_up_schema(PostgresConnection& connection, std::string* error) {
  std::string what;
  if (!connection.exec("BEGIN", &what) || !connection.exec(kSchemaLock, &what)) {
    *error = what;
    return false;
  }
  // A store made by a newer server is not ours to change.
  int found = 0;
  std::string value;
  if (query_one(connection, "SELECT to_regclass('meta') IS NOT NULL", &value) && value == "t" &&
      query_one(connection, "SELECT value FROM meta WHERE key = 'schema_version'", &value)) {
    found = std::atoi(value.c_str());
  }
  if (found > schema_version()) {
    connection.exec("ROLLBACK");
    *error = "the database has schema version " + std::to_string(found) +
             "; this server knows up to " + std::to_string(schema_version());
    return false;
  }
  if (!connection.exec(postgres_schema(), &what) ||
      !connection.exec("INSERT INTO meta(key, value) VALUES('schema_version', '" +
                           std::to_string(schema_version()) +
                           "') ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       &what) ||
      !connection.exec_expecting("COMMIT", "COMMIT", &what)) {
    connection.exec("ROLLBACK");
    *error = "cannot set up the schema: " + what;
    return false;
  }
  return true;
}

}  // namespace

PostgresDatabase::~PostgresDatabase() { stop(); }

bool PostgresDatabase::open(const std::string& conninfo, std::string* error) {
  conninfo_ = conninfo;
  std::string what;
  if (!writer_connection_.open(conninfo, &what) || !set_up_schema(writer_connection_, &what)) {
    *error = printable(conninfo) + ": " + what;
    return false;
  }
  running_ = true;
  thread_ = std::thread([this] { loop(); });
  return true;
}

void PostgresDatabase::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  work_ready_.notify_all();
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  running_ = false;
}

Database::Outcome PostgresDatabase::write(Job job) {
  Pending pending;
  pending.job = std::move(job);
  pending.queued = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_ || stopping_) return Outcome::kFailed;
    queue_.push_back(&pending);
  }
  work_ready_.notify_one();
  std::unique_lock<std::mutex> lock(pending.mutex);
  pending.woken.wait(lock, [&] { return pending.done; });
  return pending.outcome;
}

Database::WriterStats PostgresDatabase::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void PostgresDatabase::loop() {
  for (;;) {
    std::deque<Pending*> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) break;
      while (!queue_.empty() && batch.size() < kPostgresMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    run_batch(batch);
    const auto now = Clock::now();
    double waited = 0;
    for (Pending* pending : batch)
      waited += std::chrono::duration<double>(now - pending->queued).count();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.commits;
      stats_.jobs += batch.size();
      stats_.largest_batch = std::max<uint64_t>(stats_.largest_batch, batch.size());
      stats_.wait_seconds += waited;
    }
    for (Pending* pending : batch) {
      std::lock_guard<std::mutex> lock(pending->mutex);
      pending->done = true;
      pending->woken.notify_one();
    }
  }
  writer_connection_.close();
}

void PostgresDatabase::run_batch(std::deque<Pending*>& batch) {
  for (Pending* pending : batch) pending->outcome = Outcome::kFailed;
  std::string error;
  // After a lost connection (a restart, a failover): connect again, to whichever host of the
  // connection string is now the writable primary.
  if (!writer_connection_.healthy() && !writer_connection_.open(conninfo_, &error)) {
    std::fprintf(stderr, "kindband-server: the database cannot be reached: %s\n", error.c_str());
    return;
  }
  const auto jobs_start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  // The lock first: every statement after it sees what other instances committed before it.
  if (!writer_connection_.exec("BEGIN", &error) || !writer_connection_.exec(kWriterLock, &error)) {
    std::fprintf(stderr, "kindband-server: cannot begin transaction: %s\n", error.c_str());
    writer_connection_.exec("ROLLBACK");
    return;
  }
  std::vector<Outcome> outcomes;
  for (Pending* pending : batch) {
    if (!writer_connection_.exec("SAVEPOINT job", &error)) break;
    bool keep = false;
    bool failed = false;
    try {
      keep = pending->job(&writer_tx_);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kindband-server: write job failed: %s\n", e.what());
      failed = true;
    }
    // A statement that failed ended the transaction in PostgreSQL (not in SQLite): the job's
    // changes go, whatever it answered, and it is told so.
    if (writer_connection_.in_failed_transaction()) {
      if (keep) {
        std::fprintf(stderr, "kindband-server: write job kept a failed statement: %s\n",
                     writer_connection_.last_error().c_str());
      }
      failed = failed || keep;
      keep = false;
    }
    if (!keep && !writer_connection_.exec("ROLLBACK TO SAVEPOINT job", &error)) break;
    if (!writer_connection_.exec("RELEASE SAVEPOINT job", &error)) break;
    outcomes.push_back(failed ? Outcome::kFailed
                              : (keep ? Outcome::kCommitted : Outcome::kRolledBack));
  }
  const double job_seconds = seconds_since(jobs_start);
  const double job_cpu_seconds = thread_cpu_seconds() - cpu_start;
  const auto commit_start = Clock::now();
  if (outcomes.size() != batch.size()) {
    std::fprintf(stderr, "kindband-server: write batch failed: %s\n", error.c_str());
    writer_connection_.exec("ROLLBACK");
  } else if (!writer_connection_.exec_expecting("COMMIT", "COMMIT", &error)) {
    // Also when the connection broke during COMMIT: the outcome is unknown, so nothing is
    // acknowledged; a retry finds the row by its id or Idempotency-Key.
    std::fprintf(stderr, "kindband-server: commit failed: %s\n", error.c_str());
    writer_connection_.exec("ROLLBACK");
  } else {
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->outcome = outcomes[i];
  }
  const double commit_seconds = seconds_since(commit_start);
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.job_seconds += job_seconds;
  stats_.job_cpu_seconds += job_cpu_seconds;
  stats_.commit_seconds += commit_seconds;
  stats_.slowest_commit_seconds = std::max(stats_.slowest_commit_seconds, commit_seconds);
}

Database::Snapshot PostgresDatabase::read() {
  for (int attempt = 0; attempt < 2; ++attempt) {
    Reader* reader = nullptr;
    bool open_new = false;
    {
      std::unique_lock<std::mutex> lock(readers_mutex_);
      if (!reader_free_.wait_for(lock, kReaderWait,
                                 [&] { return !idle_.empty() || readers_.size() < kMaxReaders; })) {
        return Snapshot(this, nullptr);
      }
      if (!idle_.empty()) {
        reader = idle_.back();
        idle_.pop_back();
      } else {
        readers_.push_back(std::make_unique<Reader>());
        reader = readers_.back().get();
        open_new = true;
      }
    }
    std::string error;
    bool ok =
        (!open_new && reader->connection.healthy()) || reader->connection.open(conninfo_, &error);
    // One snapshot for the whole read, and no writes through it.
    ok = ok && reader->connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", &error);
    if (ok) return Snapshot(this, &reader->tx);
    reader->connection.close();
    std::lock_guard<std::mutex> lock(readers_mutex_);
    idle_.push_back(reader);
    reader_free_.notify_one();
  }
  return Snapshot(this, nullptr);
}

void PostgresDatabase::release(Tx* tx) {
  auto* postgres_tx = static_cast<PostgresTx*>(tx);
  PostgresConnection* connection = postgres_tx->connection();
  if (connection->healthy() && !connection->exec("COMMIT")) connection->close();
  std::lock_guard<std::mutex> lock(readers_mutex_);
  for (const auto& reader : readers_) {
    if (&reader->tx == postgres_tx) {
      idle_.push_back(reader.get());
      reader_free_.notify_one();
      return;
    }
  }
}

bool PostgresDatabase::backup(const std::string&, std::string* error) {
  *error = printable(conninfo_) +
           ": a PostgreSQL store is backed up with pg_basebackup or pgBackRest "
           "(docs/deployment.md), not with kindband-admin backup";
  return false;
}

bool PostgresDatabase::writable_primary_reachable() {
  // A connection of its own: the answer must not wait behind the writer's batch.
  PostgresConnection probe;
  std::string error;
  if (!probe.open(conninfo_, &error)) return false;
  PGresult* result = PQexec(probe.handle(), "SELECT pg_is_in_recovery()");
  const bool primary = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1 &&
                       std::string(PQgetvalue(result, 0, 0)) == "f";
  PQclear(result);
  return primary;
}

}  // namespace kindband::server
