// The audit log (NEN 7513): who did what to which share, when and from where. Append-only (SQLite
// triggers refuse UPDATE/DELETE) and hash-chained: each row stores the SHA-256 of its predecessor's
// hash plus its own fields, so changing, removing or inserting a row breaks the chain
// (verify_audit_chain). Appends must run inside the caller's write transaction, so the event and
// the change it records commit together or not at all.
#ifndef KINDBAND_SERVER_AUDIT_LOG_H_
#define KINDBAND_SERVER_AUDIT_LOG_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "database.h"

namespace kindband::server {

struct AuditEvent {
  std::string actor;           // username, "parent" (receipt holder) or "admin:<os user>"
  std::string role;            // professional's role, "parent" or "admin"
  std::string organisation;    // organisation slug ("" when none)
  std::string action;          // e.g. "login", "login_failed", "inbox_view", "share_read"
  std::string share_id;        // "" when the event concerns no single share
  std::string address;         // remote address, "" for local admin commands
  std::string detail;          // short machine-readable detail, never share content
  std::string family_id = "";  // the family concerned ("" when none): the parents' access log
};

// Appends event with the current time. Must be called inside a write transaction on db.
bool append_audit(Tx* db, const AuditEvent& event, std::string* error);

struct AuditVerification {
  bool ok = false;
  int64_t rows = 0;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // what is wrong at first_bad_seq
  std::string head_hash;      // hash of the last row: record it elsewhere to detect truncation
};

// Recomputes the whole chain.
AuditVerification verify_audit_chain(Tx* db);

// Writes every row as one JSON object per line (JSON Lines), oldest first. Returns rows written,
// or -1 on a database error.
int64_t export_audit_log(Tx* db, std::ostream& out);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_AUDIT_LOG_H_
