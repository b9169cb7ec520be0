#include "notification_settings.h"

#include "notification_events.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {

bool professional_notifications(Tx* db, int64_t professional_id,
                                ProfessionalNotifications* settings) {
  *settings = ProfessionalNotifications{};
  Statement row(db,
                "SELECT email, mode, on_duty FROM notify_professionals WHERE professional_id = ?");
  row.bind(1, professional_id);
  if (row.step()) {
    settings->email =
        open_sealed("notify_professionals", "email", std::to_string(professional_id), row.text(0));
    settings->daily = row.text(1) == "daily";
    settings->on_duty = row.integer(2) != 0;
  }
  return !row.failed();
}

bool change_professional_notifications(Tx* db, int64_t professional_id,
                                       const ProfessionalNotificationsChange& change) {
  ProfessionalNotifications settings;
  if (!professional_notifications(db, professional_id, &settings)) return false;
  if (change.email) settings.email = *change.email;
  if (change.daily) settings.daily = *change.daily;
  if (change.on_duty) settings.on_duty = *change.on_duty;
  if (settings.email.empty()) {
    // No address, nothing to keep: mails still waiting for it are dropped by the sender.
    Statement remove(db, "DELETE FROM notify_professionals WHERE professional_id = ?");
    remove.bind(1, professional_id);
    return remove.run();
  }
  Statement upsert(db,
                   "INSERT INTO notify_professionals(professional_id, email, mode, on_duty) "
                   "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(professional_id) DO UPDATE SET email = "
                   "?2, mode = ?3, on_duty = ?4");
  upsert.bind(1, professional_id)
      .bind(2,
            seal("notify_professionals", "email", std::to_string(professional_id), settings.email))
      .bind(3, settings.daily ? "daily" : "immediate")
      .bind(4, static_cast<int64_t>(settings.on_duty));
  return upsert.run();
}

std::string organisation_team_email(Tx* db, int64_t organisation_id) {
  Statement row(db, "SELECT team_email FROM notify_organisations WHERE organisation_id = ?");
  row.bind(1, organisation_id);
  return row.step() ? open_sealed("notify_organisations", "team_email",
                                  std::to_string(organisation_id), row.text(0))
                    : "";
}

bool set_organisation_team_email(Tx* db, int64_t organisation_id, const std::string& email) {
  if (email.empty()) {
    Statement remove(db, "DELETE FROM notify_organisations WHERE organisation_id = ?");
    remove.bind(1, organisation_id);
    return remove.run();
  }
  Statement upsert(db,
                   "INSERT INTO notify_organisations(organisation_id, team_email) VALUES(?1, ?2) "
                   "ON CONFLICT(organisation_id) DO UPDATE SET team_email = ?2");
  upsert.bind(1, organisation_id)
      .bind(2, seal("notify_organisations", "team_email", std::to_string(organisation_id), email));
  return upsert.run();
}

bool parent_notification_address(Tx* db, const std::string& family_id, const std::string& role,
                                 ParentNotificationAddress* address) {
  Statement row(db, "SELECT email, link FROM notify_parents WHERE family_id = ? AND role = ?");
  row.bind(1, family_id).bind(2, role);
  if (!row.step()) return false;
  address->email = open_sealed("notify_parents", "email", family_id + ":" + role, row.text(0));
  address->link = row.text(1);
  return true;
}

bool set_parent_notification_address(Tx* db, const std::string& family_id, const std::string& role,
                                     const ParentNotificationAddress& address) {
  Statement upsert(db,
                   "INSERT INTO notify_parents(family_id, role, email, link, created_at) "
                   "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(family_id, role) DO UPDATE SET email "
                   "= ?3, link = ?4");
  upsert.bind(1, family_id)
      .bind(2, role)
      .bind(3, seal("notify_parents", "email", family_id + ":" + role, address.email))
      .bind(4, address.link)
      .bind(5, utc_timestamp_now());
  return upsert.run();
}

bool NotificationSettingsStore::read_professional(int64_t professional_id,
                                                  ProfessionalNotifications* settings) {
  auto lease = database_->read();
  return lease.tx() && professional_notifications(lease.tx(), professional_id, settings);
}

bool NotificationSettingsStore::change_professional(int64_t professional_id,
                                                    const ProfessionalNotificationsChange& change,
                                                    const AuditEvent& event) {
  auto result = database_->write([&](Tx* db) {
    std::string error;
    return change_professional_notifications(db, professional_id, change) &&
           append_audit(db, event, &error);
  });
  return result == Database::Outcome::kCommitted;
}

bool NotificationSettingsStore::read_parent(const std::string& family_id, const std::string& role,
                                            bool* found, ParentNotificationAddress* address) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  *found = parent_notification_address(lease.tx(), family_id, role, address);
  return true;
}

bool NotificationSettingsStore::change_parent(const ParentDevice& parent,
                                              const ParentNotificationAddress& address,
                                              const AuditEvent& event) {
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) return false;
    std::string error;
    const bool changed =
        address.email.empty()
            ? erase_parent_notifications(db, parent.family_id, parent.role)
            : set_parent_notification_address(db, parent.family_id, parent.role, address);
    // A removed address leaves no trace in the WAL either.
    if (address.email.empty()) db->purge_after_commit();
    return changed && append_audit(db, event, &error);
  });
  return result == Database::Outcome::kCommitted;
}

}  // namespace kindband::server
