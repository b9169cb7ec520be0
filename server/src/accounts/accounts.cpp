#include "accounts.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "database.h"
#include "text_util.h"

namespace kindband::server {
namespace {

// OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1 (libsodium uses p=1).
constexpr unsigned long long kArgonOpsLimit = 2;
constexpr size_t kArgonMemLimit = 19u * 1024u * 1024u;

bool all_chars(std::string_view text, const char* allowed_punctuation) {
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view(allowed_punctuation).find(c) != std::string_view::npos;
  });
}

bool load_origins(Tx* db, Organisation* organisation) {
  Statement origins(db,
                    "SELECT origin FROM organisation_origins WHERE organisation_id = ? ORDER BY "
                    "origin");
  origins.bind(1, organisation->id);
  organisation->origins.clear();
  while (origins.step()) organisation->origins.push_back(origins.text(0));
  return !origins.failed();
}

bool replace_origins(Tx* db, int64_t organisation_id, const std::vector<std::string>& origins,
                     std::string* error) {
  Statement clear(db, "DELETE FROM organisation_origins WHERE organisation_id = ?");
  clear.bind(1, organisation_id);
  if (!clear.run()) {
    if (error) *error = db->last_error();
    return false;
  }
  for (const std::string& origin : origins) {
    Statement insert(db,
                     "INSERT INTO organisation_origins(organisation_id, origin) VALUES(?, ?) "
                     "ON CONFLICT DO NOTHING");
    insert.bind(1, organisation_id).bind(2, origin);
    if (!insert.run()) {
      if (error) *error = db->last_error();
      return false;
    }
  }
  return true;
}

bool read_professional(Statement& row, Professional* p) {
  if (!row.step()) return false;
  p->id = row.integer(0);
  p->organisation_id = row.integer(1);
  p->organisation_slug = row.text(2);
  p->username = row.text(3);
  p->role = row.text(4);
  p->disabled = row.integer(5) != 0;
  p->failed_logins = row.integer(6);
  p->locked_until = row.integer(7);
  p->password_hash = row.text(8);
  p->sessions_valid_after = row.integer(9);
  p->display_name = row.text(10);
  return true;
}

constexpr const char* kSelectProfessional =
    "SELECT p.id, p.organisation_id, o.slug, p.username, p.role, p.disabled, p.failed_logins, "
    "p.locked_until, p.password_hash, p.sessions_valid_after, COALESCE(p.display_name, '') FROM "
    "professionals p JOIN "
    "organisations o ON "
    "o.id = p.organisation_id ";

}  // namespace

std::string check_organisation_slug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 64 || !all_chars(slug, "-_")) {
    return "organisation id must be 2-64 characters a-z, 0-9, '-' or '_'";
  }
  return "";
}

std::string check_username(std::string_view username) {
  if (username.size() < 3 || username.size() > 64 || !all_chars(username, "-_.@")) {
    return "username must be 3-64 characters a-z, 0-9, '-', '_', '.' or '@'";
  }
  return "";
}

std::string check_role(std::string_view role) {
  if (role.empty() || role.size() > 40 || !all_chars(role, "-_ ")) {
    return "role must be 1-40 characters a-z, 0-9, '-', '_' or space (e.g. verloskundige)";
  }
  return "";
}

std::string check_display_name(std::string_view name) {
  if (name.empty() || name.size() > 80) return "name must be 1-80 characters";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "name must not contain control characters";
  }
  return "";
}

std::string check_password(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return "password must have at least " + std::to_string(kMinPasswordLength) + " characters";
  }
  if (password.size() > kMaxPasswordLength) {
    return "password must have at most " + std::to_string(kMaxPasswordLength) + " characters";
  }
  return "";
}

bool normalise_origin(std::string_view text, std::string* origin, std::string* error) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto fail = [&](const std::string& what) {
    if (error) *error = "origin '" + std::string(text) + "': " + what;
    return false;
  };
  if (lower == "null") return fail("the null origin is never allowed");
  std::string scheme;
  if (lower.rfind("https://", 0) == 0) {
    scheme = "https";
  } else if (lower.rfind("http://", 0) == 0) {
    scheme = "http";
  } else {
    return fail("must start with https:// or http://");
  }
  std::string rest = lower.substr(scheme.size() + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return fail("has no host");
  if (rest.find_first_of("/?#@ \\") != std::string::npos) {
    return fail("must be scheme://host[:port] without path, query or credentials");
  }
  std::string host = rest;
  std::string port;
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !all_chars(port, "") ||
        port.find_first_not_of("0123456789") != std::string::npos) {
      return fail("has an invalid port");
    }
    if (std::stoi(port) < 1 || std::stoi(port) > 65535) return fail("has an invalid port");
  }
  if (host.empty() || !all_chars(host, "-.[]:")) return fail("has an invalid host");
  if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) port.clear();
  *origin = scheme + "://" + host + (port.empty() ? "" : ":" + port);
  return true;
}

bool hash_password(std::string_view password, std::string* hash, std::string* error) {
  std::string problem = check_password(password);
  if (!problem.empty()) {
    if (error) *error = problem;
    return false;
  }
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), kArgonOpsLimit,
                            kArgonMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    if (error) *error = "out of memory while hashing the password";
    return false;
  }
  *hash = encoded;
  return true;
}

bool verify_password(const std::string& hash, std::string_view password) {
  if (password.size() > kMaxPasswordLength) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  static const std::string hash = [] {
    std::string h, error;
    hash_password(random_token(16), &h, &error);
    return h;
  }();
  return hash;
}

bool find_organisation(Tx* db, std::string_view slug, Organisation* organisation) {
  Statement row(db, "SELECT id, slug, name FROM organisations WHERE slug = ?");
  row.bind(1, slug);
  if (!row.step()) return false;
  organisation->id = row.integer(0);
  organisation->slug = row.text(1);
  organisation->name = row.text(2);
  return load_origins(db, organisation);
}

bool origin_allowed_for_any_organisation(Tx* db, std::string_view origin) {
  Statement row(db, "SELECT 1 FROM organisation_origins WHERE origin = ? LIMIT 1");
  row.bind(1, origin);
  return row.step();
}

bool create_organisation(Tx* db, const Organisation& organisation, std::string* error) {
  Organisation existing;
  if (find_organisation(db, organisation.slug, &existing)) {
    if (error) *error = "organisation '" + organisation.slug + "' already exists";
    return false;
  }
  return upsert_organisation(db, organisation, error);
}

bool upsert_organisation(Tx* db, const Organisation& organisation, std::string* error) {
  std::string problem = check_organisation_slug(organisation.slug);
  if (!problem.empty()) {
    if (error) *error = problem;
    return false;
  }
  Statement upsert(db,
                   "INSERT INTO organisations(slug, name, created_at) VALUES(?, ?, ?) "
                   "ON CONFLICT(slug) DO UPDATE SET name = excluded.name");
  upsert.bind(1, organisation.slug)
      .bind(2, organisation.name.empty() ? organisation.slug : organisation.name)
      .bind(3, utc_timestamp_now());
  if (!upsert.run()) {
    if (error) *error = db->last_error();
    return false;
  }
  Organisation stored;
  if (!find_organisation(db, organisation.slug, &stored)) {
    if (error) *error = "organisation vanished after insert";
    return false;
  }
  return replace_origins(db, stored.id, organisation.origins, error);
}

bool find_professional(Tx* db, std::string_view username, Professional* professional) {
  Statement row(db, std::string(kSelectProfessional) + "WHERE p.username = ?");
  row.bind(1, username);
  return read_professional(row, professional);
}

bool find_professional_by_id(Tx* db, int64_t id, Professional* professional) {
  Statement row(db, std::string(kSelectProfessional) + "WHERE p.id = ?");
  row.bind(1, id);
  return read_professional(row, professional);
}

bool create_professional(Tx* db, std::string_view organisation_slug, std::string_view username,
                         std::string_view role, const std::string& password_hash,
                         std::string* error, std::string_view display_name) {
  for (const std::string& problem :
       {check_username(username), check_role(role),
        display_name.empty() ? std::string() : check_display_name(display_name)}) {
    if (!problem.empty()) {
      if (error) *error = problem;
      return false;
    }
  }
  Organisation organisation;
  if (!find_organisation(db, organisation_slug, &organisation)) {
    if (error) *error = "unknown organisation '" + std::string(organisation_slug) + "'";
    return false;
  }
  Professional existing;
  if (find_professional(db, username, &existing)) {
    if (error) *error = "username '" + std::string(username) + "' already exists";
    return false;
  }
  Statement insert(db,
                   "INSERT INTO professionals(organisation_id, username, role, password_hash, "
                   "created_at, display_name) VALUES(?, ?, ?, ?, ?, ?)");
  insert.bind(1, organisation.id)
      .bind(2, username)
      .bind(3, role)
      .bind(4, password_hash)
      .bind(5, utc_timestamp_now());
  if (display_name.empty()) {
    insert.bind_null(6);
  } else {
    insert.bind(6, display_name);
  }
  if (!insert.run()) {
    if (error) *error = db->last_error();
    return false;
  }
  return true;
}

namespace {

// Runs an UPDATE of one professional's row; an update that matched no row is an unknown username.
bool run_account_update(Tx* db, Statement* update, std::string_view username, std::string* error) {
  if (!update->run()) {
    if (error) *error = db->last_error();
    return false;
  }
  if (db->changes() == 0) {
    if (error) *error = "unknown username '" + std::string(username) + "'";
    return false;
  }
  return true;
}

}  // namespace

bool set_professional_disabled(Tx* db, std::string_view username, bool disabled,
                               std::string* error) {
  // Disabling (or enabling) ends the account's current sessions at their next request.
  Statement update(db,
                   "UPDATE professionals SET disabled = ?, sessions_valid_after = ? WHERE "
                   "username = ?");
  update.bind(1, disabled ? 1 : 0).bind(2, unix_now_millis()).bind(3, username);
  return run_account_update(db, &update, username, error);
}

bool set_professional_display_name(Tx* db, std::string_view username, std::string_view name,
                                   std::string* error) {
  const std::string problem = check_display_name(name);
  if (!problem.empty()) {
    if (error) *error = problem;
    return false;
  }
  Statement update(db, "UPDATE professionals SET display_name = ? WHERE username = ?");
  update.bind(1, name).bind(2, username);
  return run_account_update(db, &update, username, error);
}

bool set_professional_password(Tx* db, std::string_view username, const std::string& password_hash,
                               std::string* error) {
  Statement update(db,
                   "UPDATE professionals SET password_hash = ?, failed_logins = 0, "
                   "locked_until = 0, sessions_valid_after = ? WHERE username = ?");
  // Every session of the account from before the reset ends at its next request.
  update.bind(1, password_hash).bind(2, unix_now_millis()).bind(3, username);
  return run_account_update(db, &update, username, error);
}

Lookup AccountStore::professional(std::string_view username, Professional* out) {
  auto lease = database_->read();
  if (!lease.tx()) return Lookup::kUnavailable;
  return find_professional(lease.tx(), username, out) ? Lookup::kFound : Lookup::kNotFound;
}

Lookup AccountStore::session_still_valid(int64_t professional_id, int64_t created_unix_ms) {
  auto lease = database_->read();
  if (!lease.tx()) return Lookup::kUnavailable;
  Professional professional;
  if (!find_professional_by_id(lease.tx(), professional_id, &professional)) {
    return lease.tx()->connection_lost() ? Lookup::kUnavailable : Lookup::kNotFound;
  }
  return !professional.disabled && professional.sessions_valid_after <= created_unix_ms
             ? Lookup::kFound
             : Lookup::kNotFound;
}

bool AccountStore::colleagues(int64_t organisation_id, std::vector<Professional>* out) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  Statement rows(lease.tx(),
                 "SELECT username, role, COALESCE(display_name, username) FROM professionals "
                 "WHERE organisation_id = ? AND disabled = 0 ORDER BY COALESCE(display_name, "
                 "username), username");
  rows.bind(1, organisation_id);
  while (rows.step()) {
    Professional colleague;
    colleague.username = rows.text(0);
    colleague.role = rows.text(1);
    colleague.display_name = rows.text(2);
    out->push_back(std::move(colleague));
  }
  return !rows.failed();
}

bool AccountStore::record_failed_login(int64_t professional_id, const AuditEvent& event) {
  return database_->write([&](Tx* db) {
    Statement update(db, "UPDATE professionals SET failed_logins = failed_logins + 1 WHERE id = ?");
    update.bind(1, professional_id);
    std::string error;
    return update.run() && append_audit(db, event, &error);
  }) == Database::Outcome::kCommitted;
}

bool AccountStore::record_login(int64_t professional_id, const AuditEvent& event) {
  return database_->write([&](Tx* db) {
    Statement reset(db,
                    "UPDATE professionals SET failed_logins = 0, locked_until = 0 WHERE id = ?");
    reset.bind(1, professional_id);
    std::string error;
    return reset.run() && append_audit(db, event, &error);
  }) == Database::Outcome::kCommitted;
}

}  // namespace kindband::server
