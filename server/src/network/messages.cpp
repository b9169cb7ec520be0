// Messages between the network and the family (docs/care-network.md): short texts stored with the
// family and erased with it. Nothing is ever sent by e-mail or SMS.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "audit_log.h"
#include "collaboration.h"
#include "notification_events.h"
#include "parent_space.h"
#include "sealed_content.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

// What one family's parents may store as messages (issue 22): a script cannot fill the database or
// the professionals' day with them.
constexpr int64_t kMaxParentMessagesPerFamily = 500;
constexpr int64_t kMaxParentMessageBytesPerFamily = 256 * 1024;
// A family page and the day view show the newest messages; older ones are paged.
constexpr int64_t kMessagesPerPage = 50;

constexpr const char* kSelectMessages =
    "SELECT m.id, m.author, m.role, COALESCE(o.slug, ''), COALESCE(o.name, ''), m.signed_as, "
    "m.text, m.at, COALESCE(t.slug, ''), COALESCE(t.name, ''), m.to_parent, m.show_to_family "
    "FROM messages m LEFT JOIN organisations o ON o.id = m.organisation_id LEFT JOIN "
    "organisations t ON t.id = m.to_organisation_id ";

json message_json(const Statement& row) {
  json message = {
      {"id", row.integer(0)},
      {"from", row.text(1)},
      {"text", open_sealed("messages", "text", std::to_string(row.integer(0)), row.text(6))},
      {"at", row.text(7)}};
  if (row.text(1) == "parent") {
    message["parent"] = row.text(2);
    // Only to one organisation (and private from the other parent unless shown to the family).
    message["organisation"] = row.text(8).empty() ? json(nullptr) : json(row.text(8));
    if (!row.text(8).empty()) message["organisation_name"] = row.text(9);
    message["show_to_family"] = row.integer(11) != 0;
  } else {
    message["to_parent"] = row.is_null(10) ? json(nullptr) : json(row.text(10));
    message["role"] = row.text(2);
    message["organisation"] = row.text(3);
    message["organisation_name"] = row.text(4);
    message["signed_as"] = row.is_null(5) ? json(nullptr) : json(row.text(5));
  }
  return message;
}

json one_message(Tx* db, int64_t id) {
  Statement row(db, std::string(kSelectMessages) + "WHERE m.id = ?");
  row.bind(1, id);
  return row.step() ? message_json(row) : json(nullptr);
}

// The common end of both inserts: runs `insert` (a message row with an empty text, RETURNING id),
// then seals the text for its own row (the id is known only now) and remembers the idempotency key.
// 0 when any step failed.
int64_t insert_sealed_message(Tx* db, Statement& insert, const std::string& text,
                              const IdempotencyKey& idempotency) {
  if (!insert.step()) return 0;
  const int64_t id = insert.integer(0);
  insert.run();
  if (!store_sealed(db, "messages", "text", id, text) ||
      !remember_idempotency_key(db, idempotency, "message", id)) {
    return 0;
  }
  return id;
}

}  // namespace

namespace {

// The newest page of the messages `visible` selects (a condition with ?1 = family, ?2 = viewer),
// before message id `before` (0 = the newest), oldest first; *older counts the earlier ones.
template <typename Viewer>
json message_page(Tx* db, const char* visible, const std::string& family_id, const Viewer& viewer,
                  int64_t before, int64_t* older) {
  Statement rows(db, std::string(kSelectMessages) + "WHERE m.family_id = ?1 AND " + visible +
                         " AND (?3 = 0 OR m.id < ?3) ORDER BY m.id DESC LIMIT ?4");
  rows.bind(1, family_id).bind(2, viewer).bind(3, before).bind(4, kMessagesPerPage);
  json list = json::array();
  int64_t oldest = 0;
  while (rows.step()) {
    oldest = rows.integer(0);
    list.push_back(message_json(rows));
  }
  std::reverse(list.begin(), list.end());
  if (older) {
    *older = 0;
    if (static_cast<int64_t>(list.size()) == kMessagesPerPage) {
      Statement count(
          db, std::string("SELECT COUNT(*) FROM messages m WHERE m.family_id = ?1 AND ") + visible +
                  " AND m.id < ?3");
      count.bind(1, family_id).bind(2, viewer).bind(3, oldest);
      if (count.step()) *older = count.integer(0);
    }
  }
  return list;
}

constexpr const char* kVisibleToParentSql =
    "((m.author = 'parent' AND (m.role = ?2 OR m.show_to_family = 1)) OR (m.author = "
    "'professional' AND (m.to_parent IS NULL OR m.to_parent = ?2)))";
// A parent's message reaches the organisations there for that parent (or the one it names); a
// professional's reply to one parent stays in the organisation that wrote it.
constexpr const char* kMessagesVisibleToOrganisationSql =
    "((m.author = 'parent' AND (m.to_organisation_id IS NULL OR m.to_organisation_id = ?2) AND "
    "NOT EXISTS(SELECT 1 FROM membership_withdrawals w WHERE w.family_id = m.family_id AND "
    "w.organisation_id = ?2 AND w.role = m.role)) OR (m.author = 'professional' AND (m.to_parent "
    "IS NULL OR m.organisation_id = ?2)))";

}  // namespace

json messages_for_parent_json(Tx* db, const std::string& family_id, const std::string& role,
                              int64_t before, int64_t* older) {
  return message_page(db, kVisibleToParentSql, family_id, std::string_view(role), before, older);
}

json messages_for_organisation_json(Tx* db, const std::string& family_id, int64_t organisation_id,
                                    int64_t before, int64_t* older) {
  return message_page(db, kMessagesVisibleToOrganisationSql, family_id, organisation_id, before,
                      older);
}

FamilyOutcome CollaborationStore::send_message(const Session& session, const std::string& family_id,
                                               const std::string& text, const std::string& sign_as,
                                               const std::string& to_parent,
                                               const std::string& address,
                                               const IdempotencyKey& idempotency, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "message_send", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    if (auto done = answer_retry(db, idempotency, "message", &outcome, [&](int64_t id) {
          *out = one_message(db, id);
          return !out->is_null();
        })) {
      return *done;
    }
    Statement insert(
        db,
        "INSERT INTO messages(family_id, author, role, organisation_id, "
        "professional_id, signed_as, text, at, to_parent) VALUES(?, 'professional', ?, "
        "?, ?, ?, ?, ?, ?) RETURNING id");
    insert.bind(1, family_id)
        .bind(2, session.role)
        .bind(3, session.organisation_id)
        .bind(4, session.professional_id)
        .bind_optional(5, sign_as.empty() ? std::nullopt : std::optional<std::string>(sign_as))
        .bind(6, "")
        .bind(7, utc_timestamp_now())
        .bind_optional(8, to_parent.empty() ? std::nullopt : std::optional<std::string>(to_parent));
    const int64_t id = insert_sealed_message(db, insert, text, idempotency);
    if (id == 0) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    if (!audit(db, session_event(session, "message_sent", family_id, address,
                                 "message=" + std::to_string(id))) ||
        !notify_parents(db, family_id, to_parent)) {
      return false;
    }
    *out = one_message(db, id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome CollaborationStore::parent_message(const ParentDevice& parent,
                                                 const std::string& text,
                                                 const std::string& organisation_slug,
                                                 bool show_to_family, const std::string& address,
                                                 const IdempotencyKey& idempotency, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    if (auto done = answer_retry(db, idempotency, "message", &outcome, [&](int64_t id) {
          *out = one_message(db, id);
          return !out->is_null();
        })) {
      return *done;
    }
    Statement used(db,
                   "SELECT COUNT(*), COALESCE(SUM(LENGTH(text)), 0) FROM messages WHERE family_id "
                   "= ? AND author = 'parent'");
    used.bind(1, parent.family_id);
    if (!used.step()) return false;
    // Counted on the sealed values (their size gives the plain size), without opening them.
    if (used.integer(0) >= kMaxParentMessagesPerFamily ||
        plain_bytes_of_sealed(used.integer(1), used.integer(0)) +
                static_cast<int64_t>(text.size()) >
            kMaxParentMessageBytesPerFamily) {
      outcome = FamilyOutcome::kConflict;
      return false;
    }
    std::optional<int64_t> to_organisation;
    if (!organisation_slug.empty()) {
      const int64_t organisation_id =
          organisation_there_for(db, parent.family_id, organisation_slug, parent.role);
      if (organisation_id <= 0) {
        outcome = organisation_id < 0 ? FamilyOutcome::kFailed : FamilyOutcome::kNotMember;
        return false;
      }
      to_organisation = organisation_id;
    }
    Statement insert(db,
                     "INSERT INTO messages(family_id, author, role, text, at, to_organisation_id, "
                     "show_to_family) VALUES(?, 'parent', ?, ?, ?, ?, ?) RETURNING id");
    insert.bind(1, parent.family_id).bind(2, parent.role).bind(3, "").bind(4, utc_timestamp_now());
    if (to_organisation) {
      insert.bind(5, *to_organisation);
    } else {
      insert.bind_null(5);
    }
    insert.bind(6, static_cast<int64_t>(show_to_family ? 1 : 0));
    const int64_t id = insert_sealed_message(db, insert, text, idempotency);
    if (id == 0) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    if (!audit(db, parent_event(parent, "message_sent", address, "",
                                "message=" + std::to_string(id)))) {
      return false;
    }
    const bool notified =
        to_organisation
            ? notify_organisation(db, *to_organisation, NotificationKind::kParentMessage)
            : notify_family_organisations(db, parent.family_id, parent.role,
                                          NotificationKind::kParentMessage);
    if (!notified) return false;
    *out = one_message(db, id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

}  // namespace kindband::server
