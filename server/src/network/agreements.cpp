// Care agreements of a family (docs/care-network.md): what, which member owns it, when, status,
// comments, and the parents' answer. Also the small text checks the collaboration routes share.
#include <nlohmann/json.hpp>

#include "accounts.h"
#include "audit_log.h"
#include "collaboration.h"
#include "directory.h"
#include "kindband/conversation.h"
#include "notification_events.h"
#include "sealed_content.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"
#include "triages.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr size_t kMaxWhatChars = 300;
constexpr size_t kMaxCommentChars = 500;

std::string trimmed(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_last_not_of(" \t\r\n");
  return start == std::string::npos ? "" : text.substr(start, end - start + 1);
}

bool valid_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  int month = std::stoi(text.substr(5, 2));
  int day = std::stoi(text.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

int stage_rank(const std::string& stage) { return stage == "pregnancy" ? 0 : 1; }

// The latest moment the family shared (stage rank, week), or (-1, -1) when none.
std::pair<int, int64_t> latest_moment(Tx* db, const std::string& family_id) {
  std::pair<int, int64_t> latest{-1, -1};
  Statement rows(db,
                 "SELECT moment_stage, moment_week FROM shares WHERE family_id = ? AND status "
                 "!= 'withdrawn'");
  rows.bind(1, family_id);
  while (rows.step()) {
    if (rows.is_null(0) || rows.is_null(1)) continue;
    latest = std::max(latest, std::pair<int, int64_t>{stage_rank(rows.text(0)), rows.integer(1)});
  }
  return latest;
}

std::string today() { return utc_timestamp_now().substr(0, 10); }

}  // namespace

std::string check_short_text(const json& value, const std::string& where, size_t max_chars,
                             bool newlines) {
  if (!value.is_string()) return where + ": expected text";
  const std::string text = trimmed(value.get<std::string>());
  if (has_hidden_characters(text, newlines)) {
    return where + ": no control or text-direction characters";
  }
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars == 0) return where + ": must not be empty";
  if (chars > max_chars) return where + ": at most " + std::to_string(max_chars) + " characters";
  return "";
}

std::string parse_agreement_change(const json& body, bool creating, AgreementChange* change) {
  for (const auto& [key, value] : body.items()) {
    if (key != "what" && key != "owner_organisation" && key != "owner_username" &&
        key != "due_date" && key != "due_moment" && key != "status" &&
        key != "visible_to_parents" && !(creating && key == "triage_id")) {
      return "/" + key.substr(0, 40) + ": not a field of an agreement";
    }
  }
  if (creating && (!body.contains("what") || !body.contains("owner_organisation"))) {
    return "/what and /owner_organisation are required";
  }
  if (body.contains("what")) {
    std::string problem = check_short_text(body["what"], "/what", kMaxWhatChars);
    if (!problem.empty()) return problem;
    change->what = trimmed(body["what"].get<std::string>());
  }
  if (body.contains("owner_organisation")) {
    const json& value = body["owner_organisation"];
    if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
        value.get_ref<const std::string&>().size() > 64) {
      return "/owner_organisation: the id of a member organisation";
    }
    change->owner_organisation = value.get<std::string>();
  }
  if (body.contains("owner_username")) {
    const json& value = body["owner_username"];
    if (!value.is_null() &&
        (!value.is_string() || value.get_ref<const std::string&>().size() > 64)) {
      return "/owner_username: a professional of the owning organisation, or null";
    }
    change->owner_username = value.is_null() ? "" : value.get<std::string>();
  }
  if (body.contains("due_date")) {
    const json& value = body["due_date"];
    if (!value.is_null() && (!value.is_string() || !valid_date(value.get<std::string>()))) {
      return "/due_date: a date as YYYY-MM-DD, or null";
    }
    change->due_date = value.is_null() ? "" : value.get<std::string>();
  }
  if (body.contains("due_moment")) {
    const json& value = body["due_moment"];
    if (!value.is_null()) {
      if (!value.is_object() || value.size() != 2 || !value.contains("stage") ||
          !value.contains("week") || !value["stage"].is_string() ||
          conversation::max_moment_week(value["stage"].get<std::string>()) < 0 ||
          !value["week"].is_number_integer() || value["week"].get<int64_t>() < 0 ||
          value["week"].get<int64_t>() >
              conversation::max_moment_week(value["stage"].get<std::string>())) {
        return "/due_moment: {\"stage\": \"pregnancy\" (week 0-42) or \"postpartum\" (week "
               "0-104)}, or null";
      }
    }
    change->due_moment = value;
  }
  if (body.contains("status")) {
    const json& value = body["status"];
    if (value != "open" && value != "done" && value != "cancelled") {
      return "/status: open, done or cancelled";
    }
    change->status = value.get<std::string>();
  }
  if (body.contains("triage_id")) {
    const json& value = body["triage_id"];
    if (!value.is_number_integer() || value.get<int64_t>() < 1) {
      return "/triage_id: the id of a triage of this family whose judgement this carries out";
    }
    change->triage_id = value.get<int64_t>();
  }
  if (body.contains("visible_to_parents")) {
    if (!body["visible_to_parents"].is_boolean()) return "/visible_to_parents: true or false";
    change->visible_to_parents = body["visible_to_parents"].get<bool>();
  }
  return "";
}

json agreements_json(Tx* db, const std::string& family_id, bool for_parents) {
  const auto latest = latest_moment(db, family_id);
  const std::string now = today();
  json list = json::array();
  Statement rows(
      db,
      "SELECT a.id, a.what, o.slug, o.name, COALESCE(o.type, ''), p.username, p.role, "
      "a.due_date, a.due_stage, a.due_week, a.status, a.visible_to_parents, "
      "a.parents_suits, a.parents_comment, a.parents_at, a.parents_by, "
      "a.created_by_role, c.slug, a.created_at, a.updated_at, a.triage_id, a.needs_owner, "
      "COALESCE(p.display_name, p.username), c.name FROM "
      "agreements a "
      "JOIN organisations o ON o.id = a.owner_organisation_id "
      "LEFT JOIN professionals p ON p.id = a.owner_professional_id "
      "JOIN organisations c ON c.id = a.created_by_organisation_id "
      "WHERE a.family_id = ? ORDER BY a.id");
  rows.bind(1, family_id);
  while (rows.step()) {
    if (for_parents && !rows.integer(11)) continue;
    const int64_t id = rows.integer(0);
    json due_moment = nullptr;
    bool overdue = false;
    if (!rows.is_null(8)) {
      due_moment = {{"stage", rows.text(8)}, {"week", rows.integer(9)}};
      overdue = std::pair<int, int64_t>{stage_rank(rows.text(8)), rows.integer(9)} < latest;
    }
    if (!rows.is_null(7) && rows.text(7) < now) overdue = true;
    const std::string record = std::to_string(id);
    json entry = {
        {"id", id},
        {"what", open_sealed("agreements", "what", record, rows.text(1))},
        {"owner_organisation", rows.text(2)},
        {"owner_name", rows.text(3)},
        {"owner_type", rows.text(4)},
        {"due_date", rows.is_null(7) ? json(nullptr) : json(rows.text(7))},
        {"due_moment", due_moment},
        {"status", rows.text(10)},
        {"overdue", overdue && rows.text(10) == "open"},
        {"visible_to_parents", rows.integer(11) != 0},
        {"parents_say",
         rows.is_null(12)
             ? json(nullptr)
             : json{{"suits", rows.integer(12) != 0},
                    {"comment", rows.is_null(13) ? std::string()
                                                 : open_sealed("agreements", "parents_comment",
                                                               record, rows.text(13))},
                    {"at", rows.text(14)},
                    {"by", rows.text(15)}}},
        {"created_by",
         {{"role", rows.text(16)},
          {"organisation", rows.text(17)},
          {"organisation_name", rows.text(23)}}},
        {"created_at", rows.text(18)},
        {"updated_at", rows.text(19)},
        {"triage_id", rows.is_null(20) ? json(nullptr) : json(rows.integer(20))},
        {"needs_owner", rows.integer(21) != 0 && rows.text(10) == "open"}};
    if (for_parents) {
      entry["owner_role"] = rows.is_null(6) ? json(nullptr) : json(rows.text(6));
    } else {
      entry["owner"] =
          rows.is_null(5)
              ? json(nullptr)
              : json{{"username", rows.text(5)}, {"name", rows.text(22)}, {"role", rows.text(6)}};
    }
    json comments = json::array();
    Statement comment_rows(
        db,
        "SELECT k.author, k.role, COALESCE(o.slug, ''), COALESCE(o.name, ''), "
        "k.text, k.at, k.id FROM agreement_comments k LEFT JOIN organisations o ON "
        "o.id = k.organisation_id WHERE k.agreement_id = ? ORDER BY k.id");
    comment_rows.bind(1, id);
    while (comment_rows.step()) {
      comments.push_back(
          {{"by", comment_rows.text(0)},
           {"role", comment_rows.text(1)},
           {"organisation", comment_rows.text(2)},
           {"organisation_name", comment_rows.text(3)},
           {"text", open_sealed("agreement_comments", "text",
                                std::to_string(comment_rows.integer(6)), comment_rows.text(4))},
           {"at", comment_rows.text(5)}});
    }
    entry["comments"] = std::move(comments);
    list.push_back(std::move(entry));
  }
  return list;
}

bool erase_collaboration(Tx* db, const std::string& family_id) {
  for (const char* sql :
       {"DELETE FROM agreement_comments WHERE family_id = ?",
        "DELETE FROM agreements WHERE family_id = ?", "DELETE FROM proposals WHERE family_id = ?",
        "DELETE FROM messages WHERE family_id = ?"}) {
    Statement erase(db, sql);
    erase.bind(1, family_id);
    if (!erase.run()) return false;
  }
  return true;
}

namespace {

// Applies the owner fields of a change: the organisation must be an active member, the
// professional one of its active accounts.
bool resolve_owner(Tx* db, const std::string& family_id, const AgreementChange& change,
                   int64_t* organisation_id, std::optional<int64_t>* professional_id,
                   std::string* problem) {
  if (change.owner_organisation) {
    Statement member(db,
                     "SELECT o.id FROM memberships m JOIN organisations o ON o.id = "
                     "m.organisation_id WHERE m.family_id = ? AND o.slug = ? AND m.state = "
                     "'active'");
    member.bind(1, family_id).bind(2, *change.owner_organisation);
    if (!member.step()) {
      *problem = "/owner_organisation: '" + *change.owner_organisation +
                 "' is not in this family's care network";
      return false;
    }
    if (*organisation_id != member.integer(0)) *professional_id = std::nullopt;
    *organisation_id = member.integer(0);
  }
  if (change.owner_username) {
    if (change.owner_username->empty()) {
      *professional_id = std::nullopt;
    } else {
      Professional professional;
      if (!find_professional(db, *change.owner_username, &professional) ||
          professional.organisation_id != *organisation_id || professional.disabled) {
        *problem = "/owner_username: '" + change.owner_username->substr(0, 64) +
                   "' is not an active professional of the owning organisation";
        return false;
      }
      *professional_id = professional.id;
    }
  }
  return true;
}

json one_agreement(Tx* db, const std::string& family_id, int64_t id) {
  for (json& entry : agreements_json(db, family_id, false)) {
    if (entry["id"] == id) return entry;
  }
  return nullptr;
}

}  // namespace

FamilyOutcome CollaborationStore::create_agreement(const Session& session,
                                                   const std::string& family_id,
                                                   const AgreementChange& change,
                                                   const std::string& address,
                                                   const IdempotencyKey& idempotency, json* out,
                                                   std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "agreement_create", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    if (auto done = answer_retry(db, idempotency, "agreement", &outcome, [&](int64_t id) {
          *out = one_agreement(db, family_id, id);
          return !out->is_null();
        })) {
      return *done;
    }
    int64_t organisation_id = 0;
    std::optional<int64_t> professional_id;
    if (!resolve_owner(db, family_id, change, &organisation_id, &professional_id, problem)) {
      outcome = FamilyOutcome::kInvalid;
      return false;
    }
    if (change.triage_id &&
        !triage_visible(db, *change.triage_id, family_id, session.organisation_id)) {
      *problem = "no triage " + std::to_string(*change.triage_id) +
                 " of this family that your organisation may see";
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    const std::string now = utc_timestamp_now();
    Statement insert(db,
                     "INSERT INTO agreements(family_id, what, owner_organisation_id, "
                     "owner_professional_id, due_date, due_stage, due_week, status, "
                     "visible_to_parents, created_by_role, created_by_organisation_id, "
                     "created_at, updated_at, triage_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                     "?, ?, ?) RETURNING id");
    insert.bind(1, family_id).bind(2, "").bind(3, organisation_id);
    if (professional_id) {
      insert.bind(4, *professional_id);
    } else {
      insert.bind_null(4);
    }
    if (change.due_date && !change.due_date->empty()) {
      insert.bind(5, *change.due_date);
    } else {
      insert.bind_null(5);
    }
    if (change.due_moment && !change.due_moment->is_null()) {
      insert.bind(6, (*change.due_moment)["stage"].get<std::string>())
          .bind(7, (*change.due_moment)["week"].get<int64_t>());
    } else {
      insert.bind_null(6).bind_null(7);
    }
    insert.bind(8, change.status.value_or("open"))
        .bind(9, static_cast<int64_t>(change.visible_to_parents.value_or(true)))
        .bind(10, session.role)
        .bind(11, session.organisation_id)
        .bind(12, now)
        .bind(13, now);
    if (change.triage_id) {
      insert.bind(14, *change.triage_id);
    } else {
      insert.bind_null(14);
    }
    if (!insert.step()) return false;
    const int64_t id = insert.integer(0);
    insert.run();
    if (!store_sealed(db, "agreements", "what", id, *change.what) ||
        !remember_idempotency_key(db, idempotency, "agreement", id)) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    if (!audit(db,
               session_event(
                   session, "agreement_created", family_id, address,
                   "agreement=" + std::to_string(id) +
                       (change.triage_id ? " triage=" + std::to_string(*change.triage_id) : "")))) {
      return false;
    }
    if (change.visible_to_parents.value_or(true) && !notify_parents(db, family_id, "")) {
      return false;
    }
    *out = one_agreement(db, family_id, id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome CollaborationStore::change_agreement(
    const Session& session, const std::string& family_id, int64_t agreement_id,
    const AgreementChange& change, const std::string& address, json* out, std::string* problem) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "agreement_change", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    Statement row(db,
                  "SELECT owner_organisation_id, owner_professional_id, status FROM agreements "
                  "WHERE id = ? AND family_id = ?");
    row.bind(1, agreement_id).bind(2, family_id);
    if (!row.step()) {
      *problem = "no agreement " + std::to_string(agreement_id) + " in this family";
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    int64_t organisation_id = row.integer(0);
    std::optional<int64_t> professional_id;
    if (!row.is_null(1)) professional_id = row.integer(1);
    const std::string status = row.text(2);
    if (status != "open" && change.status && *change.status != "open" && *change.status != status) {
      *problem = "the agreement is " + status + ": reopen it first ({\"status\": \"open\"})";
      outcome = FamilyOutcome::kConflict;
      return false;
    }
    if (!resolve_owner(db, family_id, change, &organisation_id, &professional_id, problem)) {
      outcome = FamilyOutcome::kInvalid;
      return false;
    }
    std::string detail = "agreement=" + std::to_string(agreement_id);
    Statement update(
        db,
        "UPDATE agreements SET what = COALESCE(?, what), owner_organisation_id = ?, "
        "owner_professional_id = ?, due_date = CASE WHEN ? THEN ? ELSE due_date END, "
        "due_stage = CASE WHEN ? THEN ? ELSE due_stage END, due_week = CASE WHEN ? "
        "THEN ? ELSE due_week END, status = COALESCE(?, status), visible_to_parents "
        "= COALESCE(?, visible_to_parents), updated_at = ?, needs_owner = CASE WHEN ? THEN 0 ELSE "
        "needs_owner END WHERE id = ?");
    update
        .bind_optional(
            1, seal_optional("agreements", "what", std::to_string(agreement_id), change.what))
        .bind(2, organisation_id);
    if (professional_id) {
      update.bind(3, *professional_id);
    } else {
      update.bind_null(3);
    }
    update.bind(4, static_cast<int64_t>(change.due_date.has_value()));
    if (change.due_date && !change.due_date->empty()) {
      update.bind(5, *change.due_date);
    } else {
      update.bind_null(5);
    }
    const bool moment = change.due_moment.has_value();
    const bool moment_set = moment && !change.due_moment->is_null();
    update.bind(6, static_cast<int64_t>(moment));
    if (moment_set) {
      update.bind(7, (*change.due_moment)["stage"].get<std::string>());
    } else {
      update.bind_null(7);
    }
    update.bind(8, static_cast<int64_t>(moment));
    if (moment_set) {
      update.bind(9, (*change.due_moment)["week"].get<int64_t>());
    } else {
      update.bind_null(9);
    }
    update.bind_optional(10, change.status);
    if (change.visible_to_parents) {
      update.bind(11, static_cast<int64_t>(*change.visible_to_parents));
    } else {
      update.bind_null(11);
    }
    // A new owner (organisation or professional) ends "needs a new owner".
    update.bind(12, utc_timestamp_now())
        .bind(13, static_cast<int64_t>(change.owner_organisation.has_value() ||
                                       (change.owner_username && !change.owner_username->empty())))
        .bind(14, agreement_id);
    if (change.status) detail += " status=" + *change.status;
    if (!update.run() ||
        !audit(db, session_event(session, "agreement_changed", family_id, address, detail))) {
      return false;
    }
    *out = one_agreement(db, family_id, agreement_id);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome CollaborationStore::comment_agreement(const Session& session,
                                                    const std::string& family_id,
                                                    int64_t agreement_id, const std::string& text,
                                                    const std::string& address,
                                                    const IdempotencyKey& idempotency, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "agreement_comment", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    if (auto done = answer_retry(db, idempotency, "agreement_comment", &outcome, [&](int64_t) {
          *out = one_agreement(db, family_id, agreement_id);
          return !out->is_null();
        })) {
      return *done;
    }
    Statement insert(db,
                     "INSERT INTO agreement_comments(agreement_id, family_id, author, role, "
                     "organisation_id, text, at) SELECT id, family_id, 'professional', ?, ?, ?, ? "
                     "FROM agreements WHERE id = ? AND family_id = ? RETURNING id");
    insert.bind(1, session.role)
        .bind(2, session.organisation_id)
        .bind(3, "")
        .bind(4, utc_timestamp_now())
        .bind(5, agreement_id)
        .bind(6, family_id);
    if (!insert.step()) {
      outcome = insert.failed() ? FamilyOutcome::kFailed : FamilyOutcome::kNotFound;
      return false;
    }
    const int64_t comment_id = insert.integer(0);
    insert.run();
    if (!store_sealed(db, "agreement_comments", "text", comment_id, text) ||
        !remember_idempotency_key(db, idempotency, "agreement_comment", comment_id)) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    if (!audit(db, session_event(session, "agreement_commented", family_id, address,
                                 "agreement=" + std::to_string(agreement_id)))) {
      return false;
    }
    *out = one_agreement(db, family_id, agreement_id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome CollaborationStore::respond_to_agreement(const ParentDevice& parent,
                                                       int64_t agreement_id, bool suits,
                                                       const std::string& comment,
                                                       const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    const std::string now = utc_timestamp_now();
    Statement update(db,
                     "UPDATE agreements SET parents_suits = ?, parents_comment = ?, parents_at = "
                     "?, parents_by = ?, updated_at = ? WHERE id = ? AND family_id = ? AND "
                     "visible_to_parents = 1 AND family_id IN (SELECT family_id FROM "
                     "family_parents WHERE id = ?)");
    update.bind(1, static_cast<int64_t>(suits))
        .bind(2, seal("agreements", "parents_comment", std::to_string(agreement_id), comment))
        .bind(3, now)
        .bind(4, parent.role)
        .bind(5, now)
        .bind(6, agreement_id)
        .bind(7, parent.family_id)
        .bind(8, parent.id);
    if (!update.run()) return false;
    if (db->changes() == 0) {
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    if (!comment.empty()) {
      Statement insert(db,
                       "INSERT INTO agreement_comments(agreement_id, family_id, author, role, "
                       "organisation_id, text, at) VALUES(?, ?, 'parent', ?, NULL, ?, ?) "
                       "RETURNING id");
      insert.bind(1, agreement_id).bind(2, parent.family_id).bind(3, parent.role).bind(4, "");
      insert.bind(5, now);
      if (!insert.step()) return false;
      const int64_t comment_id = insert.integer(0);
      insert.run();
      if (!store_sealed(db, "agreement_comments", "text", comment_id, comment)) return false;
    }
    if (!audit(db, parent_event(parent, "agreement_parent_response", address, "",
                                std::string("agreement=") + std::to_string(agreement_id) +
                                    (suits ? " suits" : " does_not_suit")))) {
      return false;
    }
    for (json& entry : agreements_json(db, parent.family_id, true)) {
      if (entry["id"] == agreement_id) *out = entry;
    }
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

}  // namespace kindband::server
