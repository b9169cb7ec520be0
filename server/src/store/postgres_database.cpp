#include "postgres_database.h"

#include <cstdio>

#include "schema.h"

namespace kindband::server {
namespace {

// Read connections per instance; a read waits for a free one past this.
constexpr size_t kMaxReaders = 16;
constexpr auto kReaderWait = std::chrono::seconds(30);
// pg_advisory_xact_lock keys: the writers of all instances, and the schema set-up.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(7202602701)";
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7202602702)";

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
  if (!connection.exec("BEGIN", &what) || !postgres_create_or_complete_schema(connection, &what) ||
      !connection.exec_expecting("COMMIT", "COMMIT", &what)) {
    connection.exec("ROLLBACK");
    *error = what;
    return false;
  }
  return true;
}

}  // namespace

const char* postgres_writer_lock() { return kWriterLock; }

bool postgres_create_or_complete_schema(PostgresConnection& connection, std::string* error) {
  std::string what;
  if (!connection.exec(kSchemaLock, &what)) {
    *error = what;
    return false;
  }
  // A store made by a newer server is not ours to change.
  int found = 0;
  std::string value;
  const bool exists =
      query_one(connection, "SELECT to_regclass('meta') IS NOT NULL", &value) && value == "t";
  if (exists &&
      query_one(connection, "SELECT value FROM meta WHERE key = 'schema_version'", &value)) {
    found = std::atoi(value.c_str());
  }
  if (found > schema_version()) {
    *error = "the database has schema version " + std::to_string(found) +
             "; this server knows up to " + std::to_string(schema_version());
    return false;
  }
  // The application role of a deployment (kindband-admin migrate --application-role) owns no
  // table and may not change the schema: a current schema is used as it is, an older one waits
  // for the owner's migrate.
  std::string owner = "t";
  if (exists && !query_one(connection,
                           "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                           "WHERE oid = 'meta'::regclass",
                           &owner)) {
    *error = "cannot read the owner of the tables: " + connection.last_error();
    return false;
  }
  if (owner != "t") {
    if (found == schema_version()) return true;
    *error = "the database is at schema version " + std::to_string(found) + ", this server needs " +
             std::to_string(schema_version()) +
             ", and this role does not own the tables: run kindband-admin migrate as the "
             "database's owner role (docs/deployment.md)";
    return false;
  }
  if (!connection.exec(postgres_schema(), &what) ||
      !connection.exec("INSERT INTO meta(key, value) VALUES('schema_version', '" +
                           std::to_string(schema_version()) +
                           "') ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       &what)) {
    *error = "cannot set up the schema: " + what;
    return false;
  }
  return true;
}

PostgresDatabase::~PostgresDatabase() { stop(); }

bool PostgresDatabase::open(const std::string& conninfo, std::string* error) {
  conninfo_ = conninfo;
  std::string what;
  if (!writer_connection_.open(conninfo, &what) || !set_up_schema(writer_connection_, &what)) {
    *error = printable(conninfo) + ": " + what;
    return false;
  }
  writer_.start(this);
  return true;
}

void PostgresDatabase::stop() { writer_.stop(); }

Database::Outcome PostgresDatabase::write(Job job) { return writer_.run(std::move(job)); }

Database::WriterStats PostgresDatabase::stats() const { return writer_.stats(); }

bool PostgresDatabase::begin(std::string* error) {
  // After a lost connection (a restart, a failover): connect again, to whichever host of the
  // connection string is now the writable primary.
  if (!writer_connection_.healthy() && !writer_connection_.open(conninfo_, error)) {
    *error = "the database cannot be reached: " + *error;
    return false;
  }
  // The lock first: every statement after it sees what other instances committed before it.
  if (!writer_connection_.exec("BEGIN", error) || !writer_connection_.exec(kWriterLock, error)) {
    writer_connection_.exec("ROLLBACK");
    return false;
  }
  return true;
}

bool PostgresDatabase::commit(std::string* error) {
  if (writer_connection_.exec_expecting("COMMIT", "COMMIT", error)) return true;
  writer_connection_.exec("ROLLBACK");
  return false;
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
