// The case of a share (docs/care-network.md): one owner across the network, each step with who and
// when. The transitions are a small table; everything else is a conflict that says what to do.
#include <nlohmann/json.hpp>

#include "accounts.h"
#include "directory.h"
#include "notification_events.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr size_t kMaxSignChars = 60;
constexpr size_t kMaxCloseNoteChars = 300;
constexpr const char* kCloseReasons[] = {"care_started",     "no_care_needed", "referred",
                                         "parents_declined", "unreachable",    "other"};

size_t utf8_chars(const std::string& text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

bool add_event(Tx* db, const std::string& share_id, const std::string& state,
               const std::string& action, const Session& session, const std::string& detail) {
  Statement insert(db,
                   "INSERT INTO case_events(share_id, state, action, username, role, "
                   "organisation, at, detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, share_id)
      .bind(2, state)
      .bind(3, action)
      .bind(4, session.username)
      .bind(5, session.role)
      .bind(6, session.organisation_slug)
      .bind(7, utc_timestamp_now())
      .bind(8, detail);
  return insert.run();
}

json optional_text(const Statement& row, int column) {
  return row.is_null(column) ? json(nullptr) : json(row.text(column));
}

}  // namespace

bool sync_recipients(Tx* db, const std::string& share_id) {
  // A share an organisation marked as junk stays at the bottom of that organisation's inbox.
  Statement sync(db, std::string("UPDATE share_recipients SET rank = CASE WHEN junk = 1 THEN 0 "
                                 "ELSE (SELECT ") +
                         kInboxRankSql +
                         " FROM shares s WHERE s.share_id = share_recipients.share_id) * 4 + tier "
                         "END, "
                         "status = CASE WHEN (SELECT status FROM shares s WHERE s.share_id = "
                         "share_recipients.share_id) = 'withdrawn' THEN 'withdrawn' ELSE status "
                         "END, note = CASE WHEN (SELECT status FROM shares s WHERE s.share_id = "
                         "share_recipients.share_id) = 'withdrawn' THEN NULL ELSE note END, "
                         "case_state = (SELECT case_state FROM shares s WHERE s.share_id = "
                         "share_recipients.share_id) WHERE share_id = ?");
  sync.bind(1, share_id);
  return sync.run();
}

std::string member_family_name_sql(const std::string& family, const std::string& organisation) {
  return "(SELECT f.name FROM families f WHERE f.id = " + family +
         " AND f.erased_at IS NULL AND EXISTS(SELECT 1 FROM memberships m WHERE m.family_id = "
         "f.id AND m.organisation_id = " +
         organisation + " AND m.state = 'active'))";
}

json member_family_name(Tx* db, const std::string& family_id, int64_t organisation_id) {
  if (family_id.empty()) return nullptr;
  Statement row(db, "SELECT " + member_family_name_sql("?1", "?2"));
  row.bind(1, family_id).bind(2, organisation_id);
  if (!row.step() || row.is_null(0)) return nullptr;
  return open_sealed("families", "name", family_id, row.text(0));
}

bool known_family(Tx* db, const std::string& family_id, int64_t organisation_id) {
  Statement row(db,
                "SELECT 1 FROM memberships WHERE family_id = ? AND organisation_id = ? AND state "
                "= 'active' AND via IN ('invitation', 'referral')");
  row.bind(1, family_id).bind(2, organisation_id);
  return row.step();
}

bool retier_family(Tx* db, const std::string& family_id, int64_t organisation_id) {
  const int64_t tier =
      known_family(db, family_id, organisation_id) ? kTierKnownFamily : kTierFamily;
  Statement update(db,
                   "UPDATE share_recipients SET rank = CASE WHEN junk = 1 THEN 0 ELSE (rank / 4) "
                   "* 4 + ? END, tier = ? WHERE organisation_id = ? AND family_id = ? AND tier != "
                   "0");
  update.bind(1, tier).bind(2, tier).bind(3, organisation_id).bind(4, family_id);
  return update.run();
}

json case_json(Tx* db, const std::string& share_id, bool with_history) {
  Statement row(
      db,
      "SELECT s.case_state, p.username, p.role, o.slug, s.case_signed_as, "
      "s.case_taken_at, s.case_contacted_at, s.case_closed_at, s.case_close_reason, "
      "s.case_close_note, o.name, COALESCE(p.display_name, p.username) FROM shares s LEFT "
      "JOIN professionals p ON p.id = "
      "s.case_owner_id LEFT JOIN organisations o ON o.id = "
      "s.case_owner_organisation_id WHERE s.share_id = ?");
  row.bind(1, share_id);
  if (!row.step()) return nullptr;
  json result = {{"state", row.text(0)},
                 {"owner", row.is_null(1) ? json(nullptr)
                                          : json{{"username", row.text(1)},
                                                 {"name", row.text(11)},
                                                 {"role", row.text(2)},
                                                 {"organisation", row.text(3)},
                                                 {"organisation_name", row.text(10)}}},
                 {"signed_as", optional_text(row, 4)},
                 {"taken_at", optional_text(row, 5)},
                 {"contacted_at", optional_text(row, 6)},
                 {"closed_at", optional_text(row, 7)},
                 {"close_reason", optional_text(row, 8)},
                 {"close_note", row.is_null(9) ? json(nullptr)
                                               : json(open_sealed("shares", "case_close_note",
                                                                  share_id, row.text(9)))}};
  if (with_history) {
    json history = json::array();
    Statement events(
        db,
        "SELECT e.state, e.action, e.username, e.role, e.organisation, e.at, e.detail, "
        "COALESCE(o.name, e.organisation), COALESCE(p.display_name, e.username), "
        "COALESCE(t.display_name, t.username) FROM case_events e LEFT JOIN organisations o ON "
        "o.slug = e.organisation LEFT JOIN professionals p ON p.username = e.username LEFT JOIN "
        "professionals t ON e.detail = 'to=' || t.username WHERE e.share_id = ? ORDER BY e.id");
    events.bind(1, share_id);
    while (events.step()) {
      json event = {{"state", events.text(0)},    {"action", events.text(1)},
                    {"username", events.text(2)}, {"name", events.text(8)},
                    {"role", events.text(3)},     {"organisation", events.text(4)},
                    {"at", events.text(5)},       {"organisation_name", events.text(7)}};
      const std::string detail = events.text(6);
      if (!detail.empty()) event["detail"] = detail;
      if (detail.rfind("reason=", 0) == 0) event["reason"] = detail.substr(7);
      if (detail.rfind("to=", 0) == 0) {
        event["to"] = detail.substr(3);
        if (!events.is_null(9)) event["to_name"] = events.text(9);
      }
      history.push_back(std::move(event));
    }
    result["history"] = std::move(history);
  }
  return result;
}

json case_for_parent(Tx* db, const std::string& share_id) {
  Statement row(db,
                "SELECT s.case_state, p.role, COALESCE(o.type, ''), o.name, s.case_signed_as, "
                "s.case_close_reason, s.case_taken_at, s.case_contacted_at, s.case_closed_at "
                "FROM shares s LEFT JOIN professionals p ON p.id = "
                "s.case_owner_id LEFT JOIN organisations o ON o.id = "
                "s.case_owner_organisation_id WHERE s.share_id = ?");
  row.bind(1, share_id);
  if (!row.step()) return nullptr;
  return json{{"state", row.text(0)},
              {"role", optional_text(row, 1)},
              {"organisation_type",
               row.is_null(2) || row.text(2).empty() ? json(nullptr) : json(row.text(2))},
              {"organisation_name", optional_text(row, 3)},
              {"signed_as", optional_text(row, 4)},
              {"close_reason", optional_text(row, 5)},
              {"taken_at", optional_text(row, 6)},
              {"contacted_at", optional_text(row, 7)},
              {"closed_at", optional_text(row, 8)}};
}

ShareStore::InboxOutcome ShareStore::change_case(const Session& session,
                                                 const std::string& share_id,
                                                 const CaseAction& action,
                                                 const std::string& address, std::string* out,
                                                 std::string* conflict) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    std::string status, family_id;
    outcome = check_access(db, session, share_id, "case_change", address, &status, &family_id);
    if (outcome == InboxOutcome::kForbidden || outcome == InboxOutcome::kRemoved) return true;
    if (outcome != InboxOutcome::kOk) return false;
    if (status == "withdrawn") {
      outcome = InboxOutcome::kWithdrawn;
      return false;
    }
    Statement row(db,
                  "SELECT s.case_state, s.case_owner_organisation_id, p.role, o.name, "
                  "s.case_owner_id FROM shares s LEFT JOIN professionals p ON p.id = "
                  "s.case_owner_id LEFT JOIN organisations o ON o.id = "
                  "s.case_owner_organisation_id WHERE s.share_id = ?");
    row.bind(1, share_id);
    if (!row.step()) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    const std::string state = row.text(0);
    const bool owning_organisation = !row.is_null(1) && row.integer(1) == session.organisation_id;
    const std::string owner = row.is_null(2) ? "" : row.text(2) + " (" + row.text(3) + ")";
    auto refuse = [&](const std::string& why) {
      *conflict = why;
      outcome = InboxOutcome::kConflict;
      return false;
    };
    const std::string now = utc_timestamp_now();
    std::string next_state = state;
    std::string detail;
    if (action.action == "take") {
      if (state == "in_progress" || state == "contacted") {
        return refuse("already_taken: " + owner + " took this case already");
      }
      if (state == "closed") return refuse("the case is closed");
      Statement take(db,
                     "UPDATE shares SET case_state = 'in_progress', case_owner_id = ?, "
                     "case_owner_organisation_id = ?, case_signed_as = ?, case_taken_at = ? "
                     "WHERE share_id = ? AND case_state = 'new'");
      take.bind(1, session.professional_id)
          .bind(2, session.organisation_id)
          .bind_optional(
              3, action.sign_as.empty() ? std::nullopt : std::optional<std::string>(action.sign_as))
          .bind(4, now)
          .bind(5, share_id);
      if (!take.run()) return false;
      // Only a case still new is taken: with writes running side by side (several writers, or
      // several servers on one database) the other take may have won between read and update.
      if (db->changes() != 1) {
        return refuse("already_taken: somebody took this case a moment ago; reload it");
      }
      next_state = "in_progress";
    } else if (action.action == "contacted" || action.action == "close" ||
               action.action == "reassign" || action.action == "sign") {
      if (state == "new") return refuse("the case is new: take it first");
      if (state == "closed") return refuse("the case is closed");
      if (!owning_organisation) {
        return refuse("not_owner: " + owner + " has this case; only their organisation changes it");
      }
      if (action.action == "sign") {
        // The owner (only) chooses whether the parents see a name.
        if (row.is_null(4) || row.integer(4) != session.professional_id) {
          return refuse("not_owner: only " + owner + " signs this case");
        }
        Statement update(db, "UPDATE shares SET case_signed_as = ? WHERE share_id = ?");
        update
            .bind_optional(1, action.sign_as.empty() ? std::nullopt
                                                     : std::optional<std::string>(action.sign_as))
            .bind(2, share_id);
        if (!update.run()) return false;
        detail = action.sign_as.empty() ? "unsigned" : "signed";
      } else if (action.action == "contacted") {
        if (state != "in_progress") return refuse("the parents were marked as contacted already");
        Statement update(db,
                         "UPDATE shares SET case_state = 'contacted', case_contacted_at = ? WHERE "
                         "share_id = ? AND case_state = 'in_progress'");
        update.bind(1, now).bind(2, share_id);
        if (!update.run()) return false;
        if (db->changes() != 1) return refuse("the case changed a moment ago; reload it");
        next_state = "contacted";
      } else if (action.action == "close") {
        Statement update(db,
                         "UPDATE shares SET case_state = 'closed', case_closed_at = ?, "
                         "case_close_reason = ?, case_close_note = ? WHERE share_id = ? AND "
                         "case_state != 'closed'");
        update.bind(1, now)
            .bind(2, action.reason)
            .bind_optional(3, action.note.empty()
                                  ? std::nullopt
                                  : std::optional<std::string>(
                                        seal("shares", "case_close_note", share_id, action.note)))
            .bind(4, share_id);
        if (!update.run()) return false;
        if (db->changes() != 1) return refuse("the case is closed");
        next_state = "closed";
        detail = "reason=" + action.reason;
      } else {
        // To a colleague, or a hand-over to a professional of another organisation that received
        // this share (e.g. the midwife hands over to youth health care after a referral).
        Professional colleague;
        bool may_receive =
            find_professional(db, action.username, &colleague) && !colleague.disabled;
        if (may_receive && colleague.organisation_id != session.organisation_id) {
          Statement recipient(db,
                              "SELECT 1 FROM share_recipients WHERE share_id = ? AND "
                              "organisation_id = ?");
          recipient.bind(1, share_id).bind(2, colleague.organisation_id);
          may_receive = recipient.step();
        }
        if (!may_receive) {
          return refuse("not_a_colleague: '" + action.username.substr(0, 64) +
                        "' is not an active professional of your organisation or of another "
                        "organisation that received this share");
        }
        Statement update(db,
                         "UPDATE shares SET case_owner_id = ?, case_owner_organisation_id = ?, "
                         "case_signed_as = ? WHERE share_id = ?");
        update.bind(1, colleague.id)
            .bind(2, colleague.organisation_id)
            .bind_optional(3, action.sign_as.empty() ? std::nullopt
                                                     : std::optional<std::string>(action.sign_as))
            .bind(4, share_id);
        if (!update.run()) return false;
        if (colleague.id != session.professional_id &&
            !notify_professional(db, colleague.id, NotificationKind::kCaseAssigned)) {
          return false;
        }
        detail = "to=" + colleague.username;
      }
    } else {
      return false;  // check_case_action() lets no other action through
    }
    AuditEvent event =
        professional_event(session, "case_" + action.action, share_id, address, detail);
    event.family_id = family_id;
    std::string error;
    if (!add_event(db, share_id, next_state, action.action, session, detail) ||
        !sync_recipients(db, share_id) || !append_audit(db, event, &error)) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    *out = case_json(db, share_id, true).dump();
    outcome = InboxOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, InboxOutcome::kFailed, {InboxOutcome::kOk});
}

std::string check_case_action(const ShareStore::CaseAction& action) {
  if (action.action != "take" && action.action != "contacted" && action.action != "close" &&
      action.action != "reassign" && action.action != "sign") {
    return "/action: must be take, contacted, close, reassign or sign";
  }
  if (utf8_chars(action.sign_as) > kMaxSignChars) return "/sign_as: at most 60 characters";
  if (has_hidden_characters(action.sign_as, false)) {
    return "/sign_as: no control or text-direction characters";
  }
  if (utf8_chars(action.note) > kMaxCloseNoteChars) return "/note: at most 300 characters";
  if (has_hidden_characters(action.note, true)) {
    return "/note: no control or text-direction characters";
  }
  if (action.action == "close") {
    bool known = false;
    for (const char* reason : kCloseReasons) known = known || action.reason == reason;
    if (!known) {
      return "/reason: one of care_started, no_care_needed, referred, parents_declined, "
             "unreachable, other";
    }
    if (action.reason == "other" && action.note.empty()) {
      return "/note: say why, when the reason is other";
    }
  }
  if (action.action == "reassign" && action.username.empty()) {
    return "/username: the colleague who takes over";
  }
  return "";
}

}  // namespace kindband::server
