// Stored shares: create (idempotent by share id), status and withdrawal for the parent holding the
// receipt, and the organisation's inbox for its professionals. Every change and every read of a
// share by a professional runs as one write (database.h) together with its audit row, and the
// caller hears back only after that transaction is durably committed: no acknowledgement without
// a stored share, no read without an audit row.
#ifndef KINDBAND_SERVER_SHARE_STORE_H_
#define KINDBAND_SERVER_SHARE_STORE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit_log.h"
#include "database.h"
#include "key_file.h"
#include "sessions.h"
#include "share_validation.h"

namespace kindband::server {

// The inbox rank of a share as SQL over the shares row `s`: 3 = a safety flag nobody has taken yet,
// 2 = a safety flag, 1 = a positive screen, 0 = other or withdrawn.
constexpr const char* kInboxRankSql =
    "CASE WHEN s.status = 'withdrawn' THEN 0 WHEN s.flag_count > 0 AND s.case_state = 'new' "
    "THEN 3 WHEN s.flag_count > 0 THEN 2 WHEN s.positive = 1 THEN 1 ELSE 0 END";

// Within a rank, who sent it (share_recipients.tier, issue 22): 3 = a family known to the
// organisation (it joined by invitation or referral), 2 = another family (a family key), 1 = an
// anonymous one-off share, 0 = quarantined (arrived when the organisation's budget was spent, or an
// anonymous safety share past its per-source limit). Stored, never refused; ranked below.
constexpr int64_t kTierKnownFamily = 3;
constexpr int64_t kTierFamily = 2;
constexpr int64_t kTierAnonymous = 1;
constexpr int64_t kTierQuarantined = 0;
// The inbox order (share_recipients.rank) is rank * 4 + tier; 0 for junk. So the first page is
// every untaken safety share of a known family, then the other untaken safety shares, and so on.
constexpr int64_t kTiers = 4;
inline int64_t inbox_order(int64_t rank, int64_t tier) { return rank * kTiers + tier; }
// The order of an untaken safety share of any tier is at least this.
constexpr int64_t kUntakenSafetyOrder = 3 * kTiers;

// What a withdrawal or an erasure leaves of a share row: id, organisation, times and status
// (docs/share-api.md). Everything a parent said, everything derived from it (instrument, moment,
// flags), who it came from and any note or name on its case go. ?1 is the time; the caller adds
// the WHERE clause.
constexpr const char* kEraseShareContentSql =
    "UPDATE shares SET status = 'withdrawn', payload = NULL, body_hash = NULL, summary = NULL, "
    "flag_count = NULL, positive = NULL, note = NULL, seen_by_role = NULL, instrument_id = NULL, "
    "moment_stage = NULL, moment_week = NULL, parent_role = NULL, "
    "withdrawn_at = COALESCE(withdrawn_at, ?1), family_id = NULL, case_state = 'closed', "
    "case_close_reason = 'withdrawn', case_close_note = NULL, case_signed_as = NULL, "
    "case_closed_at = COALESCE(case_closed_at, ?1) ";

// Where a share goes: one organisation (a one-off share), or the organisations a family's parent
// picked from the family's active members.
struct ShareRouting {
  int64_t organisation_id = 0;  // one-off share
  std::string family_id;        // linked share: the family, the parent and the recipients
  std::string parent_role;
  std::vector<std::string> recipients;  // organisation slugs
  bool later_members = false;           // may also go to organisations added later
  bool show_to_family = false;          // the other parent may see that it was shared
  // Organisations (slugs) whose share budget was spent when this arrived: stored for them as
  // quarantined, unless the family is known to them (issue 22).
  std::vector<std::string> over_budget;
  bool quarantine_all = false;  // an anonymous safety share past its per-source limit
  // Each recipient organisation's budget (shares a minute, 0 = none), counted in the database in
  // the share's own write job for all instances (share_budget.h); past it as over_budget.
  int organisation_budget_per_minute = 0;
};

// The inbox list's filters and page (docs/care-network.md).
struct InboxQuery {
  std::string status;  // "" (all), received, seen, withdrawn
  bool flagged_only = false;
  bool positive_only = false;
  std::string family_id;
  std::string instrument;
  std::string case_state;  // "" (all), new, in_progress, contacted, closed
  bool junk = false;       // true: only the shares marked as junk (else: none of them)
  int alarm_per_hour = 0;  // the page says "alarm" past this many shares in the last hour
  std::string cursor;      // "" = first page
  int limit = 50;
};
// True when cursor is "" or a cursor this server made.
bool valid_inbox_cursor(const std::string& cursor);

class ShareStore {
 public:
  // keys.receipt_key makes receipts (HMAC of the share id; receipts made under one of
  // keys.previous_receipt_keys stay valid); keys.body_key makes the idempotency hash of a body.
  ShareStore(Database* database, ServerKeys keys) : database_(database), keys_(std::move(keys)) {}

  enum class CreateOutcome {
    kCreated,    // stored now (201)
    kDuplicate,  // the same share was stored before (200, same receipt)
    kConflict,   // the id is taken by a different share (409)
    kWithdrawn,  // the id belongs to a share the parent withdrew (410)
    kNotMember,  // a recipient is not an active member of the family's network (422)
    kFailed,     // not stored (503)
  };
  // not_member names the first recipient that is not an active member (kNotMember).
  CreateOutcome create(const ValidatedShare& share, const ShareRouting& routing,
                       const std::string& address, std::string* not_member = nullptr);

  // The secret receipt for a share id, and its check (constant time).
  std::string receipt_for(const std::string& share_id) const;
  bool receipt_matches(const std::string& share_id, const std::string& token) const;

  struct Status {
    int64_t organisation_id = 0;
    std::string status;  // received | seen | withdrawn
    std::optional<std::string> seen_by_role;
    nlohmann::json case_for_parent;  // {"state","role","organisation_type",...} (case_for_parent)
  };
  // Reads the status; false when no such share.
  bool status(const std::string& share_id, Status* status);

  enum class WithdrawOutcome { kWithdrawn, kNotFound, kFailed };
  // Erases the payload (and everything derived from it) and records the event in the audit log.
  WithdrawOutcome withdraw(const std::string& share_id, const std::string& address);

  // Inbox operations for a logged-in professional. All write an audit row.
  // kRemoved: the parents removed the organisation from the share's family network.
  // kConflict: the case is not in a state that allows this (409; the message says why).
  enum class InboxOutcome { kOk, kNotFound, kForbidden, kRemoved, kWithdrawn, kConflict, kFailed };
  // One page of the organisation's shares: out is the JSON object text
  // {"shares":[...],"next_cursor":..,"counts":{..}}.
  InboxOutcome list(const Session& session, const InboxQuery& query, const std::string& address,
                    std::string* out);
  // out is the JSON object text of one share with its stored payload.
  InboxOutcome read(const Session& session, const std::string& share_id, const std::string& address,
                    std::string* out);
  // The stored share's payload (JSON text) for the FHIR export (share_fhir_export.cpp): the same
  // access rules as read(), audited as share_fhir_export (or _denied, _withdrawn).
  InboxOutcome read_for_fhir_export(const Session& session, const std::string& share_id,
                                    const std::string& address, std::string* payload);
  InboxOutcome mark_seen(const Session& session, const std::string& share_id,
                         const std::string& note, const std::string& address);

  // Marks shares as junk for the session's organisation (or not): they leave (or return to) its
  // inbox; one audit row per share. updated: how many of the ids were this organisation's.
  InboxOutcome mark_junk(const Session& session, const std::vector<std::string>& share_ids,
                         bool junk, const std::string& address, int* updated);

  // One step of a share's case (docs/care-network.md): take, contacted, close, reassign. out is the
  // case JSON text; on kConflict, conflict says what state the case is in and what to do.
  struct CaseAction {
    std::string action;    // take | contacted | close | reassign | sign
    std::string reason;    // close
    std::string note;      // close (required for reason "other")
    std::string username;  // reassign
    std::string sign_as;   // take, reassign, sign: the name parents may see ("" = role only)
  };
  InboxOutcome change_case(const Session& session, const std::string& share_id,
                           const CaseAction& action, const std::string& address, std::string* out,
                           std::string* conflict);

  // Appends an audit row in its own (group-committed) transaction.
  bool audit(const AuditEvent& event);

 private:
  std::string body_hash(const std::string& canonical_json) const;
  // Whether the share belongs to the session's organisation, without writing: on kForbidden or
  // kRemoved, *denial is the audit row to write.
  InboxOutcome access_state(Tx* db, const Session& session, const std::string& share_id,
                            const std::string& action, const std::string& address,
                            std::string* status, std::string* family_id, AuditEvent* denial);
  // Appends a read's audit rows through the writer (batched with other jobs); true once durable.
  bool commit_audit(const std::vector<AuditEvent>& events);
  // Checks the share belongs to the session's organisation; writes a denial audit row if not.
  InboxOutcome check_access(Tx* db, const Session& session, const std::string& share_id,
                            const std::string& action, const std::string& address,
                            std::string* status, std::string* family_id);

  Database* database_;
  ServerKeys keys_;
};

// "" when a case action's fields are complete and well formed, else where and what is wrong.
std::string check_case_action(const ShareStore::CaseAction& action);
// The case of a share as professionals see it; with_history adds every step.
nlohmann::json case_json(Tx* db, const std::string& share_id, bool with_history);
// The case as the parents see it: state, role and kind of organisation, a name only when signed.
nlohmann::json case_for_parent(Tx* db, const std::string& share_id);
// Copies a share's inbox order and status to its recipient rows, after the share changed (inside
// the caller's transaction). The inbox lists and counts from share_recipients alone.
bool sync_recipients(Tx* db, const std::string& share_id);
// The organisation joined the family by invitation or referral (a professional vouched for it).
bool known_family(Tx* db, const std::string& family_id, int64_t organisation_id);
// An SQL expression for the family's name as an organisation sees it (issue 24): the name its
// parents chose while the organisation is an active member of the family, else NULL. `family` and
// `organisation` are SQL expressions (columns or placeholders) for the two ids.
std::string member_family_name_sql(const std::string& family, const std::string& organisation);
// That name as JSON (null when none or not a member).
nlohmann::json member_family_name(Tx* db, const std::string& family_id, int64_t organisation_id);
// Gives the organisation's recipient rows of the family the tier that membership now has.
bool retier_family(Tx* db, const std::string& family_id, int64_t organisation_id);
// Erases one share's content as a withdrawal does (the row keeps id, organisation, times and
// status). *found is false when there is no such share. Inside the caller's transaction.
bool erase_share_content(Tx* db, const std::string& share_id, bool* found);

// The audit event for something a professional did.
AuditEvent professional_event(const Session& session, std::string action, std::string share_id,
                              std::string address, std::string detail = "");

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SHARE_STORE_H_
