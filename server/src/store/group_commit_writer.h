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
#ifndef KINDBAND_SERVER_GROUP_COMMIT_WRITER_H_
#define KINDBAND_SERVER_GROUP_COMMIT_WRITER_H_

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string>
#include <thread>

#include "database.h"

namespace kindband::server {

class GroupCommitWriter {
 public:
  // A job runs on the writer thread inside a transaction. Return true to keep its changes, false
  // to roll back just its own savepoint (e.g. a conflict it detected). It must not block.
  using Job = std::function<bool(sqlite3* db)>;

  enum class Outcome {
    kCommitted,   // the job returned true and its changes are durably committed
    kRolledBack,  // the job returned false; its changes were discarded
    kFailed,      // the transaction could not be committed (or the job threw): nothing is stored
  };

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

  // What a caller answers after run(): the job's own verdict, unless the transaction failed, or a
  // verdict that only holds once committed (e.g. "created") was rolled back; then `failed`.
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

  // Called from inside a job: after this batch commits, checkpoint the WAL and truncate it, so
  // pages holding erased (withdrawn) payloads do not linger in the -wal file.
  void request_wal_truncate() { wal_truncate_requested_ = true; }

  // Where the writer's time went, for the benchmark (printed by the server when it stops).
  struct Stats {
    uint64_t commits = 0;
    uint64_t jobs = 0;
    uint64_t largest_batch = 0;
    double job_seconds = 0;             // wall time running jobs (SQL, hashing) inside transactions
    double job_cpu_seconds = 0;         // CPU time of the writer thread for the same
    double commit_seconds = 0;          // wall time in COMMIT: writing the WAL and its fsync
    double slowest_commit_seconds = 0;  // e.g. a COMMIT that had to checkpoint the WAL itself
    uint64_t background_checkpoints = 0;
    uint64_t writer_checkpoints = 0;  // checkpoints the writer ran itself (checkpointer behind)
    double wait_seconds = 0;          // summed over jobs: from run() to the end of its commit
  };
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

  Connection connection_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  bool wal_truncate_requested_ = false;  // touched only on the writer thread
  bool running_ = false;
  Stats stats_;

  Connection checkpoint_connection_;
  std::thread checkpoint_thread_;
  std::condition_variable checkpoint_wanted_;  // with mutex_
  bool checkpoint_requested_ = false;
  bool checkpoint_stopping_ = false;
  bool truncate_pending_ = false;  // with mutex_: erased data may still be in the WAL
  int checkpointed_frames_ = 0;    // WAL frames copied by the last background checkpoint
  std::mutex checkpoint_running_;  // held while the checkpointer runs one checkpoint
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_GROUP_COMMIT_WRITER_H_
