#include "group_commit_writer.h"

#include <cstdio>
#include <exception>

namespace kindband::server {
namespace {
// Large enough that one fsync serves a burst; small enough to keep one transaction short.
constexpr size_t kMaxBatch = 512;
}  // namespace

GroupCommitWriter::~GroupCommitWriter() { stop(); }

bool GroupCommitWriter::start(const std::string& database_path, std::string* error) {
  if (!connection_.open(database_path, error)) return false;
  running_ = true;
  thread_ = std::thread([this] { loop(); });
  return true;
}

void GroupCommitWriter::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  work_ready_.notify_all();
  thread_.join();
  running_ = false;
}

GroupCommitWriter::Outcome GroupCommitWriter::run(Job job) {
  Pending pending;
  pending.job = std::move(job);
  std::unique_lock<std::mutex> lock(mutex_);
  if (!running_ || stopping_) return Outcome::kFailed;
  queue_.push_back(&pending);
  work_ready_.notify_one();
  work_done_.wait(lock, [&] { return pending.done; });
  return pending.outcome;
}

uint64_t GroupCommitWriter::commit_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return commits_;
}

uint64_t GroupCommitWriter::job_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_;
}

void GroupCommitWriter::loop() {
  for (;;) {
    std::deque<Pending*> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    run_batch(batch);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (Pending* pending : batch) pending->done = true;
      ++commits_;
      jobs_ += batch.size();
    }
    work_done_.notify_all();
  }
}

void GroupCommitWriter::run_batch(std::deque<Pending*>& batch) {
  std::string error;
  // IMMEDIATE takes the write lock now, so kindband-admin (another process) waits its turn instead
  // of failing mid-transaction.
  if (!connection_.exec("BEGIN IMMEDIATE", &error)) {
    std::fprintf(stderr, "kindband-server: cannot begin transaction: %s\n", error.c_str());
    for (Pending* pending : batch) pending->outcome = Outcome::kFailed;
    return;
  }
  for (Pending* pending : batch) {
    connection_.exec("SAVEPOINT job");
    bool keep = false;
    bool threw = false;
    try {
      keep = pending->job(connection_.handle());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kindband-server: write job failed: %s\n", e.what());
      threw = true;
    }
    if (!keep) connection_.exec("ROLLBACK TO job");
    connection_.exec("RELEASE job");
    pending->outcome =
        threw ? Outcome::kFailed : (keep ? Outcome::kCommitted : Outcome::kRolledBack);
  }
  if (!connection_.exec("COMMIT", &error)) {
    std::fprintf(stderr, "kindband-server: commit failed: %s\n", error.c_str());
    connection_.exec("ROLLBACK");
    for (Pending* pending : batch) pending->outcome = Outcome::kFailed;
  }
  if (wal_truncate_requested_) {
    wal_truncate_requested_ = false;
    // Best effort: a long-running reader can make this return SQLITE_BUSY; the next withdrawal
    // (or the regular checkpoints) will catch up.
    connection_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
}

}  // namespace kindband::server
