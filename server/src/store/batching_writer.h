// The single writer of a store, for both engines. Request threads hand it jobs; its thread runs
// every job waiting at that moment (up to a maximum) inside ONE transaction, each job in its own
// savepoint, commits, and only then wakes the request threads: one durable commit acknowledges
// many jobs (group commit). As soon as a commit returns, the next batch starts with everything that
// queued up meanwhile, so batches grow with the load by themselves.
//
// The engine (SQLite, PostgreSQL) says how a batch begins and commits and how a savepoint is
// taken; what a job's outcome is, the waiting and waking, and the statistics are the same for both.
#ifndef KINDBAND_SERVER_STORE_BATCHING_WRITER_H_
#define KINDBAND_SERVER_STORE_BATCHING_WRITER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "database.h"

namespace kindband::server {

class BatchingWriter {
 public:
  using Job = Database::Job;
  using Outcome = Database::Outcome;
  using Stats = Database::WriterStats;

  // What an engine does for the writer; called on the writer's thread only.
  class Engine {
   public:
    virtual ~Engine() = default;
    // Starts the batch's transaction; false (with *error) fails every job of the batch.
    virtual bool begin(std::string* error) = 0;
    // The transaction the jobs run in.
    virtual Tx* tx() = 0;
    // Runs sql (SAVEPOINT, ROLLBACK TO, RELEASE) in the transaction.
    virtual bool exec(const char* sql, std::string* error) = 0;
    // True when a statement failed in a way that ends the transaction (PostgreSQL), so that the
    // job's changes must go whatever the job answered.
    virtual bool statement_failed() { return false; }
    // Commits; false (with *error) when that failed or its outcome is unknown. The engine has
    // then rolled back.
    virtual bool commit(std::string* error) = 0;
    // Rolls back a batch that did not reach its commit.
    virtual void rollback() = 0;
    // After each batch, committed or not (SQLite: WAL truncation after an erasure).
    virtual void after_batch() {}
    // When the writer stops, on its thread (PostgreSQL: closes the connection).
    virtual void stopped() {}
  };

  explicit BatchingWriter(size_t max_batch) : max_batch_(max_batch) {}
  ~BatchingWriter();
  BatchingWriter(const BatchingWriter&) = delete;
  BatchingWriter& operator=(const BatchingWriter&) = delete;

  // Starts the thread; engine must outlive stop().
  void start(Engine* engine);
  // Finishes queued jobs and stops the thread.
  void stop();

  // Runs job in the next batch and blocks until that batch is committed or failed.
  Outcome run(Job job);

  Stats stats() const;
  // Changes the statistics under the writer's lock (an engine's own counters).
  void update_stats(const std::function<void(Stats&)>& change);

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
  // Runs one job in its own savepoint; false when a savepoint step failed (the batch fails).
  bool run_job(Pending* pending, std::string* error);

  const size_t max_batch_;
  Engine* engine_ = nullptr;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  bool running_ = false;
  Stats stats_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_BATCHING_WRITER_H_
