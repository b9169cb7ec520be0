#include "email_address.h"

namespace kindband::server {
namespace {

bool is_local_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
}

bool is_domain_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

}  // namespace

std::string check_email_address(std::string_view address) {
  constexpr const char* kExpected = "expected an e-mail address such as name@example.nl";
  if (address.empty()) return kExpected;
  if (address.size() > 254) return "an e-mail address has at most 254 characters";
  const size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || address.find('@', at + 1) != address.npos) {
    return kExpected;
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != local.npos) {
    return kExpected;
  }
  for (char c : local) {
    if (!is_local_char(c)) return kExpected;
  }
  if (domain.empty() || domain.find('.') == domain.npos || domain.front() == '.' ||
      domain.back() == '.' || domain.front() == '-' || domain.find("..") != domain.npos) {
    return kExpected;
  }
  for (char c : domain) {
    if (!is_domain_char(c)) return kExpected;
  }
  return "";
}

}  // namespace kindband::server
