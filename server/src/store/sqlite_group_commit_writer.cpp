#include "sqlite_group_commit_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

#include "writer_timing.h"

namespace kindband::server {
namespace {
// Large enough that one fsync serves a burst; small enough to keep one transaction short.
constexpr size_t kSqliteMaxBatch = 512;
// WAL size (in pages) from which the background checkpointer is asked to run (SQLite's own
// autocheckpoint default), and from which the writer checkpoints itself because the
// checkpointer is behind (about 40 MB of WAL with 4 KB pages).
constexpr int kCheckpointFrames = 1000;
constexpr int kWriterCheckpointFrames = 10000;

using Clock = std::chrono::steady_clock;

// Runs SQL without results through the statement cache (SAVEPOINT and friends run per job).
bool run_sql(Tx* tx, const char* sql) { return Statement(tx, sql).run(); }
}  // namespace

GroupCommitWriter::~GroupCommitWriter() { stop(); }

bool GroupCommitWriter::start(const std::string& database_path, std::string* error) {
  if (!connection_.open(database_path, error)) return false;
  if (!checkpoint_connection_.open(database_path, error)) return false;
  // Replaces SQLite's autocheckpoint on this connection (see on_wal_commit).
  sqlite3_wal_hook(connection_.handle(), &GroupCommitWriter::on_wal_commit, this);
  running_ = true;
  checkpoint_stopping_ = false;
  thread_ = std::thread([this] { loop(); });
  checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
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
  {
    std::lock_guard<std::mutex> lock(mutex_);
    checkpoint_stopping_ = true;
  }
  checkpoint_wanted_.notify_all();
  checkpoint_thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  running_ = false;
}

int GroupCommitWriter::on_wal_commit(void* self, sqlite3* db, const char*, int frames) {
  auto* writer = static_cast<GroupCommitWriter*>(self);
  if (frames >= kWriterCheckpointFrames) {
    // What SQLite's autocheckpoint would do, at a larger mark: bounds the WAL. Most frames are
    // already copied by the checkpointer, so this copies little; afterwards the WAL restarts.
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    std::lock_guard<std::mutex> lock(writer->mutex_);
    ++writer->stats_.writer_checkpoints;
    return SQLITE_OK;
  }
  std::lock_guard<std::mutex> lock(writer->mutex_);
  // Fewer frames than were copied means the WAL restarted from the beginning.
  if (frames < writer->checkpointed_frames_) writer->checkpointed_frames_ = 0;
  // Ask for a checkpoint per kCheckpointFrames new frames, not after every commit: each
  // checkpoint costs two fsyncs, which would compete with the commits' own.
  if (frames - writer->checkpointed_frames_ >= kCheckpointFrames &&
      !writer->checkpoint_requested_) {
    writer->checkpoint_requested_ = true;
    writer->checkpoint_wanted_.notify_one();
  }
  return SQLITE_OK;
}

void GroupCommitWriter::checkpoint_loop() {
  auto last_report = Clock::now();
  for (;;) {
    bool truncate = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (truncate_pending_) {
        // Erased data is still in the WAL: try again soon, whatever else happens.
        checkpoint_wanted_.wait_for(lock, std::chrono::milliseconds(250),
                                    [&] { return checkpoint_stopping_; });
      } else {
        checkpoint_wanted_.wait(lock, [&] {
          return checkpoint_requested_ || truncate_pending_ || checkpoint_stopping_;
        });
      }
      if (checkpoint_stopping_) return;
      truncate = truncate_pending_;
    }
    if (truncate) {
      bool done = false;
      {
        std::lock_guard<std::mutex> running(checkpoint_running_);
        done = truncate_wal(checkpoint_connection_.handle());
      }
      std::lock_guard<std::mutex> lock(mutex_);
      if (done) {
        truncate_pending_ = false;
      } else if (Clock::now() - last_report > std::chrono::seconds(10)) {
        last_report = Clock::now();
        std::fprintf(stderr,
                     "kindband-server: erased (withdrawn) data is still in the WAL file: a "
                     "reader holds an old snapshot; retrying the truncating checkpoint\n");
      }
      continue;
    }
    // PASSIVE: copies what no reader still needs, never blocks the writer or readers. Once all
    // frames are copied, the writer's next transaction starts the WAL from the beginning again.
    int log_frames = 0, copied_frames = 0;
    int rc = SQLITE_OK;
    {
      std::lock_guard<std::mutex> running(checkpoint_running_);
      rc = sqlite3_wal_checkpoint_v2(checkpoint_connection_.handle(), nullptr,
                                     SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied_frames);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    checkpoint_requested_ = false;
    if (rc == SQLITE_OK) {
      ++stats_.background_checkpoints;
      checkpointed_frames_ = copied_frames;
    }
  }
}

GroupCommitWriter::Outcome GroupCommitWriter::run(Job job) {
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

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void GroupCommitWriter::loop() {
  for (;;) {
    std::deque<Pending*> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < kSqliteMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    run_batch(batch);
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
}

void GroupCommitWriter::run_batch(std::deque<Pending*>& batch) {
  std::string error;
  const auto jobs_start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  // IMMEDIATE takes the write lock now, so kindband-admin (another process) waits its turn instead
  // of failing mid-transaction.
  if (!connection_.exec("BEGIN IMMEDIATE", &error)) {
    std::fprintf(stderr, "kindband-server: cannot begin transaction: %s\n", error.c_str());
    for (Pending* pending : batch) pending->outcome = Outcome::kFailed;
    return;
  }
  Tx* db = &tx_;
  for (Pending* pending : batch) {
    run_sql(db, "SAVEPOINT job");
    bool keep = false;
    bool threw = false;
    try {
      keep = pending->job(db);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kindband-server: write job failed: %s\n", e.what());
      threw = true;
    }
    if (!keep) run_sql(db, "ROLLBACK TO job");
    run_sql(db, "RELEASE job");
    pending->outcome =
        threw ? Outcome::kFailed : (keep ? Outcome::kCommitted : Outcome::kRolledBack);
  }
  const double job_seconds = seconds_since(jobs_start);
  const double job_cpu_seconds = thread_cpu_seconds() - cpu_start;
  const auto commit_start = Clock::now();
  if (!connection_.exec("COMMIT", &error)) {
    std::fprintf(stderr, "kindband-server: commit failed: %s\n", error.c_str());
    connection_.exec("ROLLBACK");
    for (Pending* pending : batch) pending->outcome = Outcome::kFailed;
  }
  const double commit_seconds = seconds_since(commit_start);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.job_seconds += job_seconds;
    stats_.job_cpu_seconds += job_cpu_seconds;
    stats_.commit_seconds += commit_seconds;
    stats_.slowest_commit_seconds = std::max(stats_.slowest_commit_seconds, commit_seconds);
  }
  if (tx_.take_purge_request()) {
    // Wait for a running background checkpoint: SQLite would answer SQLITE_BUSY at once instead
    // of waiting for the checkpoint lock, and the erased pages would stay in the WAL.
    std::lock_guard<std::mutex> running(checkpoint_running_);
    if (!truncate_wal(connection_.handle())) {
      // A reader (a backup, an export, a long request) holds a snapshot that still needs the
      // erased pages: the checkpoint thread retries until they are gone.
      std::lock_guard<std::mutex> lock(mutex_);
      truncate_pending_ = true;
      checkpoint_wanted_.notify_one();
    }
  }
}

bool GroupCommitWriter::truncate_wal_now() {
  std::lock_guard<std::mutex> running(checkpoint_running_);
  return truncate_wal(checkpoint_connection_.handle());
}

bool GroupCommitWriter::truncate_wal(sqlite3* db) {
  // Short waits only: while a TRUNCATE checkpoint waits for readers it also keeps writers out.
  sqlite3_busy_timeout(db, 100);
  int log_frames = -1, copied = -1;
  const int rc =
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &copied);
  sqlite3_busy_timeout(db, 10000);
  return rc == SQLITE_OK && log_frames == 0;
}

}  // namespace kindband::server
