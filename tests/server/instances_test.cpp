// Several kindband-server instances on one database (issue 27): nothing a request needs is kept in
// one process. A session made on one instance works on the other and logout on either ends it;
// failed logins spread over instances are counted together; of two concurrent takes on the two
// instances exactly one wins; shares sent through both keep one audit chain. Runs on SQLite (two
// processes on one file) and, in the conformance run, on PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "server_harness.h"

namespace kindband::test::instances_tests {
namespace {

const std::vector<int> kFlagged = {0, 0, 0, 0, 0, 0, 0, 0, 1};

class Instances : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture.start(true);
    ASSERT_TRUE(second.start(fixture.db, {}, "second")) << second.log();
  }
  // A professional's POST (same-site JSON) on one instance.
  int post(const ServerProcess& server, const std::string& cookie, const std::string& path,
           const json& body, json* reply = nullptr) {
    auto c = server.client();
    auto res = c.Post(path.c_str(), session_headers(cookie), body.dump(), "application/json");
    if (!res) return 0;
    if (reply) *reply = json::parse(res->body, nullptr, false);
    return res->status;
  }
  int get(const ServerProcess& server, const std::string& cookie, const std::string& path) {
    auto c = server.client();
    auto res = c.Get(path.c_str(), session_headers(cookie));
    return res ? res->status : 0;
  }

  ServerFixture fixture;
  ServerProcess second;  // the other instance, on the same database
};

TEST_F(Instances, ASessionMadeOnOneWorksOnTheOtherAndLogoutOnEitherEndsIt) {
  auto first_client = fixture.server.client();
  const std::string cookie = login(first_client, "anna", kPassword);
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(get(second, cookie, "/api/v1/inbox"), 200);
  EXPECT_EQ(get(fixture.server, cookie, "/api/v1/inbox"), 200);
  EXPECT_EQ(post(second, cookie, "/api/v1/logout", json::object()), 200);
  EXPECT_EQ(get(fixture.server, cookie, "/api/v1/inbox"), 401);
  EXPECT_EQ(get(second, cookie, "/api/v1/inbox"), 401);
  // The table keeps the token's hash only, never the token.
  auto second_client = second.client();
  const std::string again = login(second_client, "anna", kPassword);
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(
      query_int(fixture.db, "SELECT COUNT(*) FROM sessions WHERE token_hash = '" + again + "'"), 0);
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM sessions"), 1);
}

TEST_F(Instances, FailedLoginsOverBothInstancesAreCountedTogether) {
  // The server's default: 5 failures per account and address, then 429 (docs/share-api.md).
  int refused = 0;
  for (int attempt = 0; attempt < 6; ++attempt) {
    auto c = attempt % 2 == 0 ? fixture.server.client() : second.client();
    int status = 0;
    login(c, "anna", "wrong password", &status);
    if (attempt < 5) {
      EXPECT_EQ(status, 401) << "attempt " << attempt;
    } else {
      refused += status == 429;
    }
  }
  EXPECT_EQ(refused, 1) << "the sixth attempt, on either instance, is throttled";
  int status = 0;
  auto c = fixture.server.client();
  EXPECT_TRUE(login(c, "anna", kPassword, &status).empty());
  EXPECT_EQ(status, 429) << "also with the right password, until the window passes";
}

TEST_F(Instances, OfTwoConcurrentTakesOnTwoInstancesExactlyOneWins) {
  auto c = fixture.server.client();
  const std::string cookie = login(c, "anna", kPassword);
  ASSERT_FALSE(cookie.empty());
  for (int round = 0; round < 4; ++round) {
    const std::string id = new_uuid();
    ASSERT_EQ(post_share(c, make_share(id, kFlagged).dump())->status, 201);
    std::atomic<int> ready{0}, wins{0}, taken{0};
    std::vector<std::thread> racers;
    for (const ServerProcess* server : {&fixture.server, &second}) {
      racers.emplace_back([&, server] {
        ++ready;
        while (ready < 2) std::this_thread::yield();
        json reply;
        const int status = post(*server, cookie, "/api/v1/inbox/shares/" + id + "/case",
                                {{"action", "take"}}, &reply);
        wins += status == 200;
        taken += status == 409 && reply.value("error", "") == "already_taken";
      });
    }
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(wins, 1) << "round " << round;
    EXPECT_EQ(taken, 1) << "round " << round;
    EXPECT_EQ(
        query_int(fixture.db, "SELECT COUNT(*) FROM case_events WHERE share_id = '" + id + "'"), 1);
  }
}

TEST_F(Instances, SharesSentThroughBothKeepOneAuditChain) {
  constexpr int kClients = 8, kEach = 5;
  std::atomic<int> created{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto c = (i % 2 == 0 ? fixture.server : second).client();
      for (int n = 0; n < kEach; ++n) {
        auto res = post_share(c, make_share(new_uuid(), kFlagged).dump());
        created += res && res->status == 201;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(created, kClients * kEach);
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares"), kClients * kEach);
  // Contiguous: as many rows as the highest seq, and the chain verifies.
  EXPECT_EQ(query_int(fixture.db, "SELECT MAX(seq) - COUNT(*) FROM audit_log"), 0);
  auto verify = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_F(Instances, ReadyzSaysTheDatabaseCanBeWritten) {
  auto c = second.client();
  auto res = c.Get("/readyz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("ready"), std::string::npos);
}

TEST(InstancesOnPostgres, AnInstanceWithAnotherKeyFileRefusesToStart) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only: one SQLite file has one key file beside it";
  ServerFixture fixture;
  fixture.start(false);
  // Never made by the server with PostgreSQL, ...
  ServerProcess without;
  EXPECT_FALSE(without.start(fixture.db, {"--key-file", fixture.dir.file("missing.keys")}));
  EXPECT_NE(without.log().find("create-key-file"), std::string::npos) << without.log();
  // ... nor a second one for a database that has its key file already (its content is sealed
  // under that file's content key) ...
  const std::string second = fixture.dir.file("second.keys");
  const CommandResult refused = run_admin(fixture.db, {"create-key-file", second});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("sealed under content key"), std::string::npos) << refused.output;
  // ... and never another one than the first instance's: one made for another database, ...
  const std::string other = fixture.dir.file("other.keys");
  const CommandResult made = run_admin(fixture.dir.file("other.db"), {"create-key-file", other});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  ServerProcess mismatched;
  EXPECT_FALSE(mismatched.start(fixture.db, {"--key-file", other}, "mismatched"));
  EXPECT_NE(mismatched.log().find("holds content key"), std::string::npos) << mismatched.log();
  // ... or the first one's content key with other receipt and request keys.
  json keys = json::parse(read_file(fixture.db + ".keys"));
  keys["receipt_key"] = std::string(64, 'a');
  keys["body_key"] = std::string(64, 'b');
  const std::string half = fixture.dir.file("half.keys");
  std::ofstream(half) << keys.dump();
  ServerProcess half_matched;
  EXPECT_FALSE(half_matched.start(fixture.db, {"--key-file", half}, "half"));
  EXPECT_NE(half_matched.log().find("not the one this database was set up with"), std::string::npos)
      << half_matched.log();
}

TEST(InstancesOnPostgres, ARotatedReceiptKeyIsTakenAndThenTheOldFileIsRefused) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only: one SQLite file has one key file beside it";
  ServerFixture fixture;
  fixture.start(false);
  fixture.server.stop();
  // Rotated as docs/deployment.md says: the receipt key moves into previous_receipt_keys.
  const json before = json::parse(read_file(fixture.db + ".keys"));
  json rotated = before;
  rotated["previous_receipt_keys"].push_back(before["receipt_key"]);
  rotated["receipt_key"] = std::string(64, 'c');
  const std::string rotated_file = fixture.dir.file("rotated.keys");
  std::ofstream(rotated_file) << rotated.dump();
  ServerProcess after;
  ASSERT_TRUE(after.start(fixture.db, {"--key-file", rotated_file}, "rotated")) << after.log();
  after.stop();
  // From now on the database knows the rotated file: an instance left with the old one is refused.
  ServerProcess stale;
  EXPECT_FALSE(stale.start(fixture.db, {"--key-file", fixture.db + ".keys"}, "stale"));
  EXPECT_NE(stale.log().find("not the one this database was set up with"), std::string::npos)
      << stale.log();
  ServerProcess again;
  EXPECT_TRUE(again.start(fixture.db, {"--key-file", rotated_file}, "again")) << again.log();
}

TEST(InstancesOnPostgres, TheAuditLogRefusesChangesAlsoFromTheDatabaseItself) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only (SQLite's triggers: Audit.Chain*)";
  ServerFixture fixture;
  fixture.start(true);
  std::string message;
  EXPECT_FALSE(execute_sql(fixture.db, "UPDATE audit_log SET actor = 'x'", &message));
  EXPECT_NE(message.find("append-only"), std::string::npos) << message;
  EXPECT_FALSE(execute_sql(fixture.db, "DELETE FROM audit_log", &message));
  EXPECT_FALSE(execute_sql(fixture.db, "TRUNCATE audit_log", &message));
  EXPECT_NE(message.find("append-only"), std::string::npos) << message;
}

}  // namespace
}  // namespace kindband::test::instances_tests
