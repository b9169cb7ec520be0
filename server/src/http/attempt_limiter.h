// Counts failed attempts (wrong codes, wrong passwords) per key in a sliding window, so a secret
// typed by a person cannot be guessed by trying: after `limit` failures within `window` a key is
// refused until the oldest failure ages out. An attempt is reserved (counted as a failure) before
// its secret is checked and released when it turned out right, so parallel requests cannot all
// pass the check before any of them is counted. The server's limiters count in the database
// (share_through an AttemptStore, issue 27), so that attempts spread over several instances count
// together; without a store they count in memory, bounded (past max_keys the state is dropped,
// which only ever lets attempts through, never refuses one wrongly).
#ifndef KINDBAND_SERVER_HTTP_ATTEMPT_LIMITER_H_
#define KINDBAND_SERVER_HTTP_ATTEMPT_LIMITER_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attempt_store.h"

namespace kindband::server {

class AttemptLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  AttemptLimiter(int limit = 10, std::chrono::seconds window = std::chrono::minutes(15),
                 size_t max_keys = 100000)
      : limit_(limit), window_(window), max_keys_(max_keys) {}

  // Counts in store under name from now on (set at start, before any request).
  void share_through(AttemptStore* store, std::string name) {
    store_ = store;
    name_ = std::move(name);
  }

  // Seconds until key may try again; 0 when it may try now. Counts nothing.
  int retry_after(const std::string& key) {
    if (store_) return store_->retry_after(name_, key, limit_, window_ms());
    std::lock_guard<std::mutex> lock(mutex_);
    return wait_locked(key, Clock::now());
  }

  // Counts one attempt for key as a failure unless the limit is reached: 0 when reserved (call
  // release() if the attempt turns out right), else the seconds until key may try again.
  int reserve(const std::string& key) {
    if (store_) return store_->reserve(name_, key, limit_, window_ms());
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    const int wait = wait_locked(key, now);
    if (wait > 0) return wait;
    if (failures_.size() >= max_keys_ && !failures_.count(key)) failures_.clear();
    failures_[key].push_back(now);
    return 0;
  }

  // Takes back one reservation of key (the attempt was right, or never checked).
  void release(const std::string& key) {
    if (store_) return store_->release(name_, key);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = failures_.find(key);
    if (it == failures_.end() || it->second.empty()) return;
    it->second.pop_back();
    if (it->second.empty()) failures_.erase(it);
  }

  // Counts a failure without a reservation (for attempts that are checked anyway).
  void record_failure(const std::string& key) {
    if (store_) return store_->record_failure(name_, key, window_ms());
    std::lock_guard<std::mutex> lock(mutex_);
    if (failures_.size() >= max_keys_ && !failures_.count(key)) failures_.clear();
    auto& times = failures_[key];
    prune(times, Clock::now());
    times.push_back(Clock::now());
  }

  int limit() const { return limit_; }
  std::chrono::seconds window() const { return window_; }

 private:
  int64_t window_ms() const { return static_cast<int64_t>(window_.count()) * 1000; }
  int wait_locked(const std::string& key, Clock::time_point now) {
    auto it = failures_.find(key);
    if (it == failures_.end()) return 0;
    prune(it->second, now);
    if (static_cast<int>(it->second.size()) < limit_) return 0;
    auto wait =
        std::chrono::duration_cast<std::chrono::seconds>(it->second.front() + window_ - now);
    return static_cast<int>(std::max<int64_t>(1, wait.count()));
  }

  void prune(std::deque<Clock::time_point>& times, Clock::time_point now) {
    while (!times.empty() && times.front() + window_ <= now) times.pop_front();
  }

  int limit_;
  std::chrono::seconds window_;
  size_t max_keys_;
  AttemptStore* store_ = nullptr;
  std::string name_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

// One attempt reserved in several limiters at once (e.g. per address and server-wide): either all
// reserve or none does. The reservations stand (the attempt counts as a failure) unless
// succeeded() is called; a request that ends before its secret was checked calls succeeded() too.
class ReservedAttempt {
 public:
  ReservedAttempt() = default;
  ReservedAttempt(const ReservedAttempt&) = delete;
  ReservedAttempt& operator=(const ReservedAttempt&) = delete;
  ~ReservedAttempt() = default;

  // Reserves in limiter under key; false (with *wait set) when it refused, and then every
  // reservation made so far by this attempt is released.
  bool reserve(AttemptLimiter& limiter, const std::string& key, int* wait) {
    *wait = limiter.reserve(key);
    if (*wait > 0) {
      succeeded();
      return false;
    }
    held_.push_back({&limiter, key});
    return true;
  }

  // The attempt was right (or not a guess): its reservations are taken back.
  void succeeded() {
    for (auto& [limiter, key] : held_) limiter->release(key);
    held_.clear();
  }

 private:
  std::vector<std::pair<AttemptLimiter*, std::string>> held_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_ATTEMPT_LIMITER_H_
