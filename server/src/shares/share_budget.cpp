#include "share_budget.h"

namespace kindband::server {

bool over_share_budget(Tx* db, int64_t organisation_id, int per_minute, int64_t now_ms,
                       bool* failed) {
  if (per_minute <= 0) return false;
  const int64_t minute = now_ms / 60000;
  Statement count(db,
                  "INSERT INTO share_budget(organisation_id, minute, shares) VALUES(?, ?, 1) "
                  "ON CONFLICT(organisation_id, minute) DO UPDATE SET shares = "
                  "share_budget.shares + 1 RETURNING shares");
  count.bind(1, organisation_id).bind(2, minute);
  if (!count.step()) {
    *failed = true;
    return false;
  }
  const int64_t now_count = count.integer(0);
  count.run();
  Statement old(db, "DELETE FROM share_budget WHERE organisation_id = ? AND minute < ?");
  old.bind(1, organisation_id).bind(2, minute - 1);
  Statement previous(db,
                     "SELECT shares FROM share_budget WHERE organisation_id = ? AND minute = ?");
  previous.bind(1, organisation_id).bind(2, minute - 1);
  if (!old.run()) {
    *failed = true;
    return false;
  }
  const int64_t before = previous.step() ? previous.integer(0) : 0;
  if (previous.failed()) {
    *failed = true;
    return false;
  }
  const int64_t left_of_previous = 60000 - now_ms % 60000;
  return now_count * 60000 + before * left_of_previous > static_cast<int64_t>(per_minute) * 60000;
}

}  // namespace kindband::server
