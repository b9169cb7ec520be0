// The single writer of a SQLite store: the engine-neutral batching writer (batching_writer.h: every
// job waiting at that moment in ONE transaction, each in its own savepoint, the waiters woken after
// the commit) on its own connection, committing with synchronous=FULL. One fsync then acknowledges
// many shares (group commit), and the disk is never idle while work waits.
//
// WAL checkpoints (copying committed pages into the database file, with its own fsyncs) run on a
// second thread and connection, beside the commits, instead of inside whichever COMMIT crossed
// SQLite's autocheckpoint mark (that COMMIT used to take 50-150 ms and every share queued behind
// it). Durability is unchanged: both connections use synchronous=FULL, and a checkpoint syncs the
// database file before the WAL may be reused. If the checkpointer falls behind, the writer
// checkpoints itself once the WAL passes a larger mark, so the WAL stays bounded.
#ifndef KINDBAND_SERVER_STORE_SQLITE_GROUP_COMMIT_WRITER_H_
#define KINDBAND_SERVER_STORE_SQLITE_GROUP_COMMIT_WRITER_H_

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "batching_writer.h"
#include "database.h"
#include "sqlite_connection.h"

namespace kindband::server {

class GroupCommitWriter final : private BatchingWriter::Engine {
 public:
  using Job = Database::Job;
  using Outcome = Database::Outcome;
  using Stats = Database::WriterStats;

  GroupCommitWriter() = default;
  ~GroupCommitWriter() override;
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Opens the writer's own connection and starts the thread.
  bool start(const std::string& database_path, std::string* error);
  // Finishes queued jobs and stops the thread.
  void stop();

  // Runs job in the next batch and blocks until that batch is committed or failed.
  Outcome run(Job job) { return writer_.run(std::move(job)); }

  // Checkpoints and truncates the WAL now (after setup or a restore); true when it is empty.
  bool truncate_wal_now();

  // Where the writer's time went, for the benchmark (printed by the server when it stops).
  Stats stats() const { return writer_.stats(); }
  // Number of commits and jobs so far.
  uint64_t commit_count() const { return stats().commits; }
  uint64_t job_count() const { return stats().jobs; }

 private:
  // BatchingWriter::Engine, on the writer's thread.
  bool begin(std::string* error) override;
  Tx* tx() override { return &tx_; }
  bool exec(const char* sql, std::string* error) override;
  bool commit(std::string* error) override;
  void rollback() override;
  void after_batch() override;

  // SQLite's WAL hook on the writer connection, called after each commit with the WAL's size.
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);
  void checkpoint_loop();
  // PRAGMA wal_checkpoint(TRUNCATE) with short waits; true when the WAL is now empty.
  static bool truncate_wal(sqlite3* db);

  SqliteConnection connection_;
  SqliteTx tx_{&connection_};
  // Large enough that one fsync serves a burst; small enough to keep one transaction short.
  static constexpr size_t kMaxBatch = 512;
  // Declared after the connection it writes through: stopped (destroyed) before it closes.
  BatchingWriter writer_{kMaxBatch};
  std::mutex mutex_;  // guards the checkpoint state below

  SqliteConnection checkpoint_connection_;
  std::thread checkpoint_thread_;
  std::condition_variable checkpoint_wanted_;  // with mutex_
  bool checkpoint_requested_ = false;
  bool checkpoint_stopping_ = false;
  bool truncate_pending_ = false;  // with mutex_: erased data may still be in the WAL
  int checkpointed_frames_ = 0;    // WAL frames copied by the last background checkpoint
  std::mutex checkpoint_running_;  // held while the checkpointer runs one checkpoint
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_SQLITE_GROUP_COMMIT_WRITER_H_
