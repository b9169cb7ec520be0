// Referral with the parents' consent (docs/care-network.md): a member proposes another organisation
// of the coalition with a reason the parents read; only their acceptance makes it a member.
#include <nlohmann/json.hpp>

#include "audience.h"
#include "audit_log.h"
#include "collaboration.h"
#include "directory.h"
#include "notification_events.h"
#include "sealed_content.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"
#include "triages.h"

namespace kindband::server {

using nlohmann::json;

namespace {

json proposal_json(const Statement& row) {
  return json{
      {"id", row.integer(0)},
      {"organisation", row.text(1)},
      {"name", row.text(2)},
      {"type", row.text(3)},
      {"reason", open_sealed("proposals", "reason", std::to_string(row.integer(0)), row.text(4))},
      {"proposed_by",
       {{"role", row.text(5)}, {"organisation", row.text(6)}, {"organisation_name", row.text(7)}}},
      {"state", row.text(8)},
      {"created_at", row.text(9)},
      {"decided_at", row.is_null(10) ? json(nullptr) : json(row.text(10))},
      {"decided_by", row.is_null(11) ? json(nullptr) : json(row.text(11))},
      {"triage_id", row.is_null(12) ? json(nullptr) : json(row.integer(12))}};
}

constexpr const char* kSelectProposals =
    "SELECT p.id, o.slug, o.name, COALESCE(o.type, ''), p.reason, p.proposed_by_role, b.slug, "
    "b.name, p.state, p.created_at, p.decided_at, p.decided_by, p.triage_id FROM proposals p "
    "JOIN "
    "organisations o ON o.id = p.organisation_id JOIN organisations b ON b.id = "
    "p.proposed_by_organisation_id ";

json one_proposal(Tx* db, int64_t id) {
  Statement row(db, std::string(kSelectProposals) + "WHERE p.id = ?");
  row.bind(1, id);
  return row.step() ? proposal_json(row) : json(nullptr);
}

}  // namespace

json proposals_json(Tx* db, const std::string& family_id, bool /*for_parents*/) {
  // Parents and professionals see the same: roles and organisations, never names.
  json list = json::array();
  Statement rows(db, std::string(kSelectProposals) + "WHERE p.family_id = ? ORDER BY p.id DESC");
  rows.bind(1, family_id);
  while (rows.step()) list.push_back(proposal_json(rows));
  return list;
}

FamilyOutcome CollaborationStore::propose(
    const Session& session, const std::string& family_id, const std::string& organisation_slug,
    const std::string& reason, std::optional<int64_t> triage_id, const std::string& address,
    const IdempotencyKey& idempotency, json* out, std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "referral_propose", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    if (auto done = answer_retry(db, idempotency, "referral", &outcome, [&](int64_t id) {
          *out = one_proposal(db, id);
          return !out->is_null();
        })) {
      return *done;
    }
    NetworkOrganisation organisation;
    Statement family(db, "SELECT coalition_id FROM families WHERE id = ?");
    family.bind(1, family_id);
    if (!find_network_organisation(db, organisation_slug, &organisation) || !family.step() ||
        organisation.coalition_id != family.integer(0)) {
      *problem = "/organisation: '" + organisation_slug.substr(0, 64) +
                 "' is not an organisation of this family's coalition";
      outcome = FamilyOutcome::kUnknownOrganisation;
      return false;
    }
    Statement member(db,
                     "SELECT 1 FROM memberships WHERE family_id = ? AND organisation_id = ? AND "
                     "state = 'active'");
    member.bind(1, family_id).bind(2, organisation.id);
    if (member.step()) {
      *problem = "already_member: " + organisation.name + " is in the family's network already";
      outcome = FamilyOutcome::kConflict;
      return false;
    }
    Statement open(db,
                   "SELECT 1 FROM proposals WHERE family_id = ? AND organisation_id = ? AND "
                   "state = 'proposed'");
    open.bind(1, family_id).bind(2, organisation.id);
    if (open.step()) {
      *problem = "already_proposed: the parents have not answered the proposal for " +
                 organisation.name + " yet";
      outcome = FamilyOutcome::kConflict;
      return false;
    }
    if (triage_id && !triage_visible(db, *triage_id, family_id, session.organisation_id)) {
      *problem = "no triage " + std::to_string(*triage_id) +
                 " of this family that your organisation may see";
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    Statement insert(
        db,
        "INSERT INTO proposals(family_id, organisation_id, reason, proposed_by_role, "
        "proposed_by_organisation_id, proposed_by_professional_id, state, "
        "created_at, triage_id) VALUES(?, ?, ?, ?, ?, ?, 'proposed', ?, ?) RETURNING id");
    insert.bind(1, family_id)
        .bind(2, organisation.id)
        .bind(3, "")
        .bind(4, session.role)
        .bind(5, session.organisation_id)
        .bind(6, session.professional_id)
        .bind(7, utc_timestamp_now());
    if (triage_id) {
      insert.bind(8, *triage_id);
    } else {
      insert.bind_null(8);
    }
    if (!insert.step()) return false;
    const int64_t id = insert.integer(0);
    insert.run();
    if (!store_sealed(db, "proposals", "reason", id, reason) ||
        !remember_idempotency_key(db, idempotency, "referral", id)) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    if (!audit(db, session_event(session, "referral_proposed", family_id, address,
                                 "proposal=" + std::to_string(id) +
                                     " organisation=" + organisation.slug +
                                     (triage_id ? " triage=" + std::to_string(*triage_id) : "")))) {
      return false;
    }
    if (!notify_parents(db, family_id, "")) return false;
    *out = one_proposal(db, id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome CollaborationStore::decide_proposal(const ParentDevice& parent, int64_t proposal_id,
                                                  bool accept, const std::string& consent_version,
                                                  const std::vector<std::string>& add_shares,
                                                  const std::string& address, json* out,
                                                  std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    Statement row(db,
                  "SELECT p.organisation_id, p.state FROM proposals p JOIN family_parents f ON "
                  "f.family_id = p.family_id WHERE p.id = ? AND p.family_id = ? AND f.id = ?");
    row.bind(1, proposal_id).bind(2, parent.family_id).bind(3, parent.id);
    if (!row.step()) {
      outcome = FamilyOutcome::kNotFound;
      *problem = "no such proposal for this family";
      return false;
    }
    if (row.text(1) != "proposed") {
      // Declining is final; accepting twice changes nothing.
      *problem = "already_decided: this proposal was " + row.text(1) + " already";
      outcome = FamilyOutcome::kConflict;
      return false;
    }
    NetworkOrganisation organisation;
    if (!find_network_organisation_by_id(db, row.integer(0), &organisation)) return false;
    Statement decide(db,
                     "UPDATE proposals SET state = ?, decided_at = ?, decided_by = ? WHERE id = ?");
    decide.bind(1, accept ? "accepted" : "declined")
        .bind(2, utc_timestamp_now())
        .bind(3, parent.role)
        .bind(4, proposal_id);
    if (!decide.run()) return false;
    int added = 0;
    if (accept &&
        (!activate_membership(db, parent, organisation, consent_version, "referral", address) ||
         !add_own_shares(db, parent, organisation.id, organisation.slug, add_shares, address,
                         &added))) {
      return false;
    }
    if (!audit(db, parent_event(parent, accept ? "referral_accepted" : "referral_declined", address,
                                organisation.slug, "proposal=" + std::to_string(proposal_id))) ||
        (accept &&
         !notify_organisation(db, organisation.id, NotificationKind::kReferralAccepted))) {
      return false;
    }
    *out = one_proposal(db, proposal_id);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

}  // namespace kindband::server
