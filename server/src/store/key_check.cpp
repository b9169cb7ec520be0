#include "key_check.h"

#include <sodium.h>

namespace kindband::server {

namespace {
// BLAKE2b of a fixed text under each key: the same keys give the same fingerprint.
std::string fingerprint(const std::string& receipt_key, const std::string& body_key) {
  std::string out;
  for (const std::string* key : {&receipt_key, &body_key}) {
    unsigned char hash[16];
    static const char kText[] = "kindband key check";
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(kText),
                       sizeof kText - 1, reinterpret_cast<const unsigned char*>(key->data()),
                       key->size());
    char hex[sizeof hash * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    out += hex;
  }
  return out;
}
}  // namespace

bool check_same_keys(Tx* db, const ServerKeys& keys, std::string* error) {
  const std::string mine = fingerprint(keys.receipt_key, keys.body_key);
  Statement record(db,
                   "INSERT INTO meta(key, value) VALUES('key_check', ?) ON CONFLICT DO NOTHING");
  record.bind(1, mine);
  Statement stored(db, "SELECT value FROM meta WHERE key = 'key_check'");
  if (!record.run() || !stored.step()) {
    *error = "cannot check the key file against the database: " + db->last_error();
    return false;
  }
  const std::string found = stored.text(0);
  if (found == mine) return true;
  // A rotated receipt key (docs/deployment.md): the file the database knows, with its receipt key
  // moved into previous_receipt_keys. The database now knows the new file; an instance that still
  // has the old one is refused from here on.
  for (const std::string& previous : keys.previous_receipt_keys) {
    if (fingerprint(previous, keys.body_key) != found) continue;
    Statement update(db, "UPDATE meta SET value = ? WHERE key = 'key_check'");
    update.bind(1, mine);
    if (!update.run()) {
      *error = "cannot record the rotated receipt key: " + db->last_error();
      return false;
    }
    return true;
  }
  *error =
      "the key file is not the one this database was set up with: every instance needs the "
      "same key file (docs/deployment.md)";
  return false;
}

}  // namespace kindband::server
