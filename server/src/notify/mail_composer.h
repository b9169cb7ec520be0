// The text of a notification mail (RFC 5322, UTF-8). It says that there is news and for whom,
// with a link, and nothing else: never a name, a family, a score, an instrument or a message.
// The words come only from this file and the recipient's own organisation name or link, so no
// content a parent or a professional typed can reach a mailbox.
#ifndef KINDBAND_SERVER_MAIL_COMPOSER_H_
#define KINDBAND_SERVER_MAIL_COMPOSER_H_

#include <cstdint>
#include <string>
#include <vector>

namespace kindband::server {

struct MailText {
  std::string subject;  // UTF-8
  std::string body;     // UTF-8, lines end in \n
};

// For a professional or a team address: what kinds of news (notification_kind_name()s) there
// are for organisation_name, and the inbox link (public_url + "/inbox/").
MailText professional_mail_text(const std::vector<std::string>& kinds,
                                const std::string& organisation_name,
                                const std::string& public_url);
// For a parent: "there is news from your care network" and the page where their widget lives.
MailText parent_mail_text(const std::string& link);
// An invitation to a family's care network from organisation_name, with the invitation link (the
// page where the widget lives, with the code after #). Nothing about the family or their health.
MailText invitation_mail_text(const std::string& organisation_name, const std::string& link);

// An attachment (e.g. an .ics file).
struct MailAttachment {
  std::string filename;
  std::string content_type;  // e.g. "text/calendar; method=PUBLISH"
  std::string data;
};

// The whole message: headers (From, To, Subject encoded per RFC 2047, Date, a Message-ID that is
// the same on every try of one outbox row, Auto-Submitted) and the body, with CRLF line ends.
std::string compose_mail(const std::string& from, const std::string& to, const MailText& text,
                         const std::string& message_id, int64_t date_unix_seconds,
                         const std::vector<MailAttachment>& attachments = {});

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_MAIL_COMPOSER_H_
