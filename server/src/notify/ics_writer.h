// A small iCalendar (RFC 5545) writer for one all-day event: what a care agreement with a date
// becomes in a parent's or a professional's calendar. It carries only the summary it is given
// ("Afspraak met <organisation>"), never what was agreed.
#ifndef KINDBAND_SERVER_ICS_WRITER_H_
#define KINDBAND_SERVER_ICS_WRITER_H_

#include <cstdint>
#include <string>

namespace kindband::server {

struct CalendarEvent {
  std::string uid;      // globally unique and stable: the same event again replaces, not adds
  std::string date;     // YYYY-MM-DD (an all-day event)
  std::string summary;  // plain text; escaped and folded here
  int64_t stamp_unix_seconds = 0;  // DTSTAMP
};

// True for a real calendar date written as YYYY-MM-DD.
bool is_calendar_date(const std::string& date);
// The VCALENDAR text with one VEVENT, CRLF line ends, lines folded at 75 octets (never inside a
// UTF-8 character). "" when the date is not a calendar date.
std::string write_ics(const CalendarEvent& event);
// RFC 5545 3.3.11 TEXT escaping: backslash, semicolon, comma and newline.
std::string escape_ics_text(const std::string& text);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_ICS_WRITER_H_
