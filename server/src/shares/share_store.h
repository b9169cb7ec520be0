// Stored shares: create (idempotent by share id), status and withdrawal for the parent holding the
// receipt, and the organisation's inbox for its professionals. Every change and every read of a
// share by a professional runs through the GroupCommitWriter together with its audit row, and the
// caller hears back only after that transaction is durably committed: no acknowledgement without
// a stored share, no read without an audit row.
#ifndef KINDBAND_SERVER_SHARE_STORE_H_
#define KINDBAND_SERVER_SHARE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "audit_log.h"
#include "database.h"
#include "group_commit_writer.h"
#include "sessions.h"
#include "share_validation.h"

namespace kindband::server {

// Who is asking, for the audit log.
struct Requester {
  std::string address;
};

class ShareStore {
 public:
  // receipt_key makes receipts (HMAC of the share id); body_key makes the idempotency hash of a
  // body. Both are secrets kept in the database's meta table.
  ShareStore(GroupCommitWriter* writer, ReadPool* reads, std::string receipt_key,
             std::string body_key)
      : writer_(writer),
        reads_(reads),
        receipt_key_(std::move(receipt_key)),
        body_key_(std::move(body_key)) {}

  enum class CreateOutcome {
    kCreated,    // stored now (201)
    kDuplicate,  // the same share was stored before (200, same receipt)
    kConflict,   // the id is taken by a different share (409)
    kWithdrawn,  // the id belongs to a share the parent withdrew (410)
    kFailed,     // not stored (503)
  };
  CreateOutcome create(const ValidatedShare& share, int64_t organisation_id,
                       const std::string& address);

  // The secret receipt for a share id, and its check (constant time).
  std::string receipt_for(const std::string& share_id) const;
  bool receipt_matches(const std::string& share_id, const std::string& token) const;

  struct Status {
    int64_t organisation_id = 0;
    std::string status;  // received | seen | withdrawn
    std::optional<std::string> seen_by_role;
  };
  // Reads the status; false when no such share.
  bool status(const std::string& share_id, Status* status);

  enum class WithdrawOutcome { kWithdrawn, kNotFound, kFailed };
  // Erases the payload (and everything derived from it) and records the event in the audit log.
  WithdrawOutcome withdraw(const std::string& share_id, const std::string& address);

  // Inbox operations for a logged-in professional. All write an audit row.
  enum class InboxOutcome { kOk, kNotFound, kForbidden, kWithdrawn, kFailed };
  // status_filter: "" (all), "received", "seen" or "withdrawn". out is a JSON array text.
  InboxOutcome list(const Session& session, const std::string& status_filter,
                    const std::string& address, std::string* out);
  // out is the JSON object text of one share with its stored payload.
  InboxOutcome read(const Session& session, const std::string& share_id, const std::string& address,
                    std::string* out);
  InboxOutcome mark_seen(const Session& session, const std::string& share_id,
                         const std::string& note, const std::string& address);

  // Appends an audit row in its own (group-committed) transaction.
  bool audit(const AuditEvent& event);

 private:
  std::string body_hash(const std::string& canonical_json) const;
  // Checks the share belongs to the session's organisation; writes a denial audit row if not.
  InboxOutcome check_access(sqlite3* db, const Session& session, const std::string& share_id,
                            const std::string& action, const std::string& address,
                            std::string* status);

  GroupCommitWriter* writer_;
  ReadPool* reads_;
  std::string receipt_key_;
  std::string body_key_;
};

// The audit event for something a professional did.
AuditEvent professional_event(const Session& session, std::string action, std::string share_id,
                              std::string address, std::string detail = "");

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SHARE_STORE_H_
