#include "sqlite_group_commit_writer.h"

#include <chrono>
#include <cstdio>

namespace kindband::server {
namespace {
// WAL size (in pages) from which the background checkpointer is asked to run (SQLite's own
// autocheckpoint default), and from which the writer checkpoints itself because the
// checkpointer is behind (about 40 MB of WAL with 4 KB pages).
constexpr int kCheckpointFrames = 1000;
constexpr int kWriterCheckpointFrames = 10000;

using Clock = std::chrono::steady_clock;
}  // namespace

GroupCommitWriter::~GroupCommitWriter() { stop(); }

bool GroupCommitWriter::start(const std::string& database_path, std::string* error) {
  if (!connection_.open(database_path, error)) return false;
  if (!checkpoint_connection_.open(database_path, error)) return false;
  // Replaces SQLite's autocheckpoint on this connection (see on_wal_commit).
  sqlite3_wal_hook(connection_.handle(), &GroupCommitWriter::on_wal_commit, this);
  checkpoint_stopping_ = false;
  writer_.start(this);
  checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
  return true;
}

void GroupCommitWriter::stop() {
  writer_.stop();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    checkpoint_stopping_ = true;
  }
  checkpoint_wanted_.notify_all();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
}

int GroupCommitWriter::on_wal_commit(void* self, sqlite3* db, const char*, int frames) {
  auto* writer = static_cast<GroupCommitWriter*>(self);
  if (frames >= kWriterCheckpointFrames) {
    // What SQLite's autocheckpoint would do, at a larger mark: bounds the WAL. Most frames are
    // already copied by the checkpointer, so this copies little; afterwards the WAL restarts.
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    writer->writer_.update_stats([](Stats& stats) { ++stats.writer_checkpoints; });
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
      writer_.update_stats([](Stats& stats) { ++stats.background_checkpoints; });
      checkpointed_frames_ = copied_frames;
    }
  }
}

bool GroupCommitWriter::begin(std::string* error) {
  // IMMEDIATE takes the write lock now, so kindband-admin (another process) waits its turn instead
  // of failing mid-transaction.
  return connection_.exec("BEGIN IMMEDIATE", error);
}

bool GroupCommitWriter::exec(const char* sql, std::string* error) {
  // Through the statement cache: SAVEPOINT and friends run per job.
  Statement statement(&tx_, sql);
  if (statement.run()) return true;
  if (error) *error = tx_.last_error();
  return false;
}

bool GroupCommitWriter::commit(std::string* error) {
  if (connection_.exec("COMMIT", error)) return true;
  connection_.exec("ROLLBACK");
  return false;
}

void GroupCommitWriter::rollback() { connection_.exec("ROLLBACK"); }

void GroupCommitWriter::after_batch() {
  if (!tx_.take_purge_request()) return;
  // Wait for a running background checkpoint: SQLite would answer SQLITE_BUSY at once instead of
  // waiting for the checkpoint lock, and the erased pages would stay in the WAL.
  std::lock_guard<std::mutex> running(checkpoint_running_);
  if (!truncate_wal(connection_.handle())) {
    // A reader (a backup, an export, a long request) holds a snapshot that still needs the erased
    // pages: the checkpoint thread retries until they are gone.
    std::lock_guard<std::mutex> lock(mutex_);
    truncate_pending_ = true;
    checkpoint_wanted_.notify_one();
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
