// Idempotency-Key on the POSTs that create a row (docs/share-api.md, "Retries"): a client that did
// not hear back (a dropped connection, a timeout) sends the same request again with the same key,
// and the server answers as it did the first time instead of making a second message, agreement,
// comment, triage, referral or invitation. The key is remembered in the same transaction as the
// row it made, so "made" and "remembered" are one fact. Nothing of the request's content is kept:
// only a keyed hash of it, to tell a retry from a different request that reuses the key.
#ifndef KINDBAND_SERVER_NETWORK_IDEMPOTENCY_H_
#define KINDBAND_SERVER_NETWORK_IDEMPOTENCY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "database.h"

namespace kindband::server {

struct IdempotencyKey {
  std::string scope;         // who sent it: "professional:<id>" or "parent:<family>:<role>"
  std::string key;           // the Idempotency-Key header ("" when none was sent)
  std::string request_hash;  // keyed hash of method, path and body
  std::string seed;          // keyed hash of scope and key: what the first request derived
  std::string family_id;     // the family the row belongs to ("" when none): erased with it
  bool present() const { return !key.empty(); }
};

// "" when the header value is usable as a key (1-128 visible ASCII characters), else what is wrong.
std::string check_idempotency_key(std::string_view value);

enum class KeyUse {
  kNew,       // not seen: create, then remember_idempotency_key
  kReplay,    // the same request made *row_id before: answer as then
  kMismatch,  // the key was used for a different request (422)
  kFailed,
};
// Looks the key up inside the caller's write job. Without a key: kNew.
KeyUse find_idempotency_key(Tx* db, const IdempotencyKey& key, std::string_view kind,
                            int64_t* row_id);
// Remembers the key for the row just made (no-op without a key). Inside the same write job.
bool remember_idempotency_key(Tx* db, const IdempotencyKey& key, std::string_view kind,
                              int64_t row_id);
// The family's keys go with the family's erasure; a parent's own with that parent's.
bool erase_idempotency_keys(Tx* db, const std::string& family_id);
bool erase_parent_idempotency_keys(Tx* db, const std::string& family_id, const std::string& role);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_IDEMPOTENCY_H_
