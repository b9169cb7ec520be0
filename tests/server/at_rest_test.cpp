// Data at rest (issue 12): the files are for the server's user only, the receipt key is not in the
// database, rotated receipt keys keep old receipts valid, and erased data (sealed, issue 26:
// sealed_test.cpp) leaves the WAL even when a reader held an old snapshot during the withdrawal,
// and never comes back through a backup.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "server_harness.h"
#include "text_util.h"

namespace kindband::test::at_rest_tests {
namespace {

const std::vector<int> kAnswers = {1, 0, 2, 0, 1, 0, 0, 0, 0};

int mode_of(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<int>(info.st_mode & 0777) : -1;
}

bool on_disk(const std::string& db, const std::string& text) {
  return read_file(db).find(text) != std::string::npos ||
         read_file(db + "-wal").find(text) != std::string::npos;
}

json share_with_marker(const std::string& id, const std::string& marker) {
  json share = make_share(id, kAnswers);
  share["message"] = marker;
  return share;
}

TEST(AtRest, TheFilesAreForTheServersUserOnly) {
  ServerFixture fixture;
  fixture.start(false);
  auto c = fixture.server.client();
  ASSERT_EQ(post_share(c, make_share(new_uuid(), kAnswers).dump())->status, 201);
  // The test process has the usual umask (022); the server's files are 0600 all the same.
  for (const std::string& file : {fixture.db, fixture.db + "-wal", fixture.db + ".keys"}) {
    EXPECT_EQ(mode_of(file), 0600) << file;
  }
  std::string backup = fixture.dir.file("backup.db");
  ASSERT_EQ(run_admin(fixture.db, {"backup", backup}).exit_code, 0);
  EXPECT_EQ(mode_of(backup), 0600);
  // A database made readable by others (e.g. copied with cp) is closed again on open.
  fixture.server.stop();
  ASSERT_EQ(::chmod(fixture.db.c_str(), 0644), 0);
  ASSERT_TRUE(fixture.server.start(fixture.db));
  EXPECT_EQ(mode_of(fixture.db), 0600);
}

TEST(AtRest, TheReceiptKeyLivesInAKeyFileNotInTheDatabase) {
  // A database from before the key file kept its keys in the meta table: they move to the file,
  // receipts parents hold stay valid, and the database forgets them.
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  ASSERT_EQ(run_admin(db, {"create-organisation", "vsv-a", "--origin", kOriginA}).exit_code, 0);
  const std::string old_key(64, 'a');
  {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(handle,
                     ("INSERT INTO meta VALUES('receipt_key', '" + old_key +
                      "'); INSERT INTO meta VALUES('body_key', '" + std::string(64, 'b') + "')")
                         .c_str(),
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(handle);
  }
  ServerProcess server;
  ASSERT_TRUE(server.start(db)) << server.log();
  auto c = server.client();
  const std::string id = new_uuid();
  auto created = post_share(c, make_share(id, kAnswers).dump());
  ASSERT_EQ(created->status, 201);
  EXPECT_EQ(json::parse(created->body)["receipt"],
            server::hmac_sha256_hex(old_key, "receipt:" + id));
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM meta WHERE key LIKE '%_key'"), 0);
  EXPECT_FALSE(on_disk(db, old_key));
  EXPECT_NE(read_file(db + ".keys").find(old_key), std::string::npos);
  EXPECT_EQ(mode_of(db + ".keys"), 0600);
}

TEST(AtRest, ARotatedReceiptKeyKeepsOldReceiptsValid) {
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  const std::string keys = dir.file("secret.keys");
  ASSERT_EQ(run_admin(db, {"create-organisation", "vsv-a", "--origin", kOriginA}).exit_code, 0);
  const std::string old_key(64, '1'), new_key(64, '2');
  {
    std::ofstream out(keys);
    out << json{{"receipt_key", old_key}, {"body_key", std::string(64, '3')}}.dump();
  }
  ServerProcess server;
  ASSERT_TRUE(server.start(db, {"--key-file", keys})) << server.log();
  auto c = server.client();
  const std::string old_id = new_uuid();
  std::string old_receipt =
      json::parse(post_share(c, make_share(old_id, kAnswers).dump())->body)["receipt"];
  server.stop();
  {
    // The server added a content key to the file (sealing.h); rotation leaves it as it is.
    json file = json::parse(read_file(keys));
    ASSERT_TRUE(file.contains("content_key"));
    file["receipt_key"] = new_key;
    file["previous_receipt_keys"] = {old_key};
    std::ofstream out(keys);
    out << file.dump();
  }
  ASSERT_TRUE(server.start(db, {"--key-file", keys})) << server.log();
  auto again = server.client();
  auto status = again.Get(("/api/v1/shares/" + old_id + "/status").c_str(),
                          {{"Authorization", "Bearer " + old_receipt}});
  EXPECT_EQ(status->status, 200) << status->body;
  const std::string new_id = new_uuid();
  EXPECT_EQ(json::parse(post_share(again, make_share(new_id, kAnswers).dump())->body)["receipt"],
            server::hmac_sha256_hex(new_key, "receipt:" + new_id));
  // A key file that is not what it should be stops the server with a clear message.
  {
    std::ofstream out(keys);
    out << "{\"receipt_key\": \"short\"}";
  }
  server.stop();
  EXPECT_FALSE(server.start(db, {"--key-file", keys}));
  EXPECT_NE(server.log().find("secret.keys: expected"), std::string::npos) << server.log();
}

TEST(AtRest, WithdrawalErasesTheWalAlsoWhenAReaderHeldASnapshot) {
  ServerFixture fixture;
  fixture.start(false);
  auto c = fixture.server.client();
  const std::string marker = "SNAPSHOT-MARKER-91ac-erase-me";
  const std::string id = new_uuid();
  std::string receipt =
      json::parse(post_share(c, share_with_marker(id, marker).dump())->body)["receipt"];
  // Sealed at rest (docs/envelope.md): the marker is in no file, its sealed bytes are.
  EXPECT_FALSE(on_disk(fixture.db, marker));
  const std::string sealed =
      query_text(fixture.db, "SELECT payload FROM shares WHERE share_id = '" + id + "'");
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(on_disk(fixture.db, sealed));
  // Another process (an export, a backup) reads with a snapshot from before the withdrawal.
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(fixture.db.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM shares;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto withdrawn =
      c.Delete(("/api/v1/shares/" + id).c_str(), {{"Authorization", "Bearer " + receipt}});
  ASSERT_EQ(withdrawn->status, 200);
  // More shares meanwhile: they must not keep the erased bytes around either.
  for (int i = 0; i < 20; ++i) post_share(c, make_share(new_uuid(), kAnswers).dump());
  sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(reader);
  bool gone = false;
  for (int i = 0; i < 40 && !gone; ++i) {
    gone = !on_disk(fixture.db, sealed) && !on_disk(fixture.db, marker);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "the erased message is still in the database or its WAL";
}

TEST(AtRest, ABackupNeverCopiesErasedData) {
  ServerFixture fixture;
  fixture.start(false);
  auto c = fixture.server.client();
  const std::string marker = "BACKUP-MARKER-5d0f-erase-me";
  const std::string id = new_uuid();
  std::string receipt =
      json::parse(post_share(c, share_with_marker(id, marker).dump())->body)["receipt"];
  const std::string sealed =
      query_text(fixture.db, "SELECT payload FROM shares WHERE share_id = '" + id + "'");
  ASSERT_FALSE(sealed.empty());
  ASSERT_EQ(
      c.Delete(("/api/v1/shares/" + id).c_str(), {{"Authorization", "Bearer " + receipt}})->status,
      200);
  std::string backup = fixture.dir.file("backup.db");
  auto result = run_admin(fixture.db, {"backup", backup});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(read_file(backup).find(marker), std::string::npos);
  EXPECT_EQ(read_file(backup + "-wal").find(marker), std::string::npos);
  EXPECT_EQ(read_file(backup).find(sealed), std::string::npos) << "nor its sealed bytes";
}

}  // namespace
}  // namespace kindband::test::at_rest_tests
