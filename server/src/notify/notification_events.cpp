#include "notification_events.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "database.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kDigestHourUtc = 7;

constexpr struct {
  NotificationKind kind;
  const char* name;
} kKindNames[] = {
    {NotificationKind::kSafetyShare, "safety_share"},
    {NotificationKind::kNewShare, "new_share"},
    {NotificationKind::kCaseAssigned, "case_assigned"},
    {NotificationKind::kReferralAccepted, "referral_accepted"},
    {NotificationKind::kParentMessage, "parent_message"},
    {NotificationKind::kRemovedByFamily, "removed_by_family"},
    {NotificationKind::kFamilyNews, "family_news"},
    {NotificationKind::kAgreementDue, "agreement_due"},
    {NotificationKind::kAgreementOverdue, "agreement_overdue"},
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Adds one event to the recipient's mail that is waiting (not yet claimed by the sender: a
// claimed mail is on its way and is never changed), or starts a new mail due at due_ms.
bool enqueue(Tx* db, const char* recipient_kind, int64_t recipient_id,
             std::optional<int64_t> organisation_id, NotificationKind kind, int64_t due_ms) {
  const int64_t now = unix_now_millis();
  const std::string name = notification_kind_name(kind);
  Statement waiting(db,
                    "SELECT id, kinds, next_attempt_at FROM outbox WHERE recipient_kind = ? AND "
                    "recipient_id = ? AND status = 'pending' AND claimed = 0 ORDER BY "
                    "next_attempt_at LIMIT 1");
  waiting.bind(1, recipient_kind).bind(2, recipient_id);
  if (waiting.step()) {
    const int64_t id = waiting.integer(0);
    std::string kinds = waiting.text(1);
    const int64_t next = std::min(waiting.integer(2), due_ms);
    if (("," + kinds + ",").find("," + name + ",") == std::string::npos) kinds += "," + name;
    Statement merge(db,
                    "UPDATE outbox SET kinds = ?, events = events + 1, next_attempt_at = ? WHERE "
                    "id = ?");
    merge.bind(1, kinds).bind(2, next).bind(3, id);
    return merge.run();
  }
  if (waiting.failed()) return false;
  Statement insert(db,
                   "INSERT INTO outbox(recipient_kind, recipient_id, organisation_id, kinds, "
                   "status, created_at, next_attempt_at) VALUES(?, ?, ?, ?, 'pending', ?, ?)");
  insert.bind(1, recipient_kind).bind(2, recipient_id);
  if (organisation_id) {
    insert.bind(3, *organisation_id);
  } else {
    insert.bind_null(3);
  }
  insert.bind(4, name).bind(5, now).bind(6, due_ms);
  return insert.run();
}

struct ProfessionalAddress {
  int64_t id = 0;
  std::string email;
  bool daily = false;
  bool on_duty = false;
};

}  // namespace

const char* notification_kind_name(NotificationKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

bool notification_kind_from_name(const std::string& name, NotificationKind* kind) {
  for (const auto& entry : kKindNames) {
    if (name == entry.name) {
      *kind = entry.kind;
      return true;
    }
  }
  return false;
}

int64_t next_digest_at(int64_t now_ms) {
  const int64_t today = now_ms - now_ms % kDayMs + kDigestHourUtc * 3600 * 1000;
  return today > now_ms ? today : today + kDayMs;
}

bool notify_organisation(Tx* db, int64_t organisation_id, NotificationKind kind) {
  const int64_t now = unix_now_millis();
  std::string team;
  {
    Statement row(db, "SELECT team_email FROM notify_organisations WHERE organisation_id = ?");
    row.bind(1, organisation_id);
    // An address that does not open is skipped, never a reason to refuse a parent's share.
    if (row.step()) {
      team = lower(try_open_sealed("notify_organisations", "team_email",
                                   std::to_string(organisation_id), row.text(0))
                       .value_or(""));
    }
    if (row.failed()) return false;
  }
  std::vector<ProfessionalAddress> professionals;
  {
    Statement rows(db,
                   "SELECT p.id, n.email, n.mode, n.on_duty FROM professionals p JOIN "
                   "notify_professionals n ON n.professional_id = p.id WHERE p.organisation_id = "
                   "? AND p.disabled = 0 ORDER BY p.id");
    rows.bind(1, organisation_id);
    while (rows.step()) {
      auto email = try_open_sealed("notify_professionals", "email", std::to_string(rows.integer(0)),
                                   rows.text(1));
      if (!email) continue;
      professionals.push_back(ProfessionalAddress{rows.integer(0), lower(*email),
                                                  rows.text(2) == "daily", rows.integer(3) != 0});
    }
    if (rows.failed()) return false;
  }
  if (!team.empty() && !enqueue(db, "team", organisation_id, organisation_id, kind, now)) {
    return false;
  }
  const bool safety = kind == NotificationKind::kSafetyShare;
  // A safety share goes to those on duty; when nobody is (and there is no team address), to every
  // professional with an address: it must reach someone.
  const bool anyone_on_duty = std::any_of(professionals.begin(), professionals.end(),
                                          [](const ProfessionalAddress& p) { return p.on_duty; });
  std::vector<std::string> addressed = {team};
  for (const ProfessionalAddress& professional : professionals) {
    if (safety && !professional.on_duty && (anyone_on_duty || !team.empty())) continue;
    // One mail per address: a professional whose address is the team's hears it once.
    if (std::find(addressed.begin(), addressed.end(), professional.email) != addressed.end()) {
      continue;
    }
    addressed.push_back(professional.email);
    const int64_t due = safety || !professional.daily ? now : next_digest_at(now);
    if (!enqueue(db, "professional", professional.id, organisation_id, kind, due)) return false;
  }
  return true;
}

bool notify_family_organisations(Tx* db, const std::string& family_id, const std::string& role,
                                 NotificationKind kind) {
  Statement rows(db,
                 "SELECT m.organisation_id FROM memberships m WHERE m.family_id = ? AND m.state = "
                 "'active' AND NOT EXISTS(SELECT 1 FROM membership_withdrawals w WHERE "
                 "w.family_id = m.family_id AND w.organisation_id = m.organisation_id AND w.role "
                 "= ?)");
  rows.bind(1, family_id).bind(2, role);
  std::vector<int64_t> organisations;
  while (rows.step()) organisations.push_back(rows.integer(0));
  if (rows.failed()) return false;
  for (int64_t organisation_id : organisations) {
    if (!notify_organisation(db, organisation_id, kind)) return false;
  }
  return true;
}

bool notify_professional(Tx* db, int64_t professional_id, NotificationKind kind) {
  Statement row(db,
                "SELECT p.organisation_id, n.mode FROM professionals p JOIN notify_professionals "
                "n ON n.professional_id = p.id WHERE p.id = ? AND p.disabled = 0");
  row.bind(1, professional_id);
  if (!row.step()) return !row.failed();  // no address: nobody to tell
  const int64_t now = unix_now_millis();
  const int64_t due =
      row.text(1) == "daily" && kind != NotificationKind::kSafetyShare ? next_digest_at(now) : now;
  return enqueue(db, "professional", professional_id, row.integer(0), kind, due);
}

bool notify_parents(Tx* db, const std::string& family_id, const std::string& role) {
  Statement rows(db,
                 "SELECT id FROM notify_parents WHERE family_id = ?1 AND (?2 = '' OR role = ?2)");
  rows.bind(1, family_id).bind(2, role);
  std::vector<int64_t> ids;
  while (rows.step()) ids.push_back(rows.integer(0));
  if (rows.failed()) return false;
  const int64_t now = unix_now_millis();
  for (int64_t id : ids) {
    if (!enqueue(db, "parent", id, std::nullopt, NotificationKind::kFamilyNews, now)) return false;
  }
  return true;
}

bool notify_due_agreements(Tx* db, const std::string& today) {
  struct Due {
    int64_t id, organisation_id, professional_id;
    bool overdue;
  };
  std::vector<Due> due;
  {
    Statement rows(db,
                   "SELECT a.id, a.owner_organisation_id, COALESCE(a.owner_professional_id, 0), "
                   "CASE WHEN a.due_date < ?1 THEN 1 ELSE 0 END FROM agreements a WHERE a.status = "
                   "'open' AND a.due_date IS "
                   "NOT NULL AND a.due_date <= ?1 AND NOT EXISTS(SELECT 1 FROM "
                   "notify_agreement_reminders r WHERE r.agreement_id = a.id AND r.kind = CASE "
                   "WHEN a.due_date < ?1 THEN 'overdue' ELSE 'due' END)");
    rows.bind(1, today);
    while (rows.step()) {
      due.push_back(Due{rows.integer(0), rows.integer(1), rows.integer(2), rows.integer(3) != 0});
    }
    if (rows.failed()) return false;
  }
  for (const Due& agreement : due) {
    const NotificationKind kind =
        agreement.overdue ? NotificationKind::kAgreementOverdue : NotificationKind::kAgreementDue;
    // An owner without an address: the organisation hears it (someone must).
    bool owner_has_address = false;
    if (agreement.professional_id) {
      Statement row(db, "SELECT 1 FROM notify_professionals WHERE professional_id = ?");
      row.bind(1, agreement.professional_id);
      owner_has_address = row.step();
    }
    const bool notified = owner_has_address
                              ? notify_professional(db, agreement.professional_id, kind)
                              : notify_organisation(db, agreement.organisation_id, kind);
    Statement mark(db,
                   "INSERT INTO notify_agreement_reminders(agreement_id, kind, at) VALUES(?, ?, ?) "
                   "ON CONFLICT DO NOTHING");
    mark.bind(1, agreement.id)
        .bind(2, agreement.overdue ? "overdue" : "due")
        .bind(3, unix_now_millis());
    if (!notified || !mark.run()) return false;
  }
  return true;
}

bool erase_parent_notifications(Tx* db, const std::string& family_id, const std::string& role) {
  Statement mails(db,
                  "DELETE FROM outbox WHERE recipient_kind = 'parent' AND recipient_id IN (SELECT "
                  "id FROM notify_parents WHERE family_id = ?1 AND (?2 = '' OR role = ?2))");
  mails.bind(1, family_id).bind(2, role);
  Statement addresses(db,
                      "DELETE FROM notify_parents WHERE family_id = ?1 AND (?2 = '' OR role = ?2)");
  addresses.bind(1, family_id).bind(2, role);
  return mails.run() && addresses.run();
}

}  // namespace kindband::server
