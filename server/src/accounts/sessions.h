// Login sessions of professionals, kept in the database so that every server instance on it
// answers any request (issue 27): a session made on one works on another, and logout on any ends
// it. Only the SHA-256 of a session token is stored, never the token (the cookie is the only
// copy). A session ends after `idle` without requests, after `absolute` since login, or at logout.
#ifndef KINDBAND_SERVER_SESSIONS_H_
#define KINDBAND_SERVER_SESSIONS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "database.h"

namespace kindband::server {

struct Session {
  int64_t professional_id = 0;
  std::string username;
  std::string role;
  int64_t organisation_id = 0;
  std::string organisation_slug;
  int64_t created_unix_ms = 0;  // login time (wall clock, ms): sessions older than a reset end
};

class SessionStore {
 public:
  SessionStore(std::chrono::seconds idle, std::chrono::seconds absolute)
      : idle_ms_(idle.count() * 1000), absolute_ms_(absolute.count() * 1000) {}
  // The database the sessions live in (set once at start, before any request).
  void attach(Database* database) { database_ = database; }

  // Starts a session; returns its secret token (for the cookie), "" when it could not be stored.
  std::string create(const Session& session);
  // The live session for token, refreshing its idle timer; nullopt when unknown or expired
  // (an expired session is removed). The last use is written at most every refresh interval
  // (a tenth of the idle time, at most a minute), not on every request.
  std::optional<Session> touch(const std::string& token, bool* unavailable = nullptr);
  void remove(const std::string& token);
  // Ends every session of a professional (account disabled, password reset).
  void remove_professional(int64_t professional_id);

 private:
  Database* database_ = nullptr;
  int64_t idle_ms_;
  int64_t absolute_ms_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SESSIONS_H_
