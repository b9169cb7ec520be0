#include "sqlite_database.h"

#include <unistd.h>

#include <chrono>
#include <thread>

namespace kindband::server {

SqliteDatabase::~SqliteDatabase() { writer_.stop(); }

bool SqliteDatabase::open(const std::string& path, std::string* error) {
  path_ = path;
  return writer_.start(path, error);
}

Database::Snapshot SqliteDatabase::read() {
  Reader* reader = nullptr;
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_.empty()) {
      reader = idle_.back();
      idle_.pop_back();
    }
  }
  if (!reader) {
    auto fresh = std::make_unique<Reader>();
    std::string error;
    if (!fresh->connection.open(path_, &error)) return Snapshot(this, nullptr);
    reader = fresh.get();
    std::lock_guard<std::mutex> lock(readers_mutex_);
    readers_.push_back(std::move(fresh));
  }
  // One snapshot for the whole read: WAL readers never block the writer.
  std::string error;
  if (!reader->connection.exec("BEGIN", &error)) {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    idle_.push_back(reader);
    return Snapshot(this, nullptr);
  }
  return Snapshot(this, &reader->tx);
}

void SqliteDatabase::release(Tx* tx) {
  auto* sqlite_tx = static_cast<SqliteTx*>(tx);
  sqlite_tx->connection()->exec("COMMIT");
  std::lock_guard<std::mutex> lock(readers_mutex_);
  for (const auto& reader : readers_) {
    if (&reader->tx == sqlite_tx) {
      idle_.push_back(reader.get());
      return;
    }
  }
}

namespace {
// Copies every page of source into dest, waiting while a writer holds a lock.
bool copy_pages(sqlite3* source, sqlite3* dest, std::string* error, const std::string& where) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (!backup) {
    *error = where + ": " + sqlite3_errmsg(dest);
    return false;
  }
  int rc;
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    *error = where + ": backup failed: " + sqlite3_errmsg(dest);
    return false;
  }
  return true;
}
}  // namespace

bool SqliteDatabase::backup(const std::string& destination, std::string* error) {
  sqlite3* dest = nullptr;
  if (sqlite3_open(destination.c_str(), &dest) != SQLITE_OK) {
    *error = destination + ": " + (dest ? sqlite3_errmsg(dest) : "out of memory");
    sqlite3_close(dest);
    return false;
  }
  // The backup API copies a consistent snapshot page by page while the server keeps writing.
  SqliteConnection source;
  bool ok = source.open(path_, error) && copy_pages(source.handle(), dest, error, destination);
  sqlite3_close(dest);
  if (!ok) unlink(destination.c_str());
  return ok;
}

bool sqlite_copy_database(const std::string& from, const std::string& to, std::string* error) {
  sqlite3* source = nullptr;
  sqlite3* dest = nullptr;
  bool ok = sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
            sqlite3_open(to.c_str(), &dest) == SQLITE_OK;
  if (ok) {
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
    ok = backup && sqlite3_backup_step(backup, -1) == SQLITE_DONE;
    if (backup) sqlite3_backup_finish(backup);
  }
  if (!ok)
    *error = from + ": cannot be read as a database: " + sqlite3_errmsg(dest ? dest : source);
  sqlite3_close(source);
  sqlite3_close(dest);
  return ok;
}

}  // namespace kindband::server
