#include "audience.h"

#include <algorithm>

#include "collaboration.h"
#include "parent_space.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

json share_audience_json(Tx* db, const std::string& share_id) {
  json list = json::array();
  Statement rows(db,
                 "SELECT o.slug, o.name, COALESCE(r.added_at, r.received_at) FROM "
                 "share_recipients r JOIN organisations o ON o.id = r.organisation_id WHERE "
                 "r.share_id = ? ORDER BY COALESCE(r.added_at, r.received_at), o.slug");
  rows.bind(1, share_id);
  while (rows.step()) {
    list.push_back(
        {{"organisation", rows.text(0)}, {"name", rows.text(1)}, {"since", rows.text(2)}});
  }
  return list;
}

json share_for_parent_json(Tx* db, const std::string& share_id, const std::string& role) {
  Statement row(db,
                "SELECT s.share_id, s.parent_role, s.instrument_id, s.summary, s.received_at, "
                "s.status, s.later_members, s.show_to_family FROM shares s WHERE s.share_id = ?");
  row.bind(1, share_id);
  if (!row.step()) return nullptr;
  json context = json::object();
  if (!row.is_null(3)) {
    context = json::parse(open_sealed("shares", "summary", share_id, row.text(3)))
                  .value("context", json::object());
  }
  const bool mine = row.text(1) == role;
  json share = {{"share_id", row.text(0)},
                {"parent", row.text(1)},
                {"mine", mine},
                {"instrument", row.is_null(2) ? json(nullptr) : json(row.text(2))},
                {"context", context},
                {"received_at", row.text(4)},
                {"status", row.text(5)},
                {"show_to_family", row.integer(7) != 0}};
  if (mine) {
    // Only the parent who sent it sees its audience and case.
    json audience = share_audience_json(db, share_id);
    json recipients = json::array();
    for (const json& entry : audience) recipients.push_back(entry["organisation"]);
    share["recipients"] = std::move(recipients);
    share["audience"] = std::move(audience);
    share["later_members"] = row.integer(6) != 0;
    share["case"] = case_for_parent(db, share_id);
  }
  return share;
}

bool add_own_shares(Tx* db, const ParentDevice& parent, int64_t organisation_id,
                    const std::string& organisation_slug, const std::vector<std::string>& share_ids,
                    const std::string& address, int* added) {
  *added = 0;
  for (const std::string& share_id : share_ids) {
    Statement mine(db,
                   "SELECT 1 FROM shares s WHERE s.share_id = ? AND s.family_id = ? AND "
                   "s.parent_role = ? AND s.status != 'withdrawn' AND NOT EXISTS(SELECT 1 FROM "
                   "share_recipients r WHERE r.share_id = s.share_id AND r.organisation_id = ?)");
    mine.bind(1, share_id).bind(2, parent.family_id).bind(3, parent.role).bind(4, organisation_id);
    if (!mine.step()) {
      if (mine.failed()) return false;
      continue;
    }
    AuditEvent event = parent_event(parent, "share_audience_added", address, organisation_slug);
    event.share_id = share_id;
    if (!add_recipient(db, share_id, organisation_id, parent.family_id) || !audit(db, event)) {
      return false;
    }
    ++*added;
  }
  return true;
}

FamilyOutcome AudienceStore::change_share(const ParentDevice& parent, const std::string& share_id,
                                          const AudienceChange& change, const std::string& address,
                                          json* out, std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement row(db,
                  "SELECT later_members, show_to_family FROM shares WHERE share_id = ? AND "
                  "family_id = ? AND parent_role = ? AND status != 'withdrawn'");
    row.bind(1, share_id).bind(2, parent.family_id).bind(3, parent.role);
    if (!row.step()) {
      outcome = row.failed() ? FamilyOutcome::kFailed : FamilyOutcome::kNotFound;
      *problem = "no share of yours with this id in this family";
      return false;
    }
    const bool later = row.integer(0) != 0;
    const bool shown = row.integer(1) != 0;
    for (const std::string& slug : change.add) {
      const int64_t organisation_id =
          organisation_there_for(db, parent.family_id, slug, parent.role);
      if (organisation_id <= 0) {
        if (organisation_id < 0) return false;
        outcome = FamilyOutcome::kNotMember;
        *problem = "/add: '" + slug.substr(0, 64) + "' is not in your care network";
        return false;
      }
      int added = 0;
      if (!add_own_shares(db, parent, organisation_id, slug, {share_id}, address, &added)) {
        return false;
      }
    }
    if ((change.later_members && *change.later_members != later) ||
        (change.show_to_family && *change.show_to_family != shown)) {
      const bool new_later = change.later_members.value_or(later);
      const bool new_shown = change.show_to_family.value_or(shown);
      Statement update(
          db, "UPDATE shares SET later_members = ?, show_to_family = ? WHERE share_id = ?");
      update.bind(1, static_cast<int64_t>(new_later))
          .bind(2, static_cast<int64_t>(new_shown))
          .bind(3, share_id);
      AuditEvent event = parent_event(parent, "share_audience_changed", address, "",
                                      std::string("later_members=") + (new_later ? "1" : "0") +
                                          " show_to_family=" + (new_shown ? "1" : "0"));
      event.share_id = share_id;
      if (!update.run() || !audit(db, event)) return false;
    }
    *out = share_for_parent_json(db, share_id, parent.role);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome AudienceStore::add_to_all(const ParentDevice& parent,
                                        const std::string& organisation_slug,
                                        const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    const int64_t organisation_id =
        organisation_there_for(db, parent.family_id, organisation_slug, parent.role);
    if (organisation_id <= 0) {
      outcome = organisation_id < 0 ? FamilyOutcome::kFailed : FamilyOutcome::kNotMember;
      return false;
    }
    Statement mine(db,
                   "SELECT share_id FROM shares WHERE family_id = ? AND parent_role = ? AND "
                   "status != 'withdrawn' ORDER BY received_at");
    mine.bind(1, parent.family_id).bind(2, parent.role);
    std::vector<std::string> ids;
    while (mine.step()) ids.push_back(mine.text(0));
    if (mine.failed()) return false;
    int added = 0;
    if (!add_own_shares(db, parent, organisation_id, organisation_slug, ids, address, &added)) {
      return false;
    }
    *out = json{{"organisation", organisation_slug}, {"added", added}};
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome AudienceStore::link_one_off(const ParentDevice& parent,
                                          const std::vector<std::string>& share_ids,
                                          const std::string& address, json* out, std::string* code,
                                          std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    json linked = json::array();
    json already = json::array();
    std::vector<int64_t> organisations;
    for (size_t i = 0; i < share_ids.size(); ++i) {
      const std::string& share_id = share_ids[i];
      const std::string where = "/shares/" + std::to_string(i);
      Statement row(db,
                    "SELECT s.status, COALESCE(s.family_id, ''), COALESCE(s.parent_role, ''), "
                    "s.organisation_id, o.slug FROM shares s JOIN organisations o ON o.id = "
                    "s.organisation_id WHERE s.share_id = ?");
      row.bind(1, share_id);
      if (!row.step()) {
        if (row.failed()) return false;
        outcome = FamilyOutcome::kNotFound;
        *problem = where + ": no share with this id was received";
        return false;
      }
      if (row.text(0) == "withdrawn") {
        outcome = FamilyOutcome::kConflict;
        *code = "share_withdrawn";
        *problem = where + ": this share was withdrawn or erased; nothing of it is left to link";
        return false;
      }
      if (!row.text(1).empty()) {
        if (row.text(1) == parent.family_id && row.text(2) == parent.role) {
          already.push_back(share_id);  // linked before (a retry): nothing to do
          continue;
        }
        outcome = FamilyOutcome::kConflict;
        *code = "linked_elsewhere";
        *problem = where + ": this share belongs to another family or to the other parent";
        return false;
      }
      const int64_t organisation_id = row.integer(3);
      const std::string slug = row.text(4);
      // Its audience does not change: the organisation it went to must be in the network for this
      // parent, so that the family page shows it to that organisation and to nobody else.
      if (!there_for(db, parent.family_id, organisation_id, parent.role)) {
        outcome = FamilyOutcome::kNotMember;
        *problem = where + ": '" + slug +
                   "', which received this share, is not in your care network; add it first";
        return false;
      }
      Statement share(db,
                      "UPDATE shares SET family_id = ?, parent_role = ? WHERE share_id = ? AND "
                      "family_id IS NULL");
      share.bind(1, parent.family_id).bind(2, parent.role).bind(3, share_id);
      Statement recipients(db, "UPDATE share_recipients SET family_id = ? WHERE share_id = ?");
      recipients.bind(1, parent.family_id).bind(2, share_id);
      AuditEvent event = parent_event(parent, "share_linked", address, slug);
      event.share_id = share_id;
      if (!share.run() || !recipients.run() || !audit(db, event)) return false;
      if (std::find(organisations.begin(), organisations.end(), organisation_id) ==
          organisations.end()) {
        organisations.push_back(organisation_id);
      }
      linked.push_back(share_id);
    }
    // Its place in the organisation's inbox: now a share of a family (known when invited).
    for (const int64_t organisation_id : organisations) {
      if (!retier_family(db, parent.family_id, organisation_id)) return false;
    }
    *out = json{{"linked", std::move(linked)}, {"already_linked", std::move(already)}};
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome AudienceStore::referral_preview(const ParentDevice& parent, int64_t proposal_id,
                                              json* out) {
  auto lease = database_->read();
  Tx* db = lease.tx();
  if (!db) return FamilyOutcome::kFailed;
  json proposal = nullptr;
  for (json& entry : proposals_json(db, parent.family_id, true)) {
    if (entry["id"] == proposal_id) proposal = std::move(entry);
  }
  if (proposal.is_null()) return FamilyOutcome::kNotFound;
  Statement organisation(db, "SELECT id FROM organisations WHERE slug = ?");
  organisation.bind(1, proposal["organisation"].get<std::string>());
  if (!organisation.step()) return FamilyOutcome::kNotFound;
  const int64_t organisation_id = organisation.integer(0);
  // Exactly what activate_membership() gives: shares whose parent allowed later members and did
  // not remove this organisation.
  Statement rows(db,
                 "SELECT s.share_id, s.parent_role, s.instrument_id, s.received_at FROM shares s "
                 "WHERE s.family_id = ? AND s.later_members = 1 AND s.status != 'withdrawn' AND "
                 "NOT EXISTS(SELECT 1 FROM membership_withdrawals w WHERE w.family_id = "
                 "s.family_id AND w.organisation_id = ? AND w.role = s.parent_role) AND NOT "
                 "EXISTS(SELECT 1 FROM share_recipients r WHERE r.share_id = s.share_id AND "
                 "r.organisation_id = ?) ORDER BY s.received_at");
  rows.bind(1, parent.family_id).bind(2, organisation_id).bind(3, organisation_id);
  json mine = json::array();
  int64_t others = 0;
  while (rows.step()) {
    if (rows.text(1) == parent.role) {
      mine.push_back({{"share_id", rows.text(0)},
                      {"instrument", rows.text(2)},
                      {"received_at", rows.text(3)}});
    } else {
      ++others;
    }
  }
  if (rows.failed()) return FamilyOutcome::kFailed;
  proposal["would_see"] = {{"my_shares", std::move(mine)}, {"other_parent_shares", others}};
  *out = std::move(proposal);
  return FamilyOutcome::kOk;
}

}  // namespace kindband::server
