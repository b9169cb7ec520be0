#include "share_store.h"

#include <nlohmann/json.hpp>

#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {
// A job's own verdict counts unless the transaction failed, or an "ok" job was rolled back.
ShareStore::InboxOutcome settle(GroupCommitWriter::Outcome result,
                                ShareStore::InboxOutcome outcome) {
  if (result == GroupCommitWriter::Outcome::kFailed) return ShareStore::InboxOutcome::kFailed;
  if (result == GroupCommitWriter::Outcome::kRolledBack &&
      outcome == ShareStore::InboxOutcome::kOk) {
    return ShareStore::InboxOutcome::kFailed;
  }
  return outcome;
}
}  // namespace

AuditEvent professional_event(const Session& session, std::string action, std::string share_id,
                              std::string address, std::string detail) {
  return AuditEvent{session.username,  session.role,        session.organisation_slug,
                    std::move(action), std::move(share_id), std::move(address),
                    std::move(detail)};
}

std::string ShareStore::receipt_for(const std::string& share_id) const {
  return hmac_sha256_hex(receipt_key_, "receipt:" + share_id);
}

bool ShareStore::receipt_matches(const std::string& share_id, const std::string& token) const {
  return constant_time_equal(receipt_for(share_id), token);
}

std::string ShareStore::body_hash(const std::string& canonical_json) const {
  return hmac_sha256_hex(body_key_, "body:" + canonical_json);
}

ShareStore::CreateOutcome ShareStore::create(const ValidatedShare& share, int64_t organisation_id,
                                             const std::string& address) {
  const std::string hash = body_hash(share.canonical_json);
  CreateOutcome outcome = CreateOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    Statement existing(db, "SELECT status, body_hash FROM shares WHERE share_id = ?");
    existing.bind(1, share.share_id);
    if (existing.step()) {
      if (existing.text(0) == "withdrawn") {
        outcome = CreateOutcome::kWithdrawn;
      } else {
        outcome = constant_time_equal(existing.text(1), hash) ? CreateOutcome::kDuplicate
                                                              : CreateOutcome::kConflict;
      }
      return false;  // nothing to write
    }
    if (existing.failed()) return false;
    Statement insert(db,
                     "INSERT INTO shares(share_id, organisation_id, status, received_at, "
                     "body_hash, payload, summary, flag_count, positive) "
                     "VALUES(?, ?, 'received', ?, ?, ?, ?, ?, ?)");
    insert.bind(1, share.share_id)
        .bind(2, organisation_id)
        .bind(3, utc_timestamp_now())
        .bind(4, hash)
        .bind(5, share.canonical_json)
        .bind(6, share.summary_json)
        .bind(7, static_cast<int64_t>(share.flag_count))
        .bind(8, static_cast<int64_t>(share.positive ? 1 : 0));
    if (!insert.run()) return false;
    std::string error;
    if (!append_audit(db,
                      AuditEvent{"parent", "parent", share.organisation, "share_received",
                                 share.share_id, address, ""},
                      &error)) {
      return false;
    }
    outcome = CreateOutcome::kCreated;
    return true;
  });
  if (result == GroupCommitWriter::Outcome::kFailed) return CreateOutcome::kFailed;
  if (result == GroupCommitWriter::Outcome::kRolledBack && outcome == CreateOutcome::kCreated) {
    return CreateOutcome::kFailed;
  }
  return outcome;
}

bool ShareStore::status(const std::string& share_id, Status* status) {
  auto lease = reads_->acquire();
  if (!lease.db()) return false;
  Statement row(lease.db(),
                "SELECT organisation_id, status, seen_by_role FROM shares WHERE share_id = ?");
  row.bind(1, share_id);
  if (!row.step()) return false;
  status->organisation_id = row.integer(0);
  status->status = row.text(1);
  status->seen_by_role = row.optional_text(2);
  return true;
}

ShareStore::WithdrawOutcome ShareStore::withdraw(const std::string& share_id,
                                                 const std::string& address) {
  WithdrawOutcome outcome = WithdrawOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    Statement row(db,
                  "SELECT o.slug, s.status FROM shares s JOIN organisations o ON "
                  "o.id = s.organisation_id WHERE s.share_id = ?");
    row.bind(1, share_id);
    if (!row.step()) {
      outcome = row.failed() ? WithdrawOutcome::kFailed : WithdrawOutcome::kNotFound;
      return false;
    }
    std::string organisation = row.text(0);
    if (row.text(1) == "withdrawn") {
      outcome = WithdrawOutcome::kWithdrawn;  // withdrawing twice is fine
      return false;
    }
    // Erase, not flag: the payload and everything derived from it go; what stays is that a share
    // existed and was withdrawn (the audit log holds the event).
    Statement erase(db,
                    "UPDATE shares SET status = 'withdrawn', payload = NULL, body_hash = NULL, "
                    "summary = NULL, flag_count = NULL, positive = NULL, note = NULL, "
                    "withdrawn_at = ? WHERE share_id = ?");
    erase.bind(1, utc_timestamp_now()).bind(2, share_id);
    if (!erase.run()) return false;
    std::string error;
    if (!append_audit(
            db,
            AuditEvent{"parent", "parent", organisation, "share_withdrawn", share_id, address, ""},
            &error)) {
      return false;
    }
    writer_->request_wal_truncate();
    outcome = WithdrawOutcome::kWithdrawn;
    return true;
  });
  if (result == GroupCommitWriter::Outcome::kFailed) return WithdrawOutcome::kFailed;
  return outcome;
}

ShareStore::InboxOutcome ShareStore::check_access(sqlite3* db, const Session& session,
                                                  const std::string& share_id,
                                                  const std::string& action,
                                                  const std::string& address, std::string* status) {
  Statement row(db, "SELECT organisation_id, status FROM shares WHERE share_id = ?");
  row.bind(1, share_id);
  if (!row.step()) return row.failed() ? InboxOutcome::kFailed : InboxOutcome::kNotFound;
  if (row.integer(0) != session.organisation_id) {
    std::string error;
    append_audit(
        db,
        professional_event(session, action + "_denied", share_id, address, "other organisation"),
        &error);
    return InboxOutcome::kForbidden;
  }
  *status = row.text(1);
  return InboxOutcome::kOk;
}

ShareStore::InboxOutcome ShareStore::list(const Session& session, const std::string& status_filter,
                                          const std::string& address, std::string* out) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    // Safety flags first, then positive screens, then newest.
    Statement rows(db,
                   "SELECT share_id, status, received_at, summary, seen_at, seen_by_role, note, "
                   "withdrawn_at FROM shares WHERE organisation_id = ? AND (? = '' OR status = ?) "
                   "ORDER BY COALESCE(flag_count, 0) > 0 DESC, COALESCE(positive, 0) DESC, "
                   "received_at DESC LIMIT 1000");
    rows.bind(1, session.organisation_id).bind(2, status_filter).bind(3, status_filter);
    json shares = json::array();
    while (rows.step()) {
      json entry = {
          {"share_id", rows.text(0)}, {"status", rows.text(1)}, {"received_at", rows.text(2)}};
      if (!rows.is_null(3)) entry["summary"] = json::parse(rows.text(3));
      for (int column : {4, 5, 6, 7}) {
        static const char* names[] = {
            "", "", "", "", "seen_at", "seen_by_role", "note", "withdrawn_at"};
        if (!rows.is_null(column)) entry[names[column]] = rows.text(column);
      }
      shares.push_back(std::move(entry));
    }
    if (rows.failed()) return false;
    std::string error;
    if (!append_audit(db,
                      professional_event(
                          session, "inbox_view", "", address,
                          "status=" + (status_filter.empty() ? std::string("all") : status_filter) +
                              " rows=" + std::to_string(shares.size())),
                      &error)) {
      return false;
    }
    *out = shares.dump();
    outcome = InboxOutcome::kOk;
    return true;
  });
  return settle(result, outcome);
}

ShareStore::InboxOutcome ShareStore::read(const Session& session, const std::string& share_id,
                                          const std::string& address, std::string* out) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    std::string status;
    outcome = check_access(db, session, share_id, "share_read", address, &status);
    if (outcome == InboxOutcome::kForbidden) return true;  // keep the denial's audit row
    if (outcome != InboxOutcome::kOk) return false;
    Statement row(db,
                  "SELECT status, received_at, payload, seen_at, seen_by_role, note, withdrawn_at "
                  "FROM shares WHERE share_id = ?");
    row.bind(1, share_id);
    if (!row.step()) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    std::string error;
    if (row.text(0) == "withdrawn") {
      append_audit(db, professional_event(session, "share_read_withdrawn", share_id, address),
                   &error);
      outcome = InboxOutcome::kWithdrawn;
      return true;
    }
    json share = {{"share_id", share_id},
                  {"status", row.text(0)},
                  {"received_at", row.text(1)},
                  {"share", json::parse(row.text(2))}};
    if (!row.is_null(3)) share["seen_at"] = row.text(3);
    if (!row.is_null(4)) share["seen_by_role"] = row.text(4);
    if (!row.is_null(5)) share["note"] = row.text(5);
    if (!append_audit(db, professional_event(session, "share_read", share_id, address), &error)) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    *out = share.dump();
    return true;
  });
  return settle(result, outcome);
}

ShareStore::InboxOutcome ShareStore::mark_seen(const Session& session, const std::string& share_id,
                                               const std::string& note,
                                               const std::string& address) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    std::string status;
    outcome = check_access(db, session, share_id, "share_acknowledge", address, &status);
    if (outcome == InboxOutcome::kForbidden) return true;
    if (outcome != InboxOutcome::kOk) return false;
    if (status == "withdrawn") {
      outcome = InboxOutcome::kWithdrawn;
      return false;
    }
    Statement update(db,
                     "UPDATE shares SET status = 'seen', seen_at = ?, seen_by_role = ?, note = ? "
                     "WHERE share_id = ?");
    update.bind(1, utc_timestamp_now()).bind(2, session.role).bind(3, note).bind(4, share_id);
    std::string error;
    if (!update.run() ||
        !append_audit(db, professional_event(session, "share_acknowledged", share_id, address),
                      &error)) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    return true;
  });
  return settle(result, outcome);
}

bool ShareStore::audit(const AuditEvent& event) {
  auto result = writer_->run([&](sqlite3* db) {
    std::string error;
    return append_audit(db, event, &error);
  });
  return result == GroupCommitWriter::Outcome::kCommitted;
}

}  // namespace kindband::server
