// Token buckets per key (a client address, an organisation): `per_minute` requests a minute on
// average, at most `per_minute` at once. Memory is bounded: past max_keys the oldest state is
// dropped (which only ever lets a request through, never refuses one wrongly for long).
#ifndef KINDBAND_SERVER_HTTP_RATE_LIMITER_H_
#define KINDBAND_SERVER_HTTP_RATE_LIMITER_H_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kindband::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(int per_minute, size_t max_keys = 100000)
      : per_minute_(per_minute), max_keys_(max_keys) {}

  // Takes one token for key. Returns 0 when allowed, else the seconds until a token is back.
  int take(const std::string& key) {
    if (per_minute_ <= 0) return 0;
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    if (buckets_.size() >= max_keys_ && !buckets_.count(key)) buckets_.clear();
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{static_cast<double>(per_minute_), now});
    Bucket& bucket = it->second;
    if (!fresh) {
      const double minutes = std::chrono::duration<double>(now - bucket.at).count() / 60.0;
      bucket.tokens = std::min<double>(per_minute_, bucket.tokens + minutes * per_minute_);
      bucket.at = now;
    }
    if (bucket.tokens >= 1.0) {
      bucket.tokens -= 1.0;
      return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) * 60.0 / per_minute_)));
  }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  int per_minute_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_RATE_LIMITER_H_
