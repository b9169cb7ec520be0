#include "idempotency.h"

#include "text_util.h"

namespace kindband::server {

std::string check_idempotency_key(std::string_view value) {
  if (value.empty() || value.size() > 128) return "Idempotency-Key: 1 to 128 characters";
  for (char c : value) {
    if (c < 0x21 || c > 0x7e) return "Idempotency-Key: visible ASCII characters only";
  }
  return "";
}

KeyUse find_idempotency_key(Tx* db, const IdempotencyKey& key, std::string_view kind,
                            int64_t* row_id) {
  if (!key.present()) return KeyUse::kNew;
  Statement row(db,
                "SELECT kind, request_hash, row_id FROM request_keys WHERE scope = ? AND "
                "request_key = ?");
  row.bind(1, key.scope).bind(2, key.key);
  if (!row.step()) return row.failed() ? KeyUse::kFailed : KeyUse::kNew;
  if (row.text(0) != kind || !constant_time_equal(row.text(1), key.request_hash)) {
    return KeyUse::kMismatch;
  }
  *row_id = row.integer(2);
  return KeyUse::kReplay;
}

bool remember_idempotency_key(Tx* db, const IdempotencyKey& key, std::string_view kind,
                              int64_t row_id) {
  if (!key.present()) return true;
  Statement insert(db,
                   "INSERT INTO request_keys(scope, request_key, kind, request_hash, row_id, "
                   "family_id, created_at) VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  insert.bind(1, key.scope)
      .bind(2, key.key)
      .bind(3, kind)
      .bind(4, key.request_hash)
      .bind(5, row_id)
      .bind_optional(
          6, key.family_id.empty() ? std::nullopt : std::optional<std::string>(key.family_id))
      .bind(7, utc_timestamp_now());
  // Another job of the same batch took the key first: this one must not make its row.
  return insert.run() && db->changes() == 1;
}

bool erase_idempotency_keys(Tx* db, const std::string& family_id) {
  Statement erase(db, "DELETE FROM request_keys WHERE family_id = ?");
  erase.bind(1, family_id);
  return erase.run();
}

bool erase_parent_idempotency_keys(Tx* db, const std::string& family_id, const std::string& role) {
  Statement erase(db, "DELETE FROM request_keys WHERE scope = ?");
  erase.bind(1, "parent:" + family_id + ":" + role);
  return erase.run();
}

}  // namespace kindband::server
