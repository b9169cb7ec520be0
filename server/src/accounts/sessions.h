// Login sessions of professionals, kept in memory only: a restart logs everyone out, and no
// session token is ever written to disk. A session ends after `idle` without requests, after
// `absolute` since login, or at logout.
#ifndef KINDBAND_SERVER_SESSIONS_H_
#define KINDBAND_SERVER_SESSIONS_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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
  using Clock = std::chrono::steady_clock;
  SessionStore(std::chrono::seconds idle, std::chrono::seconds absolute)
      : idle_(idle), absolute_(absolute) {}

  // Starts a session; returns its secret token (for the cookie).
  std::string create(const Session& session);
  // The live session for token, refreshing its idle timer; nullopt when unknown or expired
  // (an expired session is removed).
  std::optional<Session> touch(const std::string& token);
  void remove(const std::string& token);
  // Ends every session of a professional (account disabled, password reset).
  void remove_professional(int64_t professional_id);

 private:
  struct Entry {
    Session session;
    Clock::time_point created;
    Clock::time_point last_used;
  };
  void purge_expired_locked(Clock::time_point now);

  std::chrono::seconds idle_;
  std::chrono::seconds absolute_;
  std::mutex mutex_;
  // Keyed by SHA-256 of the token, so a memory dump does not hand out live tokens directly.
  std::unordered_map<std::string, Entry> sessions_;
  Clock::time_point last_purge_{};
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SESSIONS_H_
