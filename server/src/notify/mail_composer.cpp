#include "mail_composer.h"

#include <sodium.h>

#include <algorithm>
#include <ctime>

namespace kindband::server {
namespace {

struct KindLine {
  const char* kind;
  const char* nl;
  const char* en;
};

// One line per kind of news, in the order they are listed. A safety share reads like any other
// share: whoever reads the mailbox must not learn that someone is in danger.
constexpr KindLine kLines[] = {
    {"safety_share", "Er is een nieuwe melding.", "There is a new share."},
    {"new_share", "Er is een nieuwe melding.", "There is a new share."},
    {"case_assigned", "Er is een melding aan jou toegewezen.", "A case was handed to you."},
    {"referral_accepted", "Ouders hebben een verwijzing naar jullie aanvaard.",
     "Parents accepted a referral to you."},
    {"parent_message", "Er is een nieuw bericht van ouders.",
     "There is a new message from parents."},
    {"removed_by_family", "Een gezin heeft jullie uit zijn zorgnetwerk gehaald.",
     "A family removed you from its care network."},
    {"agreement_due", "Er is een afspraak voor vandaag.", "There is an agreement for today."},
    {"agreement_overdue", "Er is een afspraak over de datum.", "An agreement is past its date."},
};

std::string base64(const std::string& data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// RFC 2047 encoded-word for a header with non-ASCII text; plain ASCII stays as it is.
std::string header_text(const std::string& text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (ascii) return text;
  return "=?UTF-8?B?" + base64(text) + "?=";
}

std::string rfc5322_date(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return buffer;
}

// Base64 in lines of 76 characters (RFC 2045).
std::string base64_lines(const std::string& data) {
  const std::string encoded = base64(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

}  // namespace

MailText professional_mail_text(const std::vector<std::string>& kinds,
                                const std::string& organisation_name,
                                const std::string& public_url) {
  std::string nl, en;
  std::vector<std::string> said;
  for (const KindLine& line : kLines) {
    if (std::find(kinds.begin(), kinds.end(), line.kind) == kinds.end()) continue;
    if (std::find(said.begin(), said.end(), std::string(line.nl)) != said.end()) continue;
    said.push_back(line.nl);
    nl += std::string("- ") + line.nl + "\n";
    en += std::string("- ") + line.en + "\n";
  }
  if (said.empty()) {
    nl = "- Er is iets nieuws.\n";
    en = "- There is something new.\n";
  }
  const std::string inbox = public_url + "/inbox/";
  MailText text;
  text.subject = "Nieuws in Kindband voor " + organisation_name + " / News in Kindband for " +
                 organisation_name;
  text.body = "Er is nieuws in Kindband voor " + organisation_name + ":\n" + nl +
              "\nBekijk het in Kindband: " + inbox +
              "\n\nIn deze mail staat met opzet niets over wie of wat. Dat lees je alleen in "
              "Kindband.\n\n---\n\nThere is news in Kindband for " +
              organisation_name + ":\n" + en + "\nSee it in Kindband: " + inbox +
              "\n\nThis mail says nothing about who or what, on purpose. You read that in "
              "Kindband only.\n";
  return text;
}

MailText parent_mail_text(const std::string& link) {
  MailText text;
  text.subject = "Er is nieuws van jullie zorgnetwerk / News from your care network";
  text.body =
      "Er is nieuws van jullie zorgnetwerk.\n\nKijk in Kindband op deze pagina: " + link +
      "\n\nJe krijgt deze mail omdat je zelf om een bericht vroeg. Wil je geen mail meer? Haal "
      "je e-mailadres weg in Kindband op die pagina.\n\n---\n\nThere is news from your care "
      "network.\n\nHave a look in Kindband on this page: " +
      link +
      "\n\nYou get this mail because you asked for it. No more mail? Remove your e-mail "
      "address in Kindband on that page.\n";
  return text;
}

MailText invitation_mail_text(const std::string& organisation_name, const std::string& link) {
  MailText text;
  text.subject = "Uitnodiging van " + organisation_name + " / Invitation from " + organisation_name;
  text.body =
      organisation_name +
      " nodigt je uit voor jullie zorgnetwerk in Kindband.\n\nOpen deze link op je "
      "telefoon of computer en bekijk de uitnodiging. Jij kiest of je meedoet.\n\n" +
      link + "\n\nJe krijgt deze mail omdat je je e-mailadres gaf aan " + organisation_name +
      ". We bewaren het niet.\n\n---\n\n" + organisation_name +
      " invites you to your family's care network in Kindband.\n\nOpen this link on "
      "your phone or computer and look at the invitation. You choose whether you join.\n\n" +
      link + "\n\nYou get this mail because you gave your e-mail address to " + organisation_name +
      ". It is not kept.\n";
  return text;
}

std::string compose_mail(const std::string& from, const std::string& to, const MailText& text,
                         const std::string& message_id, int64_t date_unix_seconds,
                         const std::vector<MailAttachment>& attachments) {
  std::string mail = "From: Kindband <" + from + ">\r\nTo: <" + to +
                     ">\r\nSubject: " + header_text(text.subject) +
                     "\r\nDate: " + rfc5322_date(date_unix_seconds) + "\r\nMessage-ID: <" +
                     message_id + ">\r\nAuto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n";
  const std::string body_headers =
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n";
  if (attachments.empty()) {
    return mail + body_headers + "\r\n" + base64_lines(text.body);
  }
  const std::string boundary = "kindband-" + message_id.substr(0, message_id.find('@'));
  mail += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  mail += "--" + boundary + "\r\n" + body_headers + "\r\n" + base64_lines(text.body);
  for (const MailAttachment& attachment : attachments) {
    mail += "--" + boundary + "\r\nContent-Type: " + attachment.content_type +
            "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: "
            "attachment; filename=\"" +
            attachment.filename + "\"\r\n\r\n" + base64_lines(attachment.data);
  }
  return mail + "--" + boundary + "--\r\n";
}

}  // namespace kindband::server
