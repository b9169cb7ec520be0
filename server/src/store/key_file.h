// The server's secret keys live in their own file, not in the database: a copy of the database
// (a backup, an export, a stolen disk image of the data folder) must not be enough to make receipts
// and withdraw any parent's share. The file is JSON, readable by the server's user only (0600):
//   {"receipt_key": "<64 hex>", "body_key": "<64 hex>", "previous_receipt_keys": ["<64 hex>"]}
// Rotation (docs/deployment.md): move receipt_key into previous_receipt_keys, put a fresh one in
// its place, restart. New shares get receipts under the new key; old receipts keep working.
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
};

// Loads the keys from path. When the file is missing it is created (0600, written and synced
// before it is renamed into place) with the keys an older database kept in its meta table, or
// fresh ones. Keys still in the meta table afterwards are deleted from it (db must be in a write
// transaction). Returns false with "<path>: what" on failure.
bool load_server_keys(const std::string& path, Tx* db, ServerKeys* keys, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_STORE_KEY_FILE_H_
