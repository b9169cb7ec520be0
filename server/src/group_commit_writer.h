// The single writer of the store. Request threads hand it jobs; it runs every job waiting at that
// moment inside ONE transaction (each job in its own savepoint), commits with synchronous=FULL and
// only then wakes the request threads. One fsync then acknowledges many shares (group commit).
#ifndef KINDBAND_SERVER_GROUP_COMMIT_WRITER_H_
#define KINDBAND_SERVER_GROUP_COMMIT_WRITER_H_

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <functional>
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

  // Called from inside a job: after this batch commits, checkpoint the WAL and truncate it, so
  // pages holding erased (withdrawn) payloads do not linger in the -wal file.
  void request_wal_truncate() { wal_truncate_requested_ = true; }

  // Number of commits and jobs so far (for the benchmark / health output).
  uint64_t commit_count() const;
  uint64_t job_count() const;

 private:
  struct Pending {
    Job job;
    Outcome outcome = Outcome::kFailed;
    bool done = false;
  };
  void loop();
  void run_batch(std::deque<Pending*>& batch);

  Connection connection_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  bool wal_truncate_requested_ = false;  // touched only on the writer thread
  bool running_ = false;
  uint64_t commits_ = 0;
  uint64_t jobs_ = 0;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_GROUP_COMMIT_WRITER_H_
