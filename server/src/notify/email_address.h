// E-mail addresses as administrators, professionals and parents type them.
#ifndef KINDBAND_SERVER_EMAIL_ADDRESS_H_
#define KINDBAND_SERVER_EMAIL_ADDRESS_H_

#include <string>
#include <string_view>

namespace kindband::server {

// "" when address is a plain mailbox address ("name@host.domain", at most 254 characters, no
// spaces, quotes, angle brackets or control characters), else what is wrong, in words a parent
// or an administrator understands. Deliberately narrower than RFC 5321: such an address goes
// into the SMTP envelope and a header, where a line break or a bracket would change the mail.
std::string check_email_address(std::string_view address);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_EMAIL_ADDRESS_H_
