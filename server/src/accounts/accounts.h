// Organisations (with the website origins allowed to share with them) and professional accounts.
// Passwords are hashed with argon2id (libsodium crypto_pwhash_str_alg, OWASP minimum parameters:
// 19 MiB memory, 2 iterations, 1 lane).
#ifndef KINDBAND_SERVER_ACCOUNTS_H_
#define KINDBAND_SERVER_ACCOUNTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit_log.h"
#include "database.h"

namespace kindband::server {

constexpr size_t kMinPasswordLength = 12;
constexpr size_t kMaxPasswordLength = 1024;

struct Organisation {
  int64_t id = 0;
  std::string slug;  // e.g. "demo-vsv": what the widget names in a share
  std::string name;
  std::vector<std::string> origins;  // normalised, e.g. "https://www.example.nl"
};

struct Professional {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string organisation_slug;
  std::string username;
  std::string role;          // shown to parents as "seen by <role>", e.g. "verloskundige"
  std::string display_name;  // how colleagues and parents see them ("" when none was set)
  bool disabled = false;
  int64_t failed_logins = 0;
  int64_t locked_until = 0;          // unix seconds (no longer set: logins are throttled in memory)
  int64_t sessions_valid_after = 0;  // unix ms: sessions from before this end (reset, disable)
  std::string password_hash;
};

// Validation of names typed by an administrator. Each returns "" when fine, else what is wrong.
std::string check_organisation_slug(std::string_view slug);
std::string check_username(std::string_view username);
std::string check_role(std::string_view role);
std::string check_password(std::string_view password);
// A professional's display name: 1-80 characters, no control characters.
std::string check_display_name(std::string_view name);

// Normalises a website origin ("HTTPS://Example.nl:443/" -> "https://example.nl"). Only http and
// https with a host and optional port; never "null", never a path, query or credentials.
bool normalise_origin(std::string_view text, std::string* origin, std::string* error);

// Argon2id hash in libsodium's encoded form. Fails on a too short password or out of memory.
bool hash_password(std::string_view password, std::string* hash, std::string* error);
bool verify_password(const std::string& hash, std::string_view password);
// A constant hash of a random password: verifying against it costs the same time as a real check,
// so unknown usernames cannot be told apart by timing.
const std::string& dummy_password_hash();

bool find_organisation(Tx* db, std::string_view slug, Organisation* organisation);
bool origin_allowed_for_any_organisation(Tx* db, std::string_view origin);
// Creates an organisation; fails when the slug exists. Origins must already be normalised.
bool create_organisation(Tx* db, const Organisation& organisation, std::string* error);
// Creates the organisation or replaces its name and origins (organisations from a config file).
bool upsert_organisation(Tx* db, const Organisation& organisation, std::string* error);

bool find_professional(Tx* db, std::string_view username, Professional* professional);
bool find_professional_by_id(Tx* db, int64_t id, Professional* professional);
bool create_professional(Tx* db, std::string_view organisation_slug, std::string_view username,
                         std::string_view role, const std::string& password_hash,
                         std::string* error, std::string_view display_name = "");
// Sets the name the professional is shown by (to colleagues and to parents).
bool set_professional_display_name(Tx* db, std::string_view username, std::string_view name,
                                   std::string* error);
bool set_professional_disabled(Tx* db, std::string_view username, bool disabled,
                               std::string* error);
// Replaces the password and clears any lockout.
bool set_professional_password(Tx* db, std::string_view username, const std::string& password_hash,
                               std::string* error);

// Professional accounts as the route files need them: lookups on a snapshot, and the login's
// counters, each committed with its audit row.
class AccountStore {
 public:
  explicit AccountStore(Database* database) : database_(database) {}
  Lookup professional(std::string_view username, Professional* out);
  // A session made at created_unix_ms still holds: the account exists, is not disabled and its
  // password was not reset since. False also when the database cannot be read.
  // kFound: the account still allows a session made at created_unix_ms; kNotFound: it ended
  // (disabled, password reset); kUnavailable: the database could not say.
  Lookup session_still_valid(int64_t professional_id, int64_t created_unix_ms);
  // The active professionals of the organisation, by the name they are shown by.
  bool colleagues(int64_t organisation_id, std::vector<Professional>* out);
  // A failed login: the account's failure counter (professional_id 0: no account) and its audit
  // row, committed together.
  bool record_failed_login(int64_t professional_id, const AuditEvent& event);
  // A good login: the counters reset, with its audit row. True once durable.
  bool record_login(int64_t professional_id, const AuditEvent& event);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_ACCOUNTS_H_
