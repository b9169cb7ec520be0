// The single writer of the store. Request threads hand it jobs; it runs every job waiting at that
// moment inside ONE transaction (each job in its own savepoint), commits with synchronous=FULL and
// only then wakes the request threads. One fsync then acknowledges many shares (group commit).
// As soon as a commit returns, the next batch starts with everything that queued up meanwhile, so
// the disk is never idle while work waits, and batches grow with the load by themselves.
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

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "database.h"
#include "sqlite_connection.h"

namespace kindband::server {

class GroupCommitWriter {
 public:
  using Job = Database::Job;
  using Outcome = Database::Outcome;
  using Stats = Database::WriterStats;

  GroupCommitWriter() = default;
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Opens the writer's own connection and starts the thread.
  bool start(const std::string& database_path, std::string* error);
  // Finishes queued jobs and stops the thread.
  void stop();

  // Runs job in the next batch and blocks until that batch is committed or failed.
  Outcome run(Job job);

  // Checkpoints and truncates the WAL now (after setup or a restore); true when it is empty.
  bool truncate_wal_now();

  // Where the writer's time went, for the benchmark (printed by the server when it stops).
  Stats stats() const;
  // Number of commits and jobs so far.
  uint64_t commit_count() const { return stats().commits; }
  uint64_t job_count() const { return stats().jobs; }

 private:
  // One waiting job. Its waiter sleeps on its own mutex and condition, so waking a batch does not
  // make all its waiters queue for the writer's mutex.
  struct Pending {
    Job job;
    Outcome outcome = Outcome::kFailed;
    std::chrono::steady_clock::time_point queued;
    std::mutex mutex;
    std::condition_variable woken;
    bool done = false;  // guarded by mutex
  };
  void loop();
  void run_batch(std::deque<Pending*>& batch);
  // SQLite's WAL hook on the writer connection, called after each commit with the WAL's size.
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);
  void checkpoint_loop();
  // PRAGMA wal_checkpoint(TRUNCATE) with short waits; true when the WAL is now empty.
  static bool truncate_wal(sqlite3* db);

  SqliteConnection connection_;
  SqliteTx tx_{&connection_};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  bool running_ = false;
  Stats stats_;

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
