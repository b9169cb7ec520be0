#include "family_store.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <optional>
#include <tuple>

#include "accounts.h"
#include "audience.h"
#include "audit_log.h"
#include "collaboration.h"
#include "devices.h"
#include "directory.h"
#include "erasure.h"
#include "kindband/engine.h"
#include "notification_events.h"
#include "parent_space.h"
#include "sealed_content.h"
#include "sealing.h"
#include "share_store.h"
#include "text_util.h"
#include "triages.h"

namespace kindband::server {

using nlohmann::json;

namespace {

// Codes are typed by people: no 0/O, 1/I/L or U (read aloud or written down, they get mixed up).
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
constexpr size_t kShortCodeLength = 8;      // pairing and invitation codes: about 39 bits
constexpr size_t kRecoveryCodeLength = 20;  // about 98 bits: it replaces a device's key
constexpr int64_t kPairingSeconds = 10 * 60;
constexpr int64_t kInvitationSeconds = 14 * 24 * 60 * 60;
constexpr int64_t kMaxParentDevices = 4;
constexpr int kAccessLogRows = 100;  // lines (each with a count) per page

std::string new_code(size_t length) {
  std::string code;
  for (size_t i = 0; i < length; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kCodeAlphabet[randombytes_uniform(static_cast<uint32_t>(kCodeAlphabet.size()))];
  }
  return code;
}

// The same code for the same seed (64 hex digits of a keyed hash): two seed bytes per letter, so
// the 30-letter alphabet is picked with a bias below 1 in 4000.
std::string code_from_seed(const std::string& seed, size_t length) {
  std::string code;
  for (size_t i = 0; i < length; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    const size_t value = std::stoul(seed.substr((i * 4) % seed.size(), 4), nullptr, 16);
    code += kCodeAlphabet[value % kCodeAlphabet.size()];
  }
  return code;
}

std::string code_hash(std::string_view kind, std::string_view typed) {
  std::string code = normalise_code(typed);
  if (code.empty()) return "";
  return sha256_hex(std::string(kind) + ":" + code);
}

// Who holds this key already (a key proves one parent device), or nullopt.
std::optional<ParentDevice> parent_by_key_hash(Tx* db, const std::string& hash) {
  Statement row(db, "SELECT id, family_id, role FROM family_parents WHERE key_hash = ?");
  row.bind(1, hash);
  if (!row.step()) return std::nullopt;
  return ParentDevice{row.text(0), row.text(1), row.text(2)};
}

// The network entry of one membership, as both parents and professionals see it.
json membership_json(Tx* db, const std::string& family_id, int64_t organisation_id,
                     int64_t viewer_organisation_id) {
  Statement row(db,
                "SELECT o.slug, o.name, COALESCE(o.type, ''), m.state, m.added_at, "
                "m.added_by_role, m.consent_version, m.via, m.removed_at, m.removed_by_role, "
                "p.username, p.role, COALESCE(p.display_name, p.username) FROM memberships m JOIN "
                "organisations o ON o.id = "
                "m.organisation_id LEFT JOIN professionals p ON p.id = "
                "m.assigned_professional_id WHERE m.family_id = ? AND m.organisation_id = ?");
  row.bind(1, family_id).bind(2, organisation_id);
  if (!row.step()) return nullptr;
  json entry = {{"organisation", row.text(0)},
                {"name", row.text(1)},
                {"type", row.text(2)},
                {"state", row.text(3)},
                {"added_at", row.text(4)},
                {"added_by", row.text(5)},
                {"consent_version", row.text(6)},
                {"via", row.text(7)},
                {"removed_at", row.is_null(8) ? json(nullptr) : json(row.text(8))},
                {"removed_by", row.is_null(9) ? json(nullptr) : json(row.text(9))},
                {"for", there_for_roles(db, family_id, organisation_id)}};
  if (viewer_organisation_id != 0) {
    entry["me"] = organisation_id == viewer_organisation_id;
    entry["assigned"] =
        row.is_null(10)
            ? json(nullptr)
            : json{{"username", row.text(10)}, {"name", row.text(12)}, {"role", row.text(11)}};
  } else {
    // Parents see the role of the contact person, never a name.
    entry["assigned_role"] = row.is_null(11) ? json(nullptr) : json(row.text(11));
  }
  return entry;
}

json network_json(Tx* db, const std::string& family_id, int64_t viewer_organisation_id) {
  json network = json::array();
  Statement rows(db,
                 "SELECT m.organisation_id FROM memberships m JOIN organisations o ON o.id = "
                 "m.organisation_id WHERE m.family_id = ? ORDER BY m.state, m.added_at, o.slug");
  rows.bind(1, family_id);
  while (rows.step()) {
    network.push_back(membership_json(db, family_id, rows.integer(0), viewer_organisation_id));
  }
  return network;
}

int64_t family_coalition(Tx* db, const std::string& family_id) {
  Statement row(db, "SELECT COALESCE(coalition_id, 0) FROM families WHERE id = ?");
  row.bind(1, family_id);
  return row.step() ? row.integer(0) : 0;
}

// Sort key for the timeline: pregnancy, then postpartum, then shares without a stage; by week.
int stage_order(const json& context) {
  std::string stage = context.value("stage", std::string());
  return stage == "pregnancy" ? 0 : stage == "postpartum" ? 1 : 2;
}

}  // namespace

AuditEvent parent_event(const ParentDevice& parent, std::string action, std::string address,
                        std::string organisation, std::string detail) {
  AuditEvent event{"parent:" + parent.role, "parent", std::move(organisation),
                   std::move(action),       "",       std::move(address),
                   std::move(detail)};
  event.family_id = parent.family_id;
  return event;
}

AuditEvent session_event(const Session& session, std::string action, const std::string& family_id,
                         std::string address, std::string detail) {
  AuditEvent event =
      professional_event(session, std::move(action), "", std::move(address), std::move(detail));
  event.family_id = family_id;
  return event;
}

bool audit(Tx* db, const AuditEvent& event) {
  std::string error;
  return append_audit(db, event, &error);
}

std::string family_key_hash(std::string_view key) {
  constexpr size_t kKeyBytes = 32;
  if (key.size() !=
      sodium_base64_ENCODED_LEN(kKeyBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1) {
    return "";
  }
  unsigned char bytes[kKeyBytes];
  size_t decoded = 0;
  const char* end = nullptr;
  // libsodium refuses other characters and non-zero unused bits, so one key has one spelling.
  if (sodium_base642bin(bytes, sizeof bytes, key.data(), key.size(), nullptr, &decoded, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      decoded != kKeyBytes || end != key.data() + key.size()) {
    return "";
  }
  return sha256_hex(std::string("family-key:") + std::string(key));
}

std::string normalise_code(std::string_view typed) {
  if (typed.size() > 64) return "";
  std::string code;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (kCodeAlphabet.find(upper) == std::string_view::npos) return "";
    code += upper;
  }
  return code.size() >= kShortCodeLength ? code : "";
}

std::optional<ParentDevice> FamilyStore::authenticate(std::string_view key) {
  std::string hash = family_key_hash(key);
  if (hash.empty()) return std::nullopt;
  auto lease = database_->read();
  if (!lease.tx()) return std::nullopt;
  Statement row(lease.tx(),
                "SELECT p.id, p.family_id, p.role FROM family_parents p JOIN families f ON "
                "f.id = p.family_id WHERE p.key_hash = ? AND f.erased_at IS NULL");
  row.bind(1, hash);
  if (!row.step()) return std::nullopt;
  return ParentDevice{row.text(0), row.text(1), row.text(2)};
}

FamilyOutcome FamilyStore::create_family(const std::string& family_id, const std::string& role,
                                         std::string_view key, const std::string& name,
                                         const std::string& address, ParentDevice* parent) {
  const std::string hash = family_key_hash(key);
  if (hash.empty()) return FamilyOutcome::kInvalidKey;
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (auto existing = parent_by_key_hash(db, hash)) {
      outcome = existing->family_id == family_id ? FamilyOutcome::kOk : FamilyOutcome::kKeyInUse;
      *parent = *existing;
      return false;
    }
    Statement taken(db, "SELECT 1 FROM families WHERE id = ?");
    taken.bind(1, family_id);
    if (taken.step()) {
      outcome = FamilyOutcome::kFamilyExists;
      return false;
    }
    const std::string now = utc_timestamp_now();
    *parent = ParentDevice{random_token(12), family_id, role};
    // ON CONFLICT: a family or key made a moment ago by a concurrent request is answered as
    // above (409 or the same family), never as a failure.
    Statement family(db,
                     "INSERT INTO families(id, created_at, name) VALUES(?, ?, ?) ON CONFLICT DO "
                     "NOTHING");
    family.bind(1, family_id)
        .bind(2, now)
        .bind_optional(3, name.empty() ? std::nullopt
                                       : std::optional<std::string>(
                                             seal("families", "name", family_id, name)));
    if (!family.run()) return false;
    if (db->changes() == 0) {
      outcome = FamilyOutcome::kFamilyExists;
      return false;
    }
    Statement device(db,
                     "INSERT INTO family_parents(id, family_id, role, key_hash, joined_at, "
                     "joined_via) VALUES(?, ?, ?, ?, ?, 'created') ON CONFLICT DO NOTHING");
    device.bind(1, parent->id).bind(2, family_id).bind(3, role).bind(4, hash).bind(5, now);
    if (!device.run()) return false;
    if (db->changes() == 0) {
      outcome = FamilyOutcome::kKeyInUse;
      return false;
    }
    if (!audit(db, parent_event(*parent, "family_created", address))) return false;
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome FamilyStore::rename_family(const ParentDevice& parent, const std::string& name,
                                         const std::string& address) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement update(db, "UPDATE families SET name = ? WHERE id = ? AND erased_at IS NULL");
    update
        .bind_optional(1, name.empty() ? std::nullopt
                                       : std::optional<std::string>(
                                             seal("families", "name", parent.family_id, name)))
        .bind(2, parent.family_id);
    // The audit row says that the name changed, never the name (what a parent said).
    if (!update.run() ||
        !audit(db, parent_event(parent, name.empty() ? "family_name_cleared" : "family_named",
                                address))) {
      return false;
    }
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed);
}

FamilyOutcome FamilyStore::family_for_parent(const ParentDevice& parent, json* out) {
  auto lease = database_->read();
  Tx* db = lease.tx();
  if (!db) return FamilyOutcome::kFailed;
  json parents = json::array();
  {
    // One entry per parent (a parent may have more than one device).
    Statement rows(db,
                   "SELECT MIN(id), role, MIN(joined_at) FROM family_parents WHERE family_id = ? "
                   "GROUP BY role ORDER BY MIN(joined_at)");
    rows.bind(1, parent.family_id);
    while (rows.step()) {
      parents.push_back({{"id", rows.text(0)},
                         {"role", rows.text(1)},
                         {"joined_at", rows.text(2)},
                         {"me", rows.text(1) == parent.role}});
    }
  }
  // My own shares in full; the other parent's only when that parent showed them to the family,
  // and then without answers, audience or case.
  json shares = json::array();
  {
    Statement rows(db,
                   "SELECT share_id FROM shares WHERE family_id = ? AND (parent_role = ? OR "
                   "show_to_family = 1) ORDER BY received_at");
    rows.bind(1, parent.family_id).bind(2, parent.role);
    while (rows.step()) shares.push_back(share_for_parent_json(db, rows.text(0), parent.role));
  }
  json erase_request = nullptr;
  json name = nullptr;
  {
    Statement row(db, "SELECT erase_requested_by, erase_after, name FROM families WHERE id = ?");
    row.bind(1, parent.family_id);
    if (row.step() && !row.is_null(0)) {
      erase_request = {{"by", row.text(0)}, {"erase_after", utc_timestamp_at(row.integer(1))}};
    }
    if (!row.is_null(2)) name = open_sealed("families", "name", parent.family_id, row.text(2));
  }
  *out = json{{"family_id", parent.family_id},
              {"name", std::move(name)},
              {"coalition", coalition_json(db, family_coalition(db, parent.family_id))},
              {"me", {{"id", parent.id}, {"role", parent.role}}},
              {"parents", std::move(parents)},
              {"network", network_json(db, parent.family_id, 0)},
              {"shares", std::move(shares)},
              {"agreements", agreements_json(db, parent.family_id, true)},
              {"proposals", proposals_json(db, parent.family_id, true)},
              {"messages", messages_for_parent_json(db, parent.family_id, parent.role)},
              {"triages", triages_for_parent_json(db, parent.family_id, parent.role)},
              {"devices", devices_json(db, parent)},
              {"notices", notices_json(db, parent.family_id, parent.role)},
              {"erase_request", std::move(erase_request)}};
  return FamilyOutcome::kOk;
}

FamilyOutcome FamilyStore::create_pairing_code(const ParentDevice& parent,
                                               const std::string& wanted_role,
                                               const std::string& address, std::string* code,
                                               std::string* role, std::string* expires_at) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  *code = new_code(kShortCodeLength);
  const int64_t expires = unix_now() + kPairingSeconds;
  *expires_at = utc_timestamp_at(expires);
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    // The parent who makes the code says who joins: another device of their own, or the other
    // parent while that parent has no device yet (one mother, one partner per family).
    const std::string other = parent.role == "mother" ? "partner" : "mother";
    Statement has_other(db, "SELECT 1 FROM family_parents WHERE family_id = ? AND role = ?");
    has_other.bind(1, parent.family_id).bind(2, other);
    const bool other_present = has_other.step();
    *role = wanted_role.empty() ? (other_present ? parent.role : other) : wanted_role;
    if (*role != parent.role && other_present) {
      outcome = FamilyOutcome::kRoleTaken;
      return false;
    }
    Statement clear(db, "DELETE FROM pairing_codes WHERE family_id = ?");
    clear.bind(1, parent.family_id);
    Statement insert(db,
                     "INSERT INTO pairing_codes(code_hash, family_id, created_at, expires_at, "
                     "role, created_by_role) VALUES(?, ?, ?, ?, ?, ?)");
    insert.bind(1, code_hash("pairing", *code))
        .bind(2, parent.family_id)
        .bind(3, utc_timestamp_now())
        .bind(4, expires)
        .bind(5, *role)
        .bind(6, parent.role);
    if (!clear.run() || !insert.run() ||
        !audit(db, parent_event(parent, "pairing_code_created", address, "", "role=" + *role))) {
      return false;
    }
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed);
}

FamilyOutcome FamilyStore::join(std::string_view code, std::string_view key,
                                const std::string& device_name, const std::string& address,
                                int retire_after, ParentDevice* parent) {
  const std::string hash = family_key_hash(key);
  if (hash.empty()) return FamilyOutcome::kInvalidKey;
  const std::string pairing = code_hash("pairing", code);
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    auto refuse = [&](const std::string& why) {
      outcome = FamilyOutcome::kInvalidCode;
      // Every live code has seen one more wrong guess; those that saw too many retire, so no code
      // faces more than retire_after guesses, however many addresses they come from.
      Statement count(db,
                      "UPDATE pairing_codes SET failures = failures + 1 WHERE used_at IS NULL AND "
                      "expires_at >= ?");
      count.bind(1, unix_now());
      Statement retire(db, "DELETE FROM pairing_codes WHERE used_at IS NULL AND failures >= ?");
      retire.bind(1, retire_after);
      // Kept (return true): failed attempts are part of the record.
      return count.run() && retire.run() &&
             audit(db, AuditEvent{"parent", "parent", "", "pairing_failed", "", address, why});
    };
    if (pairing.empty()) return refuse("malformed code");
    Statement row(db,
                  "SELECT c.family_id, c.expires_at, c.used_at IS NOT NULL, f.erased_at IS NOT "
                  "NULL, c.role, c.created_by_role, c.failures FROM pairing_codes c JOIN families "
                  "f ON f.id = c.family_id WHERE c.code_hash = ?");
    row.bind(1, pairing);
    if (!row.step()) return refuse("unknown code");
    if (row.integer(2) || row.integer(3)) return refuse("used code");
    if (row.integer(1) < unix_now()) return refuse("expired code");
    if (row.integer(6) >= retire_after) return refuse("retired code");
    const std::string family_id = row.text(0);
    const std::string role = row.text(4);
    const std::string maker = row.text(5);
    if (parent_by_key_hash(db, hash)) {
      outcome = FamilyOutcome::kKeyInUse;
      return false;
    }
    // A right code for a family that has no room: not a wrong guess, and the code stays valid.
    Statement count(db, "SELECT COUNT(*) FROM family_parents WHERE family_id = ?");
    count.bind(1, family_id);
    if (!count.step()) return false;
    if (count.integer(0) >= kMaxParentDevices) {
      outcome = FamilyOutcome::kFamilyFull;
      return false;
    }
    // The other parent's place was taken meanwhile (its own device joined another way).
    if (role != maker) {
      Statement taken(db, "SELECT 1 FROM family_parents WHERE family_id = ? AND role = ?");
      taken.bind(1, family_id).bind(2, role);
      if (taken.step()) {
        outcome = FamilyOutcome::kRoleTaken;
        return false;
      }
    }
    const std::string now = utc_timestamp_now();
    *parent = ParentDevice{random_token(12), family_id, role};
    Statement use(db, "UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?");
    use.bind(1, now).bind(2, pairing);
    Statement device(db,
                     "INSERT INTO family_parents(id, family_id, role, key_hash, joined_at, "
                     "joined_via, name, last_used_at) VALUES(?, ?, ?, ?, ?, 'pairing', ?, ?)");
    device.bind(1, parent->id).bind(2, family_id).bind(3, role).bind(4, hash).bind(5, now);
    device.bind_optional(6, device_name.empty()
                                ? std::nullopt
                                : std::optional<std::string>(
                                      seal("family_parents", "name", parent->id, device_name)));
    device.bind(7, now);
    if (!use.run() || !device.run() ||
        !audit(db, parent_event(*parent, "family_paired", address))) {
      return false;
    }
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome FamilyStore::create_recovery_code(const ParentDevice& parent,
                                                const std::string& address, std::string* code) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  *code = new_code(kRecoveryCodeLength);
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement update(db, "UPDATE family_parents SET recovery_hash = ? WHERE id = ?");
    update.bind(1, code_hash("recovery", *code)).bind(2, parent.id);
    if (!update.run() || !audit(db, parent_event(parent, "recovery_code_created", address))) {
      return false;
    }
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed);
}

FamilyOutcome FamilyStore::recover(std::string_view code, std::string_view key,
                                   const std::string& address, ParentDevice* parent) {
  const std::string hash = family_key_hash(key);
  if (hash.empty()) return FamilyOutcome::kInvalidKey;
  const std::string recovery = code_hash("recovery", code);
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    auto refuse = [&](const std::string& why) {
      outcome = FamilyOutcome::kInvalidCode;
      return audit(db, AuditEvent{"parent", "parent", "", "recovery_failed", "", address, why});
    };
    if (recovery.empty()) return refuse("malformed code");
    Statement row(db,
                  "SELECT p.id, p.family_id, p.role FROM family_parents p JOIN families f ON "
                  "f.id = p.family_id WHERE p.recovery_hash = ? AND f.erased_at IS NULL");
    row.bind(1, recovery);
    if (!row.step()) return refuse("unknown code");
    *parent = ParentDevice{row.text(0), row.text(1), row.text(2)};
    if (parent_by_key_hash(db, hash)) {
      outcome = FamilyOutcome::kKeyInUse;
      return false;
    }
    // The code is used up and the lost device's key stops working.
    Statement update(db,
                     "UPDATE family_parents SET key_hash = ?, recovery_hash = NULL WHERE id = ?");
    update.bind(1, hash).bind(2, parent->id);
    if (!update.run() || !audit(db, parent_event(*parent, "family_recovered", address))) {
      return false;
    }
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome FamilyStore::lookup_invitation(std::string_view code, json* out) {
  const std::string hash = code_hash("invitation", code);
  if (hash.empty()) return FamilyOutcome::kInvalidCode;
  auto lease = database_->read();
  Tx* db = lease.tx();
  if (!db) return FamilyOutcome::kFailed;
  Statement row(db,
                "SELECT organisation_id, expires_at FROM invitations WHERE code_hash = ? AND "
                "used_at IS NULL");
  row.bind(1, hash);
  if (!row.step() || row.integer(1) < unix_now()) return FamilyOutcome::kInvalidCode;
  NetworkOrganisation organisation;
  if (!find_network_organisation_by_id(db, row.integer(0), &organisation)) {
    return FamilyOutcome::kInvalidCode;
  }
  *out = json{{"organisation", directory_entry(organisation)},
              {"coalition", coalition_json(db, organisation.coalition_id)},
              {"expires_at", utc_timestamp_at(row.integer(1))}};
  return FamilyOutcome::kOk;
}

bool parent_is_current(Tx* db, const ParentDevice& parent) {
  Statement row(db,
                "SELECT 1 FROM family_parents p JOIN families f ON f.id = p.family_id "
                "WHERE p.id = ? AND p.family_id = ? AND f.erased_at IS NULL");
  row.bind(1, parent.id).bind(2, parent.family_id);
  return row.step();
}

bool activate_membership(Tx* db, const ParentDevice& parent,
                         const NetworkOrganisation& organisation,
                         const std::string& consent_version, const std::string& via,
                         const std::string& address) {
  const std::string now = utc_timestamp_now();
  // Already a member for the other parent: this parent takes it back into their own network, and
  // the consent record of the membership stays the first parent's. One statement (an upsert), so
  // a membership created at the same moment by another request is no failure.
  Statement write(db,
                  "INSERT INTO memberships(added_at, added_by_parent, added_by_role, "
                  "consent_version, via, family_id, organisation_id, state) VALUES(?, ?, ?, ?, "
                  "?, ?, ?, 'active') ON CONFLICT(family_id, organisation_id) DO UPDATE SET "
                  "state = 'active', added_at = excluded.added_at, added_by_parent = "
                  "excluded.added_by_parent, added_by_role = excluded.added_by_role, "
                  "consent_version = excluded.consent_version, via = excluded.via, removed_at = "
                  "NULL, removed_by_role = NULL, assigned_professional_id = NULL WHERE "
                  "memberships.state != 'active'");
  write.bind(1, now)
      .bind(2, parent.id)
      .bind(3, parent.role)
      .bind(4, consent_version)
      .bind(5, via)
      .bind(6, parent.family_id)
      .bind(7, organisation.id);
  Statement set_coalition(db,
                          "UPDATE families SET coalition_id = ? WHERE id = ? AND "
                          "coalition_id IS NULL");
  set_coalition.bind(1, organisation.coalition_id).bind(2, parent.family_id);
  Statement back(db,
                 "DELETE FROM membership_withdrawals WHERE family_id = ? AND organisation_id = ? "
                 "AND role = ?");
  back.bind(1, parent.family_id).bind(2, organisation.id).bind(3, parent.role);
  // A (re)joining member gets only the shares whose own parent allowed organisations added later.
  return write.run() && set_coalition.run() && back.run() &&
         give_later_shares(db, parent.family_id, organisation.id) &&
         retier_family(db, parent.family_id, organisation.id) &&
         audit(db, parent_event(parent, "membership_added", address, organisation.slug,
                                "via=" + via + " consent=" + consent_version));
}

FamilyOutcome FamilyStore::add_membership(const ParentDevice& parent,
                                          const std::string& organisation_slug,
                                          const std::string& consent_version,
                                          const std::string& invitation_code,
                                          const std::string& address, json* out) {
  const std::string invitation =
      invitation_code.empty() ? "" : code_hash("invitation", invitation_code);
  if (!invitation_code.empty() && invitation.empty()) return FamilyOutcome::kInvalidCode;
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    NetworkOrganisation organisation;
    if (!find_network_organisation(db, organisation_slug, &organisation)) {
      outcome = FamilyOutcome::kUnknownOrganisation;
      return false;
    }
    if (organisation.coalition_id == 0) {
      outcome = FamilyOutcome::kNoCoalition;
      return false;
    }
    const int64_t coalition = family_coalition(db, parent.family_id);
    if (coalition != 0 && coalition != organisation.coalition_id) {
      outcome = FamilyOutcome::kOtherCoalition;
      return false;
    }
    std::string via = "parent";
    if (!invitation.empty()) {
      Statement row(db,
                    "SELECT organisation_id, expires_at FROM invitations WHERE code_hash = ? AND "
                    "used_at IS NULL");
      row.bind(1, invitation);
      if (!row.step() || row.integer(0) != organisation.id || row.integer(1) < unix_now()) {
        outcome = FamilyOutcome::kInvalidCode;
        return false;
      }
      Statement use(db,
                    "UPDATE invitations SET used_at = ?, used_by_family = ? WHERE code_hash = ?");
      use.bind(1, utc_timestamp_now()).bind(2, parent.family_id).bind(3, invitation);
      if (!use.run()) return false;
      via = "invitation";
    }
    Statement existing(db,
                       "SELECT state FROM memberships WHERE family_id = ? AND organisation_id = ?");
    existing.bind(1, parent.family_id).bind(2, organisation.id);
    if (existing.step() && existing.text(0) == "active" &&
        there_for(db, parent.family_id, organisation.id, parent.role)) {
      *out = membership_json(db, parent.family_id, organisation.id, 0);
      outcome = FamilyOutcome::kOk;
      return via == "invitation";  // keep the invitation used; nothing else changed
    }
    if (!activate_membership(db, parent, organisation, consent_version, via, address)) return false;
    *out = membership_json(db, parent.family_id, organisation.id, 0);
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome FamilyStore::remove_membership(const ParentDevice& parent,
                                             const std::string& organisation_slug,
                                             const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    Statement row(db,
                  "SELECT m.organisation_id, m.state FROM memberships m JOIN organisations o ON "
                  "o.id = m.organisation_id WHERE m.family_id = ? AND o.slug = ?");
    row.bind(1, parent.family_id).bind(2, organisation_slug);
    if (!row.step()) {
      outcome = FamilyOutcome::kNotFound;
      return false;
    }
    const int64_t organisation_id = row.integer(0);
    if (row.text(1) == "removed" ||
        !there_for(db, parent.family_id, organisation_id, parent.role)) {
      *out = membership_json(db, parent.family_id, organisation_id, 0);
      outcome = FamilyOutcome::kOk;
      return false;
    }
    // Access to this parent's shares, messages and intake ends with this commit; the organisation
    // leaves the family when it is there for no parent any more.
    bool left = false;
    if (!withdraw_for_parent(db, parent.family_id, organisation_id, organisation_slug, parent.role,
                             &left) ||
        !add_notice(db, parent.family_id, other_parent_role(db, parent.family_id, parent.role),
                    "organisation_removed", organisation_slug, parent.role) ||
        !audit(db, parent_event(parent, "membership_removed", address, organisation_slug,
                                left ? "left the family" : "for this parent")) ||
        !notify_organisation(db, organisation_id, NotificationKind::kRemovedByFamily)) {
      return false;
    }
    *out = membership_json(db, parent.family_id, organisation_id, 0);
    outcome = FamilyOutcome::kOk;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed);
}

FamilyOutcome FamilyStore::access_log(const ParentDevice& parent, int64_t before, json* out) {
  auto lease = database_->read();
  Tx* db = lease.tx();
  if (!db) return FamilyOutcome::kFailed;
  json events = json::array();
  // Repeated identical events (person, organisation, role, action, share, day) are one line with a
  // count, so a flood of reads cannot push the real ones out; the view pages on (issue 22). A
  // professional is named by their display name (issue 24), never by their username.
  Statement rows(
      db,
      "SELECT MAX(a.at), a.organisation, COALESCE(MIN(o.name), a.organisation), a.role, "
      "a.action, a.share_id, MIN(a.actor), COUNT(*), MIN(a.at), MAX(a.seq), "
      "MIN(p.display_name) FROM audit_log a LEFT JOIN organisations o ON o.slug = "
      "a.organisation LEFT JOIN professionals p ON p.username = a.actor AND a.role NOT "
      "IN ('parent', 'admin', 'system') WHERE "
      "a.family_id = ?1 AND (a.role NOT IN ('parent', 'admin', 'system') OR a.action "
      "IN ('share_audience_added', 'share_audience_changed', 'share_linked')) AND NOT "
      "(a.action LIKE "
      "'triage%' AND a.detail LIKE '% parent=%' AND a.detail NOT LIKE '% parent=' || "
      "?2 || '%') AND (a.share_id = '' OR NOT EXISTS(SELECT 1 FROM shares s WHERE "
      "s.share_id = a.share_id AND s.parent_role != ?2 AND s.show_to_family = 0)) "
      "GROUP BY a.organisation, a.role, a.action, a.share_id, a.actor, SUBSTR(a.at, 1, 10) "
      "HAVING ?3 = 0 OR "
      "MAX(a.seq) < ?3 ORDER BY MAX(a.seq) DESC LIMIT ?4");
  // What happened to the other parent's shares is theirs (unless they showed the share), and so is
  // what happened to their intake conversations (the audit row names the parent).
  rows.bind(1, parent.family_id)
      .bind(2, parent.role)
      .bind(3, before)
      .bind(4, static_cast<int64_t>(kAccessLogRows) + 1);
  int64_t last_seq = 0;
  json next = nullptr;
  while (rows.step()) {
    if (static_cast<int>(events.size()) == kAccessLogRows) {
      next = last_seq;
      break;
    }
    json event = {{"at", rows.text(0)},
                  {"organisation", rows.text(1)},
                  {"organisation_name", rows.text(2)},
                  {"role", rows.text(3)},
                  {"action", rows.text(4)},
                  {"count", rows.integer(7)},
                  {"first_at", rows.text(8)}};
    if (!rows.text(5).empty()) event["share_id"] = rows.text(5);
    if (!rows.is_null(10)) event["person"] = rows.text(10);
    if (rows.text(3) == "parent" && rows.text(6).rfind("parent:", 0) == 0) {
      event["by"] = rows.text(6).substr(7);
    }
    last_seq = rows.integer(9);
    events.push_back(std::move(event));
  }
  if (rows.failed()) return FamilyOutcome::kFailed;
  *out = json{{"events", std::move(events)}, {"next_cursor", next}};
  return FamilyOutcome::kOk;
}

// The membership state of the session's organisation in a family, with a denial audit row when it
// may not look. Returns kOk for an active member.
FamilyOutcome member_state(Tx* db, const Session& session, const std::string& family_id,
                           const std::string& action, const std::string& address,
                           AuditEvent* denial) {
  Statement family(db, "SELECT erased_at IS NOT NULL FROM families WHERE id = ?");
  family.bind(1, family_id);
  FamilyOutcome outcome = FamilyOutcome::kOk;
  std::string why;
  if (!family.step()) {
    outcome = FamilyOutcome::kNotFound;
    why = "unknown family";
  } else if (family.integer(0) || erasure_due(db, family_id)) {
    outcome = FamilyOutcome::kErased;
    why = "erased by the parents";
  } else {
    Statement member(db,
                     "SELECT state FROM memberships WHERE family_id = ? AND organisation_id = ?");
    member.bind(1, family_id).bind(2, session.organisation_id);
    if (!member.step()) {
      outcome = FamilyOutcome::kNotMember;
      why = "not a member";
    } else if (member.text(0) != "active") {
      outcome = FamilyOutcome::kRemoved;
      why = "removed by the parents";
    }
  }
  if (outcome != FamilyOutcome::kOk) {
    *denial = session_event(session, action + "_denied",
                            outcome == FamilyOutcome::kNotFound ? "" : family_id, address, why);
  }
  return outcome;
}

FamilyOutcome member_access(Tx* db, const Session& session, const std::string& family_id,
                            const std::string& action, const std::string& address) {
  // A family whose notice period passed is erased before anyone reads it again.
  if (!erase_family_if_due(db, family_id)) return FamilyOutcome::kFailed;
  AuditEvent denial;
  FamilyOutcome outcome = member_state(db, session, family_id, action, address, &denial);
  if (outcome != FamilyOutcome::kOk && !audit(db, denial)) return FamilyOutcome::kFailed;
  return outcome;
}

bool commit_read_audit(Database* database, const std::vector<AuditEvent>& events,
                       const std::string& family_id) {
  auto result = database->write([&](Tx* db) {
    if (!family_id.empty() && !erase_family_if_due(db, family_id)) return false;
    for (const AuditEvent& event : events) {
      if (!audit(db, event)) return false;
    }
    return true;
  });
  return result == Database::Outcome::kCommitted;
}

namespace {

// A band in words ({"nl": "Matig", "en": "Moderate"}) from the instrument file
// (engine/instruments), so that no professional view shows a band's code (issue 24); null when the
// instrument, scale or band is unknown here.
json band_label(const std::string& instrument_id, const std::string& scale_id,
                const std::string& band_id) {
  static const kindband::Library library = [] {
    std::vector<kindband::Error> errors;
    return kindband::Library::builtin(&errors);
  }();
  const kindband::Instrument* instrument = library.find(instrument_id);
  if (!instrument) return nullptr;
  for (const kindband::Scale& scale : instrument->scales) {
    if (scale.id != scale_id) continue;
    for (const kindband::BandSet& set : scale.band_sets) {
      for (const kindband::Band& band : set.bands) {
        if (band.id == band_id && !band.label.empty()) return json(band.label);
      }
    }
  }
  return nullptr;
}

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld",
                static_cast<long long>(yoe + era * 400 + (m <= 2)), static_cast<long long>(m),
                static_cast<long long>(d));
  return text;
}

// The family's due date (pregnancy) or birth date (after it), estimated from the latest moment
// it shared with this organisation: pregnancy week W on day D is due on D + (40 - W) weeks; week W
// after the birth on day D was born on D - W weeks. nullopt when nothing with a moment was shared.
struct ExpectedDate {
  std::string kind;  // "due" or "born"
  std::string date;  // YYYY-MM-DD
};
std::optional<ExpectedDate> expected_date(Tx* db, const std::string& family_id,
                                          int64_t organisation_id) {
  Statement row(db,
                "SELECT s.moment_stage, s.moment_week, r.received_at FROM share_recipients r "
                "JOIN shares s ON s.share_id = r.share_id WHERE r.family_id = ? AND "
                "r.organisation_id = ? AND r.status != 'withdrawn' AND s.moment_stage IN "
                "('pregnancy', 'postpartum') AND s.moment_week IS NOT NULL ORDER BY "
                "r.received_at DESC LIMIT 1");
  row.bind(1, family_id).bind(2, organisation_id);
  if (!row.step()) return std::nullopt;
  const std::string at = row.text(2);
  int year = 0, month = 0, day = 0;
  if (std::sscanf(at.c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3) return std::nullopt;
  const int64_t received = days_from_civil(year, month, day);
  const int64_t week = row.integer(1);
  if (row.text(0) == "pregnancy")
    return ExpectedDate{"due", civil_from_days(received + (40 - week) * 7)};
  return ExpectedDate{"born", civil_from_days(received - week * 7)};
}

}  // namespace

FamilyOutcome FamilyStore::list_families(const Session& session, const FamilyListQuery& query,
                                         const std::string& address, json* out) {
  constexpr int64_t kPage = 50;
  std::vector<AuditEvent> events;
  auto read_list = [&](Tx* db) {
    // Per member family: untaken shares to us, our open cases, and whether the parents wrote after
    // our organisation last did. The names are sealed (what the parents chose is theirs): they
    // are searched and sorted here after opening, not in SQL (an organisation has at most a few
    // thousand member families).
    const std::string sql =
        "SELECT * FROM (SELECT f.id, f.name, m.added_at AS joined_at, (SELECT COUNT(*) FROM "
        "share_recipients "
        "r WHERE r.family_id = f.id AND r.organisation_id = ?1 AND r.case_state = 'new' AND "
        "r.status != 'withdrawn' AND r.junk = 0) AS untaken, (SELECT COUNT(*) FROM "
        "share_recipients r WHERE r.family_id = f.id AND r.organisation_id = ?1 AND r.case_state "
        "IN ('in_progress', 'contacted')) AS open_cases, CASE WHEN COALESCE((SELECT MAX(g.at) FROM "
        "messages "
        "g WHERE g.family_id = f.id AND g.author = 'parent' AND (g.to_organisation_id IS NULL OR "
        "g.to_organisation_id = ?1)), '') > COALESCE((SELECT MAX(g.at) FROM messages g WHERE "
        "g.family_id = f.id AND g.author = 'professional' AND g.organisation_id = ?1), '') "
        "THEN 1 ELSE 0 END AS unanswered, (SELECT MAX(r.received_at) FROM share_recipients r "
        "WHERE r.family_id = f.id AND r.organisation_id = ?1) AS last_share FROM memberships m "
        "JOIN families f ON f.id = m.family_id WHERE m.organisation_id = ?1 AND m.state = "
        "'active' AND f.erased_at IS NULL AND (?2 = '' OR EXISTS(SELECT 1 FROM share_recipients "
        "r WHERE r.family_id = f.id AND r.organisation_id = ?1 AND r.case_state = ?2))) AS "
        "listed WHERE ?3 = 0 OR untaken > 0 OR unanswered = 1";
    // Letters A-Z compare in either case (as SQL's lower() did); other characters as they are.
    auto lower = [](std::string text) {
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return text;
    };
    const std::string search = lower(query.search);
    struct Listed {
      std::string family_id;
      std::optional<std::string> name;
      std::string lower_name, joined_at;
      int64_t untaken = 0, open_cases = 0;
      bool unanswered = false;
      std::optional<std::string> last_share;
      std::optional<ExpectedDate> expected;
    };
    const bool by_date = !query.date_from.empty() || !query.date_to.empty();
    std::vector<Listed> listed;
    Statement rows(db, sql);
    rows.bind(1, session.organisation_id).bind(2, query.case_state);
    rows.bind(3, int64_t{query.needs_action ? 1 : 0});
    while (rows.step()) {
      Listed family{rows.text(0),         std::nullopt,          "",
                    rows.text(2),         rows.integer(3),       rows.integer(4),
                    rows.integer(5) != 0, rows.optional_text(6), std::nullopt};
      if (!rows.is_null(1)) {
        family.name = open_sealed("families", "name", family.family_id, rows.text(1));
        family.lower_name = lower(*family.name);
      }
      if (!search.empty() && family.lower_name.find(search) == std::string::npos) continue;
      if (by_date) {
        family.expected = expected_date(db, family.family_id, session.organisation_id);
        if (!family.expected ||
            (!query.date_from.empty() && family.expected->date < query.date_from) ||
            (!query.date_to.empty() && family.expected->date > query.date_to)) {
          continue;
        }
      }
      listed.push_back(std::move(family));
    }
    if (rows.failed()) return false;
    // Those that need action first, then named before unnamed, by name, the newest member first.
    std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) {
      auto key = [](const Listed& f) {
        return std::make_tuple(f.untaken > 0 || f.unanswered ? 0 : 1, f.name ? 0 : 1,
                               std::cref(f.lower_name));
      };
      if (key(a) != key(b)) return key(a) < key(b);
      if (a.joined_at != b.joined_at) return a.joined_at > b.joined_at;
      return a.family_id < b.family_id;
    });
    json families = json::array();
    const size_t first = static_cast<size_t>(std::max<int64_t>(query.offset, 0));
    const bool more = listed.size() > first + kPage;
    for (size_t i = first; i < listed.size() && i < first + kPage; ++i) {
      const Listed& family = listed[i];
      const std::optional<ExpectedDate> expected =
          by_date ? family.expected : expected_date(db, family.family_id, session.organisation_id);
      json parents = json::array();
      Statement roles(db,
                      "SELECT DISTINCT role FROM family_parents WHERE family_id = ? ORDER BY role");
      roles.bind(1, family.family_id);
      while (roles.step()) parents.push_back(roles.text(0));
      families.push_back(
          {{"family_id", family.family_id},
           {"name", family.name ? json(*family.name) : json(nullptr)},
           {"member_since", family.joined_at},
           {"parents", std::move(parents)},
           {"untaken_shares", family.untaken},
           {"open_cases", family.open_cases},
           {"unanswered_message", family.unanswered},
           {"needs_action", family.untaken > 0 || family.unanswered},
           {"last_share_at", family.last_share ? json(*family.last_share) : json(nullptr)},
           {"expected",
            expected ? json{{"kind", expected->kind}, {"date", expected->date}} : json(nullptr)}});
    }
    // The filters used (never the search text: it may be a family's name) and how many answered.
    std::string filters = "families=" + std::to_string(families.size());
    if (!query.search.empty()) filters += " search=yes";
    if (!query.case_state.empty()) filters += " state=" + query.case_state;
    if (query.needs_action) filters += " needs_action=1";
    if (!query.date_from.empty()) filters += " from=" + query.date_from;
    if (!query.date_to.empty()) filters += " to=" + query.date_to;
    if (query.offset > 0) filters += " offset=" + std::to_string(query.offset);
    events.push_back(session_event(session, "family_list", "", address, filters));
    for (const json& family : families) {
      events.push_back(session_event(session, "family_list", family["family_id"], address));
    }
    *out = json{{"families", std::move(families)},
                {"next_offset", more ? json(query.offset + kPage) : json(nullptr)}};
    return true;
  };
  {
    auto lease = database_->read();
    if (!lease.tx() || !read_list(lease.tx())) return FamilyOutcome::kFailed;
  }
  if (!commit_read_audit(database_, events, "")) {
    *out = nullptr;
    return FamilyOutcome::kFailed;
  }
  return FamilyOutcome::kOk;
}

FamilyOutcome FamilyStore::family_for_professional(const Session& session,
                                                   const std::string& family_id,
                                                   int64_t messages_before,
                                                   const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  // Read on a read connection; only the audit row (or the denial's) goes through the writer, and
  // the answer waits until it is durable (issue 22).
  AuditEvent event;
  auto read_page = [&](Tx* db) {
    outcome = member_state(db, session, family_id, "family_view", address, &event);
    if (outcome != FamilyOutcome::kOk) return true;
    // Only the shares this organisation is a recipient of.
    Statement rows(db,
                   "SELECT s.share_id, s.parent_role, r.status, s.received_at, s.payload, "
                   "s.summary, r.seen_at, r.seen_by_role FROM share_recipients r JOIN shares s "
                   "ON s.share_id = r.share_id WHERE r.organisation_id = ? AND r.family_id = ?");
    rows.bind(1, session.organisation_id).bind(2, family_id);
    struct Entry {
      int stage;
      int64_t week;
      std::string received_at;
      json item;
    };
    std::vector<Entry> entries;
    json contact = nullptr;
    std::string contact_at;
    while (rows.step()) {
      json item = {{"share_id", rows.text(0)},
                   {"parent", rows.text(1)},
                   {"status", rows.text(2)},
                   {"received_at", rows.text(3)}};
      json context = json::object();
      if (!rows.is_null(4)) {
        json payload = json::parse(open_sealed("shares", "payload", rows.text(0), rows.text(4)));
        json summary = json::parse(open_sealed("shares", "summary", rows.text(0), rows.text(5)));
        const json& result = payload["result"];
        context = payload.value("context", json::object());
        item["instrument"] = payload["instrument"]["id"];
        item["language"] = payload.value("language", "");
        item["shared"] = payload.value("shared", "");
        item["flags"] = result.value("flags", json::array());
        item["positive"] = result.value("positive", false);
        item["complete"] = result.value("complete", false);
        json scales = json::array();
        for (const json& scale : result.value("scales", json::array())) {
          json entry = {{"id", scale.value("id", "")},
                        {"score", scale.value("score", json(nullptr))},
                        {"max", scale.value("max", json(nullptr))}};
          if (scale.contains("band")) {
            entry["band"] = scale["band"].value("id", "");
            entry["band_label"] =
                band_label(payload["instrument"].value("id", ""), scale.value("id", ""),
                           entry["band"].get<std::string>());
          }
          scales.push_back(std::move(entry));
        }
        item["scales"] = std::move(scales);
        item["has_message"] = summary.value("has_message", false);
        if (payload.contains("contact") && rows.text(3) > contact_at) {
          contact = payload["contact"];
          contact["from"] = rows.text(1);
          contact["shared_at"] = rows.text(3);
          contact_at = rows.text(3);
        }
      }
      if (!rows.is_null(6)) item["seen_at"] = rows.text(6);
      if (!rows.is_null(7)) item["seen_by_role"] = rows.text(7);
      item["case"] = case_json(db, rows.text(0), false);
      item["stage"] = context.value("stage", json(nullptr));
      item["week"] = context.value("week", json(nullptr));
      const int64_t week = context.contains("week") ? context["week"].get<int64_t>() : 999;
      entries.push_back(Entry{stage_order(context), week, rows.text(3), std::move(item)});
    }
    if (rows.failed()) return false;
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.stage, a.week, a.received_at) < std::tie(b.stage, b.week, b.received_at);
    });
    json timeline = json::array();
    // One line per instrument and scale: the first scale (the total) is what a trend is about.
    json trend = json::array();
    for (Entry& entry : entries) {
      const json& item = entry.item;
      if (item.contains("scales") && !item["scales"].empty() &&
          !item["scales"][0]["score"].is_null()) {
        const json& scale = item["scales"][0];
        json* line = nullptr;
        for (json& existing : trend) {
          if (existing["instrument"] == item["instrument"] && existing["scale"] == scale["id"]) {
            line = &existing;
          }
        }
        if (!line) {
          trend.push_back({{"instrument", item["instrument"]},
                           {"scale", scale["id"]},
                           {"max", scale["max"]},
                           {"points", json::array()}});
          line = &trend.back();
        }
        (*line)["points"].push_back({{"share_id", item["share_id"]},
                                     {"parent", item["parent"]},
                                     {"stage", item["stage"]},
                                     {"week", item["week"]},
                                     {"score", scale["score"]},
                                     {"band", scale.value("band", json(nullptr))},
                                     {"band_label", scale.value("band_label", json(nullptr))}});
      }
      timeline.push_back(std::move(entry.item));
    }
    json parents = json::array();
    Statement parent_rows(db,
                          "SELECT role, joined_at FROM family_parents WHERE family_id = ? ORDER "
                          "BY joined_at");
    parent_rows.bind(1, family_id);
    while (parent_rows.step()) {
      parents.push_back({{"role", parent_rows.text(0)}, {"joined_at", parent_rows.text(1)}});
    }
    int64_t older_messages = 0;
    *out = json{{"family_id", family_id},
                {"name", member_family_name(db, family_id, session.organisation_id)},
                {"coalition", coalition_json(db, family_coalition(db, family_id))},
                {"parents", std::move(parents)},
                {"contact", std::move(contact)},
                {"network", network_json(db, family_id, session.organisation_id)},
                {"timeline", std::move(timeline)},
                {"trend", std::move(trend)},
                {"agreements", agreements_json(db, family_id, false)},
                {"proposals", proposals_json(db, family_id, false)},
                {"messages", messages_for_organisation_json(db, family_id, session.organisation_id,
                                                            messages_before, &older_messages)},
                {"messages_older", older_messages},
                {"triages", triages_json(db, family_id, session.organisation_id)}};
    event = session_event(session, "family_view", family_id, address,
                          "shares=" + std::to_string(entries.size()));
    return true;
  };
  {
    auto lease = database_->read();
    if (!lease.tx() || !read_page(lease.tx())) return FamilyOutcome::kFailed;
  }
  if (!commit_read_audit(database_, {event}, family_id)) {
    *out = nullptr;
    return FamilyOutcome::kFailed;
  }
  return outcome;
}

FamilyOutcome FamilyStore::assign(const Session& session, const std::string& family_id,
                                  const std::string& username, const std::string& address,
                                  json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    outcome = member_access(db, session, family_id, "family_assign", address);
    if (outcome == FamilyOutcome::kFailed) return false;
    if (outcome != FamilyOutcome::kOk) return true;
    std::optional<int64_t> professional_id;
    if (!username.empty()) {
      Professional professional;
      if (!find_professional(db, username, &professional) ||
          professional.organisation_id != session.organisation_id || professional.disabled) {
        outcome = FamilyOutcome::kNotFound;
        return false;
      }
      professional_id = professional.id;
    }
    Statement update(db,
                     "UPDATE memberships SET assigned_professional_id = ? WHERE family_id = ? AND "
                     "organisation_id = ?");
    if (professional_id) {
      update.bind(1, *professional_id);
    } else {
      update.bind_null(1);
    }
    update.bind(2, family_id).bind(3, session.organisation_id);
    if (!update.run() ||
        !audit(db, session_event(session, "family_assigned", family_id, address,
                                 username.empty() ? "cleared" : "user=" + username)) ||
        (professional_id && *professional_id != session.professional_id &&
         !notify_professional(db, *professional_id, NotificationKind::kCaseAssigned))) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    *out = membership_json(db, family_id, session.organisation_id, session.organisation_id);
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed);
}

FamilyOutcome FamilyStore::create_invitation(const Session& session, const std::string& address,
                                             const IdempotencyKey& idempotency, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  // With an Idempotency-Key the code comes from its seed (a keyed hash of who sent which key), so
  // a retry can answer the same code: only the code's hash is stored.
  const std::string code = idempotency.present()
                               ? code_from_seed(idempotency.seed, kShortCodeLength)
                               : new_code(kShortCodeLength);
  int64_t expires = unix_now() + kInvitationSeconds;
  auto result = database_->write([&](Tx* db) {
    NetworkOrganisation organisation;
    if (!find_network_organisation_by_id(db, session.organisation_id, &organisation)) {
      return false;
    }
    if (organisation.coalition_id == 0) {
      outcome = FamilyOutcome::kNoCoalition;
      return false;
    }
    auto render = [&] {
      *out = json{{"code", code},
                  {"organisation", organisation.slug},
                  {"link", organisation.page.empty()
                               ? json(nullptr)
                               : json(organisation.page + "#kindband-invite=" + code)},
                  {"expires_at", utc_timestamp_at(expires)}};
      return true;
    };
    if (auto done = answer_retry(db, idempotency, "invitation", &outcome, [&](int64_t) {
          Statement earlier(db, "SELECT expires_at FROM invitations WHERE code_hash = ?");
          earlier.bind(1, code_hash("invitation", code));
          if (!earlier.step()) return false;
          expires = earlier.integer(0);
          return render();
        })) {
      return *done;
    }
    Statement insert(db,
                     "INSERT INTO invitations(code_hash, organisation_id, created_by, created_at, "
                     "expires_at) VALUES(?, ?, ?, ?, ?)");
    insert.bind(1, code_hash("invitation", code))
        .bind(2, session.organisation_id)
        .bind(3, session.username)
        .bind(4, utc_timestamp_now())
        .bind(5, expires);
    if (!insert.run() || !remember_idempotency_key(db, idempotency, "invitation", 0) ||
        !audit(db, session_event(session, "invitation_created", "", address))) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    render();
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

FamilyOutcome FamilyStore::mail_invitation(const Session& session, const std::string& code,
                                           const std::string& email, const std::string& address) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    NetworkOrganisation organisation;
    if (!find_network_organisation_by_id(db, session.organisation_id, &organisation)) {
      return false;
    }
    Statement open(db,
                   "SELECT 1 FROM invitations WHERE code_hash = ? AND organisation_id = ? AND "
                   "used_at IS NULL AND expires_at > ?");
    open.bind(1, code_hash("invitation", code))
        .bind(2, session.organisation_id)
        .bind(3, unix_now());
    if (!open.step() || organisation.page.empty()) {
      outcome = FamilyOutcome::kInvalidCode;
      return false;
    }
    // The code as the inbox shows it (groups of four), as in the invitation's own link.
    std::string shown;
    const std::string plain = normalise_code(code);
    for (size_t i = 0; i < plain.size(); ++i) {
      if (i > 0 && i % 4 == 0) shown += '-';
      shown += plain[i];
    }
    const int64_t now = unix_now_millis();
    Statement insert(db,
                     "INSERT INTO invitation_mails(organisation_id, email, link, created_at, "
                     "next_attempt_at) VALUES(?, '', '', ?, ?) RETURNING id");
    insert.bind(1, session.organisation_id).bind(2, now).bind(3, now);
    if (!insert.step()) return false;
    const int64_t id = insert.integer(0);
    insert.run();
    if (!store_sealed(db, "invitation_mails", "email", id, email) ||
        !store_sealed(db, "invitation_mails", "link", id,
                      organisation.page + "#kindband-invite=" + shown) ||
        !audit(db, session_event(session, "invitation_mailed", "", address))) {
      return false;
    }
    outcome = FamilyOutcome::kCreated;
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kCreated});
}

}  // namespace kindband::server
