// The professional's day (docs/care-network.md): my cases, shares nobody has taken yet (in my
// organisation, and of those the ones also sent to other members of the family's network), overdue
// agreements and new messages from parents. One read, one audit row.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "audit_log.h"
#include "collaboration.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr int kMaxRows = 200;
constexpr int64_t kMaxMessages = 50;
constexpr int64_t kNewMessageSeconds = 14 * 24 * 60 * 60;

// Inbox entries (as in the inbox list) for the shares a query selects: its first column must be
// the share id, in the order wanted.
json entries(Tx* db, Statement& ids, int64_t organisation_id) {
  json list = json::array();
  while (ids.step()) {
    const std::string share_id = ids.text(0);
    Statement row(db,
                  "SELECT status, received_at, summary, family_id, parent_role FROM shares WHERE "
                  "share_id = ?");
    row.bind(1, share_id);
    if (!row.step()) continue;
    json entry = {{"share_id", share_id}, {"status", row.text(0)}, {"received_at", row.text(1)}};
    if (!row.is_null(2)) {
      entry["summary"] = json::parse(open_sealed("shares", "summary", share_id, row.text(2)));
    }
    if (!row.is_null(3)) {
      entry["family_id"] = row.text(3);
      entry["family_name"] = member_family_name(db, row.text(3), organisation_id);
    }
    if (!row.is_null(4)) entry["parent"] = row.text(4);
    entry["case"] = case_json(db, share_id, false);
    list.push_back(std::move(entry));
  }
  return list;
}

}  // namespace

FamilyOutcome CollaborationStore::day(const Session& session, const std::string& address,
                                      json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  // Read on a read connection (a big day view never holds the writer); its audit rows go through
  // the writer afterwards, and the answer waits for them (issue 22).
  std::vector<AuditEvent> events;
  auto read_day = [&](Tx* db) {
    Statement mine(db,
                   "SELECT s.share_id FROM shares s JOIN share_recipients r ON r.share_id = "
                   "s.share_id AND r.organisation_id = ?1 WHERE s.case_owner_id = ?2 AND "
                   "s.case_state IN ('in_progress', 'contacted') ORDER BY r.rank DESC, "
                   "s.case_taken_at LIMIT ?3");
    mine.bind(1, session.organisation_id)
        .bind(2, session.professional_id)
        .bind(3, static_cast<int64_t>(kMaxRows));
    json my_cases = entries(db, mine, session.organisation_id);

    Statement untaken(db,
                      "SELECT r.share_id FROM share_recipients r JOIN shares s ON s.share_id = "
                      "r.share_id WHERE r.organisation_id = ?1 AND s.case_state = 'new' AND "
                      "s.status != 'withdrawn' ORDER BY r.rank DESC, r.received_at DESC LIMIT ?2");
    untaken.bind(1, session.organisation_id).bind(2, static_cast<int64_t>(kMaxRows));
    json organisation = entries(db, untaken, session.organisation_id);
    // Safety shares nobody took that did not fit (a flood): said, not silently dropped.
    // The list is in inbox order, so the untaken safety shares come first.
    Statement safety(db,
                     "SELECT COUNT(*) FROM share_recipients WHERE organisation_id = ? AND rank >= "
                     "? AND junk = 0");
    safety.bind(1, session.organisation_id).bind(2, kUntakenSafetyOrder);
    const int64_t safety_total = safety.step() ? safety.integer(0) : 0;
    const int64_t safety_not_shown =
        std::max<int64_t>(0, safety_total - std::min<int64_t>(safety_total, organisation.size()));
    // Also sent to other members: everybody may think someone else has it.
    json network = json::array();
    for (const json& entry : organisation) {
      Statement others(db,
                       "SELECT COUNT(*) FROM share_recipients WHERE share_id = ? AND "
                       "organisation_id != ?");
      others.bind(1, entry["share_id"].get<std::string>()).bind(2, session.organisation_id);
      if (others.step() && others.integer(0) > 0) {
        json shared = entry;
        shared["other_recipients"] = others.integer(0);
        network.push_back(std::move(shared));
      }
    }

    json overdue = json::array();
    json new_messages = json::array();
    Statement families(db,
                       "SELECT family_id FROM memberships WHERE organisation_id = ? AND state = "
                       "'active' AND (EXISTS(SELECT 1 FROM agreements a WHERE a.family_id = "
                       "memberships.family_id AND a.status = 'open') OR EXISTS(SELECT 1 FROM "
                       "messages m WHERE m.family_id = memberships.family_id AND m.author = "
                       "'parent' AND m.at >= ?))");
    const std::string since = utc_timestamp_at(unix_now() - kNewMessageSeconds);
    families.bind(1, session.organisation_id).bind(2, since);
    while (families.step()) {
      const std::string family_id = families.text(0);
      for (json& agreement : agreements_json(db, family_id, false)) {
        if (agreement["overdue"].get<bool>()) {
          overdue.push_back(
              {{"family_id", family_id},
               {"family_name", member_family_name(db, family_id, session.organisation_id)},
               {"agreement", std::move(agreement)}});
        }
      }
      for (json& message : messages_for_organisation_json(db, family_id, session.organisation_id)) {
        if (message["from"] == "parent" && message["at"].get<std::string>() >= since) {
          new_messages.push_back(
              {{"family_id", family_id},
               {"family_name", member_family_name(db, family_id, session.organisation_id)},
               {"message", std::move(message)}});
        }
      }
    }
    std::sort(new_messages.begin(), new_messages.end(),
              [](const json& a, const json& b) { return a["message"]["at"] > b["message"]["at"]; });
    // The newest 50; the family page pages the rest.
    const int64_t messages_more =
        std::max<int64_t>(0, static_cast<int64_t>(new_messages.size()) - kMaxMessages);
    if (messages_more > 0)
      new_messages.erase(new_messages.begin() + kMaxMessages, new_messages.end());
    // New for us (issue 24): referrals to us the parents accepted, intake conversations another
    // organisation shared with us, and our open agreements due within a week (overdue ones are
    // listed above). Each item once, newest first, only families we are an active member of.
    json new_for_us = json::array();
    {
      const std::string today = utc_timestamp_now().substr(0, 10);
      const std::string week = utc_timestamp_at(unix_now() + 7 * 24 * 60 * 60).substr(0, 10);
      Statement rows(
          db,
          "SELECT kind, id, family_id, at, detail, other FROM (SELECT 'referral_accepted' AS "
          "kind, p.id AS id, p.family_id AS family_id, p.decided_at AS at, '' AS detail, "
          "o.name AS other FROM proposals p JOIN organisations o ON o.id = "
          "p.proposed_by_organisation_id WHERE p.organisation_id = ?1 AND p.state = 'accepted' "
          "AND p.decided_at >= ?2 UNION ALL SELECT 'intake_shared', t.id, t.family_id, "
          "COALESCE((SELECT m.at FROM triage_meldcode m WHERE m.triage_id = t.id AND "
          "m.organisation_id = ?1), t.decided_at), '', o.name FROM triages t JOIN organisations "
          "o ON o.id = t.organisation_id WHERE t.family_id IS NOT NULL AND t.organisation_id != "
          "?1 AND (t.sharing = 'shared' OR EXISTS(SELECT 1 FROM triage_meldcode m WHERE "
          "m.triage_id = t.id AND m.organisation_id = ?1)) AND NOT EXISTS(SELECT 1 FROM "
          "membership_withdrawals w WHERE w.family_id = t.family_id AND w.organisation_id = ?1 "
          "AND w.role = t.parent_role) UNION ALL SELECT 'agreement_due', a.id, a.family_id, "
          "a.due_date, a.what, '' FROM agreements a WHERE a.owner_organisation_id = ?1 AND "
          "a.status = 'open' AND a.due_date >= ?3 AND a.due_date <= ?4) AS news WHERE (kind = "
          "'agreement_due' OR at >= ?2) AND EXISTS(SELECT 1 FROM memberships m WHERE "
          "m.family_id = news.family_id AND m.organisation_id = ?1 AND m.state = 'active') ORDER "
          "BY at DESC LIMIT ?5");
      rows.bind(1, session.organisation_id)
          .bind(2, since)
          .bind(3, today)
          .bind(4, week)
          .bind(5, static_cast<int64_t>(kMaxMessages));
      while (rows.step()) {
        json item = {{"kind", rows.text(0)},
                     {"id", rows.integer(1)},
                     {"family_id", rows.text(2)},
                     {"family_name", member_family_name(db, rows.text(2), session.organisation_id)},
                     {"at", rows.text(3)}};
        if (item["kind"] == "agreement_due") {
          item["what"] =
              open_sealed("agreements", "what", std::to_string(rows.integer(1)), rows.text(4));
          item["due_date"] = rows.text(3);
        } else {
          item["by_organisation"] = rows.text(5);
        }
        new_for_us.push_back(std::move(item));
      }
    }
    // Open work that ended because the parents removed us or erased their family: no content.
    json ended = json::array();
    Statement ended_rows(db,
                         "SELECT kind, reason, at, professional_id FROM ended_by_parents WHERE "
                         "organisation_id = ? AND at >= ? ORDER BY at DESC LIMIT ?");
    ended_rows.bind(1, session.organisation_id)
        .bind(2, since)
        .bind(3, static_cast<int64_t>(kMaxRows));
    while (ended_rows.step()) {
      ended.push_back(
          {{"kind", ended_rows.text(0)},
           {"reason", ended_rows.text(1)},
           {"at", ended_rows.text(2)},
           {"mine", !ended_rows.is_null(3) && ended_rows.integer(3) == session.professional_id}});
    }
    AuditEvent event = professional_event(session, "day_view", "", address,
                                          "my_cases=" + std::to_string(my_cases.size()) +
                                              " not_taken=" + std::to_string(organisation.size()) +
                                              " overdue=" + std::to_string(overdue.size()) +
                                              " messages=" + std::to_string(new_messages.size()));
    events.push_back(std::move(event));
    // One row per family whose content the day view returned: it is in that family's "who
    // looked" (NEN 7513: every read of a family's data, per family).
    std::set<std::string> families_shown;
    for (const json* list : {&my_cases, &organisation}) {
      for (const json& entry : *list) {
        if (entry.contains("family_id")) families_shown.insert(entry["family_id"]);
      }
    }
    for (const json* list : {&overdue, &new_messages, &new_for_us}) {
      for (const json& entry : *list) families_shown.insert(entry["family_id"]);
    }
    for (const std::string& family_id : families_shown) {
      AuditEvent family_event = professional_event(session, "day_view", "", address);
      family_event.family_id = family_id;
      events.push_back(std::move(family_event));
    }
    *out = json{{"my_cases", std::move(my_cases)},
                {"not_taken",
                 {{"organisation", std::move(organisation)},
                  {"network", network},
                  {"safety_not_shown", safety_not_shown}}},
                {"overdue_agreements", std::move(overdue)},
                {"new_messages", std::move(new_messages)},
                {"new_messages_more", messages_more},
                {"new_for_us", std::move(new_for_us)},
                {"ended_by_parents", std::move(ended)}};
    outcome = FamilyOutcome::kOk;
    return true;
  };
  {
    auto lease = database_->read();
    if (!lease.tx() || !read_day(lease.tx())) return FamilyOutcome::kFailed;
  }
  if (!commit_read_audit(database_, events, "")) {
    *out = nullptr;
    return FamilyOutcome::kFailed;
  }
  return outcome;
}

}  // namespace kindband::server
