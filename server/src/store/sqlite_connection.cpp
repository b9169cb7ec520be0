#include "sqlite_connection.h"

#include <sys/stat.h>

#include <iterator>

#include "schema.h"

namespace kindband::server {
namespace {

// At most this many distinct SQL texts are kept prepared per connection (all SQL in the server is
// literal text or built from a few fixed pieces, so this is a guard, not a limit in practice).
constexpr size_t kMaxCachedStatements = 256;

// The whole schema. The audit log is append-only: triggers refuse UPDATE and DELETE, and each row
// carries the hash of its predecessor (see audit_log.h).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organisations(
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organisation_origins(
  organisation_id INTEGER NOT NULL REFERENCES organisations(id), origin TEXT NOT NULL,
  PRIMARY KEY(organisation_id, origin));
CREATE TABLE IF NOT EXISTS professionals(
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  username TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0, failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shares(
  share_id TEXT PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  status TEXT NOT NULL CHECK(status IN ('received', 'seen', 'withdrawn')),
  received_at TEXT NOT NULL,
  body_hash TEXT,      -- keyed hash of the canonical body (idempotency); NULL once withdrawn
  payload TEXT,        -- the canonical share JSON; NULL once withdrawn
  summary TEXT,        -- JSON for the inbox list; NULL once withdrawn
  flag_count INTEGER,  -- number of safety flags; NULL once withdrawn
  positive INTEGER,    -- 1 when a scale screened positive; NULL once withdrawn
  seen_at TEXT, seen_by_role TEXT, note TEXT, withdrawn_at TEXT);
CREATE TABLE IF NOT EXISTS coalitions(
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_at TEXT NOT NULL);
-- When someone looks at a share, in the parents' words (kindband-admin set-organisation-response).
CREATE TABLE IF NOT EXISTS organisation_response_times(
  organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
  text_nl TEXT NOT NULL, text_en TEXT NOT NULL);
-- The care network (docs/care-network.md). Routing and consent live here; what a parent said lives
-- only in shares.payload and shares.summary.
CREATE TABLE IF NOT EXISTS families(
  id TEXT PRIMARY KEY, coalition_id INTEGER REFERENCES coalitions(id),
  created_at TEXT NOT NULL, erased_at TEXT);
CREATE TABLE IF NOT EXISTS family_parents(
  id TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  role TEXT NOT NULL CHECK(role IN ('mother', 'partner')),
  key_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the device's family key
  recovery_hash TEXT UNIQUE,      -- SHA-256 of the recovery code, when one was made
  joined_at TEXT NOT NULL, joined_via TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS family_parents_by_family ON family_parents(family_id);
CREATE TABLE IF NOT EXISTS pairing_codes(
  code_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  created_at TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at TEXT);
CREATE TABLE IF NOT EXISTS invitations(
  code_hash TEXT PRIMARY KEY, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  created_by TEXT NOT NULL, created_at TEXT NOT NULL, expires_at INTEGER NOT NULL,
  used_at TEXT, used_by_family TEXT);
CREATE TABLE IF NOT EXISTS memberships(
  family_id TEXT NOT NULL REFERENCES families(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  state TEXT NOT NULL CHECK(state IN ('active', 'removed')),
  added_at TEXT NOT NULL, added_by_parent TEXT NOT NULL, added_by_role TEXT NOT NULL,
  consent_version TEXT NOT NULL, via TEXT NOT NULL,
  removed_at TEXT, removed_by_role TEXT,
  assigned_professional_id INTEGER REFERENCES professionals(id),
  PRIMARY KEY(family_id, organisation_id));
CREATE INDEX IF NOT EXISTS memberships_by_organisation ON memberships(organisation_id, state);
-- Who may see a share: one row per recipient organisation. rank orders the inbox: 3 = safety flag
-- and not yet handled, 2 = safety flag, 1 = positive, 0 = other or withdrawn.
CREATE TABLE IF NOT EXISTS share_recipients(
  share_id TEXT NOT NULL REFERENCES shares(share_id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  family_id TEXT, rank INTEGER NOT NULL, received_at TEXT NOT NULL,
  PRIMARY KEY(share_id, organisation_id));
CREATE INDEX IF NOT EXISTS share_recipients_inbox
  ON share_recipients(organisation_id, rank DESC, received_at DESC, share_id DESC);
-- Working together (docs/care-network.md, issue 10). Each step of a share's case, who and when.
CREATE TABLE IF NOT EXISTS case_events(
  id INTEGER PRIMARY KEY, share_id TEXT NOT NULL, state TEXT NOT NULL, action TEXT NOT NULL,
  username TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL, at TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS case_events_by_share ON case_events(share_id);
CREATE TABLE IF NOT EXISTS agreements(
  id INTEGER PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  what TEXT NOT NULL, owner_organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  owner_professional_id INTEGER REFERENCES professionals(id),
  due_date TEXT, due_stage TEXT, due_week INTEGER,
  status TEXT NOT NULL CHECK(status IN ('open', 'done', 'cancelled')),
  visible_to_parents INTEGER NOT NULL DEFAULT 1,
  created_by_role TEXT NOT NULL, created_by_organisation_id INTEGER NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  parents_suits INTEGER, parents_comment TEXT, parents_at TEXT, parents_by TEXT);
CREATE INDEX IF NOT EXISTS agreements_by_family ON agreements(family_id);
CREATE TABLE IF NOT EXISTS agreement_comments(
  id INTEGER PRIMARY KEY, agreement_id INTEGER NOT NULL REFERENCES agreements(id),
  family_id TEXT NOT NULL, author TEXT NOT NULL CHECK(author IN ('professional', 'parent')),
  role TEXT NOT NULL, organisation_id INTEGER, text TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS agreement_comments_by_agreement ON agreement_comments(agreement_id);
CREATE TABLE IF NOT EXISTS proposals(
  id INTEGER PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id), reason TEXT NOT NULL,
  proposed_by_role TEXT NOT NULL, proposed_by_organisation_id INTEGER NOT NULL,
  proposed_by_professional_id INTEGER NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('proposed', 'accepted', 'declined')),
  created_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT);
CREATE INDEX IF NOT EXISTS proposals_by_family ON proposals(family_id);
CREATE TABLE IF NOT EXISTS messages(
  id INTEGER PRIMARY KEY, family_id TEXT NOT NULL REFERENCES families(id),
  author TEXT NOT NULL CHECK(author IN ('professional', 'parent')),
  role TEXT NOT NULL, organisation_id INTEGER, professional_id INTEGER, signed_as TEXT,
  text TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_family ON messages(family_id);
-- Triage at intake (issue 15): the record (what was discussed, the parents' view, the judgement)
-- is content and goes with the family's erasure; sharing is the parents' decision.
CREATE TABLE IF NOT EXISTS triages(
  id INTEGER PRIMARY KEY, family_id TEXT REFERENCES families(id), reference TEXT,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  professional_id INTEGER NOT NULL, recorded_by_role TEXT NOT NULL,
  conversation TEXT NOT NULL, conversation_version TEXT NOT NULL, record TEXT NOT NULL,
  sharing TEXT NOT NULL
    CHECK(sharing IN ('awaiting_parents', 'shared', 'kept', 'organisation_only')),
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  decided_at TEXT, decided_by TEXT, consent_version TEXT);
CREATE INDEX IF NOT EXISTS triages_by_family ON triages(family_id);
CREATE INDEX IF NOT EXISTS triages_by_organisation ON triages(organisation_id, reference);
-- Issue 25: the part of a triage held with the parent alone, shared by a professional under the
-- Meldcode (huiselijk geweld en kindermishandeling) with one organisation of the network: which,
-- by whom, when and why. Goes with the triage (and the family's erasure).
CREATE TABLE IF NOT EXISTS triage_meldcode(
  id INTEGER PRIMARY KEY, triage_id INTEGER NOT NULL REFERENCES triages(id),
  family_id TEXT NOT NULL, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  reason TEXT NOT NULL, by_organisation_id INTEGER NOT NULL, by_professional_id INTEGER NOT NULL,
  by_role TEXT NOT NULL, at TEXT NOT NULL, UNIQUE(triage_id, organisation_id));
CREATE INDEX IF NOT EXISTS triage_meldcode_by_family ON triage_meldcode(family_id);
-- Issue 21: an organisation a parent removed is gone for that parent (their shares, messages and
-- intake), and leaves the family when every parent removed it.
CREATE TABLE IF NOT EXISTS membership_withdrawals(
  family_id TEXT NOT NULL, organisation_id INTEGER NOT NULL, role TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY(family_id, organisation_id, role));
-- What a parent's devices are told (no content): an organisation removed by the other parent, a
-- device revoked, an erasure asked for.
CREATE TABLE IF NOT EXISTS family_notices(
  id INTEGER PRIMARY KEY, family_id TEXT NOT NULL, for_role TEXT NOT NULL, kind TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '', by_role TEXT NOT NULL DEFAULT '', at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS family_notices_by_family ON family_notices(family_id, for_role);
-- A professional's open case or agreement that ended because the parents removed the organisation
-- or erased the family: when and what kind, never which family or what it held.
CREATE TABLE IF NOT EXISTS ended_by_parents(
  id INTEGER PRIMARY KEY, organisation_id INTEGER NOT NULL, professional_id INTEGER,
  kind TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ended_by_parents_by_organisation ON ended_by_parents(organisation_id, at);
-- Issue 26: the Idempotency-Key of a creating POST and the row it made (network/idempotency.h).
-- No content: request_hash is a keyed hash of the request.
CREATE TABLE IF NOT EXISTS request_keys(
  scope TEXT NOT NULL, request_key TEXT NOT NULL, kind TEXT NOT NULL, request_hash TEXT NOT NULL,
  row_id INTEGER NOT NULL, family_id TEXT, created_at TEXT NOT NULL,
  PRIMARY KEY(scope, request_key));
CREATE INDEX IF NOT EXISTS request_keys_by_family ON request_keys(family_id);
-- Issue 27: what every server instance on one database shares (no schema version of their own:
-- new tables only). A professional's login session by the SHA-256 of its token (never the token),
-- times in unix ms.
CREATE TABLE IF NOT EXISTS sessions(
  token_hash TEXT PRIMARY KEY, professional_id INTEGER NOT NULL, username TEXT NOT NULL,
  role TEXT NOT NULL, organisation_id INTEGER NOT NULL, organisation_slug TEXT NOT NULL,
  created_ms INTEGER NOT NULL, last_used_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_professional ON sessions(professional_id);
-- Attempts at a secret (wrong passwords and codes) per limiter and hashed key (attempt_store.h).
CREATE TABLE IF NOT EXISTS attempts(
  id INTEGER PRIMARY KEY, limiter TEXT NOT NULL, key_hash TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_by_key ON attempts(limiter, key_hash, at_ms);
-- Shares an organisation received per minute: its budget (issue 22), counted for all instances.
CREATE TABLE IF NOT EXISTS share_budget(
  organisation_id INTEGER NOT NULL, minute INTEGER NOT NULL, shares INTEGER NOT NULL,
  PRIMARY KEY(organisation_id, minute));
-- Notifications by e-mail (issue 23, server/src/notify). Addresses are routing, never content;
-- a parent's address is theirs alone (no professional route reads it) and goes with their data.
CREATE TABLE IF NOT EXISTS notify_professionals(
  professional_id INTEGER PRIMARY KEY REFERENCES professionals(id), email TEXT NOT NULL,
  mode TEXT NOT NULL DEFAULT 'immediate' CHECK(mode IN ('immediate', 'daily')),
  on_duty INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS notify_organisations(
  organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id), team_email TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notify_parents(
  id INTEGER PRIMARY KEY, family_id TEXT NOT NULL, role TEXT NOT NULL, email TEXT NOT NULL,
  link TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE(family_id, role));
-- One row per mail to send: who (by reference: the address is looked up when it is sent), what
-- kinds of news (no content, no family), and when to try. Written in the event's transaction.
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY,
  recipient_kind TEXT NOT NULL CHECK(recipient_kind IN ('professional', 'team', 'parent')),
  recipient_id INTEGER NOT NULL, organisation_id INTEGER, kinds TEXT NOT NULL,
  events INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL CHECK(status IN ('pending', 'sent', 'failed')),
  created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, sent_at INTEGER,
  claimed INTEGER NOT NULL DEFAULT 0);  -- 1 while the sender is handing it to the mail server
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(status, next_attempt_at);
-- Which agreements were announced as due (on their date) or overdue (the day after), once each.
CREATE TABLE IF NOT EXISTS notify_agreement_reminders(
  agreement_id INTEGER NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY(agreement_id, kind));
CREATE INDEX IF NOT EXISTS outbox_by_recipient ON outbox(recipient_kind, recipient_id, status);
-- Issue 24: an invitation a professional sent by e-mail from the inbox. The address and the link
-- (with the invitation's code) are kept, sealed, only until the mail went or was refused for good:
-- then the row is deleted. The sender (notification_sender.h) retries it like the outbox.
CREATE TABLE IF NOT EXISTS invitation_mails(
  id INTEGER PRIMARY KEY, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  email TEXT NOT NULL, link TEXT NOT NULL, created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE TABLE IF NOT EXISTS audit_log(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL,
  action TEXT NOT NULL, share_id TEXT NOT NULL, address TEXT NOT NULL, detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, family_id TEXT NOT NULL DEFAULT '');
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// Columns added after the first release, for databases made before them. ALTER TABLE ADD COLUMN
// is cheap in SQLite (no table rewrite); the version in PRAGMA user_version says what is done.
constexpr AddedColumn kAddedColumns[] = {
    {"organisations", "coalition_id", "INTEGER REFERENCES coalitions(id)"},
    {"organisations", "type", "TEXT"},
    {"organisations", "description_nl", "TEXT NOT NULL DEFAULT ''"},
    {"organisations", "description_en", "TEXT NOT NULL DEFAULT ''"},
    {"organisations", "page", "TEXT NOT NULL DEFAULT ''"},
    {"shares", "family_id", "TEXT"},
    {"shares", "parent_role", "TEXT"},
    {"shares", "instrument_id", "TEXT"},
    {"audit_log", "family_id", "TEXT NOT NULL DEFAULT ''"},
    // The case of a share (docs/care-network.md): new -> in_progress -> contacted -> closed.
    {"shares", "case_state", "TEXT NOT NULL DEFAULT 'new'"},
    {"shares", "case_owner_id", "INTEGER"},
    {"shares", "case_owner_organisation_id", "INTEGER"},
    {"shares", "case_signed_as", "TEXT"},
    {"shares", "case_taken_at", "TEXT"},
    {"shares", "case_contacted_at", "TEXT"},
    {"shares", "case_closed_at", "TEXT"},
    {"shares", "case_close_reason", "TEXT"},
    {"shares", "case_close_note", "TEXT"},
    // The inbox lists and counts from share_recipients alone (sync_recipients keeps it current).
    {"share_recipients", "status", "TEXT NOT NULL DEFAULT 'received'"},
    // Per organisation: shares a professional marked as junk (a flood) leave its inbox.
    {"share_recipients", "junk", "INTEGER NOT NULL DEFAULT 0"},
    {"share_recipients", "case_state", "TEXT NOT NULL DEFAULT 'new'"},
    // Sessions that started before this (unix seconds) end: password reset, account disabled.
    {"professionals", "sessions_valid_after", "INTEGER NOT NULL DEFAULT 0"},
    // A referral or agreement that a triage's judgement started (issue 15).
    {"proposals", "triage_id", "INTEGER"},
    {"agreements", "triage_id", "INTEGER"},
    // Issue 21: each parent in control of their own data.
    {"family_parents", "name", "TEXT"},
    {"family_parents", "last_used_at", "TEXT"},
    {"pairing_codes", "role", "TEXT NOT NULL DEFAULT 'partner'"},
    {"pairing_codes", "created_by_role", "TEXT NOT NULL DEFAULT 'mother'"},
    {"shares", "later_members", "INTEGER NOT NULL DEFAULT 0"},
    {"shares", "show_to_family", "INTEGER NOT NULL DEFAULT 0"},
    {"share_recipients", "added_at", "TEXT"},
    {"share_recipients", "seen_at", "TEXT"},
    {"share_recipients", "seen_by_role", "TEXT"},
    {"share_recipients", "note", "TEXT"},
    {"messages", "to_organisation_id", "INTEGER"},
    {"messages", "to_parent", "TEXT"},
    {"messages", "show_to_family", "INTEGER NOT NULL DEFAULT 0"},
    {"triages", "parent_role", "TEXT"},
    {"agreements", "needs_owner", "INTEGER NOT NULL DEFAULT 0"},
    // Issue 22: who sent a share, within its rank (share_store.h); the inbox order is rank*4+tier.
    {"share_recipients", "tier", "INTEGER NOT NULL DEFAULT 1"},
    {"families", "erase_requested_by", "TEXT"},
    {"families", "erase_after", "INTEGER"},
    // Issue 25: the parent's own decision on the part of a triage held alone ('kept' | 'shared').
    {"triages", "alone_sharing", "TEXT NOT NULL DEFAULT 'kept'"},
    {"triages", "alone_decided_at", "TEXT"},
    // Issue 22: wrong pairing codes anywhere since this code was made (it retires past a limit).
    {"pairing_codes", "failures", "INTEGER NOT NULL DEFAULT 0"},
    // Issue 24: how the parents want their family shown to their network (members only).
    {"families", "name", "TEXT"},
    // Issue 26: the moment of a share (routing for reminders), written on arrival.
    {"shares", "moment_stage", "TEXT"},
    {"shares", "moment_week", "INTEGER"},
    // Issue 24: the name a professional is shown by (never the username on a screen).
    {"professionals", "display_name", "TEXT"},
};
// Version 10 (issue 26): the content columns (store/sealed_content.h) hold sealed values only.
// Sealing needs the content key from the key file, so it runs above the seam when the server or
// kindband-admin opens the database with its keys (seal_clear_content, marked meta content_sealed).
// Version 11 (issue 24) only adds professionals.display_name.
constexpr int kSchemaVersion = 11;

bool has_column(sqlite3* db, const char* table, const char* column) {
  sqlite3_stmt* info = nullptr;
  const std::string sql = std::string("PRAGMA table_info(") + table + ")";
  bool found = false;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &info, nullptr) == SQLITE_OK) {
    while (!found && sqlite3_step(info) == SQLITE_ROW) {
      const unsigned char* name = sqlite3_column_text(info, 1);
      found = name && std::string(reinterpret_cast<const char*>(name)) == column;
    }
  }
  sqlite3_finalize(info);
  return found;
}

int64_t user_version(sqlite3* db) {
  sqlite3_stmt* row = nullptr;
  int64_t version = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &row, nullptr) == SQLITE_OK &&
      sqlite3_step(row) == SQLITE_ROW) {
    version = sqlite3_column_int64(row, 0);
  }
  sqlite3_finalize(row);
  return version;
}

// Brings an older database to the current schema: version 1 had shares with one organisation each
// (now one recipient row per share), version 2 had no case states, version 3 no
// triage links on referrals and agreements.
bool migrate(SqliteConnection& connection, std::string* error) {
  sqlite3* db = connection.handle();
  const int64_t version = user_version(db);
  if (version >= kSchemaVersion) return true;
  if (!connection.exec("BEGIN IMMEDIATE", error)) return false;
  const bool had_tier = has_column(db, "share_recipients", "tier");
  for (const AddedColumn& added : kAddedColumns) {
    if (has_column(db, added.table, added.column)) continue;
    if (!connection.exec(std::string("ALTER TABLE ") + added.table + " ADD COLUMN " + added.column +
                             " " + added.definition,
                         error)) {
      connection.exec("ROLLBACK");
      return false;
    }
  }
  if (version < 4 &&
      !connection.exec(
          "CREATE INDEX IF NOT EXISTS shares_by_family ON shares(family_id);"
          "CREATE INDEX IF NOT EXISTS audit_log_by_family ON audit_log(family_id) "
          "WHERE family_id != '';"
          "INSERT OR IGNORE INTO share_recipients(share_id, organisation_id, family_id, rank, "
          "received_at) SELECT share_id, organisation_id, family_id, CASE WHEN status = "
          "'withdrawn' THEN 0 WHEN flag_count > 0 AND status = 'received' THEN 3 WHEN flag_count "
          "> 0 THEN 2 WHEN positive = 1 THEN 1 ELSE 0 END, received_at FROM shares;"
          "UPDATE shares SET instrument_id = json_extract(summary, '$.instrument.id') WHERE "
          "instrument_id IS NULL AND json_valid(summary);"
          "UPDATE shares SET case_state = 'closed', case_close_reason = 'withdrawn', "
          "case_closed_at = withdrawn_at WHERE status = 'withdrawn' AND case_state = 'new';"
          "UPDATE share_recipients SET status = (SELECT status FROM shares s WHERE s.share_id = "
          "share_recipients.share_id), case_state = (SELECT case_state FROM shares s WHERE "
          "s.share_id = share_recipients.share_id);"
          "CREATE INDEX IF NOT EXISTS share_recipients_counts ON share_recipients(organisation_id, "
          "status, case_state, junk, rank);"
          "CREATE INDEX IF NOT EXISTS share_recipients_family_inbox ON "
          "share_recipients(organisation_id, family_id, rank DESC, received_at DESC, "
          "share_id DESC);"
          // Every index is work on each share that arrives: only those the reads need (the
          // primary key serves lookups by share, the inbox index the last hour's count).
          "DROP INDEX IF EXISTS shares_by_organisation;",
          error)) {
    connection.exec("ROLLBACK");
    return false;
  }
  // Version 5 (issue 21): every existing share keeps its current audience (its recipient rows, as
  // chosen) and goes to no organisation added later; "seen" and its note move to each recipient;
  // an intake conversation belongs to the mother where there is one (held with the family before).
  if (version < 5 &&
      !connection.exec(
          "UPDATE share_recipients SET added_at = COALESCE(added_at, received_at), seen_at = "
          "(SELECT s.seen_at FROM shares s WHERE s.share_id = share_recipients.share_id), "
          "seen_by_role = (SELECT s.seen_by_role FROM shares s WHERE s.share_id = "
          "share_recipients.share_id), note = (SELECT s.note FROM shares s WHERE s.share_id = "
          "share_recipients.share_id) WHERE seen_at IS NULL;"
          "UPDATE triages SET parent_role = CASE WHEN EXISTS(SELECT 1 FROM family_parents p "
          "WHERE p.family_id = triages.family_id AND p.role = 'mother') OR NOT EXISTS(SELECT 1 "
          "FROM family_parents p WHERE p.family_id = triages.family_id) THEN 'mother' ELSE "
          "'partner' END WHERE parent_role IS NULL AND family_id IS NOT NULL;",
          error)) {
    connection.exec("ROLLBACK");
    return false;
  }
  // Issue 22: the inbox order became rank * 4 + tier (share_store.h), once, when tier arrived.
  if (!had_tier &&
      !connection.exec(
          "UPDATE share_recipients SET tier = CASE WHEN EXISTS(SELECT 1 FROM memberships m "
          "WHERE m.family_id = share_recipients.family_id AND m.organisation_id = "
          "share_recipients.organisation_id AND m.via IN ('invitation', 'referral')) THEN 3 WHEN "
          "family_id IS NOT NULL THEN 2 ELSE 1 END;"
          "UPDATE share_recipients SET rank = CASE WHEN junk = 1 THEN 0 ELSE rank * 4 + tier END;",
          error)) {
    connection.exec("ROLLBACK");
    return false;
  }
  // Versions 7 (issue 22, guessing) and 8 (issue 24, family names) only add columns.
  // A summary sealed already (schema 10, sealed_content.h) is not JSON here and is skipped: its
  // routing columns were written when it arrived.
  // Version 9 (issue 26): the moment of each share becomes a column, read once from its summary;
  // a withdrawn share keeps nothing of its content (also its instrument and any case note).
  if (version < 9 &&
      !connection.exec(
          "UPDATE shares SET moment_stage = json_extract(summary, '$.context.stage'), "
          "moment_week = json_extract(summary, '$.context.week') WHERE json_valid(summary);"
          "UPDATE shares SET instrument_id = NULL, seen_by_role = NULL, parent_role = NULL, "
          "family_id = NULL, case_close_note = NULL, case_signed_as = NULL, case_state = "
          "'closed', case_close_reason = 'withdrawn', case_closed_at = COALESCE(case_closed_at, "
          "withdrawn_at) WHERE status = 'withdrawn';",
          error)) {
    connection.exec("ROLLBACK");
    return false;
  }
  // Version 10: a database from before it may hold content in clear (also one that was sealed
  // and then taken back to an older schema): the sealing pass above the seam runs again.
  if (version < 10 && !connection.exec("DELETE FROM meta WHERE key = 'content_sealed'", error)) {
    connection.exec("ROLLBACK");
    return false;
  }
  if (!connection.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion) + "; COMMIT",
                       error)) {
    connection.exec("ROLLBACK");
    return false;
  }
  return true;
}

}  // namespace

const char* schema_tables() { return kSchema; }
std::vector<AddedColumn> schema_added_columns() {
  return {std::begin(kAddedColumns), std::end(kAddedColumns)};
}
int schema_version() { return kSchemaVersion; }

SqliteConnection::~SqliteConnection() { close(); }

void SqliteConnection::close() {
  for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.stmt);
  cache_.clear();
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

bool SqliteConnection::open(const std::string& path, std::string* error) {
  close();
  path_ = path;
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    if (error) *error = path + ": cannot open database: " + last_error();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return false;
  }
  sqlite3_busy_timeout(db_, 10000);
  // Answers, contact details and the audit log: readable by the server's user only, also when
  // the files were made before (or by a tool with a wider umask).
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      ::chmod(file.c_str(), info.st_mode & 0700);
    }
  }
  std::string what;
  // WAL lets readers run beside the single writer; synchronous=FULL makes every commit durable
  // before we acknowledge it; secure_delete overwrites erased (withdrawn) payloads with zeros.
  if (!exec("PRAGMA journal_mode=WAL", &what) || !exec("PRAGMA synchronous=FULL", &what) ||
      !exec("PRAGMA foreign_keys=ON", &what) || !exec("PRAGMA secure_delete=ON", &what) ||
      !exec(kSchema, &what) || !migrate(*this, &what)) {
    if (error) *error = path + ": " + what;
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return false;
  }
  return true;
}

bool SqliteConnection::exec(std::string_view sql, std::string* error) {
  char* message = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    if (error) *error = message ? message : "unknown SQLite error";
    sqlite3_free(message);
    return false;
  }
  return true;
}

std::string SqliteConnection::last_error() const {
  return db_ ? sqlite3_errmsg(db_) : "no database connection";
}

SqliteConnection::Prepared* SqliteConnection::prepare(std::string_view sql) {
  if (!db_) return nullptr;
  Prepared* entry = nullptr;
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end()) {
    if (!it->second.in_use) entry = &it->second;
  } else if (cache_.size() < kMaxCachedStatements) {
    entry = &cache_[std::string(sql)];
    entry->cached = true;
  }
  if (entry && entry->stmt) {
    entry->in_use = true;
    return entry;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(stmt);
    if (entry) cache_.erase(std::string(sql));
    return nullptr;
  }
  if (!entry) entry = new Prepared{stmt, false, true};
  entry->stmt = stmt;
  entry->in_use = true;
  return entry;
}

void SqliteConnection::finish(Prepared* prepared) {
  if (!prepared) return;
  if (prepared->cached) {
    sqlite3_reset(prepared->stmt);
    sqlite3_clear_bindings(prepared->stmt);
    prepared->in_use = false;
  } else {
    sqlite3_finalize(prepared->stmt);
    delete prepared;
  }
}

int64_t SqliteTx::changes() const { return sqlite3_changes(connection_->handle()); }

std::string SqliteTx::erasure_list_path() const {
  const char* file = sqlite3_db_filename(connection_->handle(), "main");
  if (!file || !*file) return "";  // an in-memory database keeps nothing to restore
  return std::string(file) + ".erasures";
}

void* SqliteTx::prepare(std::string_view sql) { return connection_->prepare(sql); }

void SqliteTx::finish(void* handle) {
  connection_->finish(static_cast<SqliteConnection::Prepared*>(handle));
}

namespace {
sqlite3_stmt* statement_of(void* handle) {
  return static_cast<SqliteConnection::Prepared*>(handle)->stmt;
}
}  // namespace

bool SqliteTx::bind_text(void* handle, int index, std::string_view text) {
  return sqlite3_bind_text(statement_of(handle), index, text.data(), static_cast<int>(text.size()),
                           SQLITE_TRANSIENT) == SQLITE_OK;
}

bool SqliteTx::bind_integer(void* handle, int index, int64_t value) {
  return sqlite3_bind_int64(statement_of(handle), index, value) == SQLITE_OK;
}

bool SqliteTx::bind_null(void* handle, int index) {
  return sqlite3_bind_null(statement_of(handle), index) == SQLITE_OK;
}

Tx::Step SqliteTx::step(void* handle) {
  const int rc = sqlite3_step(statement_of(handle));
  if (rc == SQLITE_ROW) return Step::kRow;
  return rc == SQLITE_DONE ? Step::kDone : Step::kError;
}

std::string SqliteTx::column_text(void* handle, int column) const {
  sqlite3_stmt* stmt = statement_of(handle);
  const unsigned char* value = sqlite3_column_text(stmt, column);
  if (!value) return {};
  return std::string(reinterpret_cast<const char*>(value),
                     static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

int64_t SqliteTx::column_integer(void* handle, int column) const {
  return sqlite3_column_int64(statement_of(handle), column);
}

bool SqliteTx::column_is_null(void* handle, int column) const {
  return sqlite3_column_type(statement_of(handle), column) == SQLITE_NULL;
}

}  // namespace kindband::server
