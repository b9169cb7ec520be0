// What happened that someone should hear about, turned into rows of the outbox. Each function runs
// inside the caller's write transaction (a Database write job), so the notification is durable
// exactly when the event is: a share that is acknowledged has its mail waiting, a rolled-back
// event has none. Nothing here carries content: a row says which kind of news, for whom.
//
// De-duplication and quiet (issue 23): news for a recipient who already has a mail waiting in the
// future joins that mail (one mail, several events); the sender (notification_sender.h) keeps at
// most one mail per recipient per interval. Who gets what: docs/care-network.md, "Notifications".
#ifndef KINDBAND_SERVER_NOTIFICATION_EVENTS_H_
#define KINDBAND_SERVER_NOTIFICATION_EVENTS_H_

#include <cstdint>
#include <string>

#include "database.h"

namespace kindband::server {

enum class NotificationKind {
  kSafetyShare,       // a share with a safety flag: team address and on-duty professionals, at once
  kNewShare,          // another share for the organisation
  kCaseAssigned,      // a case was handed to this professional
  kReferralAccepted,  // parents accepted a referral to the organisation
  kParentMessage,     // parents wrote to the organisation
  kRemovedByFamily,   // a family removed the organisation from its network
  kFamilyNews,        // for parents: a message, a proposal, an agreement, an intake to decide on
  kAgreementDue,      // an open agreement's date is today (to its owner, else its organisation)
  kAgreementOverdue,  // an open agreement's date has passed
};

// The stored name of a kind ("safety_share", ...), and back (false for an unknown name).
const char* notification_kind_name(NotificationKind kind);
bool notification_kind_from_name(const std::string& name, NotificationKind* kind);

// News for an organisation: its team address and its professionals with an address, as
// docs/care-network.md says (safety shares at once to the team and those on duty; the rest at
// once or in the daily digest, per professional).
bool notify_organisation(Tx* db, int64_t organisation_id, NotificationKind kind);
// News for every organisation that is there for this parent of the family (a message to the
// whole network).
bool notify_family_organisations(Tx* db, const std::string& family_id, const std::string& role,
                                 NotificationKind kind);
// News for one professional (at once or in their daily digest).
bool notify_professional(Tx* db, int64_t professional_id, NotificationKind kind);
// News for the parents of a family who gave an address: role "mother" or "partner" for one of
// them, "" for both.
bool notify_parents(Tx* db, const std::string& family_id, const std::string& role);

// Erases the notification address of one parent (role) or of every parent of the family (role
// "") and the mails still waiting for them. Inside the erasure's transaction.
bool erase_parent_notifications(Tx* db, const std::string& family_id, const std::string& role);

// Announces, once each, the open agreements with a date that is today (due) or has passed
// (overdue), `today` as YYYY-MM-DD: to the owning professional, else to the owning organisation.
// Inside a write transaction (the server's once-a-minute sweep).
bool notify_due_agreements(Tx* db, const std::string& today);

// The next daily digest moment after now_ms (07:00 UTC: 08:00 or 09:00 in the Netherlands).
int64_t next_digest_at(int64_t now_ms);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NOTIFICATION_EVENTS_H_
