// The family and its care network (docs/care-network.md): parent devices proven by their family
// key, pairing and recovery codes, invitations, memberships with their consent records, erasure,
// the parents' access log, and the family page a member organisation's professional sees.
//
// Every change runs as one write (database.h) together with its audit row, and so does every
// professional read: the caller hears back only after that transaction is durably committed.
#ifndef KINDBAND_SERVER_NETWORK_FAMILY_STORE_H_
#define KINDBAND_SERVER_NETWORK_FAMILY_STORE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log.h"
#include "database.h"
#include "idempotency.h"
#include "sessions.h"

namespace kindband::server {

// One parent on one device, as proven by a family key.
struct ParentDevice {
  std::string id;
  std::string family_id;
  std::string role;  // mother | partner
};

// What a family call came to. The HTTP layer maps each to one status and error code.
enum class FamilyOutcome {
  kOk,
  kCreated,
  kInvalidKey,    // 401: missing, malformed or unknown key (never says whether a family exists)
  kFamilyExists,  // 409: the family id belongs to another key
  kKeyInUse,      // 409: this key already proves a parent (a device joins once)
  kInvalidCode,   // 400/404: pairing, recovery or invitation code wrong, used or expired
  kUnknownOrganisation,  // 422
  kNoCoalition,          // 422: the organisation is in no coalition
  kOtherCoalition,       // 422: the family's network is in another coalition
  kNotFound,             // 404
  kNotMember,            // 403: the professional's organisation is not in the network
  kRemoved,              // 403: the parents removed the professional's organisation
  kErased,               // 410: the parents erased the family
  kConflict,             // 409: not in a state that allows this (the call says why)
  kInvalid,              // 400: a field is wrong (the call says where)
  kFamilyFull,           // 409: the family has as many devices as it may have
  kRoleTaken,            // 409: that parent's place belongs to another parent's devices
  kNotYours,             // 403: a device (or share) of the other parent
  kAccepted,             // 202: asked for; it happens later (erasure after the notice period)
  kKeyReused,            // 422: the Idempotency-Key was sent before with a different request
  kFailed,               // 503: not stored or not read; nothing changed
};

// At the start of a creating write job with an Idempotency-Key (idempotency.h): nullopt when the
// key is new (create the row, then remember_idempotency_key), else what the job returns, with
// outcome set: a retry renders the row the first request made (render(row_id)) and answers
// kCreated again; a key reused for another request is kKeyReused.
template <typename Render>
std::optional<bool> answer_retry(Tx* db, const IdempotencyKey& key, std::string_view kind,
                                 FamilyOutcome* outcome, Render render) {
  int64_t row_id = 0;
  switch (find_idempotency_key(db, key, kind, &row_id)) {
    case KeyUse::kNew:
      return std::nullopt;
    case KeyUse::kReplay:
      *outcome = render(row_id) ? FamilyOutcome::kCreated : FamilyOutcome::kNotFound;
      return true;
    case KeyUse::kMismatch:
      *outcome = FamilyOutcome::kKeyReused;
      return false;
    case KeyUse::kFailed:
      break;
  }
  *outcome = FamilyOutcome::kFailed;
  return false;
}

// SHA-256 (hex) of a family key, or "" when the key is not exactly 32 bytes in base64url without
// padding (43 characters, the unused low bits of the last one zero): the widget makes it from 32
// random bytes, so nothing shorter, longer or guessable is taken.
std::string family_key_hash(std::string_view key);
// A code as a person types it ("abcd efgh", "ABCD-EFGH") in canonical form ("ABCDEFGH"), or ""
// when it holds a character that no code has.
std::string normalise_code(std::string_view typed);

struct NetworkOrganisation;

// The audit rows of the family's routes: a parent's (actor "parent:<role>") and a professional's,
// each with the family's id; audit() appends one inside the caller's write transaction.
AuditEvent parent_event(const ParentDevice& parent, std::string action, std::string address,
                        std::string organisation = "", std::string detail = "");
AuditEvent session_event(const Session& session, std::string action, const std::string& family_id,
                         std::string address, std::string detail = "");
bool audit(Tx* db, const AuditEvent& event);

// The parent still exists and the family is not erased (checked again inside write jobs: a key
// checked before the job may have been retired or the family erased meanwhile).
bool parent_is_current(Tx* db, const ParentDevice& parent);

// Makes organisation an active member of the parent's family with a consent record (which parent,
// now, consent_version, via parent | invitation | referral), gives it the family's earlier shares
// and writes the audit row. Inside the caller's write transaction.
bool activate_membership(Tx* db, const ParentDevice& parent,
                         const NetworkOrganisation& organisation,
                         const std::string& consent_version, const std::string& via,
                         const std::string& address);
// The membership state of the session's organisation in a family, without writing: kOk for an
// active member; else kNotFound, kErased (also when its erasure is due), kNotMember or kRemoved,
// with *denial the "<action>_denied" audit row to write.
FamilyOutcome member_state(Tx* db, const Session& session, const std::string& family_id,
                           const std::string& action, const std::string& address,
                           AuditEvent* denial);
// Appends a professional read's audit rows in one writer job (batched with others), after erasing
// the family if its notice period passed; true once durable. Reads run on read connections and
// answer only after this (issue 22).
bool commit_read_audit(Database* database, const std::vector<AuditEvent>& events,
                       const std::string& family_id);
// kOk when the session's organisation is an active member of the family; else kNotFound,
// kErased, kNotMember or kRemoved, after a "<action>_denied" audit row (kFailed if that failed).
FamilyOutcome member_access(Tx* db, const Session& session, const std::string& family_id,
                            const std::string& action, const std::string& address);

class FamilyStore {
 public:
  FamilyStore(Database* database) : database_(database) {}

  // --- parents (family key) -------------------------------------------------------------------

  // The parent a key proves, when the key is known and the family not erased.
  std::optional<ParentDevice> authenticate(std::string_view key);

  // kCreated, kOk (same family and key again), kFamilyExists, kKeyInUse, kInvalidKey, kFailed.
  // name: how the parents want the family shown to their network ("" = none yet).
  FamilyOutcome create_family(const std::string& family_id, const std::string& role,
                              std::string_view key, const std::string& name,
                              const std::string& address, ParentDevice* parent);
  // Either parent names the family, or clears its name (""); only members see it. kOk, kFailed.
  FamilyOutcome rename_family(const ParentDevice& parent, const std::string& name,
                              const std::string& address);
  // The family as its parents see it (docs/care-network.md).
  FamilyOutcome family_for_parent(const ParentDevice& parent, nlohmann::json* out);
  // A fresh single-use pairing code (replacing the family's previous one), valid 10 minutes, for a
  // device that joins as `role` ("" = the other parent while they have no device, else mine).
  // kRoleTaken for the other parent's role once that parent has a device.
  FamilyOutcome create_pairing_code(const ParentDevice& parent, const std::string& role,
                                    const std::string& address, std::string* code,
                                    std::string* made_for, std::string* expires_at);
  // A device joins with a pairing code and its own new key, as the role the code names.
  // kFamilyFull (no room; the code stays valid), kRoleTaken, kInvalidCode, kKeyInUse. A wrong
  // code counts against every live pairing code, in the same transaction; a code retires once
  // retire_after wrong codes were tried anywhere since it was made.
  FamilyOutcome join(std::string_view code, std::string_view key, const std::string& device_name,
                     const std::string& address, int retire_after, ParentDevice* parent);
  // A fresh recovery code for this parent (replacing the previous one).
  FamilyOutcome create_recovery_code(const ParentDevice& parent, const std::string& address,
                                     std::string* code);
  // A new device takes over a parent's place; the old device's key stops working.
  FamilyOutcome recover(std::string_view code, std::string_view key, const std::string& address,
                        ParentDevice* parent);
  // What an invitation code offers (public; no family needed).
  FamilyOutcome lookup_invitation(std::string_view code, nlohmann::json* out);
  // The parents add an organisation (consent record: this parent, now, consent_version).
  // kCreated, kOk (already an active member), kUnknownOrganisation, kNoCoalition,
  // kOtherCoalition, kInvalidCode, kFailed. out is the network entry.
  FamilyOutcome add_membership(const ParentDevice& parent, const std::string& organisation_slug,
                               const std::string& consent_version,
                               const std::string& invitation_code, const std::string& address,
                               nlohmann::json* out);
  // kOk (now removed, or was already), kNotFound (never a member), kFailed.
  FamilyOutcome remove_membership(const ParentDevice& parent, const std::string& organisation_slug,
                                  const std::string& address, nlohmann::json* out);
  // Who opened what, from the audit log, newest first: identical events (organisation, role,
  // action, share, day) as one line with a count; 100 lines a page, before audit seq `before`
  // (0 = the newest).
  FamilyOutcome access_log(const ParentDevice& parent, int64_t before, nlohmann::json* out);

  // --- professionals (session) ----------------------------------------------------------------

  // The family page for a member organisation (audited as family_view, or family_view_denied).
  // messages_before: page the messages (0 = the newest 50; else those before that message id).
  FamilyOutcome family_for_professional(const Session& session, const std::string& family_id,
                                        int64_t messages_before, const std::string& address,
                                        nlohmann::json* out);
  // Makes username (a professional of the session's organisation) the family's contact person for
  // that organisation; "" clears it. kNotFound also for an unknown username.
  FamilyOutcome assign(const Session& session, const std::string& family_id,
                       const std::string& username, const std::string& address,
                       nlohmann::json* out);
  // The families the session's organisation is an active member of (issue 24), those needing action
  // first, then by name: `search` in the family's name (case-insensitive; "" = all), `case_state`
  // (a share of the family to us in that state; "" = any), `needs_action` (an untaken share, or a
  // parents' message newer than our last one), `date_from`/`date_to` (YYYY-MM-DD, "" = open: the
  // family's due date, or birth date once born, as estimated from the latest moment it shared with
  // us). 50 a page from `offset`. Audited as family_list, with a row per family returned (it is in
  // that family's "who looked").
  struct FamilyListQuery {
    std::string search;
    std::string case_state;
    bool needs_action = false;
    std::string date_from;
    std::string date_to;
    int64_t offset = 0;
  };
  FamilyOutcome list_families(const Session& session, const FamilyListQuery& query,
                              const std::string& address, nlohmann::json* out);
  // A single-use invitation for the session's organisation, valid 14 days.
  // With an Idempotency-Key the code is derived from it (idempotency.seed), so a retry answers
  // the same invitation.
  // Sends an open invitation of the session's organisation (its code, as the inbox shows it) by
  // e-mail (issue 24): the link, sealed with the address, waits for the mail sender and is deleted
  // once the mail went. kInvalidCode for a code that is not ours, used or expired. Audited as
  // invitation_mailed (never the address).
  FamilyOutcome mail_invitation(const Session& session, const std::string& code,
                                const std::string& email, const std::string& address);
  FamilyOutcome create_invitation(const Session& session, const std::string& address,
                                  const IdempotencyKey& idempotency, nlohmann::json* out);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_FAMILY_STORE_H_
