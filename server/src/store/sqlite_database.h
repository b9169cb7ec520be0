// The SQLite implementation of the storage seam (database.h): the group-commit writer for writes,
// a pool of WAL read connections for reads (each read one snapshot: BEGIN ... COMMIT), and the
// online backup API for backups.
#ifndef KINDBAND_SERVER_STORE_SQLITE_DATABASE_H_
#define KINDBAND_SERVER_STORE_SQLITE_DATABASE_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "database.h"
#include "sqlite_connection.h"
#include "sqlite_group_commit_writer.h"

namespace kindband::server {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase() = default;
  ~SqliteDatabase() override;

  // Opens (creating or migrating) the file and starts the writer.
  bool open(const std::string& path, std::string* error);

  Outcome write(Job job) override { return writer_.run(std::move(job)); }
  Snapshot read() override;
  bool backup(const std::string& destination, std::string* error) override;
  bool purge_logs() override { return writer_.truncate_wal_now(); }
  void stop() override { writer_.stop(); }
  WriterStats stats() const override { return writer_.stats(); }

 protected:
  void release(Tx* tx) override;

 private:
  struct Reader {
    SqliteConnection connection;
    SqliteTx tx{&connection};
  };
  std::string path_;
  GroupCommitWriter writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Reader>> readers_;  // every read connection opened
  std::vector<Reader*> idle_;
};

// Copies the database file at from into the new file to with SQLite's backup API.
bool sqlite_copy_database(const std::string& from, const std::string& to, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_SQLITE_DATABASE_H_
