#include "outbox_store.h"

#include <sstream>

#include "notification_events.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {
namespace {

constexpr const char* kColumns =
    "id, recipient_kind, recipient_id, COALESCE(organisation_id, 0), kinds, events, attempts, "
    "next_attempt_at, status, COALESCE(last_error, ''), created_at, COALESCE(sent_at, 0)";

OutboxMail read_mail(const Statement& row) {
  OutboxMail mail;
  mail.id = row.integer(0);
  mail.recipient_kind = row.text(1);
  mail.recipient_id = row.integer(2);
  mail.organisation_id = row.integer(3);
  std::stringstream kinds(row.text(4));
  for (std::string kind; std::getline(kinds, kind, ',');) mail.kinds.push_back(kind);
  mail.events = row.integer(5);
  mail.attempts = row.integer(6);
  mail.next_attempt_at = row.integer(7);
  mail.status = row.text(8);
  mail.last_error = row.text(9);
  mail.created_at = row.integer(10);
  mail.sent_at = row.integer(11);
  return mail;
}

}  // namespace

bool list_outbox(Tx* db, bool include_sent, std::vector<OutboxMail>* mails) {
  Statement rows(db, std::string("SELECT ") + kColumns +
                         " FROM outbox WHERE ?1 = 1 OR status != 'sent' ORDER BY id");
  rows.bind(1, static_cast<int64_t>(include_sent));
  while (rows.step()) mails->push_back(read_mail(rows));
  return !rows.failed();
}

bool count_outbox(Tx* db, int64_t now_ms, OutboxCounts* counts) {
  Statement rows(db, "SELECT status, COUNT(*) FROM outbox GROUP BY status");
  while (rows.step()) {
    const std::string status = rows.text(0);
    (status == "pending"  ? counts->pending
     : status == "failed" ? counts->failed
                          : counts->sent) = rows.integer(1);
  }
  Statement oldest(db,
                   "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND "
                   "next_attempt_at <= ?");
  oldest.bind(1, now_ms);
  if (oldest.step() && !oldest.is_null(0)) counts->oldest_due_ms = oldest.integer(0);
  return !rows.failed() && !oldest.failed();
}

bool OutboxStore::due(int64_t now_ms, int limit, std::vector<OutboxMail>* mails) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  Statement rows(lease.tx(), std::string("SELECT ") + kColumns +
                                 " FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
                                 "ORDER BY next_attempt_at, id LIMIT ?");
  rows.bind(1, now_ms).bind(2, static_cast<int64_t>(limit));
  while (rows.step()) mails->push_back(read_mail(rows));
  return !rows.failed();
}

bool OutboxStore::recipient(const OutboxMail& mail, MailRecipient* recipient) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  if (mail.recipient_kind == "parent") {
    Statement row(lease.tx(),
                  "SELECT email, link, family_id, role FROM notify_parents WHERE id = ?");
    row.bind(1, mail.recipient_id);
    if (!row.step()) return false;
    // On the sender's thread: an address that does not open is not sent to (and not thrown).
    auto email =
        try_open_sealed("notify_parents", "email", row.text(2) + ":" + row.text(3), row.text(0));
    if (!email) return false;
    recipient->email = *email;
    recipient->parent_link = row.text(1);
    return true;
  }
  if (mail.recipient_kind == "team") {
    Statement row(lease.tx(),
                  "SELECT n.team_email, o.name FROM notify_organisations n JOIN organisations o "
                  "ON o.id = n.organisation_id WHERE n.organisation_id = ?");
    row.bind(1, mail.recipient_id);
    if (!row.step()) return false;
    auto email = try_open_sealed("notify_organisations", "team_email",
                                 std::to_string(mail.recipient_id), row.text(0));
    if (!email) return false;
    recipient->email = *email;
    recipient->organisation_name = row.text(1);
    return true;
  }
  Statement row(lease.tx(),
                "SELECT n.email, o.name FROM notify_professionals n JOIN professionals p ON p.id "
                "= n.professional_id JOIN organisations o ON o.id = p.organisation_id WHERE p.id "
                "= ? AND p.disabled = 0");
  row.bind(1, mail.recipient_id);
  if (!row.step()) return false;
  auto email = try_open_sealed("notify_professionals", "email", std::to_string(mail.recipient_id),
                               row.text(0));
  if (!email) return false;
  recipient->email = *email;
  recipient->organisation_name = row.text(1);
  return true;
}

int64_t OutboxStore::last_sent_at(const std::string& recipient_kind, int64_t recipient_id) {
  auto lease = database_->read();
  if (!lease.tx()) return 0;
  Statement row(lease.tx(),
                "SELECT MAX(sent_at) FROM outbox WHERE recipient_kind = ? AND recipient_id = ? "
                "AND status = 'sent'");
  row.bind(1, recipient_kind).bind(2, recipient_id);
  return row.step() && !row.is_null(0) ? row.integer(0) : 0;
}

bool OutboxStore::counts(int64_t now_ms, OutboxCounts* counts) {
  auto lease = database_->read();
  return lease.tx() && count_outbox(lease.tx(), now_ms, counts);
}

bool OutboxStore::write(const std::function<bool(Tx*)>& job) {
  return database_->write(job) == Database::Outcome::kCommitted;
}

bool OutboxStore::claim(OutboxMail* mail) {
  bool claimed = false;
  const bool committed = write([&](Tx* db) {
    Statement take(db,
                   "UPDATE outbox SET claimed = 1 WHERE id = ? AND status = 'pending' AND claimed "
                   "= 0");
    take.bind(1, mail->id);
    if (!take.run()) return false;
    if (db->changes() != 1) return true;
    Statement row(db, std::string("SELECT ") + kColumns + " FROM outbox WHERE id = ?");
    row.bind(1, mail->id);
    if (!row.step()) return false;
    *mail = read_mail(row);
    claimed = true;
    return true;
  });
  return committed && claimed;
}

bool OutboxStore::release_claims() {
  return write([&](Tx* db) {
    return Statement(db, "UPDATE outbox SET claimed = 0 WHERE claimed = 1").run();
  });
}

bool OutboxStore::mark_sent(int64_t id, int64_t now_ms) {
  return write([&](Tx* db) {
    Statement row(db,
                  "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
                  "last_error = NULL, claimed = 0 WHERE id = ?");
    row.bind(1, now_ms).bind(2, id);
    return row.run();
  });
}

bool OutboxStore::mark_retry(int64_t id, int64_t next_attempt_ms, const std::string& error) {
  return write([&](Tx* db) {
    Statement row(db,
                  "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
                  "claimed = 0 WHERE id = ? AND status = 'pending'");
    row.bind(1, next_attempt_ms).bind(2, error).bind(3, id);
    return row.run();
  });
}

bool OutboxStore::mark_failed(int64_t id, const std::string& error) {
  return write([&](Tx* db) {
    Statement row(db,
                  "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, "
                  "claimed = 0 WHERE id = ?");
    row.bind(1, error).bind(2, id);
    return row.run();
  });
}

bool OutboxStore::postpone(const OutboxMail& mail, int64_t at_ms) {
  return write([&](Tx* db) {
    // News that arrived while this mail's recipient waits joins one mail.
    Statement other(db,
                    "SELECT id, kinds FROM outbox WHERE recipient_kind = ? AND recipient_id = ? "
                    "AND status = 'pending' AND claimed = 0 AND id != ? ORDER BY next_attempt_at "
                    "LIMIT 1");
    other.bind(1, mail.recipient_kind).bind(2, mail.recipient_id).bind(3, mail.id);
    if (other.step()) {
      const int64_t into = other.integer(0);
      std::string kinds = other.text(1);
      for (const std::string& kind : mail.kinds) {
        if (("," + kinds + ",").find("," + kind + ",") == std::string::npos) kinds += "," + kind;
      }
      Statement merge(db,
                      "UPDATE outbox SET kinds = ?1, events = events + ?2, next_attempt_at = "
                      "CASE WHEN next_attempt_at < ?3 THEN next_attempt_at ELSE ?3 END "
                      "WHERE id = ?4");
      merge.bind(1, kinds).bind(2, mail.events).bind(3, at_ms).bind(4, into);
      Statement remove(db, "DELETE FROM outbox WHERE id = ? AND claimed = 0");
      remove.bind(1, mail.id);
      return merge.run() && remove.run();
    }
    if (other.failed()) return false;
    Statement row(db, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?");
    row.bind(1, at_ms).bind(2, mail.id);
    return row.run();
  });
}

bool OutboxStore::drop(int64_t id) {
  return write([&](Tx* db) {
    Statement row(db, "DELETE FROM outbox WHERE id = ?");
    row.bind(1, id);
    return row.run();
  });
}

bool OutboxStore::announce_due_agreements() {
  const std::string today = utc_timestamp_now().substr(0, 10);
  return write([&](Tx* db) { return notify_due_agreements(db, today); });
}

bool OutboxStore::prune_sent(int64_t before_ms) {
  return write([&](Tx* db) {
    Statement row(db, "DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?");
    row.bind(1, before_ms);
    return row.run();
  });
}

bool OutboxStore::due_invitations(int64_t now_ms, int limit, std::vector<InvitationMail>* mails) {
  std::vector<int64_t> unreadable;
  {
    auto lease = database_->read();
    if (!lease.tx()) return false;
    Statement rows(lease.tx(),
                   "SELECT i.id, i.email, i.link, o.name, i.attempts, i.created_at FROM "
                   "invitation_mails i JOIN organisations o ON o.id = i.organisation_id WHERE "
                   "i.next_attempt_at <= ? ORDER BY i.next_attempt_at, i.id LIMIT ?");
    rows.bind(1, now_ms).bind(2, static_cast<int64_t>(limit));
    while (rows.step()) {
      const std::string record = std::to_string(rows.integer(0));
      auto email = try_open_sealed("invitation_mails", "email", record, rows.text(1));
      auto link = try_open_sealed("invitation_mails", "link", record, rows.text(2));
      if (!email || !link) {
        unreadable.push_back(rows.integer(0));
        continue;
      }
      mails->push_back(InvitationMail{rows.integer(0), *email, *link, rows.text(3), rows.integer(4),
                                      rows.integer(5)});
    }
    if (rows.failed()) return false;
  }
  for (int64_t id : unreadable) invitation_done(id);
  return true;
}

bool OutboxStore::invitation_done(int64_t id) {
  return write([&](Tx* db) {
    Statement row(db, "DELETE FROM invitation_mails WHERE id = ?");
    row.bind(1, id);
    return row.run();
  });
}

bool OutboxStore::invitation_retry(int64_t id, int64_t next_attempt_ms, const std::string& error) {
  return write([&](Tx* db) {
    Statement row(db,
                  "UPDATE invitation_mails SET attempts = attempts + 1, next_attempt_at = ?, "
                  "last_error = ? WHERE id = ?");
    row.bind(1, next_attempt_ms).bind(2, error.substr(0, 300)).bind(3, id);
    return row.run();
  });
}

}  // namespace kindband::server
