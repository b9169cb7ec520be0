// The server's secret keys live in their own file, not in the database: a copy of the database
// (a backup, an export, a stolen disk image of the data folder) must not be enough to make receipts
// and withdraw any parent's share. The file is JSON, readable by the server's user only (0600):
//   {"receipt_key": "<64 hex>", "body_key": "<64 hex>", "previous_receipt_keys": ["<64 hex>"],
//    "content_key": "<64 hex>", "previous_content_keys": ["<64 hex>"]}
// Rotation (docs/deployment.md): move receipt_key into previous_receipt_keys, put a fresh one in
// its place, restart. New shares get receipts under the new key; old receipts keep working.
// The content key seals what parents said (sealing.h, docs/envelope.md): without it the database
// holds nothing readable, so the server refuses to start without it or with another one, and
// `kindband-admin rotate-content-key` rotates it.
#ifndef KINDBAND_SERVER_STORE_KEY_FILE_H_
#define KINDBAND_SERVER_STORE_KEY_FILE_H_

#include <string>
#include <vector>

#include "database.h"

namespace kindband::server {

struct ServerKeys {
  std::string receipt_key;
  std::string body_key;
  std::vector<std::string> previous_receipt_keys;
  std::string content_key;  // 64 hex
  std::vector<std::string> previous_content_keys;
};

// Loads the keys from path. When the file is missing it is created (0600, written and synced
// before it is renamed into place) with the keys an older database kept in its meta table, or
// fresh ones. Keys still in the meta table afterwards are deleted from it (db must be in a write
// transaction). A key file without a content key gets one, unless the database says content was
// sealed already (meta content_key_id): then, as when the file is missing or holds another content
// key, nothing is created and loading fails. On success the content keys are installed for this
// process (sealing.h). Returns false with "<path>: what" on failure.
bool load_server_keys(const std::string& path, Tx* db, ServerKeys* keys, std::string* error);

// Writes keys to path as the key file (0600, synced, renamed into place).
bool write_server_keys(const std::string& path, const ServerKeys& keys, std::string* error);

// Marks the database as sealed under key_id (meta content_key_id; rotation moves it on).
bool set_content_key_id(Tx* db, const std::string& key_id);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_KEY_FILE_H_
