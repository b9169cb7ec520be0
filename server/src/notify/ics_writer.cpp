#include "ics_writer.h"

#include <ctime>

namespace kindband::server {
namespace {

// Folds a content line into lines of at most 75 octets (RFC 5545 3.1): CRLF, then one space.
std::string fold(const std::string& line) {
  std::string out;
  size_t length = 0;  // octets on the current physical line
  for (size_t i = 0; i < line.size();) {
    size_t width = 1;  // the octets of this UTF-8 character
    const auto lead = static_cast<unsigned char>(line[i]);
    if (lead >= 0xf0) {
      width = 4;
    } else if (lead >= 0xe0) {
      width = 3;
    } else if (lead >= 0xc0) {
      width = 2;
    }
    width = std::min(width, line.size() - i);
    if (length + width > 75) {
      out += "\r\n ";
      length = 1;
    }
    out.append(line, i, width);
    length += width;
    i += width;
  }
  return out + "\r\n";
}

std::string utc_stamp(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &utc);
  return buffer;
}

// The day after date (for DTEND of an all-day event).
std::string next_day(int year, int month, int day) {
  std::tm date{};
  date.tm_year = year - 1900;
  date.tm_mon = month - 1;
  date.tm_mday = day + 1;
  date.tm_hour = 12;
  timegm(&date);  // normalises the fields
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y%m%d", &date);
  return buffer;
}

}  // namespace

bool is_calendar_date(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const int year = std::stoi(date.substr(0, 4));
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= days[month - 1];
}

std::string escape_ics_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      continue;
    } else {
      out += c;
    }
  }
  return out;
}

std::string write_ics(const CalendarEvent& event) {
  if (!is_calendar_date(event.date)) return "";
  const int year = std::stoi(event.date.substr(0, 4));
  const int month = std::stoi(event.date.substr(5, 2));
  const int day = std::stoi(event.date.substr(8, 2));
  const std::string start =
      event.date.substr(0, 4) + event.date.substr(5, 2) + event.date.substr(8, 2);
  std::string out;
  for (const std::string& line :
       {std::string("BEGIN:VCALENDAR"), std::string("VERSION:2.0"),
        std::string("PRODID:-//Kindband//Kindband//NL"), std::string("CALSCALE:GREGORIAN"),
        std::string("METHOD:PUBLISH"), std::string("BEGIN:VEVENT"),
        "UID:" + escape_ics_text(event.uid), "DTSTAMP:" + utc_stamp(event.stamp_unix_seconds),
        "DTSTART;VALUE=DATE:" + start, "DTEND;VALUE=DATE:" + next_day(year, month, day),
        "SUMMARY:" + escape_ics_text(event.summary), std::string("TRANSP:TRANSPARENT"),
        std::string("END:VEVENT"), std::string("END:VCALENDAR")}) {
    out += fold(line);
  }
  return out;
}

}  // namespace kindband::server
