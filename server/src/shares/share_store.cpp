#include "share_store.h"

#include <nlohmann/json.hpp>

#include "erasure_list.h"
#include "notification_events.h"
#include "sealing.h"
#include "share_budget.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {
// An inbox read or change: "ok" holds only once committed (its audit row with it).
ShareStore::InboxOutcome settle(Database::Outcome result, ShareStore::InboxOutcome outcome) {
  return Database::settle(result, outcome, ShareStore::InboxOutcome::kFailed,
                          {ShareStore::InboxOutcome::kOk});
}
}  // namespace

AuditEvent professional_event(const Session& session, std::string action, std::string share_id,
                              std::string address, std::string detail) {
  return AuditEvent{session.username,  session.role,        session.organisation_slug,
                    std::move(action), std::move(share_id), std::move(address),
                    std::move(detail)};
}

std::string ShareStore::receipt_for(const std::string& share_id) const {
  return hmac_sha256_hex(keys_.receipt_key, "receipt:" + share_id);
}

bool ShareStore::receipt_matches(const std::string& share_id, const std::string& token) const {
  bool match = constant_time_equal(receipt_for(share_id), token);
  for (const std::string& previous : keys_.previous_receipt_keys) {
    match = constant_time_equal(hmac_sha256_hex(previous, "receipt:" + share_id), token) || match;
  }
  return match;
}

std::string ShareStore::body_hash(const std::string& canonical_json) const {
  return hmac_sha256_hex(keys_.body_key, "body:" + canonical_json);
}

bool erase_share_content(Tx* db, const std::string& share_id, bool* found) {
  Statement row(db, "SELECT status FROM shares WHERE share_id = ?");
  row.bind(1, share_id);
  *found = row.step();
  if (!*found) return !row.failed();
  if (row.text(0) == "withdrawn") return true;  // nothing of it is left
  Statement erase(db, std::string(kEraseShareContentSql) + "WHERE share_id = ?2");
  erase.bind(1, utc_timestamp_now()).bind(2, share_id);
  return erase.run() && sync_recipients(db, share_id) && append_erasure(db, "share", share_id);
}

ShareStore::CreateOutcome ShareStore::create(const ValidatedShare& share,
                                             const ShareRouting& routing,
                                             const std::string& address, std::string* not_member) {
  const std::string hash = body_hash(share.canonical_json);
  // Sealed here, on the request's thread: the single writer only stores the sealed bytes.
  const std::string sealed_payload =
      seal("shares", "payload", share.share_id, share.canonical_json);
  const std::string sealed_summary = seal("shares", "summary", share.share_id, share.summary_json);
  CreateOutcome outcome = CreateOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    // The same id stored before (also a moment ago by a concurrent request): answered as the
    // contract says, never as a failure.
    auto stored_before = [&] {
      Statement existing(db, "SELECT status, body_hash FROM shares WHERE share_id = ?");
      existing.bind(1, share.share_id);
      if (!existing.step()) return false;
      if (existing.text(0) == "withdrawn") {
        outcome = CreateOutcome::kWithdrawn;
      } else {
        outcome = constant_time_equal(existing.text(1), hash) ? CreateOutcome::kDuplicate
                                                              : CreateOutcome::kConflict;
      }
      return true;
    };
    if (stored_before()) return false;  // nothing to write
    // Recipients: checked inside this transaction, so a membership removed a moment ago counts.
    std::vector<std::pair<int64_t, std::string>> recipients;
    if (routing.family_id.empty()) {
      recipients.emplace_back(routing.organisation_id, share.organisation);
    } else {
      for (const std::string& slug : routing.recipients) {
        Statement member(db,
                         "SELECT o.id FROM memberships m JOIN organisations o ON o.id = "
                         "m.organisation_id WHERE m.family_id = ? AND o.slug = ? AND "
                         "m.state = 'active' AND NOT EXISTS(SELECT 1 FROM "
                         "membership_withdrawals w WHERE w.family_id = m.family_id AND "
                         "w.organisation_id = m.organisation_id AND w.role = ?)");
        member.bind(1, routing.family_id).bind(2, slug).bind(3, routing.parent_role);
        if (!member.step()) {
          if (member.failed()) return false;
          if (not_member) *not_member = slug;
          outcome = CreateOutcome::kNotMember;
          return false;
        }
        recipients.emplace_back(member.integer(0), slug);
      }
    }
    const std::string now = utc_timestamp_now();
    Statement insert(db,
                     "INSERT INTO shares(share_id, organisation_id, status, received_at, "
                     "body_hash, payload, summary, flag_count, positive, family_id, parent_role, "
                     "instrument_id, later_members, show_to_family, moment_stage, moment_week) "
                     "VALUES(?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT DO NOTHING");
    insert.bind(1, share.share_id)
        .bind(2, recipients.front().first)
        .bind(3, now)
        .bind(4, hash)
        .bind(5, sealed_payload)
        .bind(6, sealed_summary)
        .bind(7, static_cast<int64_t>(share.flag_count))
        .bind(8, static_cast<int64_t>(share.positive ? 1 : 0));
    if (routing.family_id.empty()) {
      insert.bind_null(9).bind_null(10);
    } else {
      insert.bind(9, routing.family_id).bind(10, routing.parent_role);
    }
    insert.bind(11, share.instrument_id)
        .bind(12, static_cast<int64_t>(routing.later_members))
        .bind(13, static_cast<int64_t>(routing.show_to_family))
        .bind_optional(14, share.moment_stage);
    if (share.moment_week) {
      insert.bind(15, *share.moment_week);
    } else {
      insert.bind_null(15);
    }
    if (!insert.run()) return false;
    if (db->changes() == 0) {
      stored_before();
      return false;
    }
    const int64_t rank = share.flag_count > 0 ? 3 : share.positive ? 1 : 0;
    int quarantined = 0;
    for (const auto& [organisation_id, slug] : recipients) {
      int64_t tier = kTierAnonymous;
      if (!routing.family_id.empty()) {
        tier =
            known_family(db, routing.family_id, organisation_id) ? kTierKnownFamily : kTierFamily;
      }
      bool budget_failed = false;
      const bool over =
          over_share_budget(db, organisation_id, routing.organisation_budget_per_minute,
                            unix_now_millis(), &budget_failed) ||
          routing.quarantine_all ||
          std::find(routing.over_budget.begin(), routing.over_budget.end(), slug) !=
              routing.over_budget.end();
      if (budget_failed) return false;
      if (over && tier != kTierKnownFamily) tier = kTierQuarantined;
      quarantined += tier == kTierQuarantined;
      Statement recipient(db,
                          "INSERT INTO share_recipients(share_id, organisation_id, family_id, "
                          "rank, received_at, status, case_state, added_at, tier) VALUES(?, ?, "
                          "?, ?, ?, 'received', 'new', ?, ?) ON CONFLICT DO NOTHING");
      recipient.bind(1, share.share_id).bind(2, organisation_id);
      if (routing.family_id.empty()) {
        recipient.bind_null(3);
      } else {
        recipient.bind(3, routing.family_id);
      }
      recipient.bind(4, inbox_order(rank, tier)).bind(5, now).bind(6, now).bind(7, tier);
      if (!recipient.run()) return false;
      // Its mail waits in the outbox from this very commit (no content, only "something new").
      if (!notify_organisation(db, organisation_id,
                               share.flag_count > 0 ? NotificationKind::kSafetyShare
                                                    : NotificationKind::kNewShare)) {
        return false;
      }
    }
    std::string error;
    AuditEvent event{routing.family_id.empty() ? "parent" : "parent:" + routing.parent_role,
                     "parent",
                     recipients.front().second,
                     "share_received",
                     share.share_id,
                     address,
                     "recipients=" + std::to_string(recipients.size()) +
                         (quarantined ? " quarantined=" + std::to_string(quarantined) : "")};
    event.family_id = routing.family_id;
    if (!append_audit(db, event, &error)) return false;
    outcome = CreateOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, CreateOutcome::kFailed, {CreateOutcome::kCreated});
}

bool ShareStore::status(const std::string& share_id, Status* status) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  Statement row(lease.tx(),
                "SELECT organisation_id, status, seen_by_role FROM shares WHERE share_id = ?");
  row.bind(1, share_id);
  if (!row.step()) return false;
  status->organisation_id = row.integer(0);
  status->status = row.text(1);
  status->seen_by_role = row.optional_text(2);
  status->case_for_parent = case_for_parent(lease.tx(), share_id);
  return true;
}

ShareStore::WithdrawOutcome ShareStore::withdraw(const std::string& share_id,
                                                 const std::string& address) {
  WithdrawOutcome outcome = WithdrawOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    Statement row(db,
                  "SELECT o.slug, s.status, COALESCE(s.family_id, '') FROM shares s JOIN "
                  "organisations o ON o.id = s.organisation_id WHERE s.share_id = ?");
    row.bind(1, share_id);
    if (!row.step()) {
      outcome = row.failed() ? WithdrawOutcome::kFailed : WithdrawOutcome::kNotFound;
      return false;
    }
    std::string organisation = row.text(0);
    std::string family_id = row.text(2);
    if (row.text(1) == "withdrawn") {
      outcome = WithdrawOutcome::kWithdrawn;  // withdrawing twice is fine
      return false;
    }
    // Erase, not flag: the payload and everything derived from it go; what stays is that a share
    // existed and was withdrawn (the audit log holds the event).
    bool found = false;
    if (!erase_share_content(db, share_id, &found)) return false;
    std::string error;
    AuditEvent event{"parent", "parent", organisation, "share_withdrawn", share_id, address, ""};
    event.family_id = family_id;
    if (!append_audit(db, event, &error)) return false;
    db->purge_after_commit();
    outcome = WithdrawOutcome::kWithdrawn;
    return true;
  });
  return Database::settle(result, outcome, WithdrawOutcome::kFailed);
}

ShareStore::InboxOutcome ShareStore::access_state(Tx* db, const Session& session,
                                                  const std::string& share_id,
                                                  const std::string& action,
                                                  const std::string& address, std::string* status,
                                                  std::string* family_id, AuditEvent* denial) {
  Statement row(db,
                "SELECT s.status, COALESCE(s.family_id, ''), EXISTS(SELECT 1 FROM "
                "share_recipients r WHERE r.share_id = s.share_id AND r.organisation_id = ?), "
                "(SELECT m.state FROM memberships m WHERE m.family_id = s.family_id AND "
                "m.organisation_id = ?) FROM shares s WHERE s.share_id = ?");
  row.bind(1, session.organisation_id).bind(2, session.organisation_id).bind(3, share_id);
  if (!row.step()) return row.failed() ? InboxOutcome::kFailed : InboxOutcome::kNotFound;
  *status = row.text(0);
  *family_id = row.text(1);
  if (row.integer(2)) return InboxOutcome::kOk;
  const bool removed = !row.is_null(3) && row.text(3) == "removed";
  *denial = professional_event(session, action + "_denied", share_id, address,
                               removed ? "removed by the parents" : "not a recipient");
  denial->family_id = *family_id;
  return removed ? InboxOutcome::kRemoved : InboxOutcome::kForbidden;
}

ShareStore::InboxOutcome ShareStore::check_access(Tx* db, const Session& session,
                                                  const std::string& share_id,
                                                  const std::string& action,
                                                  const std::string& address, std::string* status,
                                                  std::string* family_id) {
  AuditEvent denial;
  InboxOutcome outcome =
      access_state(db, session, share_id, action, address, status, family_id, &denial);
  if (outcome != InboxOutcome::kForbidden && outcome != InboxOutcome::kRemoved) return outcome;
  std::string error;
  return append_audit(db, denial, &error) ? outcome : InboxOutcome::kFailed;
}

bool ShareStore::commit_audit(const std::vector<AuditEvent>& events) {
  if (events.empty()) return true;
  auto result = database_->write([&](Tx* db) {
    std::string error;
    for (const AuditEvent& event : events) {
      if (!append_audit(db, event, &error)) return false;
    }
    return true;
  });
  return result == Database::Outcome::kCommitted;
}

namespace {

// Cursor: "<rank>~<received_at>~<share_id>" of the last row of the previous page.
bool parse_cursor(const std::string& cursor, int64_t* rank, std::string* received_at,
                  std::string* share_id) {
  size_t first = cursor.find('~');
  size_t second = first == std::string::npos ? first : cursor.find('~', first + 1);
  if (second == std::string::npos || first < 1 || first > 2 ||
      !std::all_of(cursor.begin(), cursor.begin() + first,
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  *rank = std::stoll(cursor.substr(0, first));
  if (*rank >= kUntakenSafetyOrder + kTiers) return false;
  *received_at = cursor.substr(first + 1, second - first - 1);
  *share_id = cursor.substr(second + 1);
  return is_rfc3339_utc(*received_at) && is_canonical_uuid(*share_id);
}

}  // namespace

bool valid_inbox_cursor(const std::string& cursor) {
  int64_t rank;
  std::string received_at, share_id;
  return cursor.empty() || parse_cursor(cursor, &rank, &received_at, &share_id);
}

ShareStore::InboxOutcome ShareStore::list(const Session& session, const InboxQuery& query,
                                          const std::string& address, std::string* out) {
  int64_t cursor_rank = 0;
  std::string cursor_at, cursor_id;
  const bool paged =
      !query.cursor.empty() && parse_cursor(query.cursor, &cursor_rank, &cursor_at, &cursor_id);
  InboxOutcome outcome = InboxOutcome::kFailed;
  // The read runs on a read connection (it never holds the writer, so shares keep arriving while
  // a large inbox is read); only its audit row goes through the writer, and the answer waits for
  // that row to be durable (issue 22).
  AuditEvent event;
  auto read_page = [&](Tx* db) {
    // The index share_recipients_inbox gives this order directly: safety flags nobody took first,
    // then other safety flags, then positive screens, newest first within each. Only the filters
    // asked for are in the SQL, so SQLite can seek (cursor) and use the family index.
    std::string sql =
        "SELECT r.share_id, r.status, s.received_at, s.summary, r.seen_at, r.seen_by_role, "
        "r.note, s.withdrawn_at, s.family_id, s.parent_role, r.rank, " +
        member_family_name_sql("s.family_id", "r.organisation_id") +
        " FROM share_recipients r JOIN shares s ON s.share_id = r.share_id WHERE "
        "r.organisation_id = ?";
    sql += query.junk ? " AND r.junk = 1" : " AND r.junk = 0";
    if (!query.status.empty()) sql += " AND r.status = ?";
    if (query.flagged_only) sql += " AND s.flag_count > 0";
    if (query.positive_only) sql += " AND s.positive = 1";
    if (!query.family_id.empty()) sql += " AND r.family_id = ?";
    if (!query.instrument.empty()) sql += " AND s.instrument_id = ?";
    if (!query.case_state.empty()) sql += " AND r.case_state = ?";
    if (paged) sql += " AND (r.rank, r.received_at, r.share_id) < (?, ?, ?)";
    sql += " ORDER BY r.rank DESC, r.received_at DESC, r.share_id DESC LIMIT ?";
    Statement rows(db, sql);
    int index = 1;
    rows.bind(index++, session.organisation_id);
    if (!query.status.empty()) rows.bind(index++, query.status);
    if (!query.family_id.empty()) rows.bind(index++, query.family_id);
    if (!query.instrument.empty()) rows.bind(index++, query.instrument);
    if (!query.case_state.empty()) rows.bind(index++, query.case_state);
    if (paged) {
      rows.bind(index, cursor_rank).bind(index + 1, cursor_at).bind(index + 2, cursor_id);
      index += 3;
    }
    rows.bind(index, static_cast<int64_t>(query.limit) + 1);
    json shares = json::array();
    std::string next_cursor;
    int64_t last_order = 0;
    int64_t safety_shown = 0;
    while (rows.step()) {
      if (static_cast<int>(shares.size()) == query.limit) {
        const json& last = shares.back();
        next_cursor = std::to_string(last_order) + "~" + last["received_at"].get<std::string>() +
                      "~" + last["share_id"].get<std::string>();
        break;
      }
      last_order = rows.integer(10);
      safety_shown += last_order >= kUntakenSafetyOrder;
      // The order is rank * 4 + tier (share_store.h); the API keeps rank 0-3 and says the tier.
      json entry = {{"share_id", rows.text(0)},
                    {"status", rows.text(1)},
                    {"received_at", rows.text(2)},
                    {"rank", last_order / kTiers},
                    {"known_family", last_order % kTiers == kTierKnownFamily},
                    {"quarantined", last_order > 0 && last_order % kTiers == kTierQuarantined}};
      if (!rows.is_null(3)) {
        entry["summary"] =
            json::parse(open_sealed("shares", "summary", rows.text(0), rows.text(3)));
      }
      static const char* names[] = {
          "", "", "", "", "seen_at", "seen_by_role", "note", "withdrawn_at", "family_id", "parent"};
      for (int column : {4, 5, 7, 8, 9}) {
        if (!rows.is_null(column)) entry[names[column]] = rows.text(column);
      }
      if (!rows.is_null(6)) {
        entry["note"] =
            open_sealed("share_recipients", "note",
                        rows.text(0) + ":" + std::to_string(session.organisation_id), rows.text(6));
      }
      if (!rows.is_null(8)) {
        entry["family_name"] =
            rows.is_null(11) ? json(nullptr)
                             : json(open_sealed("families", "name", rows.text(8), rows.text(11)));
      }
      entry["case"] = case_json(db, rows.text(0), false);
      shares.push_back(std::move(entry));
    }
    if (rows.failed()) return false;
    // From the recipient rows alone (covering index share_recipients_counts, or the family one).
    json counts = {{"all", 0},       {"received", 0},    {"seen", 0},
                   {"withdrawn", 0}, {"flagged_new", 0}, {"junk", 0}};
    json cases = {{"new", 0}, {"in_progress", 0}, {"contacted", 0}, {"closed", 0}};
    // For one family, "rank >= 0" (always true) lets SQLite seek the family index by
    // (organisation, family, rank) instead of scanning the organisation's counts index.
    Statement count(db, query.family_id.empty()
                            ? "SELECT status, case_state, junk, COUNT(*) FILTER (WHERE rank >= "
                              "12), COUNT(*) FROM share_recipients WHERE organisation_id = ? "
                              "GROUP BY status, case_state, junk"
                            : "SELECT status, case_state, junk, COUNT(*) FILTER (WHERE rank >= "
                              "12), COUNT(*) FROM share_recipients WHERE organisation_id = ? AND "
                              "family_id = ? AND rank >= 0 GROUP BY status, case_state, junk");
    count.bind(1, session.organisation_id);
    if (!query.family_id.empty()) count.bind(2, query.family_id);
    auto add = [](json& total, const std::string& key, int64_t value) {
      total[key] = total.value(key, int64_t{0}) + value;
    };
    while (count.step()) {
      const int64_t rows_here = count.integer(4);
      if (count.integer(2)) {
        add(counts, "junk", rows_here);
        continue;
      }
      add(counts, count.text(0), rows_here);
      add(counts, "all", rows_here);
      add(counts, "flagged_new", count.integer(3));
      if (count.text(0) != "withdrawn") add(cases, count.text(1), rows_here);
    }
    if (count.failed()) return false;
    counts["cases"] = std::move(cases);
    // The first page says how many untaken safety shares it could not show (a flood of them).
    const bool filtered = !query.status.empty() || query.flagged_only || query.positive_only ||
                          !query.instrument.empty() || !query.case_state.empty() || query.junk;
    json safety_not_shown = nullptr;
    if (!paged && !filtered) {
      safety_not_shown = std::max<int64_t>(0, counts["flagged_new"].get<int64_t>() - safety_shown);
    }
    // A flood: more shares in the last hour than this organisation expects.
    json alarm = nullptr;
    if (query.alarm_per_hour > 0) {
      // rank has four values: four seeks into the inbox index, no index of its own.
      Statement recent(db,
                       "SELECT COUNT(*) FROM share_recipients WHERE organisation_id = ? AND rank "
                       "IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) AND "
                       "received_at >= ?");
      recent.bind(1, session.organisation_id).bind(2, utc_timestamp_at(unix_now() - 3600));
      if (recent.step() && recent.integer(0) > query.alarm_per_hour) {
        alarm = {{"shares_last_hour", recent.integer(0)}, {"threshold", query.alarm_per_hour}};
      }
    }
    std::string detail = "status=" + (query.status.empty() ? std::string("all") : query.status) +
                         " rows=" + std::to_string(shares.size());
    if (query.flagged_only) detail += " flag=1";
    if (query.positive_only) detail += " positive=1";
    if (!query.instrument.empty()) detail += " instrument=" + query.instrument;
    if (!query.case_state.empty()) detail += " case=" + query.case_state;
    if (query.junk) detail += " junk=1";
    if (paged) detail += " page=next";
    event = professional_event(session, "inbox_view", "", address, detail);
    // Only a read that returned something of the family enters the parents' "who looked".
    if (!shares.empty()) event.family_id = query.family_id;
    json page = {{"shares", std::move(shares)},
                 {"next_cursor", next_cursor.empty() ? json(nullptr) : json(next_cursor)},
                 {"counts", std::move(counts)},
                 {"safety_not_shown", std::move(safety_not_shown)},
                 {"alarm", std::move(alarm)}};
    *out = page.dump();
    outcome = InboxOutcome::kOk;
    return true;
  };
  {
    auto lease = database_->read();
    if (!lease.tx() || !read_page(lease.tx())) return InboxOutcome::kFailed;
  }
  if (!commit_audit({event})) return InboxOutcome::kFailed;
  return outcome;
}

ShareStore::InboxOutcome ShareStore::read(const Session& session, const std::string& share_id,
                                          const std::string& address, std::string* out) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  AuditEvent event;
  {
    auto lease = database_->read();
    Tx* db = lease.tx();
    if (!db) return InboxOutcome::kFailed;
    std::string status, family_id;
    outcome =
        access_state(db, session, share_id, "share_read", address, &status, &family_id, &event);
    if (outcome == InboxOutcome::kOk) {
      Statement row(db,
                    "SELECT s.status, s.received_at, s.payload, r.seen_at, r.seen_by_role, r.note, "
                    "s.withdrawn_at, s.parent_role, r.status FROM shares s JOIN share_recipients "
                    "r ON r.share_id = s.share_id AND r.organisation_id = ? WHERE s.share_id = ?");
      row.bind(1, session.organisation_id).bind(2, share_id);
      if (!row.step()) return InboxOutcome::kFailed;
      if (row.text(0) == "withdrawn") {
        event = professional_event(session, "share_read_withdrawn", share_id, address);
        event.family_id = family_id;
        outcome = InboxOutcome::kWithdrawn;
      } else {
        json share = {
            {"share_id", share_id},
            {"status", row.text(8)},
            {"received_at", row.text(1)},
            {"share", json::parse(open_sealed("shares", "payload", share_id, row.text(2)))}};
        if (!row.is_null(3)) share["seen_at"] = row.text(3);
        if (!row.is_null(4)) share["seen_by_role"] = row.text(4);
        if (!row.is_null(5)) {
          share["note"] =
              open_sealed("share_recipients", "note",
                          share_id + ":" + std::to_string(session.organisation_id), row.text(5));
        }
        if (!family_id.empty()) {
          share["family_id"] = family_id;
          share["family_name"] = member_family_name(db, family_id, session.organisation_id);
          share["parent"] = row.text(7);
        }
        share["case"] = case_json(db, share_id, true);
        *out = share.dump();
        event = professional_event(session, "share_read", share_id, address);
        event.family_id = family_id;
      }
    } else if (outcome != InboxOutcome::kForbidden && outcome != InboxOutcome::kRemoved) {
      return outcome;  // not found or failed: nothing of a share was read
    }
  }
  if (!commit_audit({event})) {
    out->clear();
    return InboxOutcome::kFailed;
  }
  return outcome;
}

ShareStore::InboxOutcome ShareStore::mark_seen(const Session& session, const std::string& share_id,
                                               const std::string& note,
                                               const std::string& address) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    std::string status, family_id;
    outcome =
        check_access(db, session, share_id, "share_acknowledge", address, &status, &family_id);
    if (outcome == InboxOutcome::kForbidden || outcome == InboxOutcome::kRemoved) return true;
    if (outcome != InboxOutcome::kOk) return false;
    if (status == "withdrawn") {
      outcome = InboxOutcome::kWithdrawn;
      return false;
    }
    // Per receiving organisation: its "seen" and its note are its own. The parent's "seen by"
    // stays per share: the first organisation that looked.
    const std::string now = utc_timestamp_now();
    Statement mine(db,
                   "UPDATE share_recipients SET status = 'seen', seen_at = ?, seen_by_role = ?, "
                   "note = ? WHERE share_id = ? AND organisation_id = ?");
    mine.bind(1, now)
        .bind(2, session.role)
        .bind(3, seal("share_recipients", "note",
                      share_id + ":" + std::to_string(session.organisation_id), note))
        .bind(4, share_id)
        .bind(5, session.organisation_id);
    Statement update(db,
                     "UPDATE shares SET status = 'seen', seen_at = COALESCE(seen_at, ?), "
                     "seen_by_role = COALESCE(seen_by_role, ?) WHERE share_id = ?");
    update.bind(1, now).bind(2, session.role).bind(3, share_id);
    if (!mine.run()) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    AuditEvent event = professional_event(session, "share_acknowledged", share_id, address);
    event.family_id = family_id;
    std::string error;
    if (!update.run() || !sync_recipients(db, share_id) || !append_audit(db, event, &error)) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    return true;
  });
  return settle(result, outcome);
}

ShareStore::InboxOutcome ShareStore::mark_junk(const Session& session,
                                               const std::vector<std::string>& share_ids, bool junk,
                                               const std::string& address, int* updated) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    *updated = 0;
    for (const std::string& share_id : share_ids) {
      Statement mark(db,
                     "UPDATE share_recipients SET junk = ? WHERE organisation_id = ? AND "
                     "share_id = ? AND junk != ?");
      mark.bind(1, static_cast<int64_t>(junk))
          .bind(2, session.organisation_id)
          .bind(3, share_id)
          .bind(4, static_cast<int64_t>(junk));
      if (!mark.run()) return false;
      if (db->changes() == 0) continue;
      Statement family(db, "SELECT COALESCE(family_id, '') FROM shares WHERE share_id = ?");
      family.bind(1, share_id);
      AuditEvent event = professional_event(
          session, junk ? "share_marked_junk" : "share_unmarked_junk", share_id, address);
      if (family.step()) event.family_id = family.text(0);
      std::string error;
      if (!sync_recipients(db, share_id) || !append_audit(db, event, &error)) return false;
      ++*updated;
    }
    outcome = InboxOutcome::kOk;
    return true;
  });
  return settle(result, outcome);
}

bool ShareStore::audit(const AuditEvent& event) {
  auto result = database_->write([&](Tx* db) {
    std::string error;
    return append_audit(db, event, &error);
  });
  return result == Database::Outcome::kCommitted;
}

}  // namespace kindband::server
