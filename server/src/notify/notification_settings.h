// Who wants mail at which address: a professional (address, at once or a daily digest, on duty
// for safety shares), an organisation's team address, and a parent's own address. The parent's
// address is read only for that parent's own devices and by the sender, never by a professional
// route; it goes with the parent's data (notification_events.h, erase_parent_notifications).
#ifndef KINDBAND_SERVER_NOTIFICATION_SETTINGS_H_
#define KINDBAND_SERVER_NOTIFICATION_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "audit_log.h"
#include "database.h"
#include "family_store.h"

namespace kindband::server {

struct ProfessionalNotifications {
  std::string email;   // "" = no mail
  bool daily = false;  // a daily digest instead of a mail at once (safety shares: always at once)
  bool on_duty = false;
};

// What to change; unset fields stay. email "" removes the address.
struct ProfessionalNotificationsChange {
  std::optional<std::string> email;
  std::optional<bool> daily;
  std::optional<bool> on_duty;
};

// Reads a professional's settings (defaults when none were made).
bool professional_notifications(Tx* db, int64_t professional_id,
                                ProfessionalNotifications* settings);
// Applies a change (the address already checked with check_email_address). Inside a transaction.
bool change_professional_notifications(Tx* db, int64_t professional_id,
                                       const ProfessionalNotificationsChange& change);
// The organisation's team address ("" = none); setting "" removes it.
std::string organisation_team_email(Tx* db, int64_t organisation_id);
bool set_organisation_team_email(Tx* db, int64_t organisation_id, const std::string& email);

struct ParentNotificationAddress {
  std::string email;
  std::string link;  // the page with the widget where the parent reads the news
};
bool parent_notification_address(Tx* db, const std::string& family_id, const std::string& role,
                                 ParentNotificationAddress* address);
// Sets (or replaces) the parent's address; inside a transaction.
bool set_parent_notification_address(Tx* db, const std::string& family_id, const std::string& role,
                                     const ParentNotificationAddress& address);

// The routes' door: each change runs through the writer with its audit row.
class NotificationSettingsStore {
 public:
  NotificationSettingsStore(Database* database) : database_(database) {}

  bool read_professional(int64_t professional_id, ProfessionalNotifications* settings);
  // True once committed with its audit row.
  bool change_professional(int64_t professional_id, const ProfessionalNotificationsChange& change,
                           const AuditEvent& event);

  // The parent's own address; found is false when they gave none.
  bool read_parent(const std::string& family_id, const std::string& role, bool* found,
                   ParentNotificationAddress* address);
  // Sets or (address.email "") removes the parent's address, with its audit row (which never
  // holds the address). False when not committed, or when the device is no longer the family's.
  bool change_parent(const ParentDevice& parent, const ParentNotificationAddress& address,
                     const AuditEvent& event);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NOTIFICATION_SETTINGS_H_
