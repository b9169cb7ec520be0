#include "sessions.h"

#include <algorithm>

#include "text_util.h"

namespace kindband::server {

std::string SessionStore::create(const Session& session) {
  const std::string token = random_token(32);
  const std::string hash = sha256_hex(token);
  const int64_t now = unix_now_millis();
  const auto outcome = database_->write([&](Tx* db) {
    // Expired sessions go as new ones come: the table holds live sessions only.
    Statement expired(db, "DELETE FROM sessions WHERE last_used_ms <= ?1 OR created_ms <= ?2");
    expired.bind(1, now - idle_ms_).bind(2, now - absolute_ms_);
    Statement insert(db,
                     "INSERT INTO sessions(token_hash, professional_id, username, role, "
                     "organisation_id, organisation_slug, created_ms, last_used_ms) "
                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, hash)
        .bind(2, session.professional_id)
        .bind(3, session.username)
        .bind(4, session.role)
        .bind(5, session.organisation_id)
        .bind(6, session.organisation_slug)
        .bind(7, now)
        .bind(8, now);
    return expired.run() && insert.run();
  });
  return outcome == Database::Outcome::kCommitted ? token : "";
}

std::optional<Session> SessionStore::touch(const std::string& token, bool* unavailable) {
  if (token.size() != 64) return std::nullopt;
  const std::string hash = sha256_hex(token);
  const int64_t now = unix_now_millis();
  Session session;
  int64_t created_ms = 0;
  int64_t last_used_ms = 0;
  {
    Database::Snapshot read = database_->read();
    if (!read.tx()) {
      if (unavailable) *unavailable = true;
      return std::nullopt;
    }
    Statement row(read.tx(),
                  "SELECT professional_id, username, role, organisation_id, organisation_slug, "
                  "created_ms, last_used_ms FROM sessions WHERE token_hash = ?");
    row.bind(1, hash);
    if (!row.step()) {
      if (unavailable) *unavailable = row.failed() || read.tx()->connection_lost();
      return std::nullopt;
    }
    session.professional_id = row.integer(0);
    session.username = row.text(1);
    session.role = row.text(2);
    session.organisation_id = row.integer(3);
    session.organisation_slug = row.text(4);
    created_ms = row.integer(5);
    last_used_ms = row.integer(6);
    session.created_unix_ms = created_ms;
  }
  if (now - last_used_ms >= idle_ms_ || now - created_ms >= absolute_ms_) {
    remove(token);
    return std::nullopt;
  }
  const int64_t refresh_ms = std::min<int64_t>(60000, idle_ms_ / 10);
  if (now - last_used_ms >= refresh_ms) {
    database_->write([&](Tx* db) {
      Statement used(db,
                     "UPDATE sessions SET last_used_ms = ?1 WHERE token_hash = ?2 AND "
                     "last_used_ms < ?1");
      used.bind(1, now).bind(2, hash);
      return used.run();
    });
  }
  return session;
}

void SessionStore::remove(const std::string& token) {
  const std::string hash = sha256_hex(token);
  database_->write([&](Tx* db) {
    Statement gone(db, "DELETE FROM sessions WHERE token_hash = ?");
    gone.bind(1, hash);
    return gone.run();
  });
}

void SessionStore::remove_professional(int64_t professional_id) {
  database_->write([&](Tx* db) {
    Statement gone(db, "DELETE FROM sessions WHERE professional_id = ?");
    gone.bind(1, professional_id);
    return gone.run();
  });
}

}  // namespace kindband::server
