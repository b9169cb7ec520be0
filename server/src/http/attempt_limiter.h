// Counts wrong codes (pairing, recovery, invitation) per client address in a sliding window, so a
// short code typed by a person cannot be guessed by trying: after `limit` failures within `window`
// an address is refused until the oldest failure ages out. Memory is bounded (oldest addresses are
// forgotten first past max_addresses).
#ifndef KINDBAND_SERVER_HTTP_ATTEMPT_LIMITER_H_
#define KINDBAND_SERVER_HTTP_ATTEMPT_LIMITER_H_

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kindband::server {

class AttemptLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  AttemptLimiter(int limit = 10, std::chrono::seconds window = std::chrono::minutes(15),
                 size_t max_addresses = 100000)
      : limit_(limit), window_(window), max_addresses_(max_addresses) {}

  // Seconds until this address may try again; 0 when it may try now.
  int retry_after(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = failures_.find(address);
    if (it == failures_.end()) return 0;
    prune(it->second, Clock::now());
    if (static_cast<int>(it->second.size()) < limit_) return 0;
    auto wait = std::chrono::duration_cast<std::chrono::seconds>(it->second.front() + window_ -
                                                                 Clock::now());
    return static_cast<int>(std::max<int64_t>(1, wait.count()));
  }

  void record_failure(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failures_.size() >= max_addresses_ && !failures_.count(address)) failures_.clear();
    auto& times = failures_[address];
    prune(times, Clock::now());
    times.push_back(Clock::now());
  }

 private:
  void prune(std::deque<Clock::time_point>& times, Clock::time_point now) {
    while (!times.empty() && times.front() + window_ <= now) times.pop_front();
  }

  int limit_;
  std::chrono::seconds window_;
  size_t max_addresses_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_ATTEMPT_LIMITER_H_
