#include "erasure.h"

#include "collaboration.h"
#include "erasure_list.h"
#include "idempotency.h"
#include "notification_events.h"
#include "parent_space.h"
#include "share_store.h"
#include "text_util.h"
#include "triages.h"

namespace kindband::server {

using nlohmann::json;

namespace {

// Tells the professionals whose open cases (on the selected shares) and agreements end.
bool record_open_work(Tx* db, const std::string& family_id, const std::string& role,
                      const std::string& reason) {
  Statement cases(db,
                  "SELECT case_owner_organisation_id, COALESCE(case_owner_id, 0) FROM shares "
                  "WHERE family_id = ?1 AND (?2 = '' OR parent_role = ?2) AND case_state IN "
                  "('in_progress', 'contacted') AND case_owner_organisation_id IS NOT NULL");
  cases.bind(1, family_id).bind(2, role);
  std::vector<std::pair<int64_t, int64_t>> owners;
  while (cases.step()) owners.emplace_back(cases.integer(0), cases.integer(1));
  if (cases.failed()) return false;
  for (const auto& [organisation, professional] : owners) {
    if (!record_ended(db, organisation, professional, "case", reason)) return false;
  }
  if (!role.empty()) return true;  // agreements belong to the family, not to one parent
  Statement agreements(db,
                       "SELECT owner_organisation_id, COALESCE(owner_professional_id, 0) FROM "
                       "agreements WHERE family_id = ? AND status = 'open'");
  agreements.bind(1, family_id);
  owners.clear();
  while (agreements.step()) owners.emplace_back(agreements.integer(0), agreements.integer(1));
  if (agreements.failed()) return false;
  for (const auto& [organisation, professional] : owners) {
    if (!record_ended(db, organisation, professional, "agreement", reason)) return false;
  }
  return true;
}

bool erase_one_off(Tx* db, const std::vector<std::string>& one_off, ErasureReport* report) {
  for (const std::string& share_id : one_off) {
    bool found = false;
    if (!erase_share_content(db, share_id, &found)) return false;
    (found ? report->erased : report->not_reached).push_back(share_id);
  }
  return true;
}

}  // namespace

json ErasureReport::to_json(const std::string& status) const {
  json answer = {{"status", status},
                 {"one_off", {{"erased", erased}, {"not_reached", not_reached}}}};
  if (!erase_after.empty()) answer["erase_after"] = erase_after;
  return answer;
}

bool erasure_due(Tx* db, const std::string& family_id) {
  Statement row(db,
                "SELECT 1 FROM families WHERE id = ? AND erased_at IS NULL AND erase_after IS NOT "
                "NULL AND erase_after <= ?");
  row.bind(1, family_id).bind(2, unix_now());
  return row.step();
}

bool erase_family_if_due(Tx* db, const std::string& family_id, bool* erased) {
  if (erased) *erased = false;
  if (!erasure_due(db, family_id)) return true;
  AuditEvent event{"system", "system", "", "family_erased", "", "", "after the notice period"};
  event.family_id = family_id;
  if (!erase_family_in_tx(db, family_id, event)) return false;
  if (erased) *erased = true;
  return true;
}

bool erase_family_in_tx(Tx* db, const std::string& id, const AuditEvent& event) {
  const std::string now = utc_timestamp_now();
  if (!record_open_work(db, id, "", "erased")) return false;
  Statement recipients(db,
                       "DELETE FROM share_recipients WHERE share_id IN (SELECT share_id FROM "
                       "shares WHERE family_id = ?)");
  recipients.bind(1, id);
  Statement cases(db,
                  "DELETE FROM case_events WHERE share_id IN (SELECT share_id FROM shares WHERE "
                  "family_id = ?)");
  cases.bind(1, id);
  Statement shares(db, std::string(kEraseShareContentSql) + "WHERE family_id = ?2");
  shares.bind(1, now).bind(2, id);
  Statement memberships(db, "DELETE FROM memberships WHERE family_id = ?");
  memberships.bind(1, id);
  Statement withdrawals(db, "DELETE FROM membership_withdrawals WHERE family_id = ?");
  withdrawals.bind(1, id);
  Statement notices(db, "DELETE FROM family_notices WHERE family_id = ?");
  notices.bind(1, id);
  Statement codes(db, "DELETE FROM pairing_codes WHERE family_id = ?");
  codes.bind(1, id);
  Statement invitations(db,
                        "UPDATE invitations SET used_by_family = NULL WHERE used_by_family = ?");
  invitations.bind(1, id);
  Statement parents(db, "DELETE FROM family_parents WHERE family_id = ?");
  parents.bind(1, id);
  Statement family(db,
                   "UPDATE families SET erased_at = ?, coalition_id = NULL, erase_requested_by = "
                   "NULL, erase_after = NULL, name = NULL WHERE id = ?");
  family.bind(1, now).bind(2, id);
  std::string error;
  return recipients.run() && cases.run() && shares.run() && erase_collaboration(db, id) &&
         erase_triages(db, id) && memberships.run() && withdrawals.run() && notices.run() &&
         codes.run() && invitations.run() && parents.run() &&
         erase_parent_notifications(db, id, "") && family.run() && erase_idempotency_keys(db, id) &&
         append_audit(db, event, &error) && append_erasure(db, "family", id);
}

bool erase_parent_in_tx(Tx* db, const std::string& id, const std::string& role,
                        const AuditEvent& event) {
  const std::string other = other_parent_role(db, id, role);
  if (other.empty()) return erase_family_in_tx(db, id, event);
  std::string error;
  if (!record_open_work(db, id, role, "erased")) return false;
  const std::string now = utc_timestamp_now();
  Statement cases(db,
                  "DELETE FROM case_events WHERE share_id IN (SELECT share_id FROM shares WHERE "
                  "family_id = ? AND parent_role = ?)");
  cases.bind(1, id).bind(2, role);
  Statement recipients(db,
                       "DELETE FROM share_recipients WHERE share_id IN (SELECT share_id FROM "
                       "shares WHERE family_id = ? AND parent_role = ?)");
  recipients.bind(1, id).bind(2, role);
  Statement shares(
      db, std::string(kEraseShareContentSql) + "WHERE family_id = ?2 AND parent_role = ?3");
  shares.bind(1, now).bind(2, id).bind(3, role);
  Statement messages(db,
                     "DELETE FROM messages WHERE family_id = ? AND ((author = 'parent' AND role "
                     "= ?) OR to_parent = ?)");
  messages.bind(1, id).bind(2, role).bind(3, role);
  Statement comments(db,
                     "DELETE FROM agreement_comments WHERE family_id = ? AND author = 'parent' "
                     "AND role = ?");
  comments.bind(1, id).bind(2, role);
  Statement answers(db,
                    "UPDATE agreements SET parents_suits = NULL, parents_comment = NULL, "
                    "parents_at = NULL, parents_by = NULL WHERE family_id = ? AND parents_by = ?");
  answers.bind(1, id).bind(2, role);
  Statement withdrawals(db, "DELETE FROM membership_withdrawals WHERE family_id = ? AND role = ?");
  withdrawals.bind(1, id).bind(2, role);
  Statement notices(db, "DELETE FROM family_notices WHERE family_id = ? AND for_role = ?");
  notices.bind(1, id).bind(2, role);
  Statement codes(db, "DELETE FROM pairing_codes WHERE family_id = ? AND created_by_role = ?");
  codes.bind(1, id).bind(2, role);
  Statement devices(db, "DELETE FROM family_parents WHERE family_id = ? AND role = ?");
  devices.bind(1, id).bind(2, role);
  // An erasure this parent asked for ends with them; the other parent's request stays.
  Statement request(db,
                    "UPDATE families SET erase_requested_by = NULL, erase_after = NULL WHERE id "
                    "= ? AND erase_requested_by = ?");
  request.bind(1, id).bind(2, role);
  // My shares first (their open cases end as "erased"), then every organisation stops being
  // there for me and leaves the family when the other parent had removed it.
  if (!cases.run() || !recipients.run() || !shares.run() ||
      !erase_parent_idempotency_keys(db, id, role)) {
    return false;
  }
  Statement members(db,
                    "SELECT m.organisation_id, o.slug FROM memberships m JOIN organisations o ON "
                    "o.id = m.organisation_id WHERE m.family_id = ? AND m.state = 'active'");
  members.bind(1, id);
  std::vector<std::pair<int64_t, std::string>> organisations;
  while (members.step()) organisations.emplace_back(members.integer(0), members.text(1));
  if (members.failed()) return false;
  for (const auto& [organisation_id, slug] : organisations) {
    bool left = false;
    if (!withdraw_for_parent(db, id, organisation_id, slug, role, &left)) return false;
  }
  if (!messages.run() || !comments.run() || !answers.run() || !erase_parent_triages(db, id, role) ||
      !withdrawals.run() || !notices.run() || !codes.run() || !devices.run() || !request.run() ||
      !erase_parent_notifications(db, id, role) ||
      !add_notice(db, id, other, "parent_data_erased", "", role) ||
      !append_audit(db, event, &error)) {
    return false;
  }
  return append_erasure(db, "parent", id, role);
}

FamilyOutcome ErasureStore::erase_family(const ParentDevice& parent,
                                         const std::vector<std::string>& one_off,
                                         const std::string& address, ErasureReport* report) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    *report = ErasureReport{};
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    if (!erase_one_off(db, one_off, report)) return false;
    const std::string other = other_parent_role(db, parent.family_id, parent.role);
    Statement request(db,
                      "SELECT COALESCE(erase_requested_by, ''), COALESCE(erase_after, 0) FROM "
                      "families WHERE id = ?");
    request.bind(1, parent.family_id);
    if (!request.step()) return false;
    const std::string asked_by = request.text(0);
    if (other.empty() || asked_by == other) {
      // One parent, or both asked: now.
      if (!erase_family_in_tx(db, parent.family_id,
                              parent_event(parent, "family_erased", address, "",
                                           other.empty() ? "" : "agreed by both parents"))) {
        return false;
      }
      db->purge_after_commit();
      outcome = FamilyOutcome::kOk;
      return true;
    }
    if (asked_by == parent.role) {
      report->erase_after = utc_timestamp_at(request.integer(1));
      outcome = FamilyOutcome::kAccepted;
      return true;  // keep the one-off erasures
    }
    const int64_t after = unix_now() + kEraseNoticeSeconds;
    Statement ask(db, "UPDATE families SET erase_requested_by = ?, erase_after = ? WHERE id = ?");
    ask.bind(1, parent.role).bind(2, after).bind(3, parent.family_id);
    if (!ask.run() ||
        !add_notice(db, parent.family_id, other, "erase_requested", "", parent.role) ||
        !audit(db, parent_event(parent, "family_erase_requested", address, "",
                                "erase_after=" + utc_timestamp_at(after)))) {
      return false;
    }
    if (!report->erased.empty()) db->purge_after_commit();
    report->erase_after = utc_timestamp_at(after);
    outcome = FamilyOutcome::kAccepted;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed,
                          {FamilyOutcome::kOk, FamilyOutcome::kAccepted});
}

FamilyOutcome ErasureStore::erase_my_data(const ParentDevice& parent,
                                          const std::vector<std::string>& one_off,
                                          const std::string& address, ErasureReport* report) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    *report = ErasureReport{};
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    if (!erase_one_off(db, one_off, report)) return false;
    const std::string& id = parent.family_id;
    const bool last = other_parent_role(db, id, parent.role).empty();
    if (!erase_parent_in_tx(
            db, id, parent.role,
            parent_event(parent, last ? "family_erased" : "parent_data_erased", address))) {
      return false;
    }
    db->purge_after_commit();
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome ErasureStore::cancel_request(const ParentDevice& parent, const std::string& address) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement cancel(db,
                     "UPDATE families SET erase_requested_by = NULL, erase_after = NULL WHERE id "
                     "= ? AND erase_requested_by = ?");
    cancel.bind(1, parent.family_id).bind(2, parent.role);
    if (!cancel.run()) return false;
    if (db->changes() == 0) {
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    if (!add_notice(db, parent.family_id, other_parent_role(db, parent.family_id, parent.role),
                    "erase_cancelled", "", parent.role) ||
        !audit(db, parent_event(parent, "family_erase_cancelled", address))) {
      return false;
    }
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

bool ErasureStore::erase_if_due(const std::string& family_id) {
  {
    auto lease = database_->read();
    if (!lease.tx() || !erasure_due(lease.tx(), family_id)) return false;
  }
  auto result = database_->write([&](Tx* db) {
    bool erased = false;
    if (!erase_family_if_due(db, family_id, &erased) || !erased) return false;
    db->purge_after_commit();
    return true;
  });
  return result == Database::Outcome::kCommitted;
}

int ErasureStore::erase_due_families() {
  std::vector<std::string> due;
  {
    auto lease = database_->read();
    if (!lease.tx()) return 0;
    Statement rows(lease.tx(),
                   "SELECT id FROM families WHERE erased_at IS NULL AND erase_after IS NOT NULL "
                   "AND erase_after <= ?");
    rows.bind(1, unix_now());
    while (rows.step()) due.push_back(rows.text(0));
  }
  int erased = 0;
  for (const std::string& id : due) erased += erase_if_due(id) ? 1 : 0;
  return erased;
}

}  // namespace kindband::server
