// Several server instances on one database must hold the same key file: receipts made by one are
// checked by another, and an Idempotency-Key hashed by one is found by another. The database keeps
// a fingerprint of the keys (meta.key_check), a keyed hash that reveals nothing of them; an
// instance started with another key file refuses to start instead of answering differently.
#ifndef KINDBAND_SERVER_STORE_KEY_CHECK_H_
#define KINDBAND_SERVER_STORE_KEY_CHECK_H_

#include <string>

#include "database.h"
#include "key_file.h"

namespace kindband::server {

// Records the keys' fingerprint when the database has none, else compares. A key file whose
// previous_receipt_keys hold the recorded receipt key (a rotation) is recorded in its place. False
// with error when they differ or the database cannot be read (db must be in a write transaction).
bool check_same_keys(Tx* db, const ServerKeys& keys, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_KEY_CHECK_H_
