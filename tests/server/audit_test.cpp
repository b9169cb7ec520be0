// The audit log (NEN 7513) and kindband-admin: every access is recorded with who, when, which
// share, what and from where; the hash chain detects tampering; export, backup, clear errors.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server_harness.h"

namespace kindband::test::audit_tests {
namespace {

const std::vector<int> kAnswers = {1, 1, 1, 1, 0, 0, 0, 0, 0};

// Runs SQL on the database with write access, bypassing the server (an attacker with file or
// database access). SQLITE_OK (0) when it went through.
int tamper(const std::string& db, const std::string& sql, std::string* message = nullptr) {
  if (on_postgres()) return execute_sql(db, sql, message) ? SQLITE_OK : SQLITE_ERROR;
  sqlite3* handle = nullptr;
  sqlite3_open(db.c_str(), &handle);
  sqlite3_busy_timeout(handle, 5000);
  char* error = nullptr;
  int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error);
  if (message && error) *message = error;
  sqlite3_free(error);
  sqlite3_close(handle);
  return rc;
}

// What removes the audit log's protection against a change or a deletion, per engine.
std::string without_protection(const char* against) {
  if (on_postgres()) return "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change; ";
  return std::string("DROP TRIGGER audit_log_no_") + against + "; ";
}

std::vector<json> export_rows(const std::string& db, const std::string& out_file) {
  auto result = run_admin(db, {"audit", "export", "--output", out_file});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  std::vector<json> rows;
  std::istringstream lines(read_file(out_file));
  for (std::string line; std::getline(lines, line);) rows.push_back(json::parse(line));
  return rows;
}

class Audit : public ::testing::Test {
 protected:
  void SetUp() override { fixture.start(true); }
  ServerFixture fixture;
};

TEST_F(Audit, EveryAccessIsRecordedWithWhoWhenWhatWhichShareAndWhere) {
  auto c = fixture.server.client();
  std::string id = new_uuid();
  auto created = post_share(c, make_share(id, kAnswers).dump());
  ASSERT_EQ(created->status, 201);
  std::string receipt = json::parse(created->body)["receipt"];
  std::string cookie = login(c, "anna", kPassword);
  httplib::Headers headers = session_headers(cookie);
  ASSERT_EQ(c.Get("/api/v1/inbox", headers)->status, 200);
  ASSERT_EQ(c.Get(("/api/v1/inbox/shares/" + id).c_str(), headers)->status, 200);
  ASSERT_EQ(
      c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), headers, "{}", "application/json")
          ->status,
      200);
  ASSERT_EQ(
      c.Delete(("/api/v1/shares/" + id).c_str(), {{"Authorization", "Bearer " + receipt}})->status,
      200);
  ASSERT_EQ(c.Post("/api/v1/logout", headers, "{}", "application/json")->status, 200);

  std::vector<json> rows = export_rows(fixture.db, fixture.dir.file("audit.jsonl"));
  auto find = [&](const std::string& action) {
    for (const json& row : rows) {
      if (row["action"] == action) return row;
    }
    ADD_FAILURE() << "no audit row for " << action;
    return json::object();
  };
  struct Expect {
    const char* action;
    const char* actor;
    const char* role;
    bool names_share;
  };
  for (const Expect& e : {Expect{"share_received", "parent", "parent", true},
                          Expect{"login", "anna", "verloskundige", false},
                          Expect{"inbox_view", "anna", "verloskundige", false},
                          Expect{"share_read", "anna", "verloskundige", true},
                          Expect{"share_acknowledged", "anna", "verloskundige", true},
                          Expect{"share_withdrawn", "parent", "parent", true},
                          Expect{"logout", "anna", "verloskundige", false}}) {
    SCOPED_TRACE(e.action);
    json row = find(e.action);
    EXPECT_EQ(row.value("actor", ""), e.actor);
    EXPECT_EQ(row.value("role", ""), e.role);
    EXPECT_EQ(row.value("organisation", ""), "vsv-a");
    EXPECT_EQ(row.value("address", ""), "127.0.0.1");
    EXPECT_EQ(row.value("at", "").size(), 24u);  // 2026-11-22T21:00:00.000Z
    EXPECT_EQ(row.value("share_id", ""), e.names_share ? id : "");
  }
  // The export is itself on record, and no share content ever enters the audit log.
  EXPECT_EQ(rows.back()["action"], "audit_export");
  std::string all = read_file(fixture.dir.file("audit.jsonl"));
  EXPECT_EQ(all.find("consent_version"), std::string::npos);
  EXPECT_EQ(all.find("\"answers\""), std::string::npos);
}

TEST_F(Audit, NoShareIsReadWithoutAnAuditRow) {
  auto c = fixture.server.client();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(new_uuid());
    ASSERT_EQ(post_share(c, make_share(ids.back(), kAnswers).dump())->status, 201);
  }
  std::string cookie = login(c, "anna", kPassword);
  std::atomic<int> successful_reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      auto client = fixture.server.client();
      for (int i = 0; i < 10; ++i) {
        auto res = client.Get(("/api/v1/inbox/shares/" + ids[(t + i) % ids.size()]).c_str(),
                              session_headers(cookie));
        if (res && res->status == 200) ++successful_reads;
      }
    });
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(successful_reads.load(), 40);
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'share_read'"),
            successful_reads.load());
}

TEST_F(Audit, ChainVerifiesAndDetectsAChangedRow) {
  auto c = fixture.server.client();
  ASSERT_EQ(post_share(c, make_share(new_uuid(), kAnswers).dump())->status, 201);
  ASSERT_FALSE(login(c, "anna", kPassword).empty());
  auto ok = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("audit log intact"), std::string::npos);
  fixture.server.stop();

  // The table refuses changes ...
  std::string message;
  EXPECT_NE(tamper(fixture.db, "UPDATE audit_log SET actor = 'someone' WHERE seq = 3", &message),
            SQLITE_OK);
  EXPECT_NE(message.find("append-only"), std::string::npos);
  EXPECT_NE(tamper(fixture.db, "DELETE FROM audit_log WHERE seq = 3"), SQLITE_OK);
  // ... and if someone removes that protection, verification still catches the change.
  ASSERT_EQ(tamper(fixture.db, without_protection("update") +
                                   "UPDATE audit_log SET actor = 'someone' WHERE seq = 3"),
            SQLITE_OK);
  auto broken = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.output.find("BROKEN at row 3"), std::string::npos) << broken.output;
}

TEST_F(Audit, ChainDetectsARemovedRow) {
  auto c = fixture.server.client();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(post_share(c, make_share(new_uuid(), kAnswers).dump())->status, 201);
  }
  fixture.server.stop();
  ASSERT_EQ(
      tamper(fixture.db, without_protection("delete") + "DELETE FROM audit_log WHERE seq = 4"),
      SQLITE_OK);
  auto broken = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.output.find("missing"), std::string::npos) << broken.output;
}

TEST_F(Audit, OnlineBackupCopiesTheDatabaseWhileTheServerRuns) {
  auto c = fixture.server.client();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(post_share(c, make_share(new_uuid(), kAnswers).dump())->status, 201);
  }
  std::string copy = fixture.dir.file("backup.db");
  auto result = run_admin(fixture.db, {"backup", copy});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(query_int(copy, "SELECT COUNT(*) FROM shares"), 5);
  auto verify = run_admin(copy, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  auto again = run_admin(fixture.db, {"backup", copy});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("exists already"), std::string::npos);
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'backup'"), 1);
}

TEST(AuditAddress, TakesTheClientAddressOnlyFromTheTrustedProxy) {
  for (bool trusted : {false, true}) {
    SCOPED_TRACE(trusted);
    ServerFixture fixture;
    fixture.start(false, trusted ? std::vector<std::string>{"--trusted-proxy", "127.0.0.1"}
                                 : std::vector<std::string>{});
    auto c = fixture.server.client();
    auto res = c.Post("/api/v1/shares", {{"Origin", kOriginA}, {"X-Real-IP", "203.0.113.7"}},
                      make_share(new_uuid(), kAnswers).dump(), "application/json");
    ASSERT_EQ(res->status, 201);
    EXPECT_EQ(query_text(fixture.db,
                         "SELECT address FROM audit_log WHERE action = "
                         "'share_received'"),
              trusted ? "203.0.113.7" : "127.0.0.1");
  }
}

TEST(Admin, GivesClearErrors) {
  TempDir dir;
  std::string db = dir.file("kindband.db");
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    const char* says;
  };
  ASSERT_EQ(run_admin(db, {"create-organisation", "vsv-a", "--origin", kOriginA}).exit_code, 0);
  for (const Case& c : {
           Case{{"frobnicate"}, 2, "unknown command 'frobnicate'"},
           Case{{"create-organisation", "vsv-x"}, 2, "at least one --origin"},
           Case{{"create-organisation", "vsv-x", "--origin", "null"}, 1, "null origin"},
           Case{{"create-organisation", "vsv-x", "--origin", "https://x.nl/path"},
                1,
                "without path"},
           Case{{"create-organisation", "vsv-a", "--origin", kOriginA}, 1, "already exists"},
           Case{{"create-organisation", "VSV A", "--origin", kOriginA}, 1, "organisation id"},
           Case{{"create-professional", "zoe", "--organisation", "nosuch", "--role", "arts"},
                1,
                "unknown organisation 'nosuch'"},
           Case{{"create-professional", "zoe", "--role", "arts"}, 2, "--organisation"},
           Case{{"disable-professional", "nobody"}, 1, "unknown username 'nobody'"},
           Case{{"audit", "shred"}, 2, "export or verify"},
           Case{{"create-organisation", "vsv-y", "--origin", kOriginA, "--colour", "red"},
                2,
                "--colour: not an option"},
       }) {
    auto result = run_admin(db, c.args, "long enough password\n");
    SCOPED_TRACE(c.args[0]);
    EXPECT_EQ(result.exit_code, c.exit_code) << result.output;
    EXPECT_NE(result.output.find(c.says), std::string::npos) << result.output;
  }
}

TEST(Admin, RunScriptRunsEachLineAsItsOwnCommandAndStopsAtTheFirstThatFails) {
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  const std::string script = dir.file("region.txt");
  {
    std::ofstream out(script);
    out << "# Kansrijke Start Voorbeeldstad\n"
           "\n"
           "create-organisation vsv-a --origin https://a.example --name \"Verloskunde 't Hoekje\"\n"
           "  create-coalition ks --name 'Kansrijke Start \"Voorbeeldstad\"'\n"
           "create-professional anna --organisation vsv-a --role verloskundige --name Anna\\ Smit\n"
           "create-professional zoe --organisation nosuch --role arts\n"
           "create-organisation vsv-b --origin https://b.example\n";
  }
  const CommandResult ran =
      run_admin(db, {"run-script", script}, "long enough password\nanother long password\n");
  EXPECT_EQ(ran.exit_code, 1) << ran.output;
  // The failing command's own error, then where it stood and what was done.
  EXPECT_NE(ran.output.find("unknown organisation 'nosuch'"), std::string::npos) << ran.output;
  EXPECT_NE(ran.output.find(script + ":6: 'create-professional' failed"), std::string::npos)
      << ran.output;
  EXPECT_NE(ran.output.find("3 command(s) before it were done"), std::string::npos) << ran.output;
  // Words as a shell reads them; each command done as on its own, with its own audit row.
  EXPECT_EQ(query_text(db, "SELECT name FROM organisations WHERE slug = 'vsv-a'"),
            "Verloskunde 't Hoekje");
  EXPECT_EQ(query_text(db, "SELECT name FROM coalitions WHERE slug = 'ks'"),
            "Kansrijke Start \"Voorbeeldstad\"");
  EXPECT_EQ(query_text(db, "SELECT display_name FROM professionals WHERE username = 'anna'"),
            "Anna Smit");
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM organisations WHERE slug = 'vsv-b'"), 0)
      << "nothing after the failing line runs";
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM audit_log WHERE actor LIKE 'admin:%'"), 3);
  // The password came from stdin: anna logs in with it.
  ServerProcess server;
  ASSERT_TRUE(server.start(db)) << server.log();
  auto client = server.client();
  EXPECT_FALSE(login(client, "anna", "long enough password").empty());
  // An unfinished quote is refused before anything runs, with its line.
  {
    std::ofstream out(script);
    out << "create-organisation vsv-c --origin https://c.example --name \"Half\n";
  }
  const CommandResult unfinished = run_admin(db, {"run-script", script});
  EXPECT_EQ(unfinished.exit_code, 1);
  EXPECT_NE(unfinished.output.find(script + ":1: a \" is not closed"), std::string::npos)
      << unfinished.output;
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM organisations WHERE slug = 'vsv-c'"), 0);
}

TEST(ServerStart, RefusesToStartWithAClearMessage) {
  TempDir dir;
  std::ofstream(dir.file("garbage.db")) << "this is not a database, it is a text file";
  std::filesystem::create_directories(dir.file("a-folder.db"));
  struct Case {
    std::string db;
    std::vector<std::string> args;
    const char* says;
  };
  for (const Case& c :
       {Case{dir.file("garbage.db"), {}, "file is not a database"},
        Case{dir.file("a-folder.db"), {}, "cannot open database"},
        Case{dir.file("ok.db"), {"--static", "/x/=" + dir.file("nope")}, "not a folder"},
        Case{dir.file("ok.db"), {"--threads", "0"}, "--threads"},
        Case{dir.file("ok.db"), {"--organisation", "vsv-a=null"}, "null origin"},
        Case{dir.file("ok.db"), {"--colour", "red"}, "--colour: unknown flag"}}) {
    SCOPED_TRACE(c.says);
    // The first two are files that are not databases: PostgreSQL has its own case below.
    if (on_postgres() && c.db != dir.file("ok.db")) continue;
    ServerProcess server;
    EXPECT_FALSE(server.start(c.db, c.args));
    EXPECT_NE(server.log().find(c.says), std::string::npos) << server.log();
  }
  // A PostgreSQL server that is not there.
  const std::string nowhere = "postgresql://kb@%2Fnonexistent:5432/kindband";
  CommandResult refused = run_admin(nowhere, {"migrate"});
  EXPECT_EQ(refused.exit_code, 1);
#ifdef KINDBAND_WITH_POSTGRES
  EXPECT_NE(refused.output.find("cannot connect"), std::string::npos) << refused.output;
#else
  EXPECT_NE(refused.output.find("built without PostgreSQL"), std::string::npos) << refused.output;
#endif
  EXPECT_EQ(refused.output.find("kb@"), std::string::npos)
      << "no user name or password in messages";
}

TEST(ServerConfigFile, OrganisationsAndSettingsComeFromAConfigFile) {
  TempDir dir;
  std::string config = dir.file("kindband.json");
  std::ofstream(config) << json{
      {"database", dir.file("kindband.db")},
      {"organisations", {{{"id", "vsv-a"}, {"name", "VSV A"}, {"origins", {kOriginA}}}}},
      {"session_idle_seconds",
       600}}.dump();
  ServerProcess server;
  ASSERT_TRUE(server.start(dir.file("kindband.db"), {"--config", config})) << server.log();
  auto c = server.client();
  auto res = post_share(c, make_share(new_uuid(), kAnswers).dump());
  EXPECT_EQ(res->status, 201) << res->body;
  server.stop();

  std::ofstream(config) << R"({"organisations": [{"id": "vsv-a", "origins": ["null"]}]})";
  ServerProcess bad;
  EXPECT_FALSE(bad.start(dir.file("kindband.db"), {"--config", config}));
  EXPECT_NE(bad.log().find("/organisations/0"), std::string::npos) << bad.log();
  EXPECT_NE(bad.log().find("null origin"), std::string::npos) << bad.log();

  std::ofstream(config) << R"({"colour": "red"})";
  ServerProcess unknown;
  EXPECT_FALSE(unknown.start(dir.file("kindband.db"), {"--config", config}));
  EXPECT_NE(unknown.log().find("/colour: unknown setting"), std::string::npos) << unknown.log();
}

}  // namespace
}  // namespace kindband::test::audit_tests
