// Triage at intake (docs/care-network.md, issue 15): the structured conversation a professional
// records with the parents (kindband/conversation.h). It is seen first by the recording
// organisation only; the parents decide in the widget whether their network sees it (share) or
// not (keep), and may change their mind. Without a family it stays in the organisation under the
// organisation's own reference. Every change and every professional read is audited in its
// transaction.
#ifndef KINDBAND_SERVER_NETWORK_TRIAGES_H_
#define KINDBAND_SERVER_NETWORK_TRIAGES_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "database.h"
#include "family_store.h"
#include "sessions.h"

namespace kindband::server {

// A checked record (conversation::check_record) with the conversation it belongs to.
struct TriageRecord {
  std::string conversation;
  std::string conversation_version;
  std::string canonical_json;
  std::string parent_role = "mother";  // the parent it was held with (theirs to share or keep)
};

// The family's triages as a professional of viewer_organisation_id sees them, newest first: its
// own, the ones the parent shared and the ones shared with it under the Meldcode; the part held
// alone only where it recorded it, the parent shared that part, or under the Meldcode (issue 25).
// Inside the caller's transaction.
nlohmann::json triages_json(Tx* db, const std::string& family_id, int64_t viewer_organisation_id);
// The triages held with the parent of `role` (never the other parent's), without usernames.
nlohmann::json triages_for_parent_json(Tx* db, const std::string& family_id,
                                       const std::string& role);
// The triage exists in this family and this organisation may see it (for the referral and
// agreement that a judgement starts).
bool triage_visible(Tx* db, int64_t triage_id, const std::string& family_id,
                    int64_t organisation_id);
// Deletes the family's triages with their Meldcode shares (erasure).
bool erase_triages(Tx* db, const std::string& family_id);
// Deletes the triages held with the parent of `role` with their Meldcode shares (that parent's
// erasure of their own data).
bool erase_parent_triages(Tx* db, const std::string& family_id, const std::string& role);

class TriageStore {
 public:
  TriageStore(Database* database) : database_(database) {}

  // A new triage for a family the session's organisation is an active member of (kCreated), or,
  // with family_id "", one kept in the organisation under `reference`.
  FamilyOutcome record(const Session& session, const std::string& family_id,
                       const std::string& reference, const TriageRecord& record,
                       const std::string& address, const IdempotencyKey& idempotency,
                       nlohmann::json* out);
  // Replaces the record while the parents have not decided; kConflict (problem says why) after,
  // kNotFound for a triage of another organisation or family.
  FamilyOutcome change(const Session& session, const std::string& family_id, int64_t triage_id,
                       const TriageRecord& record, const std::string& address, nlohmann::json* out,
                       std::string* problem);
  // The organisation's triages without a family (all, or those under `reference`), audited.
  FamilyOutcome list_organisation_only(const Session& session, const std::string& reference,
                                       const std::string& address, nlohmann::json* out);
  // The parent it was held with shares the triage with their network or keeps it with the
  // recording organisation; with alone_part, the same for the part held alone only (which the
  // network sees only by this decision). kOk (also when it already was so), kNotFound, kConflict
  // for alone_part on a record without a confirmed part held alone.
  FamilyOutcome decide(const ParentDevice& parent, int64_t triage_id, bool share, bool alone_part,
                       const std::string& consent_version, const std::string& address,
                       nlohmann::json* out);
  // The recording professional shares the part held alone under the Meldcode (huiselijk geweld en
  // kindermishandeling) with the named organisations of the family's network that are there for
  // that parent, without the parent's decision; the record then says so, to whom, by whom, when
  // and why, and the audit log has a row. kOk, kNotFound (not this organisation's triage),
  // kConflict (no confirmed part held alone), kInvalid (problem names the organisation).
  FamilyOutcome share_under_meldcode(const Session& session, const std::string& family_id,
                                     int64_t triage_id, const std::string& reason,
                                     const std::vector<std::string>& organisations,
                                     const std::string& address, nlohmann::json* out,
                                     std::string* problem);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_TRIAGES_H_
