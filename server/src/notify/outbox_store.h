// The outbox as the sender and kindband-admin see it: which mails are due, to which address (looked
// up now: an address removed or erased since means the mail is dropped), and the outcome of each
// try, written through the group-commit writer.
#ifndef KINDBAND_SERVER_OUTBOX_STORE_H_
#define KINDBAND_SERVER_OUTBOX_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "database.h"

namespace kindband::server {

struct OutboxMail {
  int64_t id = 0;
  std::string recipient_kind;  // professional | team | parent
  int64_t recipient_id = 0;
  int64_t organisation_id = 0;     // 0 for a parent
  std::vector<std::string> kinds;  // notification_kind_name()s
  int64_t events = 0;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;  // unix ms
  std::string status;           // pending | sent | failed
  std::string last_error;
  int64_t created_at = 0;  // unix ms
  int64_t sent_at = 0;     // unix ms, 0 when not sent
};

// Where a mail goes and what it may name: the address, the organisation's name (for mails to
// professionals), and the page to link to (for parents: the site where their widget lives).
struct MailRecipient {
  std::string email;
  std::string organisation_name;
  std::string parent_link;
};

// An invitation sent by e-mail from the inbox (issue 24): to whom, the link, and who invites.
struct InvitationMail {
  int64_t id = 0;
  std::string email;
  std::string link;
  std::string organisation_name;
  int64_t attempts = 0;
  int64_t created_at = 0;  // unix ms
};

struct OutboxCounts {
  int64_t pending = 0;
  int64_t failed = 0;
  int64_t sent = 0;
  int64_t oldest_due_ms = 0;  // the longest-waiting mail that is due now (0: none)
};

// Reads an outbox row set for kindband-admin (status "" = pending and failed only).
bool list_outbox(Tx* db, bool include_sent, std::vector<OutboxMail>* mails);
bool count_outbox(Tx* db, int64_t now_ms, OutboxCounts* counts);

class OutboxStore {
 public:
  OutboxStore(Database* database) : database_(database) {}

  // Mails due at now_ms, oldest first.
  bool due(int64_t now_ms, int limit, std::vector<OutboxMail>* mails);
  // Fills recipient; false when the address is gone (removed, erased, account disabled).
  bool recipient(const OutboxMail& mail, MailRecipient* recipient);
  // When the last mail to this recipient went (unix ms, 0 = never).
  int64_t last_sent_at(const std::string& recipient_kind, int64_t recipient_id);
  bool counts(int64_t now_ms, OutboxCounts* counts);

  // Takes a due mail for sending: from now on no news joins it. Fills *mail with the row as it is
  // now (news may have joined since due() read it); false when it is no longer pending.
  bool claim(OutboxMail* mail);
  // After a restart: mails that were on their way when the server stopped go again.
  bool release_claims();

  // Outcomes, each durable when it returns true (each also ends the claim).
  bool mark_sent(int64_t id, int64_t now_ms);
  bool mark_retry(int64_t id, int64_t next_attempt_ms, const std::string& error);
  bool mark_failed(int64_t id, const std::string& error);
  // Not yet (the recipient had a mail less than an interval ago): joins the recipient's mail that
  // waits in the future, or waits itself until at_ms.
  bool postpone(const OutboxMail& mail, int64_t at_ms);
  // The address is gone: nothing to send.
  bool drop(int64_t id);
  // Puts the due and overdue agreements of today (UTC) in the outbox (notify_due_agreements).
  bool announce_due_agreements();
  // Sent rows older than this are deleted (the outbox is not an archive).
  bool prune_sent(int64_t before_ms);

  // Invitations by e-mail that are due at now_ms, opened (one that does not open is dropped).
  bool due_invitations(int64_t now_ms, int limit, std::vector<InvitationMail>* mails);
  // The invitation mail went, or was refused for good: its address and link are deleted.
  bool invitation_done(int64_t id);
  bool invitation_retry(int64_t id, int64_t next_attempt_ms, const std::string& error);

 private:
  bool write(const std::function<bool(Tx*)>& job);

  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_OUTBOX_STORE_H_
