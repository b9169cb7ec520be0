#include "batching_writer.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <vector>

namespace kindband::server {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace

BatchingWriter::~BatchingWriter() { stop(); }

void BatchingWriter::start(Engine* engine) {
  engine_ = engine;
  running_ = true;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void BatchingWriter::stop() {
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

BatchingWriter::Outcome BatchingWriter::run(Job job) {
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

BatchingWriter::Stats BatchingWriter::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void BatchingWriter::update_stats(const std::function<void(Stats&)>& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  change(stats_);
}

void BatchingWriter::loop() {
  for (;;) {
    std::deque<Pending*> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) break;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    run_batch(batch);
    engine_->after_batch();
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
    // Wake exactly this batch's waiters. Notify under the waiter's lock: once it can take that
    // lock it returns and destroys its Pending.
    for (Pending* pending : batch) {
      std::lock_guard<std::mutex> lock(pending->mutex);
      pending->done = true;
      pending->woken.notify_one();
    }
  }
  engine_->stopped();
}

bool BatchingWriter::run_job(Pending* pending, std::string* error) {
  if (!engine_->exec("SAVEPOINT job", error)) return false;
  bool keep = false;
  bool failed = false;
  try {
    keep = pending->job(engine_->tx());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kindband-server: write job failed: %s\n", e.what());
    failed = true;
  }
  // A statement that ended the transaction (PostgreSQL, not SQLite): the job's changes go,
  // whatever it answered, and it is told so.
  if (engine_->statement_failed()) {
    if (keep) {
      std::fprintf(stderr, "kindband-server: write job kept a failed statement: %s\n",
                   engine_->tx()->last_error().c_str());
    }
    failed = failed || keep;
    keep = false;
  }
  if (!keep && !engine_->exec("ROLLBACK TO SAVEPOINT job", error)) return false;
  if (!engine_->exec("RELEASE SAVEPOINT job", error)) return false;
  pending->outcome =
      failed ? Outcome::kFailed : (keep ? Outcome::kCommitted : Outcome::kRolledBack);
  return true;
}

void BatchingWriter::run_batch(std::deque<Pending*>& batch) {
  for (Pending* pending : batch) pending->outcome = Outcome::kFailed;
  std::string error;
  const auto jobs_start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  if (!engine_->begin(&error)) {
    std::fprintf(stderr, "kindband-server: cannot begin transaction: %s\n", error.c_str());
    return;
  }
  std::vector<Outcome> outcomes;
  bool whole = true;
  for (Pending* pending : batch) {
    if (!run_job(pending, &error)) {
      whole = false;
      break;
    }
    outcomes.push_back(pending->outcome);
    pending->outcome = Outcome::kFailed;  // until the commit holds
  }
  const double job_seconds = seconds_since(jobs_start);
  const double job_cpu_seconds = thread_cpu_seconds() - cpu_start;
  const auto commit_start = Clock::now();
  if (!whole) {
    std::fprintf(stderr, "kindband-server: write batch failed: %s\n", error.c_str());
    engine_->rollback();
  } else if (!engine_->commit(&error)) {
    // Also when the connection broke during COMMIT: the outcome is unknown, so nothing is
    // acknowledged; a retry finds the row by its id or Idempotency-Key.
    std::fprintf(stderr, "kindband-server: commit failed: %s\n", error.c_str());
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

}  // namespace kindband::server
