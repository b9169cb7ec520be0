// Triage at intake (docs/care-network.md, issue 15): stored records of the structured conversation,
// who may see them, and the parents' decision to share or keep them.
#include "triages.h"

#include <nlohmann/json.hpp>

#include "audit_log.h"
#include "notification_events.h"
#include "sealed_content.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr const char* kSelectTriages =
    "SELECT t.id, t.family_id, o.slug, o.name, COALESCE(o.type, ''), t.recorded_by_role, "
    "COALESCE(p.username, ''), t.conversation, t.conversation_version, t.reference, t.created_at, "
    "t.updated_at, t.record, t.sharing, t.decided_at, t.decided_by, t.consent_version, "
    "t.organisation_id, t.parent_role, t.alone_sharing, t.alone_decided_at, "
    "COALESCE(p.display_name, p.username, '') FROM triages t JOIN "
    "organisations o ON o.id = "
    "t.organisation_id LEFT JOIN "
    "professionals p ON p.id = t.professional_id ";

json optional_text(const Statement& row, int column) {
  return row.is_null(column) ? json(nullptr) : json(row.text(column));
}

// What the judgement started: referral proposals and agreements that name this triage. Parents
// see only the agreements visible to them.
json follow_up_json(Tx* db, int64_t triage_id, bool for_parents) {
  json list = json::array();
  Statement proposals(db,
                      "SELECT p.id, o.slug FROM proposals p JOIN organisations o ON o.id = "
                      "p.organisation_id WHERE p.triage_id = ? ORDER BY p.id");
  proposals.bind(1, triage_id);
  while (proposals.step()) {
    list.push_back(
        {{"kind", "referral"}, {"id", proposals.integer(0)}, {"organisation", proposals.text(1)}});
  }
  Statement agreements(db,
                       "SELECT id FROM agreements WHERE triage_id = ?1 AND (?2 = 0 OR "
                       "visible_to_parents = 1) ORDER BY id");
  agreements.bind(1, triage_id).bind(2, static_cast<int64_t>(for_parents ? 1 : 0));
  while (agreements.step()) list.push_back({{"kind", "agreement"}, {"id", agreements.integer(0)}});
  return list;
}

// The Meldcode shares of a triage's part held alone: with which organisation, by whom, when, why.
json meldcode_json(Tx* db, int64_t triage_id) {
  json list = json::array();
  Statement rows(db,
                 "SELECT o.slug, o.name, b.slug, b.name, m.by_role, m.at, m.reason, "
                 "m.organisation_id FROM "
                 "triage_meldcode m JOIN organisations o ON o.id = m.organisation_id JOIN "
                 "organisations b ON b.id = m.by_organisation_id WHERE m.triage_id = ? ORDER BY "
                 "m.id");
  rows.bind(1, triage_id);
  while (rows.step()) {
    list.push_back(
        {{"organisation", rows.text(0)},
         {"organisation_name", rows.text(1)},
         {"by_organisation", rows.text(2)},
         {"by_organisation_name", rows.text(3)},
         {"by_role", rows.text(4)},
         {"at", rows.text(5)},
         {"reason", open_sealed("triage_meldcode", "reason",
                                std::to_string(triage_id) + ":" + std::to_string(rows.integer(7)),
                                rows.text(6))}});
  }
  return list;
}

bool meldcode_shared_with(Tx* db, int64_t triage_id, int64_t organisation_id) {
  Statement row(db, "SELECT 1 FROM triage_meldcode WHERE triage_id = ? AND organisation_id = ?");
  row.bind(1, triage_id).bind(2, organisation_id);
  return row.step();
}

// viewer_organisation_id 0: the parent the triage was held with (who sees all of it, without
// usernames). An organisation sees the part held alone only when it recorded it, the parent shared
// that part, or it was shared with it under the Meldcode; else the record has no "alone" and a
// judgement of that part shows as withheld.
json triage_json(Tx* db, const Statement& row, int64_t viewer_organisation_id) {
  const bool for_parents = viewer_organisation_id == 0;
  const int64_t id = row.integer(0);
  json recorded_by = {{"role", row.text(5)}};
  if (!for_parents) {
    recorded_by["username"] = row.text(6);
    recorded_by["name"] = row.text(21);
  }
  json record = json::parse(open_sealed("triages", "record", std::to_string(id), row.text(12)),
                            nullptr, false);
  const bool sees_alone = for_parents || row.integer(17) == viewer_organisation_id ||
                          row.text(19) == "shared" ||
                          meldcode_shared_with(db, id, viewer_organisation_id);
  json alone = {{"visible", sees_alone}};
  if (sees_alone) {
    alone["sharing"] = row.text(19);
    alone["decided_at"] = optional_text(row, 20);
    alone["meldcode"] = meldcode_json(db, id);
  } else if (record.is_object()) {
    record.erase("alone");
    if (record.contains("judgement") && record["judgement"].value("alone", false)) {
      record["judgement"] = {{"support", nullptr}, {"note", ""}, {"alone", true}};
    }
  }
  return json{{"id", id},
              {"family_id", optional_text(row, 1)},
              {"parent", optional_text(row, 18)},
              {"organisation", row.text(2)},
              {"organisation_name", row.text(3)},
              {"organisation_type", row.text(4)},
              {"recorded_by", std::move(recorded_by)},
              {"conversation", row.text(7)},
              {"conversation_version", row.text(8)},
              {"reference", optional_text(row, 9)},
              {"created_at", row.text(10)},
              {"updated_at", row.text(11)},
              {"record", record.is_discarded() ? json(nullptr) : std::move(record)},
              {"alone", std::move(alone)},
              {"sharing",
               {{"state", row.text(13)},
                {"decided_at", optional_text(row, 14)},
                {"decided_by", optional_text(row, 15)},
                {"consent_version", optional_text(row, 16)}}},
              {"follow_up", follow_up_json(db, id, for_parents)}};
}

json one_triage(Tx* db, int64_t id, int64_t viewer_organisation_id) {
  Statement row(db, std::string(kSelectTriages) + "WHERE t.id = ?");
  row.bind(1, id);
  return row.step() ? triage_json(db, row, viewer_organisation_id) : json(nullptr);
}

// " parent=<role>" for an audit row of a family's triage: the access log shows each parent only the
// rows of their own intake (docs/care-network.md).
std::string parent_detail(const std::string& family_id, const TriageRecord& record) {
  return family_id.empty() ? "" : " parent=" + record.parent_role;
}

// True when the stored record has a confirmed part held alone.
bool has_alone_part(const std::string& record_json) {
  json record = json::parse(record_json, nullptr, false);
  return record.is_object() && record.contains("alone") &&
         record["alone"].value("confirmed", false) == true;
}

}  // namespace

// An organisation sees its own and the shared triages, and those shared with it under the
// Meldcode, while it is there for the parent they were held with (a parent who removed it took
// their intake with them).
constexpr const char* kTriagesVisibleToOrganisationSql =
    "(t.organisation_id = ?2 OR t.sharing = 'shared' OR EXISTS(SELECT 1 FROM triage_meldcode m "
    "WHERE m.triage_id = t.id AND m.organisation_id = ?2)) AND NOT EXISTS(SELECT 1 FROM "
    "membership_withdrawals w WHERE w.family_id = t.family_id AND w.organisation_id = ?2 AND "
    "w.role = t.parent_role)";

json triages_json(Tx* db, const std::string& family_id, int64_t viewer_organisation_id) {
  json list = json::array();
  Statement rows(db, std::string(kSelectTriages) + "WHERE t.family_id = ?1 AND " +
                         kTriagesVisibleToOrganisationSql +
                         " ORDER BY t.created_at DESC, t.id DESC");
  rows.bind(1, family_id).bind(2, viewer_organisation_id);
  while (rows.step()) list.push_back(triage_json(db, rows, viewer_organisation_id));
  return list;
}

json triages_for_parent_json(Tx* db, const std::string& family_id, const std::string& role) {
  json list = json::array();
  Statement rows(db, std::string(kSelectTriages) +
                         "WHERE t.family_id = ?1 AND t.parent_role = ?2 ORDER BY t.created_at "
                         "DESC, t.id DESC");
  rows.bind(1, family_id).bind(2, role);
  while (rows.step()) list.push_back(triage_json(db, rows, 0));
  return list;
}

bool triage_visible(Tx* db, int64_t triage_id, const std::string& family_id,
                    int64_t organisation_id) {
  Statement row(db, std::string("SELECT 1 FROM triages t WHERE t.id = ?1 AND t.family_id = ?3 "
                                "AND ") +
                        kTriagesVisibleToOrganisationSql);
  row.bind(1, triage_id).bind(2, organisation_id).bind(3, family_id);
  return row.step();
}

bool erase_triages(Tx* db, const std::string& family_id) {
  Statement meldcode(db, "DELETE FROM triage_meldcode WHERE family_id = ?");
  meldcode.bind(1, family_id);
  Statement erase(db, "DELETE FROM triages WHERE family_id = ?");
  erase.bind(1, family_id);
  return meldcode.run() && erase.run();
}

bool erase_parent_triages(Tx* db, const std::string& family_id, const std::string& role) {
  Statement meldcode(db,
                     "DELETE FROM triage_meldcode WHERE triage_id IN (SELECT id FROM triages "
                     "WHERE family_id = ? AND parent_role = ?)");
  meldcode.bind(1, family_id).bind(2, role);
  Statement erase(db, "DELETE FROM triages WHERE family_id = ? AND parent_role = ?");
  erase.bind(1, family_id).bind(2, role);
  return meldcode.run() && erase.run();
}

FamilyOutcome TriageStore::record(const Session& session, const std::string& family_id,
                                  const std::string& reference, const TriageRecord& record,
                                  const std::string& address, const IdempotencyKey& idempotency,
                                  json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!family_id.empty()) {
      outcome = member_access(db, session, family_id, "triage_record", address);
      if (outcome == FamilyOutcome::kFailed) return false;
      if (outcome != FamilyOutcome::kOk) return true;  // keep the denial's audit row
    }
    if (auto done = answer_retry(db, idempotency, "triage", &outcome, [&](int64_t id) {
          *out = one_triage(db, id, session.organisation_id);
          return !out->is_null();
        })) {
      return *done;
    }
    const std::string now = utc_timestamp_now();
    Statement insert(db,
                     "INSERT INTO triages(family_id, reference, organisation_id, professional_id, "
                     "recorded_by_role, conversation, conversation_version, record, sharing, "
                     "created_at, updated_at, parent_role) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                     "?, ?) RETURNING id");
    if (family_id.empty()) {
      insert.bind_null(1).bind(2, reference);
    } else {
      insert.bind(1, family_id).bind_null(2);
    }
    insert.bind(3, session.organisation_id)
        .bind(4, session.professional_id)
        .bind(5, session.role)
        .bind(6, record.conversation)
        .bind(7, record.conversation_version)
        .bind(8, "")
        .bind(9, family_id.empty() ? "organisation_only" : "awaiting_parents")
        .bind(10, now)
        .bind(11, now);
    if (family_id.empty()) {
      insert.bind_null(12);
    } else {
      insert.bind(12, record.parent_role);
    }
    if (!insert.step()) return false;
    const int64_t id = insert.integer(0);
    insert.run();
    if (!store_sealed(db, "triages", "record", id, record.canonical_json) ||
        !remember_idempotency_key(db, idempotency, "triage", id)) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    if (!audit(db, session_event(session, "triage_created", family_id, address,
                                 "triage=" + std::to_string(id) + " conversation=" +
                                     record.conversation + parent_detail(family_id, record)))) {
      return false;
    }
    // An intake conversation the parent decides on.
    if (!family_id.empty() && !notify_parents(db, family_id, record.parent_role)) return false;
    *out = one_triage(db, id, session.organisation_id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome TriageStore::change(const Session& session, const std::string& family_id,
                                  int64_t triage_id, const TriageRecord& record,
                                  const std::string& address, json* out, std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "triage_change", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    Statement row(db,
                  "SELECT sharing, conversation FROM triages WHERE id = ? AND family_id = ? AND "
                  "organisation_id = ?");
    row.bind(1, triage_id).bind(2, family_id).bind(3, session.organisation_id);
    if (!row.step()) {
      outcome = FamilyOutcome::kNotFound;
      *problem = "no triage of your organisation with this id in this family";
      return false;
    }
    if (row.text(0) != "awaiting_parents") {
      outcome = FamilyOutcome::kConflict;
      *problem = "not_editable: the parents decided on this record (" + row.text(0) +
                 "); record a new conversation instead";
      return false;
    }
    Statement meldcode(db, "SELECT 1 FROM triage_meldcode WHERE triage_id = ?");
    meldcode.bind(1, triage_id);
    if (meldcode.step()) {
      outcome = FamilyOutcome::kConflict;
      *problem = "not_editable: shared under the Meldcode; record a new conversation instead";
      return false;
    }
    if (row.text(1) != record.conversation) {
      outcome = FamilyOutcome::kConflict;
      *problem = "not_editable: this triage is a record of '" + row.text(1) + "'";
      return false;
    }
    Statement update(db,
                     "UPDATE triages SET record = ?, conversation_version = ?, updated_at = ?, "
                     "professional_id = ?, recorded_by_role = ?, parent_role = ? WHERE id = ?");
    update.bind(1, seal("triages", "record", std::to_string(triage_id), record.canonical_json))
        .bind(2, record.conversation_version)
        .bind(3, utc_timestamp_now())
        .bind(4, session.professional_id)
        .bind(5, session.role)
        .bind(6, record.parent_role)
        .bind(7, triage_id);
    if (!update.run() || !audit(db, session_event(session, "triage_changed", family_id, address,
                                                  "triage=" + std::to_string(triage_id) +
                                                      parent_detail(family_id, record)))) {
      return false;
    }
    *out = one_triage(db, triage_id, session.organisation_id);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome TriageStore::list_organisation_only(const Session& session,
                                                  const std::string& reference,
                                                  const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    json list = json::array();
    Statement rows(db, std::string(kSelectTriages) +
                           "WHERE t.family_id IS NULL AND t.organisation_id = ?1 AND (?2 = '' OR "
                           "t.reference = ?2) ORDER BY t.created_at DESC, t.id DESC LIMIT 200");
    rows.bind(1, session.organisation_id).bind(2, reference);
    while (rows.step()) list.push_back(triage_json(db, rows, session.organisation_id));
    if (rows.failed()) return false;
    if (!audit(db, session_event(session, "triage_list_view", "", address,
                                 "triages=" + std::to_string(list.size()) +
                                     (reference.empty() ? "" : " reference=" + reference)))) {
      return false;
    }
    *out = json{{"triages", std::move(list)}};
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome TriageStore::decide(const ParentDevice& parent, int64_t triage_id, bool share,
                                  bool alone_part, const std::string& consent_version,
                                  const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement row(db,
                  "SELECT t.sharing, o.slug, t.alone_sharing, t.record FROM triages t JOIN "
                  "organisations o ON o.id = t.organisation_id WHERE t.id = ? AND t.family_id = ? "
                  "AND t.parent_role = ?");
    row.bind(1, triage_id).bind(2, parent.family_id).bind(3, parent.role);
    if (!row.step()) {
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    const std::string wanted = share ? "shared" : "kept";
    if (alone_part) {
      // The part held alone is shared only by this parent's own decision, apart from the rest.
      if (!has_alone_part(
              open_sealed("triages", "record", std::to_string(triage_id), row.text(3)))) {
        outcome = FamilyOutcome::kConflict;
        return false;
      }
      if (row.text(2) != wanted) {
        Statement decide(db,
                         "UPDATE triages SET alone_sharing = ?, alone_decided_at = ? WHERE id = ?");
        decide.bind(1, wanted).bind(2, utc_timestamp_now()).bind(3, triage_id);
        const AuditEvent event = parent_event(
            parent, share ? "triage_alone_shared_by_parent" : "triage_alone_kept_by_parent",
            address, row.text(1),
            "triage=" + std::to_string(triage_id) +
                (share ? " consent_version=" + consent_version : ""));
        if (!decide.run() || !audit(db, event)) return false;
      }
    } else if (row.text(0) != wanted) {
      Statement decide(db,
                       "UPDATE triages SET sharing = ?, decided_at = ?, decided_by = ?, "
                       "consent_version = ? WHERE id = ?");
      decide.bind(1, wanted).bind(2, utc_timestamp_now()).bind(3, parent.role);
      if (share) {
        decide.bind(4, consent_version);
      } else {
        decide.bind_null(4);
      }
      decide.bind(5, triage_id);
      const AuditEvent event =
          parent_event(parent, share ? "triage_shared_by_parents" : "triage_kept_by_parents",
                       address, row.text(1),
                       "triage=" + std::to_string(triage_id) +
                           (share ? " consent_version=" + consent_version : ""));
      if (!decide.run() || !audit(db, event)) return false;
    }
    *out = one_triage(db, triage_id, 0);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome TriageStore::share_under_meldcode(const Session& session,
                                                const std::string& family_id, int64_t triage_id,
                                                const std::string& reason,
                                                const std::vector<std::string>& organisations,
                                                const std::string& address, json* out,
                                                std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "triage_meldcode", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    Statement row(db,
                  "SELECT parent_role, record FROM triages WHERE id = ? AND family_id = ? AND "
                  "organisation_id = ?");
    row.bind(1, triage_id).bind(2, family_id).bind(3, session.organisation_id);
    if (!row.step()) {
      outcome = FamilyOutcome::kNotFound;
      *problem = "no triage of your organisation with this id in this family";
      return false;
    }
    const std::string role = row.text(0);
    if (!has_alone_part(open_sealed("triages", "record", std::to_string(triage_id), row.text(1)))) {
      outcome = FamilyOutcome::kConflict;
      *problem = "nothing_alone: this record has no part held alone (/alone/confirmed is not true)";
      return false;
    }
    // Only organisations of this family's network that are there for this parent, not the
    // recording organisation itself.
    std::vector<std::pair<int64_t, std::string>> recipients;
    for (size_t i = 0; i < organisations.size(); ++i) {
      Statement member(db,
                       "SELECT o.id FROM organisations o JOIN memberships m ON m.organisation_id "
                       "= o.id AND m.family_id = ?1 AND m.state = 'active' WHERE o.slug = ?2 AND "
                       "o.id != ?3 AND NOT EXISTS(SELECT 1 FROM membership_withdrawals w WHERE "
                       "w.family_id = ?1 AND w.organisation_id = o.id AND w.role = ?4)");
      member.bind(1, family_id)
          .bind(2, organisations[i])
          .bind(3, session.organisation_id)
          .bind(4, role);
      if (!member.step()) {
        outcome = FamilyOutcome::kInvalid;
        *problem = "/organisations/" + std::to_string(i) + ": '" + organisations[i].substr(0, 64) +
                   "' is not another organisation of this family's network that is there for "
                   "the " +
                   role;
        return false;
      }
      recipients.emplace_back(member.integer(0), organisations[i]);
    }
    const std::string now = utc_timestamp_now();
    std::string names;
    for (const auto& [organisation_id, slug] : recipients) {
      Statement insert(db,
                       "INSERT INTO triage_meldcode(triage_id, family_id, organisation_id, reason, "
                       "by_organisation_id, by_professional_id, by_role, at) VALUES(?, ?, ?, ?, ?, "
                       "?, ?, ?) ON CONFLICT(triage_id, organisation_id) DO NOTHING");
      insert.bind(1, triage_id)
          .bind(2, family_id)
          .bind(3, organisation_id)
          .bind(4, seal("triage_meldcode", "reason",
                        std::to_string(triage_id) + ":" + std::to_string(organisation_id), reason))
          .bind(5, session.organisation_id)
          .bind(6, session.professional_id)
          .bind(7, session.role)
          .bind(8, now);
      if (!insert.run()) return false;
      names += (names.empty() ? "" : ",") + slug;
    }
    // The reason stays with the record (erased with it); the audit row says who, what and to whom.
    if (!audit(db, session_event(session, "triage_meldcode_shared", family_id, address,
                                 "triage=" + std::to_string(triage_id) + " parent=" + role +
                                     " organisations=" + names))) {
      return false;
    }
    *out = one_triage(db, triage_id, session.organisation_id);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

}  // namespace kindband::server
