// Failed attempts at a secret (a password, a pairing, recovery or invitation code), counted in the
// database so that every server instance on it counts the same attempts (issue 27): guesses spread
// over instances are counted together. One row per attempt in a sliding window; keys (usernames,
// addresses, device ids) are stored as SHA-256 hashes. Each call is one write job, so a count and
// the reservation after it are one step for all instances (the writer is serialised).
#ifndef KINDBAND_SERVER_ACCOUNTS_ATTEMPT_STORE_H_
#define KINDBAND_SERVER_ACCOUNTS_ATTEMPT_STORE_H_

#include <cstdint>
#include <string>

#include "database.h"

namespace kindband::server {

class AttemptStore {
 public:
  explicit AttemptStore(Database* database) : database_(database) {}

  // Seconds until key may try again under limiter (limit attempts per window_ms); 0 when now.
  int retry_after(const std::string& limiter, const std::string& key, int limit, int64_t window_ms);
  // Counts one attempt unless the limit is reached: 0 when counted, else the seconds to wait
  // (also 1 when the database cannot be reached: a secret is not checked uncounted).
  int reserve(const std::string& limiter, const std::string& key, int limit, int64_t window_ms);
  // Takes back the newest attempt of key (it was right, or never checked).
  void release(const std::string& limiter, const std::string& key);
  // Counts an attempt whatever the count.
  void record_failure(const std::string& limiter, const std::string& key, int64_t window_ms);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_ACCOUNTS_ATTEMPT_STORE_H_
