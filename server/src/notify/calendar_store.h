// A care agreement with a date as an .ics file (RFC 5545, ics_writer.h) for the parent's or the
// professional's calendar. The event says only "Afspraak met <organisation>" (for a parent) or
// "Kindband: afspraak met een gezin" (for a professional), never what was agreed.
#ifndef KINDBAND_SERVER_CALENDAR_STORE_H_
#define KINDBAND_SERVER_CALENDAR_STORE_H_

#include <cstdint>
#include <string>

#include "database.h"
#include "family_store.h"
#include "sessions.h"

namespace kindband::server {

class CalendarStore {
 public:
  CalendarStore(Database* database, std::string host)
      : database_(database), host_(std::move(host)) {}

  // The agreement of the parent's family, visible to parents and with a date. kNotFound when
  // there is no such agreement (or it has no date).
  FamilyOutcome for_parent(const ParentDevice& parent, int64_t agreement_id, bool english,
                           std::string* ics);
  // The same for a professional of a member organisation; audited (agreement_calendar) like every
  // professional read, and answered only once its audit row is durable.
  FamilyOutcome for_professional(const Session& session, const std::string& family_id,
                                 int64_t agreement_id, const std::string& address,
                                 std::string* ics);

 private:
  Database* database_;
  std::string host_;  // for the events' UIDs
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_CALENDAR_STORE_H_
