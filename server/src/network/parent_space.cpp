#include "parent_space.h"

#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

bool there_for(Tx* db, const std::string& family_id, int64_t organisation_id,
               const std::string& role) {
  Statement row(db, std::string("SELECT 1 FROM memberships m WHERE m.family_id = ? AND "
                                "m.organisation_id = ? AND ") +
                        kThereForRoleSql);
  row.bind(1, family_id).bind(2, organisation_id).bind(3, role);
  return row.step();
}

int64_t organisation_there_for(Tx* db, const std::string& family_id, const std::string& slug,
                               const std::string& role) {
  Statement member(db, std::string("SELECT o.id FROM memberships m JOIN organisations o ON o.id = "
                                   "m.organisation_id WHERE m.family_id = ? AND o.slug = ? AND ") +
                           kThereForRoleSql);
  member.bind(1, family_id).bind(2, slug).bind(3, role);
  if (member.step()) return member.integer(0);
  return member.failed() ? -1 : 0;
}

json there_for_roles(Tx* db, const std::string& family_id, int64_t organisation_id) {
  json roles = json::array();
  Statement rows(db,
                 "SELECT p.role FROM family_parents p JOIN memberships m ON m.family_id "
                 "= p.family_id AND m.organisation_id = ? AND m.state = 'active' WHERE "
                 "p.family_id = ? AND NOT EXISTS(SELECT 1 FROM membership_withdrawals w WHERE "
                 "w.family_id = p.family_id AND w.organisation_id = m.organisation_id AND w.role "
                 "= p.role) GROUP BY p.role ORDER BY p.role = 'partner', p.role");
  rows.bind(1, organisation_id).bind(2, family_id);
  while (rows.step()) roles.push_back(rows.text(0));
  return roles;
}

bool add_notice(Tx* db, const std::string& family_id, const std::string& for_role,
                const std::string& kind, const std::string& organisation,
                const std::string& by_role) {
  if (for_role.empty()) return true;
  Statement insert(db,
                   "INSERT INTO family_notices(family_id, for_role, kind, organisation, by_role, "
                   "at) VALUES(?, ?, ?, ?, ?, ?)");
  insert.bind(1, family_id)
      .bind(2, for_role)
      .bind(3, kind)
      .bind(4, organisation)
      .bind(5, by_role)
      .bind(6, utc_timestamp_now());
  return insert.run();
}

std::string other_parent_role(Tx* db, const std::string& family_id, const std::string& role) {
  Statement row(db, "SELECT role FROM family_parents WHERE family_id = ? AND role != ? LIMIT 1");
  row.bind(1, family_id).bind(2, role);
  return row.step() ? row.text(0) : "";
}

json notices_json(Tx* db, const std::string& family_id, const std::string& role) {
  json list = json::array();
  Statement rows(db,
                 "SELECT n.id, n.kind, n.at, n.organisation, COALESCE(o.name, ''), n.by_role FROM "
                 "family_notices n LEFT JOIN organisations o ON o.slug = n.organisation WHERE "
                 "n.family_id = ? AND n.for_role = ? ORDER BY n.id DESC LIMIT 50");
  rows.bind(1, family_id).bind(2, role);
  while (rows.step()) {
    json notice = {{"id", rows.integer(0)}, {"kind", rows.text(1)}, {"at", rows.text(2)}};
    if (!rows.text(3).empty()) {
      notice["organisation"] = rows.text(3);
      notice["organisation_name"] = rows.text(4);
    }
    if (!rows.text(5).empty()) notice["by"] = rows.text(5);
    list.push_back(std::move(notice));
  }
  return list;
}

bool add_recipient(Tx* db, const std::string& share_id, int64_t organisation_id,
                   const std::string& family_id) {
  const int64_t tier =
      known_family(db, family_id, organisation_id) ? kTierKnownFamily : kTierFamily;
  Statement insert(db, std::string("INSERT INTO share_recipients(share_id, organisation_id, "
                                   "family_id, rank, received_at, status, case_state, added_at, "
                                   "tier) SELECT s.share_id, ?, ?, (") +
                           kInboxRankSql + ") * 4 + " + std::to_string(tier) +
                           ", s.received_at, s.status, s.case_state, ?, " + std::to_string(tier) +
                           " FROM shares s WHERE "
                           "s.share_id = ? AND s.status != 'withdrawn' AND NOT EXISTS(SELECT 1 "
                           "FROM share_recipients r WHERE r.share_id = s.share_id AND "
                           "r.organisation_id = ?)");
  insert.bind(1, organisation_id)
      .bind(2, family_id)
      .bind(3, utc_timestamp_now())
      .bind(4, share_id)
      .bind(5, organisation_id);
  return insert.run();
}

bool give_later_shares(Tx* db, const std::string& family_id, int64_t organisation_id) {
  Statement shares(db,
                   "SELECT s.share_id FROM shares s WHERE s.family_id = ? AND s.later_members = 1 "
                   "AND s.status != 'withdrawn' AND NOT EXISTS(SELECT 1 FROM "
                   "membership_withdrawals w WHERE w.family_id = s.family_id AND "
                   "w.organisation_id = ? AND w.role = s.parent_role)");
  shares.bind(1, family_id).bind(2, organisation_id);
  std::vector<std::string> ids;
  while (shares.step()) ids.push_back(shares.text(0));
  if (shares.failed()) return false;
  for (const std::string& id : ids) {
    if (!add_recipient(db, id, organisation_id, family_id)) return false;
  }
  return true;
}

bool record_ended(Tx* db, int64_t organisation_id, int64_t professional_id, const std::string& kind,
                  const std::string& reason) {
  Statement insert(db,
                   "INSERT INTO ended_by_parents(organisation_id, professional_id, kind, reason, "
                   "at) VALUES(?, ?, ?, ?, ?)");
  insert.bind(1, organisation_id);
  if (professional_id > 0) {
    insert.bind(2, professional_id);
  } else {
    insert.bind_null(2);
  }
  insert.bind(3, kind).bind(4, reason).bind(5, utc_timestamp_now());
  return insert.run();
}

namespace {

// Puts one case back to "new": no owner, no name, a history entry saying why.
bool return_case(Tx* db, const std::string& share_id, const std::string& organisation_slug,
                 const std::string& reason) {
  Statement reset(db,
                  "UPDATE shares SET case_state = 'new', case_owner_id = NULL, "
                  "case_owner_organisation_id = NULL, case_signed_as = NULL, case_taken_at = "
                  "NULL, case_contacted_at = NULL WHERE share_id = ?");
  reset.bind(1, share_id);
  Statement event(db,
                  "INSERT INTO case_events(share_id, state, action, username, role, "
                  "organisation, at, detail) VALUES(?, 'new', 'returned', '', '', ?, ?, ?)");
  event.bind(1, share_id).bind(2, organisation_slug).bind(3, utc_timestamp_now());
  event.bind(4, "reason=" + reason);
  return reset.run() && event.run() && sync_recipients(db, share_id);
}

}  // namespace

bool return_stranded_cases(Tx* db, const std::string& family_id, const std::string& reason) {
  Statement rows(db,
                 "SELECT s.share_id, s.case_owner_organisation_id, COALESCE(s.case_owner_id, 0), "
                 "COALESCE(o.slug, '') FROM shares s LEFT JOIN organisations o ON o.id = "
                 "s.case_owner_organisation_id WHERE s.family_id = ? AND s.case_state IN "
                 "('in_progress', 'contacted') AND NOT EXISTS(SELECT 1 FROM share_recipients r "
                 "WHERE r.share_id = s.share_id AND r.organisation_id = "
                 "s.case_owner_organisation_id)");
  rows.bind(1, family_id);
  struct Stranded {
    std::string share_id;
    int64_t organisation_id;
    int64_t professional_id;
    std::string slug;
  };
  std::vector<Stranded> stranded;
  while (rows.step()) {
    stranded.push_back({rows.text(0), rows.integer(1), rows.integer(2), rows.text(3)});
  }
  if (rows.failed()) return false;
  for (const Stranded& item : stranded) {
    if (!return_case(db, item.share_id, item.slug, reason) ||
        !record_ended(db, item.organisation_id, item.professional_id, "case", "removed")) {
      return false;
    }
  }
  return true;
}

bool withdraw_for_parent(Tx* db, const std::string& family_id, int64_t organisation_id,
                         const std::string& organisation_slug, const std::string& role,
                         bool* left) {
  *left = false;
  const std::string now = utc_timestamp_now();
  Statement withdraw(db,
                     "INSERT INTO membership_withdrawals(family_id, organisation_id, role, at) "
                     "VALUES(?, ?, ?, ?) ON CONFLICT(family_id, organisation_id, role) DO UPDATE "
                     "SET at = excluded.at");
  withdraw.bind(1, family_id).bind(2, organisation_id).bind(3, role).bind(4, now);
  // That parent's shares leave the organisation's inbox with this commit.
  Statement revoke(db,
                   "DELETE FROM share_recipients WHERE organisation_id = ? AND share_id IN "
                   "(SELECT share_id FROM shares WHERE family_id = ? AND parent_role = ?)");
  revoke.bind(1, organisation_id).bind(2, family_id).bind(3, role);
  if (!withdraw.run() || !revoke.run()) return false;
  // Still there for a parent who did not remove it?
  Statement remaining(db,
                      "SELECT 1 FROM family_parents p WHERE p.family_id = ? AND NOT EXISTS(SELECT "
                      "1 FROM membership_withdrawals w WHERE w.family_id = p.family_id AND "
                      "w.organisation_id = ? AND w.role = p.role)");
  remaining.bind(1, family_id).bind(2, organisation_id);
  if (!remaining.step()) {
    if (remaining.failed()) return false;
    *left = true;
    Statement update(db,
                     "UPDATE memberships SET state = 'removed', removed_at = ?, removed_by_role = "
                     "?, assigned_professional_id = NULL WHERE family_id = ? AND "
                     "organisation_id = ?");
    update.bind(1, now).bind(2, role).bind(3, family_id).bind(4, organisation_id);
    Statement rest(db, "DELETE FROM share_recipients WHERE organisation_id = ? AND family_id = ?");
    rest.bind(1, organisation_id).bind(2, family_id);
    // Its open agreements need a new owner among the remaining members.
    Statement owned(db,
                    "SELECT id, COALESCE(owner_professional_id, 0) FROM agreements WHERE "
                    "family_id = ? AND owner_organisation_id = ? AND status = 'open' AND "
                    "needs_owner = 0");
    owned.bind(1, family_id).bind(2, organisation_id);
    std::vector<int64_t> owners;
    while (owned.step()) owners.push_back(owned.integer(1));
    if (owned.failed()) return false;
    Statement orphan(db,
                     "UPDATE agreements SET needs_owner = 1, owner_professional_id = NULL, "
                     "updated_at = ? WHERE family_id = ? AND owner_organisation_id = ? AND "
                     "status = 'open'");
    orphan.bind(1, now).bind(2, family_id).bind(3, organisation_id);
    if (!update.run() || !rest.run() || !orphan.run()) return false;
    for (int64_t professional : owners) {
      if (!record_ended(db, organisation_id, professional, "agreement", "removed")) return false;
    }
  }
  (void)organisation_slug;
  return return_stranded_cases(db, family_id, "removed_by_parents");
}

bool release_professional(Tx* db, int64_t professional_id) {
  Statement rows(db,
                 "SELECT s.share_id, COALESCE(o.slug, '') FROM shares s LEFT JOIN organisations "
                 "o ON o.id = s.case_owner_organisation_id WHERE s.case_owner_id = ? AND "
                 "s.case_state IN ('in_progress', 'contacted')");
  rows.bind(1, professional_id);
  std::vector<std::pair<std::string, std::string>> cases;
  while (rows.step()) cases.emplace_back(rows.text(0), rows.text(1));
  if (rows.failed()) return false;
  for (const auto& [share_id, slug] : cases) {
    if (!return_case(db, share_id, slug, "professional_disabled")) return false;
  }
  Statement agreements(db,
                       "UPDATE agreements SET needs_owner = 1, owner_professional_id = NULL, "
                       "updated_at = ? WHERE owner_professional_id = ? AND status = 'open'");
  agreements.bind(1, utc_timestamp_now()).bind(2, professional_id);
  Statement assigned(db,
                     "UPDATE memberships SET assigned_professional_id = NULL WHERE "
                     "assigned_professional_id = ?");
  assigned.bind(1, professional_id);
  return agreements.run() && assigned.run();
}

}  // namespace kindband::server
