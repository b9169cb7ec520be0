#include "attempt_store.h"

#include <algorithm>

#include "text_util.h"

namespace kindband::server {
namespace {

// Seconds from now until the oldest of the window's attempts ages out, when there are limit of
// them; 0 otherwise. Drops attempts older than the window first (db in a write job), or only
// looks (a read).
int wait_seconds(Tx* db, const std::string& limiter, const std::string& hash, int limit,
                 int64_t window_ms, int64_t now, bool* failed) {
  Statement count(db,
                  "SELECT COUNT(*), COALESCE(MIN(at_ms), 0) FROM attempts WHERE limiter = ?1 AND "
                  "key_hash = ?2 AND at_ms > ?3");
  count.bind(1, limiter).bind(2, hash).bind(3, now - window_ms);
  if (!count.step()) {
    *failed = true;
    return 1;
  }
  if (count.integer(0) < limit) return 0;
  const int64_t wait_ms = count.integer(1) + window_ms - now;
  return static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000));
}

bool forget_old(Tx* db, const std::string& limiter, const std::string& hash, int64_t window_ms,
                int64_t now) {
  Statement old(db, "DELETE FROM attempts WHERE limiter = ? AND key_hash = ? AND at_ms <= ?");
  old.bind(1, limiter).bind(2, hash).bind(3, now - window_ms);
  return old.run();
}

bool insert_attempt(Tx* db, const std::string& limiter, const std::string& hash, int64_t now) {
  Statement add(db, "INSERT INTO attempts(limiter, key_hash, at_ms) VALUES(?, ?, ?)");
  add.bind(1, limiter).bind(2, hash).bind(3, now);
  return add.run();
}

}  // namespace

int AttemptStore::retry_after(const std::string& limiter, const std::string& key, int limit,
                              int64_t window_ms) {
  Database::Snapshot read = database_->read();
  if (!read.tx()) return 1;
  bool failed = false;
  return wait_seconds(read.tx(), limiter, sha256_hex(key), limit, window_ms, unix_now_millis(),
                      &failed);
}

int AttemptStore::reserve(const std::string& limiter, const std::string& key, int limit,
                          int64_t window_ms) {
  const std::string hash = sha256_hex(key);
  int wait = 1;
  const auto outcome = database_->write([&](Tx* db) {
    const int64_t now = unix_now_millis();  // inside the writer: one order for all instances
    bool failed = false;
    if (!forget_old(db, limiter, hash, window_ms, now)) return false;
    wait = wait_seconds(db, limiter, hash, limit, window_ms, now, &failed);
    if (failed) return false;
    return wait > 0 || insert_attempt(db, limiter, hash, now);
  });
  return outcome == Database::Outcome::kCommitted ? wait : 1;
}

void AttemptStore::release(const std::string& limiter, const std::string& key) {
  const std::string hash = sha256_hex(key);
  database_->write([&](Tx* db) {
    Statement newest(db,
                     "DELETE FROM attempts WHERE id = (SELECT MAX(id) FROM attempts WHERE "
                     "limiter = ? AND key_hash = ?)");
    newest.bind(1, limiter).bind(2, hash);
    return newest.run();
  });
}

void AttemptStore::record_failure(const std::string& limiter, const std::string& key,
                                  int64_t window_ms) {
  const std::string hash = sha256_hex(key);
  database_->write([&](Tx* db) {
    const int64_t now = unix_now_millis();
    return forget_old(db, limiter, hash, window_ms, now) && insert_attempt(db, limiter, hash, now);
  });
}

}  // namespace kindband::server
