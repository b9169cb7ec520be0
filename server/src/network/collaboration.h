// Working together around a family (docs/care-network.md, issue 10): care agreements, referrals
// that the parents accept or decline, messages between the network and the family, and the
// professional's day. Members of the family's network read and change; parents answer with their
// family key. Every change (and every professional read) is one transaction with its audit row.
#ifndef KINDBAND_SERVER_NETWORK_COLLABORATION_H_
#define KINDBAND_SERVER_NETWORK_COLLABORATION_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "database.h"
#include "family_store.h"
#include "sessions.h"

namespace kindband::server {

// Checked fields of a new or changed agreement; unset optionals are left as they are.
struct AgreementChange {
  std::optional<std::string> what;
  std::optional<std::string> owner_organisation;
  std::optional<std::string> owner_username;  // "" clears
  std::optional<std::string> due_date;        // "" clears; else YYYY-MM-DD
  std::optional<nlohmann::json> due_moment;   // null clears; else {"stage","week"}
  std::optional<std::string> status;          // open | done | cancelled
  std::optional<bool> visible_to_parents;
  std::optional<int64_t> triage_id;  // on creation: the triage whose judgement this carries out
};

// Parses an agreement body (docs/care-network.md). creating: what and owner_organisation are
// required. Returns "" or where and what is wrong.
std::string parse_agreement_change(const nlohmann::json& body, bool creating,
                                   AgreementChange* change);
// "" when text is 1..max_chars characters after trimming and holds no control or bidi characters
// (has_hidden_characters; newlines only when newlines is true, i.e. not in names); else what is
// wrong, prefixed by where.
std::string check_short_text(const nlohmann::json& value, const std::string& where,
                             size_t max_chars, bool newlines = true);

// For the family pages (inside a read or write transaction on db).
nlohmann::json agreements_json(Tx* db, const std::string& family_id, bool for_parents);
nlohmann::json proposals_json(Tx* db, const std::string& family_id, bool for_parents);
// The messages a parent sees (their own, the other parent's shown to the family, professionals'
// messages to both or to them) and those an organisation sees (docs/care-network.md, issue 21).
// Both give the newest 50 (before message id `before`, 0 = the newest), oldest first; *older (when
// given) counts the earlier ones that are not in the page.
nlohmann::json messages_for_parent_json(Tx* db, const std::string& family_id,
                                        const std::string& role, int64_t before = 0,
                                        int64_t* older = nullptr);
nlohmann::json messages_for_organisation_json(Tx* db, const std::string& family_id,
                                              int64_t organisation_id, int64_t before = 0,
                                              int64_t* older = nullptr);
// Deletes the family's agreements, comments, proposals and messages (erasure).
bool erase_collaboration(Tx* db, const std::string& family_id);

class CollaborationStore {
 public:
  CollaborationStore(Database* database) : database_(database) {}

  // --- professionals of an active member organisation --------------------------------------
  // problem is set on kConflict / kUnknownOrganisation / kNotFound with what is wrong. A
  // triage_id must name a triage of the family that the session's organisation may see
  // (kNotFound otherwise): the proposal or agreement then carries out its judgement.
  // The creating calls take the request's Idempotency-Key (idempotency.h): a retry answers as
  // the first request did and makes no second row.
  FamilyOutcome create_agreement(const Session& session, const std::string& family_id,
                                 const AgreementChange& change, const std::string& address,
                                 const IdempotencyKey& idempotency, nlohmann::json* out,
                                 std::string* problem);
  FamilyOutcome change_agreement(const Session& session, const std::string& family_id,
                                 int64_t agreement_id, const AgreementChange& change,
                                 const std::string& address, nlohmann::json* out,
                                 std::string* problem);
  FamilyOutcome comment_agreement(const Session& session, const std::string& family_id,
                                  int64_t agreement_id, const std::string& text,
                                  const std::string& address, const IdempotencyKey& idempotency,
                                  nlohmann::json* out);
  FamilyOutcome propose(const Session& session, const std::string& family_id,
                        const std::string& organisation_slug, const std::string& reason,
                        std::optional<int64_t> triage_id, const std::string& address,
                        const IdempotencyKey& idempotency, nlohmann::json* out,
                        std::string* problem);
  // to_parent: "" (both parents) or the one parent the message is for.
  FamilyOutcome send_message(const Session& session, const std::string& family_id,
                             const std::string& text, const std::string& sign_as,
                             const std::string& to_parent, const std::string& address,
                             const IdempotencyKey& idempotency, nlohmann::json* out);
  FamilyOutcome day(const Session& session, const std::string& address, nlohmann::json* out);

  // --- parents (family key) -------------------------------------------------------------------
  FamilyOutcome respond_to_agreement(const ParentDevice& parent, int64_t agreement_id, bool suits,
                                     const std::string& comment, const std::string& address,
                                     nlohmann::json* out);
  // decision: accept (consent_version required) or decline.
  // add_shares: the parent's own shares the new member also gets on accept.
  FamilyOutcome decide_proposal(const ParentDevice& parent, int64_t proposal_id, bool accept,
                                const std::string& consent_version,
                                const std::vector<std::string>& add_shares,
                                const std::string& address, nlohmann::json* out,
                                std::string* problem);
  // organisation_slug: "" (every organisation there for this parent) or the one it is for
  // (kNotMember when that one is not there for this parent).
  FamilyOutcome parent_message(const ParentDevice& parent, const std::string& text,
                               const std::string& organisation_slug, bool show_to_family,
                               const std::string& address, const IdempotencyKey& idempotency,
                               nlohmann::json* out);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_COLLABORATION_H_
