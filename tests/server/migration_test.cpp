// Upgrading: a database made by the first release (one organisation per share, no care network, no
// cases) is brought to the current schema when the new server opens it, without losing a share
// and without breaking the audit log's hash chain.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "server_harness.h"
#include "text_util.h"

namespace kindband::test::migration_tests {
namespace {

// The schema of the first release, as it shipped (server/src/database.cpp before the care network).
constexpr const char* kFirstReleaseSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE organisations(
  id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE organisation_origins(
  organisation_id INTEGER NOT NULL REFERENCES organisations(id), origin TEXT NOT NULL,
  PRIMARY KEY(organisation_id, origin));
CREATE TABLE professionals(
  id INTEGER PRIMARY KEY, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  username TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0, failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE TABLE shares(
  share_id TEXT PRIMARY KEY, organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  status TEXT NOT NULL CHECK(status IN ('received', 'seen', 'withdrawn')),
  received_at TEXT NOT NULL, body_hash TEXT, payload TEXT, summary TEXT, flag_count INTEGER,
  positive INTEGER, seen_at TEXT, seen_by_role TEXT, note TEXT, withdrawn_at TEXT);
CREATE INDEX shares_by_organisation ON shares(organisation_id, status);
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,
  organisation TEXT NOT NULL, action TEXT NOT NULL, share_id TEXT NOT NULL, address TEXT NOT NULL,
  detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// The first release's audit row hash (docs/share-api.md): SHA-256 over length-prefixed fields.
std::string first_release_hash(const std::string& prev, int64_t seq,
                               const std::vector<std::string>& fields) {
  std::string material = "kindband-audit-v1\n" + std::to_string(prev.size()) + ":" + prev;
  for (const std::string& field : fields) {
    material += "\n" + std::to_string(field.size()) + ":" + field;
  }
  material += "\nseq:" + std::to_string(seq);
  return server::sha256_hex(material);
}

void exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
}

TEST(Migration, AFirstReleaseDatabaseKeepsItsSharesAndItsAuditChain) {
  TempDir dir;
  const std::string path = dir.file("kindband.db");
  const std::string flagged = new_uuid(), seen = new_uuid(), withdrawn = new_uuid();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    exec(db, kFirstReleaseSchema);
    exec(db,
         "INSERT INTO organisations VALUES(1, 'vsv-a', 'VSV A', '2026-11-01T00:00:00Z');"
         "INSERT INTO organisation_origins VALUES(1, 'https://a.example');");
    // A flagged share as the first release stored it (payload from the engine's own scoring).
    json share = make_share(flagged, {0, 0, 0, 0, 0, 0, 0, 0, 1});
    json summary = {{"instrument", share["instrument"]},
                    {"context", share["context"]},
                    {"flags", {"self_harm"}},
                    {"positive", false}};
    sqlite3_stmt* insert = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "INSERT INTO shares(share_id, organisation_id, status, "
                                 "received_at, body_hash, payload, summary, flag_count, positive) "
                                 "VALUES(?, 1, 'received', '2026-11-02T10:00:00.000Z', 'h', ?, ?, "
                                 "1, 0)",
                                 -1, &insert, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(insert, 1, flagged.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, share.dump().c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, summary.dump().c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
    sqlite3_finalize(insert);
    exec(db,
         "INSERT INTO shares(share_id, organisation_id, status, received_at, summary, "
         "flag_count, positive, seen_at, seen_by_role) VALUES('" +
             seen +
             "', 1, 'seen', '2026-11-03T10:00:00.000Z', '{}', 0, 0, "
             "'2026-11-03T11:00:00.000Z', 'verloskundige');"
             "INSERT INTO shares(share_id, organisation_id, status, received_at, "
             "withdrawn_at) VALUES('" +
             withdrawn +
             "', 1, 'withdrawn', '2026-11-04T10:00:00.000Z', "
             "'2026-11-04T12:00:00.000Z');");
    // Two audit rows, chained as the first release did.
    std::string prev(64, '0');
    for (int64_t seq = 1; seq <= 2; ++seq) {
      std::vector<std::string> fields = {
          "2026-11-02T10:00:00.000Z", "parent",    "parent", "vsv-a", "share_received",
          seq == 1 ? flagged : seen,  "127.0.0.1", ""};
      std::string hash = first_release_hash(prev, seq, fields);
      exec(db, "INSERT INTO audit_log VALUES(" + std::to_string(seq) + ", '" + fields[0] +
                   "', 'parent', 'parent', 'vsv-a', 'share_received', '" + fields[5] +
                   "', '127.0.0.1', '', '" + prev + "', '" + hash + "')");
      prev = hash;
    }
    sqlite3_close(db);
  }
  ASSERT_EQ(run_admin(path, {"audit", "verify"}).exit_code, 0) << "the chain as it came";
  ASSERT_EQ(run_admin(path,
                      {"create-professional", "anna", "--organisation", "vsv-a", "--role",
                       "verloskundige"},
                      std::string(kPassword) + "\n")
                .exit_code,
            0);
  ServerProcess server;
  ASSERT_TRUE(server.start(path)) << server.log();
  auto c = server.client();
  std::string cookie = login(c, "anna", kPassword);
  auto res = c.Get("/api/v1/inbox", session_headers(cookie));
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  json inbox = json::parse(res->body);
  ASSERT_EQ(inbox["shares"].size(), 3u) << inbox.dump();
  EXPECT_EQ(inbox["shares"][0]["share_id"], flagged) << "the safety share still comes first";
  EXPECT_EQ(inbox["shares"][0]["case"]["state"], "new");
  EXPECT_EQ(inbox["counts"]["flagged_new"], 1);
  EXPECT_EQ(inbox["counts"]["seen"], 1);
  EXPECT_EQ(inbox["counts"]["withdrawn"], 1);
  auto read = c.Get(("/api/v1/inbox/shares/" + flagged).c_str(), session_headers(cookie));
  ASSERT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(json::parse(read->body)["share"]["share_id"], flagged);
  EXPECT_EQ(query_text(path,
                       "SELECT case_state || ',' || case_close_reason FROM shares WHERE "
                       "share_id = '" +
                           withdrawn + "'"),
            "closed,withdrawn");
  // Version 9: the moment is routing, read once from the summary into its own columns.
  EXPECT_EQ(query_text(path,
                       "SELECT moment_stage || ',' || moment_week FROM shares WHERE "
                       "share_id = '" +
                           flagged + "'"),
            "pregnancy,20");
  EXPECT_EQ(query_int(path, "PRAGMA user_version"), 11);
  server.stop();
  auto verify = run_admin(path, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit log intact"), std::string::npos) << verify.output;
}

// Version 3 (before triage at intake) had referrals and agreements without their triage link.
TEST(Migration, AVersion3DatabaseGetsTheTriageLinksAndKeepsItsProposals) {
  TempDir dir;
  const std::string path = dir.file("kindband.db");
  {
    ServerProcess server;
    ASSERT_TRUE(server.start(path)) << server.log();
    server.stop();
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    exec(db,
         "ALTER TABLE proposals DROP COLUMN triage_id; ALTER TABLE agreements DROP COLUMN "
         "triage_id; DROP TABLE triages; PRAGMA user_version = 3;");
    sqlite3_close(db);
  }
  ServerProcess server;
  ASSERT_TRUE(server.start(path)) << server.log();
  server.stop();
  EXPECT_EQ(query_int(path, "PRAGMA user_version"), 11);
  EXPECT_EQ(query_int(path,
                      "SELECT COUNT(*) FROM pragma_table_info('proposals') WHERE name = "
                      "'triage_id'"),
            1);
  EXPECT_EQ(query_int(path,
                      "SELECT COUNT(*) FROM pragma_table_info('agreements') WHERE name = "
                      "'triage_id'"),
            1);
  EXPECT_EQ(query_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'triages'"), 1);
}

// Version 5 (before issue 25) had no part held alone: its triages get it, kept with their
// organisation.
TEST(Migration, AVersion5DatabaseGetsThePartHeldAloneKeptAndTheMeldcodeTable) {
  TempDir dir;
  const std::string path = dir.file("kindband.db");
  {
    ServerProcess server;
    ASSERT_TRUE(server.start(path)) << server.log();
    server.stop();
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    exec(db,
         "ALTER TABLE triages DROP COLUMN alone_sharing; ALTER TABLE triages DROP COLUMN "
         "alone_decided_at; DROP TABLE triage_meldcode; PRAGMA user_version = 5;");
    sqlite3_close(db);
  }
  ServerProcess server;
  ASSERT_TRUE(server.start(path)) << server.log();
  server.stop();
  EXPECT_EQ(query_int(path, "PRAGMA user_version"), 11);
  EXPECT_EQ(query_int(path,
                      "SELECT COUNT(*) FROM pragma_table_info('triages') WHERE name IN "
                      "('alone_sharing', 'alone_decided_at')"),
            2);
  EXPECT_EQ(query_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'triage_meldcode'"),
            1);
}

}  // namespace
}  // namespace kindband::test::migration_tests
