// An organisation's share budget (issue 22), counted in the database inside each share's own write
// job, so that every server instance on one database counts the same shares (issue 27) and no
// extra commit is spent on it. Past the budget a share is stored quarantined, never refused.
#ifndef KINDBAND_SERVER_SHARES_SHARE_BUDGET_H_
#define KINDBAND_SERVER_SHARES_SHARE_BUDGET_H_

#include <cstdint>

#include "database.h"

namespace kindband::server {

// Counts one share for organisation_id (db in the share's write job) and tells whether it came past
// `per_minute` shares in the last minute (this minute's count plus the previous minute's, weighted
// by how much of it is still within the last 60 s). False with *failed set on a database error;
// per_minute <= 0: no budget.
bool over_share_budget(Tx* db, int64_t organisation_id, int per_minute, int64_t now_ms,
                       bool* failed);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SHARES_SHARE_BUDGET_H_
