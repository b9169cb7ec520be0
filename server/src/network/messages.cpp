// Messages between the network and the family (docs/care-network.md): short texts stored with the
// family and erased with it. Nothing is ever sent by e-mail or SMS.
#include <nlohmann/json.hpp>

#include "audit_log.h"
#include "collaboration.h"
#include "share_store.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr const char* kSelectMessages =
    "SELECT m.id, m.author, m.role, COALESCE(o.slug, ''), COALESCE(o.name, ''), m.signed_as, "
    "m.text, m.at FROM messages m LEFT JOIN organisations o ON o.id = m.organisation_id ";

json message_json(const Statement& row) {
  json message = {
      {"id", row.integer(0)}, {"from", row.text(1)}, {"text", row.text(6)}, {"at", row.text(7)}};
  if (row.text(1) == "parent") {
    message["parent"] = row.text(2);
  } else {
    message["role"] = row.text(2);
    message["organisation"] = row.text(3);
    message["organisation_name"] = row.text(4);
    message["signed_as"] = row.is_null(5) ? json(nullptr) : json(row.text(5));
  }
  return message;
}

json one_message(sqlite3* db, int64_t id) {
  Statement row(db, std::string(kSelectMessages) + "WHERE m.id = ?");
  row.bind(1, id);
  return row.step() ? message_json(row) : json(nullptr);
}

}  // namespace

json messages_json(sqlite3* db, const std::string& family_id) {
  json list = json::array();
  Statement rows(db, std::string(kSelectMessages) + "WHERE m.family_id = ? ORDER BY m.id");
  rows.bind(1, family_id);
  while (rows.step()) list.push_back(message_json(rows));
  return list;
}

FamilyOutcome CollaborationStore::send_message(const Session& session, const std::string& family_id,
                                               const std::string& text, const std::string& sign_as,
                                               const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    outcome = member_access(db, session, family_id, "message_send", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    Statement insert(db,
                     "INSERT INTO messages(family_id, author, role, organisation_id, "
                     "professional_id, signed_as, text, at) VALUES(?, 'professional', ?, ?, ?, ?, "
                     "?, ?)");
    insert.bind(1, family_id)
        .bind(2, session.role)
        .bind(3, session.organisation_id)
        .bind(4, session.professional_id)
        .bind_optional(5, sign_as.empty() ? std::nullopt : std::optional<std::string>(sign_as))
        .bind(6, text)
        .bind(7, utc_timestamp_now());
    if (!insert.run()) return false;
    const int64_t id = sqlite3_last_insert_rowid(db);
    if (!audit(db, session_event(session, "message_sent", family_id, address,
                                 "message=" + std::to_string(id)))) {
      return false;
    }
    *out = one_message(db, id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return GroupCommitWriter::settle(result, outcome, FamilyOutcome::kFailed,
                                   {FamilyOutcome::kCreated});
}

FamilyOutcome CollaborationStore::parent_message(const ParentDevice& parent,
                                                 const std::string& text,
                                                 const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement insert(db,
                     "INSERT INTO messages(family_id, author, role, text, at) VALUES(?, "
                     "'parent', ?, ?, ?)");
    insert.bind(1, parent.family_id)
        .bind(2, parent.role)
        .bind(3, text)
        .bind(4, utc_timestamp_now());
    if (!insert.run()) return false;
    const int64_t id = sqlite3_last_insert_rowid(db);
    if (!audit(db, parent_event(parent, "message_sent", address, "",
                                "message=" + std::to_string(id)))) {
      return false;
    }
    *out = one_message(db, id);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return GroupCommitWriter::settle(result, outcome, FamilyOutcome::kFailed,
                                   {FamilyOutcome::kCreated});
}

}  // namespace kindband::server
