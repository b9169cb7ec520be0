#include "calendar_store.h"

#include "ics_writer.h"
#include "text_util.h"

namespace kindband::server {

FamilyOutcome CalendarStore::for_parent(const ParentDevice& parent, int64_t agreement_id,
                                        bool english, std::string* ics) {
  auto lease = database_->read();
  if (!lease.tx()) return FamilyOutcome::kFailed;
  if (!parent_is_current(lease.tx(), parent)) return FamilyOutcome::kInvalidKey;
  Statement row(lease.tx(),
                "SELECT a.due_date, o.name FROM agreements a JOIN organisations o ON o.id = "
                "a.owner_organisation_id WHERE a.id = ? AND a.family_id = ? AND "
                "a.visible_to_parents = 1 AND a.status != 'cancelled' AND a.due_date IS NOT NULL");
  row.bind(1, agreement_id).bind(2, parent.family_id);
  if (!row.step()) return row.failed() ? FamilyOutcome::kFailed : FamilyOutcome::kNotFound;
  CalendarEvent event{"kindband-agreement-" + std::to_string(agreement_id) + "@" + host_,
                      row.text(0), (english ? "Appointment with " : "Afspraak met ") + row.text(1),
                      unix_now()};
  *ics = write_ics(event);
  return ics->empty() ? FamilyOutcome::kNotFound : FamilyOutcome::kOk;
}

FamilyOutcome CalendarStore::for_professional(const Session& session, const std::string& family_id,
                                              int64_t agreement_id, const std::string& address,
                                              std::string* ics) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  AuditEvent event;
  {
    auto lease = database_->read();
    if (!lease.tx()) return FamilyOutcome::kFailed;
    outcome = member_state(lease.tx(), session, family_id, "agreement_calendar", address, &event);
    if (outcome == FamilyOutcome::kOk) {
      Statement row(lease.tx(),
                    "SELECT due_date FROM agreements WHERE id = ? AND family_id = ? AND status != "
                    "'cancelled' AND due_date IS NOT NULL");
      row.bind(1, agreement_id).bind(2, family_id);
      if (!row.step()) return row.failed() ? FamilyOutcome::kFailed : FamilyOutcome::kNotFound;
      *ics = write_ics({"kindband-agreement-" + std::to_string(agreement_id) + "@" + host_,
                        row.text(0), "Kindband: afspraak met een gezin", unix_now()});
      if (ics->empty()) return FamilyOutcome::kNotFound;
      event = session_event(session, "agreement_calendar", family_id, address,
                            "agreement=" + std::to_string(agreement_id));
    }
  }
  if (!commit_read_audit(database_, {event}, family_id)) return FamilyOutcome::kFailed;
  return outcome;
}

}  // namespace kindband::server
