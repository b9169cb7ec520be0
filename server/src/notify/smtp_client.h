// Hands one mail to the organisation's mail server with libcurl's SMTP (STARTTLS or SMTPS, AUTH),
// never a hand-written SMTP client.
#ifndef KINDBAND_SERVER_SMTP_CLIENT_H_
#define KINDBAND_SERVER_SMTP_CLIENT_H_

#include <string>

namespace kindband::server {

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string from;
  std::string username;  // "" = no AUTH
  std::string password;
  bool allow_plain = false;  // smtp:// without STARTTLS (a local relay, tests)
  long timeout_seconds = 30;
};

// Reads user name and password from a file that only its owner may read (mode 0600 or stricter):
// the user name on the first line, the password on the second.
bool read_smtp_credentials(const std::string& path, SmtpSettings* settings, std::string* error);

struct SmtpResult {
  bool sent = false;
  // The server refused this mail for good (a 5xx answer, e.g. an unknown mailbox): do not retry.
  bool permanent = false;
  std::string error;  // what went wrong, for the outbox and the log (never the mail's text)
};

// Sends message (a whole RFC 5322 text with CRLF line ends) from settings.from to one recipient.
SmtpResult send_mail(const SmtpSettings& settings, const std::string& to,
                     const std::string& message);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_SMTP_CLIENT_H_
