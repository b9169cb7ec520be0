// Operations on PostgreSQL (issue 27, docs/deployment.md): a SQLite deployment moved to PostgreSQL
// with kindband-admin export-to-postgres (same data, same key file, same audit head hash; all or
// nothing; never into a database that holds rows), and the application role that may read and
// write but never change an audit row (kindband-admin migrate --application-role). PostgreSQL only:
// these run in the conformance run (scripts/test-postgres.sh), where the SQLite source is a real
// file beside the cluster.
#include <gtest/gtest.h>
#include <unistd.h>

#include "care_network_fixture.h"

namespace kindband::test::operations_tests {
namespace {

const std::vector<int> kFlagged = {0, 0, 0, 0, 0, 0, 0, 0, 1};

// "audit log intact: N rows, head hash H" -> "N rows, head hash H"; "" when not intact.
std::string audit_head(const std::string& db) {
  const CommandResult verified = run_admin(db, {"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  const size_t at = verified.output.find("audit log intact: ");
  if (verified.exit_code != 0 || at == std::string::npos) return "";
  const size_t end = verified.output.find('\n', at);
  return verified.output.substr(at + 18, end - at - 18);
}

// The care network of care_network_fixture.h on a SQLite file, also in the conformance run.
class ExportToPostgres : public CareNetwork {
 protected:
  void SetUp() override {
    if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only (scripts/test-postgres.sh)";
    source = fixture.dir.file("kindband.db");
    use_location(source, source);
    CareNetwork::SetUp();
  }
  // A new database of the cluster, as its URL.
  std::string new_target(const std::string& name) {
    return database_location(fixture.dir.file(name));
  }
  long long count_in(const std::string& db, const std::string& table) {
    return query_int(db, "SELECT COUNT(*) FROM " + table);
  }

  std::string source;
};

TEST_F(ExportToPostgres, MovesADeploymentWithItsDataKeysSessionsAndAuditChain) {
  // On SQLite: a family in the network, a linked and a plain share, messages both ways, a session.
  const std::string key = new_key();
  const std::string family_id = make_family(key);
  ASSERT_EQ(linked_share(key, family_id, kFlagged, json::array({"vsv-a", "jgz-c"}), json::object())
                .status,
            201);
  auto c = fixture.server.client();
  ASSERT_EQ(post_share(c, make_share(new_uuid(), {1, 1, 1, 1, 0, 0, 0, 0, 0}).dump())->status, 201);
  const std::string anna = login_as("anna");
  const std::string marker = "EXPORT-MARKER-7d2e";
  const std::string messages = "/api/v1/inbox/families/" + family_id + "/messages";
  ASSERT_EQ(professional("POST", messages, anna, json{{"text", "Hoe gaat het? " + marker}}).status,
            201);
  ASSERT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "Goed, dank je"}}).status,
            201);
  ASSERT_EQ(professional("GET", "/api/v1/inbox", anna).status, 200);
  fixture.server.stop();

  const std::string target = new_target("target.db");
  const CommandResult exported = run_admin(source, {"export-to-postgres", target});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  // The move is itself in the chain (on the source first), and the chain is the same on both.
  EXPECT_EQ(query_int(source, "SELECT COUNT(*) FROM audit_log WHERE action = 'export_to_postgres'"),
            1);
  const std::string source_head = audit_head(source);
  ASSERT_FALSE(source_head.empty());
  EXPECT_EQ(audit_head(target), source_head);
  EXPECT_NE(exported.output.find(source_head.substr(source_head.find("head hash "))),
            std::string::npos)
      << exported.output;
  for (const char* table :
       {"organisations", "professionals", "families", "family_parents", "memberships", "shares",
        "share_recipients", "messages", "sessions", "audit_log"}) {
    EXPECT_EQ(count_in(target, table), count_in(source, table)) << table;
  }
  // The key check and the sealing marks go along; the schema version is the target's own.
  const std::string meta = "meta WHERE key <> 'schema_version'";
  EXPECT_GE(count_in(source, meta), 2);
  EXPECT_EQ(count_in(target, meta), count_in(source, meta));
  // Rows as they are: sealed values are the same bytes (no second sealing, no opening).
  EXPECT_EQ(query_text(target, "SELECT string_agg(text, '|' ORDER BY id) FROM messages"),
            query_text(source,
                       "SELECT group_concat(text, '|') FROM (SELECT text FROM messages "
                       "ORDER BY id)"));
  EXPECT_EQ(query_int(target, "SELECT COUNT(*) FROM messages WHERE text LIKE '%" + marker + "%'"),
            0);

  // A server on PostgreSQL with the same key file serves the same data.
  fixture.db = fixture.dir.file("target.db");
  ASSERT_TRUE(fixture.server.start(fixture.db, {"--key-file", source + ".keys"}, "moved"))
      << fixture.server.log();
  Answer family = call("GET", "/api/v1/family", key);  // the parent's key still works
  ASSERT_EQ(family.status, 200) << family.body.dump();
  EXPECT_EQ(family.body["family_id"], family_id);
  ASSERT_EQ(family.body["messages"].size(), 2u) << family.body.dump();
  EXPECT_EQ(family.body["messages"][0]["text"], "Hoe gaat het? " + marker);
  EXPECT_EQ(family.body["messages"][1]["text"], "Goed, dank je");
  // The session made on SQLite goes on; the inbox holds both shares.
  Answer inbox = professional("GET", "/api/v1/inbox", anna);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.body["shares"].size(), 2u) << inbox.body.dump();
  // New rows continue after the copied ids (the sequences were set), and the chain goes on.
  ASSERT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "Na de verhuizing"}}).status,
            201);
  EXPECT_EQ(query_int(fixture.db, "SELECT MAX(id) FROM messages"), 3);
  auto moved = fixture.server.client();
  ASSERT_EQ(post_share(moved, make_share(new_uuid(), kFlagged).dump())->status, 201);
  fixture.server.stop();
  const std::string after = audit_head(fixture.db);
  EXPECT_FALSE(after.empty());
  EXPECT_NE(after, source_head);
}

TEST_F(ExportToPostgres, RefusesATargetWithRowsAndStoresNothingWhenARowFails) {
  fixture.server.stop();
  // A database with rows (here: a server of its own ran on it) is somebody's data.
  const std::string used = new_target("used.db");
  ASSERT_EQ(run_admin(fixture.dir.file("used.db"),
                      {"create-organisation", "other", "--origin", "https://other.example"})
                .exit_code,
            0);
  CommandResult refused = run_admin(source, {"export-to-postgres", used});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("not empty"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("has rows"), std::string::npos) << refused.output;
  EXPECT_EQ(count_in(used, "organisations"), 1);

  // A migrated, empty database is taken; a row the target refuses (here a constraint that refuses
  // every professional) rolls back everything copied before it, and the error says where.
  const std::string target = new_target("target.db");
  ASSERT_EQ(run_admin(fixture.dir.file("target.db"), {"migrate"}).exit_code, 0);
  std::string message;
  ASSERT_TRUE(execute_sql(target,
                          "ALTER TABLE professionals ADD CONSTRAINT refuse_all CHECK (id < 0) "
                          "NOT VALID",
                          &message))
      << message;
  CommandResult failed = run_admin(source, {"export-to-postgres", target});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.output.find("professionals, row 1:"), std::string::npos) << failed.output;
  EXPECT_NE(failed.output.find("refuse_all"), std::string::npos) << failed.output;
  EXPECT_NE(failed.output.find("nothing was stored"), std::string::npos) << failed.output;
  for (const char* table : {"organisations", "coalitions", "professionals", "audit_log"}) {
    EXPECT_EQ(count_in(target, table), 0) << table;
  }
  EXPECT_EQ(query_int(target, "SELECT COUNT(*) FROM meta"), 1) << "the schema version only";

  // Once the target accepts every row, the same export goes through.
  ASSERT_TRUE(execute_sql(target, "ALTER TABLE professionals DROP CONSTRAINT refuse_all", &message))
      << message;
  CommandResult moved = run_admin(source, {"export-to-postgres", target});
  ASSERT_EQ(moved.exit_code, 0) << moved.output;
  EXPECT_EQ(audit_head(target), audit_head(source));
  EXPECT_EQ(count_in(target, "professionals"), 3);
}

TEST(ApplicationRole, MayReadAndWriteButNeverChangeAnAuditRow) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only (SQLite: the triggers of Audit.Chain*)";
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  const std::string owner_url = database_location(db);
  const std::string role = "kb_app_" + std::to_string(getpid());
  // The owner (the cluster's kb) makes the schema and the role.
  CommandResult migrated = run_admin(db, {"migrate", "--application-role", role});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  ASSERT_EQ(run_admin(db, {"create-organisation", "vsv-a", "--origin", kOriginA}).exit_code, 0);
  const std::string keys = dir.file("kindband.keys");
  ASSERT_EQ(run_admin(db, {"create-key-file", keys}).exit_code, 0);
  // The owner itself and a superuser are refused as the application role.
  CommandResult as_owner = run_admin(db, {"migrate", "--application-role", "kb"});
  EXPECT_NE(as_owner.exit_code, 0);
  EXPECT_NE(as_owner.output.find("another role than the owner"), std::string::npos)
      << as_owner.output;

  // The server runs as the application role.
  const size_t at = owner_url.find("kb@");
  ASSERT_NE(at, std::string::npos) << owner_url;
  const std::string app = dir.file("app.db");
  use_location(app, owner_url.substr(0, at) + role + "@" + owner_url.substr(at + 3));
  ServerProcess server;
  ASSERT_TRUE(server.start(app, {"--key-file", keys})) << server.log();
  auto c = server.client();
  auto shared = post_share(c, make_share(new_uuid(), kFlagged).dump());
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->status, 201) << shared->body << server.log();
  EXPECT_EQ(query_int(app, "SELECT COUNT(*) FROM audit_log WHERE action = 'share_received'"), 1);
  EXPECT_EQ(query_text(app, "SELECT current_user"), role);

  // Its own connection cannot change an audit row: no grant (before any trigger is reached).
  std::string message;
  for (const char* change :
       {"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        "DROP TRIGGER audit_log_no_change ON audit_log"}) {
    EXPECT_FALSE(execute_sql(app, change, &message)) << change;
    EXPECT_TRUE(message.find("permission denied") != std::string::npos ||
                message.find("must be owner") != std::string::npos)
        << change << ": " << message;
  }
  EXPECT_EQ(query_int(app, "SELECT COUNT(*) FROM audit_log WHERE actor = 'x'"), 0);
  server.stop();
  EXPECT_NE(audit_head(db), "");
}

}  // namespace
}  // namespace kindband::test::operations_tests
