#include "sessions.h"

#include "text_util.h"

namespace kindband::server {

std::string SessionStore::create(const Session& session) {
  std::string token = random_token(32);
  auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  purge_expired_locked(now);
  sessions_[sha256_hex(token)] = Entry{session, now, now};
  return token;
}

std::optional<Session> SessionStore::touch(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  std::string key = sha256_hex(token);
  auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_used >= idle_ || now - it->second.created >= absolute_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second.session;
}

void SessionStore::remove(const std::string& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(sha256_hex(token));
}

void SessionStore::remove_professional(int64_t professional_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.session.professional_id == professional_id ? sessions_.erase(it) : ++it;
  }
}

void SessionStore::purge_expired_locked(Clock::time_point now) {
  // Bounded memory: drop expired sessions at most once a minute.
  if (now - last_purge_ < std::chrono::minutes(1)) return;
  last_purge_ = now;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    bool expired = now - it->second.last_used >= idle_ || now - it->second.created >= absolute_;
    it = expired ? sessions_.erase(it) : ++it;
  }
}

}  // namespace kindband::server
