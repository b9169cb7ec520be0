// Content sealed at rest (issue 26, docs/envelope.md): what a parent said is in no database file,
// WAL or backup in clear, before or after withdrawal and erasure; a sealed value opens only in its
// own row; without its key file the server does not start; a schema 9 database is sealed when the
// new server opens it, keeping its shares, inbox order and audit chain; the content key rotates.
// On both engines (server_harness.h): "stored" means the file's and WAL's bytes on SQLite and
// every row of the live database on PostgreSQL; the backup test is SQLite's own (kindband-admin
// backup makes SQLite files; PostgreSQL is backed up with its own tools).
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "care_network_fixture.h"
#include "sealed_content.h"
#include "sealing.h"

namespace kindband::test::sealed_tests {
namespace {

// Every marker starts with this, so one search finds any of them.
constexpr const char* kMarker = "sealmark";

bool on_disk(const std::string& db, const std::string& text) {
  return stored_in_database(db, text);
}

// Waits (up to a generous ceiling) until the text is no longer stored: on SQLite erasure empties
// the WAL once no reader holds an old snapshot.
bool gone_from_disk(const std::string& db, const std::string& text) {
  for (int i = 0; i < 300; ++i) {
    if (!on_disk(db, text)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// The key file as JSON.
json key_file(const std::string& path) { return json::parse(read_file(path)); }

void write_key_file(const std::string& path, const json& keys) {
  std::ofstream out(path, std::ios::trunc);
  out << keys.dump(2);
}

class Sealed : public CareNetwork {
 protected:
  void SetUp() override {
    CareNetwork::SetUp();
    // An infant mental health team in the coalition, to refer the family to.
    const CommandResult result = run_admin_script(
        fixture.db, {{"create-organisation", "imh-e", "--origin", "https://imh-e.example"},
                     {"add-organisation-to-coalition", "imh-e", "ks", "--type", "imh"}});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    key = new_key();
    family_id = make_family(key);  // vsv-a and jgz-c
    anna = login_as("anna");
  }

  std::string family_path(const std::string& rest = "") {
    return "/api/v1/inbox/families/" + family_id + rest;
  }

  // A linked share whose message and contact details carry markers; returns its receipt.
  std::string share_with_markers(const std::string& share_id, const std::string& tag) {
    json share = make_share(share_id, kModerate);
    share.erase("organisation");
    share["family_id"] = family_id;
    share["recipients"] = {"vsv-a", "jgz-c"};
    share["message"] = std::string(kMarker) + "-share-message-" + tag;
    share["contact"] = {{"name", std::string(kMarker) + "-contact-name-" + tag},
                        {"phone", "0611223344"},
                        {"email", std::string(kMarker) + "-contact-" + tag + "@example.org"}};
    Answer created = call("POST", "/api/v1/shares", key, share);
    EXPECT_EQ(created.status, 201) << created.body.dump();
    return created.body.value("receipt", "");
  }

  // Writes a marker into every content field (docs/envelope.md) through the public routes.
  void fill_every_content_field() {
    ASSERT_EQ(
        call("PATCH", "/api/v1/family", key, json{{"name", std::string(kMarker) + "-family-name"}})
            .status,
        200);
    share_id = new_uuid();
    receipt = share_with_markers(share_id, "one");
    ASSERT_FALSE(receipt.empty());
    const std::string share_path = "/api/v1/inbox/shares/" + share_id;
    ASSERT_EQ(professional("POST", share_path + "/seen", anna,
                           json{{"note", std::string(kMarker) + "-seen-note"}})
                  .status,
              200);
    ASSERT_EQ(professional("POST", share_path + "/case", anna, json{{"action", "take"}}).status,
              200);
    ASSERT_EQ(professional("POST", share_path + "/case", anna,
                           json{{"action", "close"},
                                {"reason", "other"},
                                {"note", std::string(kMarker) + "-close-note"}})
                  .status,
              200);
    Answer devices = call("GET", "/api/v1/family/devices", key);
    ASSERT_EQ(devices.status, 200);
    ASSERT_EQ(call("PATCH",
                   "/api/v1/family/devices/" + devices.body["devices"][0]["id"].get<std::string>(),
                   key, json{{"name", std::string(kMarker) + "-device"}})
                  .status,
              200);
    ASSERT_EQ(call("POST", "/api/v1/family/messages", key,
                   json{{"text", std::string(kMarker) + "-parent-message"}})
                  .status,
              201);
    ASSERT_EQ(professional("POST", family_path("/messages"), anna,
                           json{{"text", std::string(kMarker) + "-professional-message"}})
                  .status,
              201);
    Answer agreement = professional("POST", family_path("/agreements"), anna,
                                    json{{"what", std::string(kMarker) + "-agreement-what"},
                                         {"owner_organisation", "vsv-a"},
                                         {"owner_username", "anna"}});
    ASSERT_EQ(agreement.status, 201) << agreement.body.dump();
    const std::string agreement_id = std::to_string(agreement.body["id"].get<int64_t>());
    ASSERT_EQ(professional("POST", family_path("/agreements/" + agreement_id + "/comments"), anna,
                           json{{"text", std::string(kMarker) + "-professional-comment"}})
                  .status,
              201);
    ASSERT_EQ(call("POST", "/api/v1/family/agreements/" + agreement_id + "/response", key,
                   json{{"suits", false}, {"comment", std::string(kMarker) + "-parents-comment"}})
                  .status,
              200);
    ASSERT_EQ(professional("POST", family_path("/referrals"), anna,
                           json{{"organisation", "imh-e"},
                                {"reason", std::string(kMarker) + "-referral-reason"}})
                  .status,
              201);
    json record = {
        {"occasion", "intake"},
        {"moment", {{"stage", "pregnancy"}, {"week", 14}}},
        {"topics",
         {{"little_support",
           {{"status", "present"}, {"note", std::string(kMarker) + "-intake-note"}}}}},
        {"parents_view", std::string(kMarker) + "-intake-parents-view"},
        {"parents_wishes", "Liefst thuis"},
        {"judgement", {{"support", "acute_safety"}, {"note", "Meldcode gevolgd"}}},
        {"alone",
         {{"confirmed", true},
          {"topics",
           {{"safety_at_home",
             {{"status", "present"}, {"note", std::string(kMarker) + "-intake-alone"}}}}}}}};
    Answer triage = professional("POST", family_path("/triages"), anna, record);
    ASSERT_EQ(triage.status, 201) << triage.body.dump();
    const std::string triage_id = std::to_string(triage.body["id"].get<int64_t>());
    ASSERT_EQ(call("POST", "/api/v1/family/triages/" + triage_id + "/decision", key,
                   json{{"decision", "keep"}})
                  .status,
              200);
    Answer meldcode = professional(
        "POST", family_path("/triages/" + triage_id + "/meldcode"), anna,
        json{{"reason", std::string(kMarker) + "-meldcode-reason"}, {"organisations", {"jgz-c"}}});
    ASSERT_EQ(meldcode.status, 200) << meldcode.body.dump();
    ASSERT_EQ(call("PUT", "/api/v1/family/notifications", key,
                   json{{"email", std::string(kMarker) + "-parent@example.org"},
                        {"page", "https://a.example/zwanger"}})
                  .status,
              200);
    ASSERT_EQ(professional("PATCH", "/api/v1/inbox/me/notifications", anna,
                           json{{"email", std::string(kMarker) + "-anna@example.org"}})
                  .status,
              200);
    auto team = run_admin(fixture.db, {"set-organisation-email", "vsv-a",
                                       std::string(kMarker) + "-team@example.org"});
    ASSERT_EQ(team.exit_code, 0) << team.output;
    // An invitation sent by e-mail waits (no mail server here) with its address and link.
    Answer invitation = professional("POST", "/api/v1/inbox/invitations", anna, json::object());
    ASSERT_EQ(invitation.status, 201) << invitation.body.dump();
    ASSERT_EQ(professional("POST", "/api/v1/inbox/invitations/email", anna,
                           json{{"code", invitation.body["code"]},
                                {"email", std::string(kMarker) + "-invited@example.org"}})
                  .status,
              202);
  }

  // For every sealed field: how many values it holds, and how many of them are not sealed.
  void expect_every_field_sealed(bool expect_values) {
    for (const server::SealedField& field : server::sealed_fields()) {
      const std::string where = std::string(field.table) + "." + field.column;
      const std::string from =
          std::string(" FROM ") + field.table + " WHERE " + field.column + " IS NOT NULL";
      if (expect_values) {
        EXPECT_GT(count("SELECT COUNT(*)" + from), 0) << where << ": the test wrote no value";
      }
      EXPECT_EQ(count("SELECT COUNT(*)" + from + " AND " + field.column + " NOT LIKE 'kb1.%'"), 0)
          << where << " holds a value in clear";
    }
  }

  std::string key, family_id, anna, share_id, receipt;
};

TEST_F(Sealed, AMarkerInEveryContentFieldIsStoredOnlySealed) {
  fill_every_content_field();
  // Everything that needs the content still works.
  Answer page = professional("GET", family_path(), anna);
  ASSERT_EQ(page.status, 200) << page.body.dump();
  const std::string shown = page.body.dump();
  for (const char* text : {"-family-name", "-parent-message", "-professional-message",
                           "-agreement-what", "-professional-comment", "-parents-comment",
                           "-contact-name-one", "-intake-note", "-meldcode-reason"}) {
    EXPECT_NE(shown.find(std::string(kMarker) + text), std::string::npos) << text;
  }
  Answer share = professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  ASSERT_EQ(share.status, 200);
  EXPECT_EQ(share.body["share"]["message"], std::string(kMarker) + "-share-message-one");
  EXPECT_EQ(share.body["note"], std::string(kMarker) + "-seen-note");
  EXPECT_EQ(share.body["case"]["close_note"], std::string(kMarker) + "-close-note");
  EXPECT_EQ(call("GET", "/api/v1/family/devices", key).body["devices"][0]["name"],
            std::string(kMarker) + "-device");
  Answer inbox = professional("GET", "/api/v1/inbox", anna);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.body["shares"][0]["family_name"], std::string(kMarker) + "-family-name");
  Answer families = professional("GET", "/api/v1/inbox/families?q=MARK-FAMILY", anna);
  ASSERT_EQ(families.status, 200) << families.body.dump();
  ASSERT_EQ(families.body["families"].size(), 1u) << "the name is searched after opening";
  EXPECT_EQ(call("GET", "/api/v1/family/notifications", key).body["email"],
            std::string(kMarker) + "-parent@example.org");
  Answer referral = call("GET", "/api/v1/family", key);
  EXPECT_EQ(referral.body["proposals"][0]["reason"], std::string(kMarker) + "-referral-reason");

  // In no file: every value of every content column is sealed, and no marker is in clear.
  expect_every_field_sealed(true);
  EXPECT_FALSE(on_disk(fixture.db, kMarker));

  // Withdrawal and erasure remove the sealed bytes (with their data keys) too.
  const std::string sealed_payload =
      query_text(fixture.db, "SELECT payload FROM shares WHERE share_id = '" + share_id + "'");
  const std::string sealed_name =
      query_text(fixture.db, "SELECT name FROM families WHERE id = '" + family_id + "'");
  ASSERT_TRUE(server::is_sealed(sealed_payload));
  ASSERT_TRUE(on_disk(fixture.db, sealed_payload));
  ASSERT_EQ(call("DELETE", "/api/v1/shares/" + share_id, receipt).status, 200);
  EXPECT_TRUE(gone_from_disk(fixture.db, sealed_payload));
  ASSERT_EQ(call("DELETE", "/api/v1/family", key).status, 200);
  EXPECT_TRUE(gone_from_disk(fixture.db, sealed_name));
  EXPECT_FALSE(on_disk(fixture.db, kMarker));
  fixture.server.stop();
  EXPECT_FALSE(on_disk(fixture.db, sealed_payload));
  EXPECT_FALSE(on_disk(fixture.db, kMarker));
}

TEST_F(Sealed, WithoutItsKeyFileTheServerRefusesToStart) {
  receipt = share_with_markers(new_uuid(), "keys");
  const std::string keys = fixture.db + ".keys";
  const json original = key_file(keys);
  ASSERT_TRUE(original.contains("content_key"));
  fixture.server.stop();
  ASSERT_EQ(std::rename(keys.c_str(), (keys + ".away").c_str()), 0);
  EXPECT_FALSE(fixture.server.start(fixture.db));
  if (on_postgres()) {
    // There the key file is never made by a server, whatever the database holds.
    EXPECT_NE(fixture.server.log().find("kindband.db.keys: no key file"), std::string::npos)
        << fixture.server.log();
  } else {
    EXPECT_NE(fixture.server.log().find("kindband.db.keys: missing"), std::string::npos)
        << fixture.server.log();
    EXPECT_NE(fixture.server.log().find("sealed under content key"), std::string::npos);
  }
  EXPECT_FALSE(std::ifstream(keys).good()) << "no new key file was made in its place";
  // Another content key (the receipt keys as they were): refused too, never garbage served.
  json other = original;
  other["content_key"] = std::string(64, 'e');
  write_key_file(keys, other);
  EXPECT_FALSE(fixture.server.start(fixture.db));
  EXPECT_NE(fixture.server.log().find("holds content key"), std::string::npos)
      << fixture.server.log();
  // A key file from before sealing (no content key) for a sealed database: refused.
  json old = original;
  old.erase("content_key");
  write_key_file(keys, old);
  EXPECT_FALSE(fixture.server.start(fixture.db));
  EXPECT_NE(fixture.server.log().find("has no content_key"), std::string::npos);
  // kindband-admin refuses what would seal content without the key (an address).
  EXPECT_NE(
      run_admin(fixture.db, {"set-organisation-email", "vsv-a", "team@example.org"}).exit_code, 0);
  // The right key file back: everything opens again.
  ASSERT_EQ(std::rename((keys + ".away").c_str(), keys.c_str()), 0);
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
  anna = login_as("anna");
  Answer page = professional("GET", family_path(), anna);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.dump().find(std::string(kMarker) + "-contact-name-keys"), std::string::npos);
}

// SQLite only (scripts/test-postgres.sh): kindband-admin backup copies the SQLite file. A
// PostgreSQL backup (pg_basebackup, pgBackRest) copies the rows that
// AMarkerInEveryContentFieldIsStoredOnlySealed finds sealed on both engines.
TEST_F(Sealed, ABackupNeedsNoKeyAndHoldsEveryValueSealed) {
  fill_every_content_field();
  const std::string keys = fixture.db + ".keys";
  fixture.server.stop();
  // Whoever makes backups need not be able to read them.
  ASSERT_EQ(std::rename(keys.c_str(), (keys + ".away").c_str()), 0);
  const std::string backup = fixture.dir.file("backup.db");
  auto made = run_admin(fixture.db, {"backup", backup});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  EXPECT_FALSE(std::ifstream(keys).good()) << "the backup made no key file";
  EXPECT_EQ(read_file(backup).find(kMarker), std::string::npos);
  EXPECT_NE(read_file(backup).find("kb1."), std::string::npos) << "the backup holds sealed values";
  // And it is a database with every value there, sealed: the key file opens it.
  ASSERT_EQ(std::rename((keys + ".away").c_str(), keys.c_str()), 0);
  const std::vector<std::string> payloads =
      opened_values(backup, "shares", "payload", "share_id = '" + share_id + "'", keys);
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_NE(payloads[0].find(std::string(kMarker) + "-share-message-one"), std::string::npos);
}

TEST_F(Sealed, AValueMovedToAnotherRowDoesNotOpen) {
  const std::string first = new_uuid(), second = new_uuid();
  share_with_markers(first, "first");
  share_with_markers(second, "second");
  ASSERT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "een"}}).status, 201);
  ASSERT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "twee"}}).status, 201);
  fixture.server.stop();
  // Whoever can write the database copies one share's sealed payload over another's.
  exec_sql(fixture.db,
           "UPDATE shares SET payload = (SELECT payload FROM shares WHERE share_id = '" + first +
               "') WHERE share_id = '" + second + "'");
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
  anna = login_as("anna");
  Answer intact = professional("GET", "/api/v1/inbox/shares/" + first, anna);
  ASSERT_EQ(intact.status, 200);
  EXPECT_EQ(intact.body["share"]["message"], std::string(kMarker) + "-share-message-first");
  Answer moved = professional("GET", "/api/v1/inbox/shares/" + second, anna);
  EXPECT_EQ(moved.status, 500) << "refused, not the first share's content: " << moved.body.dump();
  EXPECT_EQ(moved.body.dump().find("-first"), std::string::npos);
  // The same for a message moved to another message's row, and for a summary moved to a payload.
  fixture.server.stop();
  exec_sql(fixture.db,
           "UPDATE messages SET text = (SELECT text FROM messages ORDER BY id LIMIT 1) WHERE id = "
           "(SELECT MAX(id) FROM messages);"
           "UPDATE shares SET payload = (SELECT summary FROM shares WHERE share_id = '" +
               first + "'), summary = payload WHERE share_id = '" + first + "'");
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
  EXPECT_EQ(call("GET", "/api/v1/family", key).status, 500);
  anna = login_as("anna");
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + first, anna).status, 500);
}

TEST_F(Sealed, AVersion9DatabaseIsSealedAndKeepsItsSharesOrderAndAuditChain) {
  for (const std::vector<int>& answers : {kLow, kFlagged, kModerate}) {
    json share = make_share(new_uuid(), answers);
    share.erase("organisation");
    share["family_id"] = family_id;
    share["recipients"] = {"vsv-a"};
    share["message"] = std::string(kMarker) + "-old-message";
    ASSERT_EQ(call("POST", "/api/v1/shares", key, share).status, 201);
  }
  ASSERT_EQ(
      call("PATCH", "/api/v1/family", key, json{{"name", std::string(kMarker) + "-old"}}).status,
      200);
  ASSERT_EQ(call("POST", "/api/v1/family/messages", key,
                 json{{"text", std::string(kMarker) + "-old-parent-message"}})
                .status,
            201);
  Answer before = professional("GET", "/api/v1/inbox", anna);
  ASSERT_EQ(before.status, 200);
  fixture.server.stop();

  // The same database as schema 9 kept it: every content value in clear, no content key.
  ASSERT_TRUE(install_content_keys_of(fixture.db + ".keys"));
  std::string unseal;
  for (const server::SealedField& field : server::sealed_fields()) {
    // The row's record columns, then the value; the same columns find the row again.
    std::string columns;
    for (const char* column : field.record_columns) columns += std::string(column) + ", ";
    for (const auto& row :
         query_rows(fixture.db, "SELECT " + columns + field.column + " FROM " + field.table +
                                    " WHERE " + field.column + " IS NOT NULL")) {
      std::string record, where;
      for (size_t i = 0; i < field.record_columns.size(); ++i) {
        record += (i ? ":" : "") + row[i];
        where +=
            std::string(i ? " AND " : "") + field.record_columns[i] + " = " + sql_literal(row[i]);
      }
      const std::string plain = server::open_sealed(field.table, field.column, record, row.back());
      unseal += std::string("UPDATE ") + field.table + " SET " + field.column + " = " +
                sql_literal(plain) + " WHERE " + where + ";";
    }
  }
  exec_sql(fixture.db, unseal +
                           "DELETE FROM meta WHERE key IN ('content_sealed', 'content_key_id');" +
                           (on_postgres() ? "UPDATE meta SET value = '9' WHERE key = "
                                            "'schema_version';"
                                          : "PRAGMA user_version = 9;"));
  json keys = key_file(fixture.db + ".keys");
  keys.erase("content_key");
  keys.erase("previous_content_keys");
  write_key_file(fixture.db + ".keys", keys);
  ASSERT_TRUE(on_disk(fixture.db, std::string(kMarker) + "-old-message"));
  ASSERT_EQ(run_admin(fixture.db, {"audit", "verify"}).exit_code, 0);
  const long long shares = count("SELECT COUNT(*) FROM shares");

  // The new server seals it all on its first start.
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
  EXPECT_EQ(count(on_postgres() ? "SELECT value FROM meta WHERE key = 'schema_version'"
                                : "PRAGMA user_version"),
            11);
  expect_every_field_sealed(false);
  EXPECT_TRUE(gone_from_disk(fixture.db, kMarker)) << "no clear value left in the file or WAL";
  EXPECT_EQ(count("SELECT COUNT(*) FROM shares"), shares);
  anna = login_as("anna");
  Answer after = professional("GET", "/api/v1/inbox", anna);
  ASSERT_EQ(after.status, 200);
  ASSERT_EQ(after.body["shares"].size(), before.body["shares"].size());
  for (size_t i = 0; i < before.body["shares"].size(); ++i) {
    EXPECT_EQ(after.body["shares"][i]["share_id"], before.body["shares"][i]["share_id"]) << i;
    EXPECT_EQ(after.body["shares"][i]["summary"], before.body["shares"][i]["summary"]) << i;
    Answer read = professional(
        "GET", "/api/v1/inbox/shares/" + after.body["shares"][i]["share_id"].get<std::string>(),
        anna);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.body["share"]["message"], std::string(kMarker) + "-old-message");
  }
  EXPECT_EQ(after.body["counts"], before.body["counts"]);
  EXPECT_EQ(after.body["shares"][0]["family_name"], std::string(kMarker) + "-old");
  auto verified = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_TRUE(key_file(fixture.db + ".keys").contains("content_key"));
}

TEST_F(Sealed, RotatingTheContentKeyRewrapsEveryValueAndDropsTheOldKey) {
  fill_every_content_field();
  const std::string old_key = key_file(fixture.db + ".keys")["content_key"];
  fixture.server.stop();
  auto rotated = run_admin(fixture.db, {"rotate-content-key"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.output;
  const json keys = key_file(fixture.db + ".keys");
  EXPECT_NE(keys["content_key"], old_key);
  EXPECT_TRUE(keys["previous_content_keys"].empty()) << "the old key left the key file";
  EXPECT_EQ(read_file(fixture.db + ".keys").find(old_key), std::string::npos);
  ASSERT_TRUE(install_content_keys_of(fixture.db + ".keys"));
  const std::string id = server::current_content_key_id();
  for (const server::SealedField& field : server::sealed_fields()) {
    EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM ") + field.table + " WHERE " + field.column +
                    " IS NOT NULL AND " + field.column + " NOT LIKE 'kb1." + id + ".%'"),
              0)
        << field.table << "." << field.column;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'content_key_rotated'"), 1);
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
  anna = login_as("anna");
  Answer share = professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  ASSERT_EQ(share.status, 200);
  EXPECT_EQ(share.body["share"]["message"], std::string(kMarker) + "-share-message-one");
  EXPECT_FALSE(on_disk(fixture.db, kMarker));
}

}  // namespace
}  // namespace kindband::test::sealed_tests
