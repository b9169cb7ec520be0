// Professionals: login, lockout, sessions (cookie flags, expiry, logout), the inbox (order,
// filter, open, mark as seen) and organisation isolation on every route.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "config.h"
#include "server_harness.h"

namespace kindband::test::inbox_tests {
namespace {

const std::vector<int> kNegative = {0, 0, 0, 0, 0, 0, 0, 0, 0};
const std::vector<int> kPositive = {2, 2, 2, 2, 2, 0, 0, 0, 0};  // total 10: moderate
const std::vector<int> kFlagged = {0, 0, 0, 0, 0, 0, 0, 0, 1};   // item 9 answered > 0

class Inbox : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture.start(
        true, {"--lockout-after", "3", "--lockout-seconds", "10", "--trusted-proxy", "127.0.0.1"});
  }
  httplib::Client client() { return fixture.server.client(); }
  // Shares answers with organisation vsv-a (or b); returns the share id and fills receipt.
  std::string share(const std::vector<int>& answers, std::string* receipt = nullptr,
                    const std::string& organisation = "vsv-a") {
    std::string id = new_uuid();
    auto c = client();
    auto res = post_share(c, make_share(id, answers, "result_and_answers", organisation).dump(),
                          organisation == "vsv-a" ? kOriginA : kOriginB);
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no response");
    if (receipt && res) *receipt = json::parse(res->body)["receipt"];
    return id;
  }
  json inbox(const std::string& cookie, const std::string& query = "") {
    auto c = client();
    auto res = c.Get(("/api/v1/inbox" + query).c_str(), session_headers(cookie));
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    return res ? json::parse(res->body) : json();
  }
  long long audit_count(const std::string& action, const std::string& share_id = "") {
    return query_int(fixture.db,
                     "SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'" +
                         (share_id.empty() ? "" : " AND share_id = '" + share_id + "'"));
  }
  ServerFixture fixture;
};

TEST_F(Inbox, LoginSetsAStrictHttpOnlySecureSessionCookie) {
  auto c = client();
  auto res = c.Post("/api/v1/login", json{{"username", "anna"}, {"password", kPassword}}.dump(),
                    "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("kb_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Max-Age"), std::string::npos);  // ends with the browser session
  json body = json::parse(res->body);
  EXPECT_EQ(body["username"], "anna");
  EXPECT_EQ(body["role"], "verloskundige");
  EXPECT_EQ(body["organisation"], "vsv-a");
  EXPECT_EQ(audit_count("login"), 1);
}

TEST_F(Inbox, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  auto c = client();
  auto wrong =
      c.Post("/api/v1/login", json{{"username", "anna"}, {"password", "wrong password 123"}}.dump(),
             "application/json");
  auto unknown =
      c.Post("/api/v1/login", json{{"username", "nobody"}, {"password", kPassword}}.dump(),
             "application/json");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  EXPECT_EQ(audit_count("login_failed"), 2);
  auto malformed = c.Post("/api/v1/login", "{\"username\":1}", "application/json");
  EXPECT_EQ(malformed->status, 400);
}

TEST_F(Inbox, RepeatedFailuresThrottleThatAddressForThatAccountOnly) {
  // The fixture allows 3 failures per (account, address) in 10 s: long enough that the logins below
  // (an argon2id hash each) stay inside the window on a machine busy with other work.
  auto c = client();
  for (int i = 0; i < 3; ++i) {
    int status = 0;
    login(c, "anna", "wrong password 123", &status);
    EXPECT_EQ(status, 401);
  }
  auto throttled =
      c.Post("/api/v1/login", json{{"username", "anna"}, {"password", kPassword}}.dump(),
             "application/json");
  EXPECT_EQ(throttled->status, 429) << throttled->body;
  EXPECT_EQ(json::parse(throttled->body)["error"], "too_many_attempts");
  EXPECT_TRUE(throttled->has_header("Retry-After"));
  EXPECT_EQ(audit_count("login_throttled"), 1);
  // An unknown username is answered exactly like a known one, also when throttled.
  for (int i = 0; i < 3; ++i) login(c, "nobody", "wrong password 123");
  auto unknown =
      c.Post("/api/v1/login", json{{"username", "nobody"}, {"password", kPassword}}.dump(),
             "application/json");
  EXPECT_EQ(unknown->status, 429);
  EXPECT_EQ(json::parse(unknown->body), json::parse(throttled->body));
  // Anna herself, from her own address (the trusted proxy names it), is not locked out.
  auto elsewhere =
      c.Post("/api/v1/login", {{"X-Real-IP", "10.1.2.3"}},
             json{{"username", "anna"}, {"password", kPassword}}.dump(), "application/json");
  EXPECT_EQ(elsewhere->status, 200) << elsewhere->body;
  std::this_thread::sleep_for(std::chrono::milliseconds(10200));  // the window has passed
  int status = 0;
  EXPECT_FALSE(login(c, "anna", kPassword, &status).empty());
  EXPECT_EQ(status, 200);
}

TEST_F(Inbox, ParallelGuessesCannotSlipPastTheThrottle) {
  // 30 logins at once for one account, 29 wrong and the right one among them: at most 3 wrong
  // guesses are checked, and whatever the order, the attempts after them are refused.
  std::vector<std::thread> threads;
  std::atomic<int> unauthorised{0}, throttled{0}, ok{0};
  for (int i = 0; i < 30; ++i) {
    threads.emplace_back([&, i] {
      auto c = client();
      auto res = c.Post("/api/v1/login",
                        json{{"username", "anna"},
                             {"password", i == 29 ? std::string(kPassword) : "wrong password 1"}}
                            .dump(),
                        "application/json");
      if (!res) return;
      if (res->status == 401) ++unauthorised;
      if (res->status == 429) ++throttled;
      if (res->status == 200) ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(unauthorised, 3);
  EXPECT_GE(throttled, 26);
  EXPECT_EQ(unauthorised + throttled + ok, 30);
}

TEST_F(Inbox, InboxRoutesNeedASession) {
  auto c = client();
  std::string id = share(kNegative);
  for (const std::string& path :
       {std::string("/api/v1/inbox"), "/api/v1/inbox/shares/" + id, std::string("/api/v1/me")}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(c.Get(path.c_str())->status, 401);
    EXPECT_EQ(c.Get(path.c_str(), session_headers(std::string(64, 'f')))->status, 401);
  }
  auto seen = c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), "{}", "application/json");
  EXPECT_EQ(seen->status, 401);
  EXPECT_EQ(json::parse(seen->body)["error"], "not_logged_in");
}

TEST_F(Inbox, NoSessionInUrls) {
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(c.Get(("/api/v1/inbox?kb_session=" + cookie).c_str())->status, 401);
}

TEST_F(Inbox, ListsSafetyFlagsFirstThenPositiveScreensThenNewest) {
  std::string older_negative = share(kNegative);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string positive = share(kPositive);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string newer_negative = share(kNegative);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string flagged = share(kFlagged);
  share(kFlagged, nullptr, "vsv-b");  // another organisation's: never listed for anna
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  json list = inbox(cookie)["shares"];
  ASSERT_EQ(list.size(), 4u) << list.dump();
  EXPECT_EQ(list[0]["share_id"], flagged);
  EXPECT_EQ(list[0]["summary"]["flags"], json::array({"self_harm"}));
  EXPECT_EQ(list[1]["share_id"], positive);
  EXPECT_EQ(list[1]["summary"]["positive"], true);
  EXPECT_EQ(list[2]["share_id"], newer_negative);
  EXPECT_EQ(list[3]["share_id"], older_negative);
  EXPECT_EQ(audit_count("inbox_view"), 1);
}

TEST_F(Inbox, OpensAShareAndMarksItSeenWithANote) {
  std::string receipt;
  std::string id = share(kPositive, &receipt);
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  auto open = c.Get(("/api/v1/inbox/shares/" + id).c_str(), session_headers(cookie));
  ASSERT_EQ(open->status, 200) << open->body;
  json detail = json::parse(open->body);
  EXPECT_EQ(detail["share"]["answers"], json(kPositive));
  EXPECT_EQ(detail["share"]["result"]["scales"][0]["score"], 10);
  EXPECT_EQ(detail["status"], "received");
  EXPECT_EQ(audit_count("share_read", id), 1);

  httplib::Headers headers = session_headers(cookie);
  auto seen = c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), headers,
                     json{{"note", "Gebeld, afspraak gemaakt"}}.dump(), "application/json");
  ASSERT_EQ(seen->status, 200) << seen->body;
  EXPECT_EQ(audit_count("share_acknowledged", id), 1);
  // The parent sees the role, not the name.
  auto status =
      c.Get(("/api/v1/shares/" + id + "/status").c_str(), {{"Authorization", "Bearer " + receipt}});
  json parent_view = json::parse(status->body);
  EXPECT_EQ(parent_view["status"], "seen");
  EXPECT_EQ(parent_view["seen_by_role"], "verloskundige");
  EXPECT_EQ(status->body.find("anna"), std::string::npos);
  // Colleagues see the note.
  json again = json::parse(c.Get(("/api/v1/inbox/shares/" + id).c_str(), headers)->body);
  EXPECT_EQ(again["note"], "Gebeld, afspraak gemaakt");
  EXPECT_EQ(again["seen_by_role"], "verloskundige");
  auto too_long = c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), headers,
                         json{{"note", std::string(501, 'x')}}.dump(), "application/json");
  EXPECT_EQ(too_long->status, 400);
}

TEST_F(Inbox, FiltersByStatus) {
  std::string seen_id = share(kNegative);
  std::string received_id = share(kNegative);
  std::string withdrawn_receipt;
  std::string withdrawn_id = share(kNegative, &withdrawn_receipt);
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  ASSERT_EQ(c.Post(("/api/v1/inbox/shares/" + seen_id + "/seen").c_str(), session_headers(cookie),
                   "{}", "application/json")
                ->status,
            200);
  ASSERT_EQ(c.Delete(("/api/v1/shares/" + withdrawn_id).c_str(),
                     {{"Authorization", "Bearer " + withdrawn_receipt}})
                ->status,
            200);
  auto ids = [&](const std::string& query) {
    std::vector<std::string> out;
    json list = inbox(cookie, query)["shares"];
    for (const json& entry : list) out.push_back(entry["share_id"]);
    return out;
  };
  EXPECT_EQ(ids("?status=seen"), std::vector<std::string>{seen_id});
  EXPECT_EQ(ids("?status=received"), std::vector<std::string>{received_id});
  EXPECT_EQ(ids("?status=withdrawn"), std::vector<std::string>{withdrawn_id});
  EXPECT_EQ(ids("?status=all").size(), 3u);
  EXPECT_EQ(c.Get("/api/v1/inbox?status=deleted", session_headers(cookie))->status, 400);
  // A withdrawn share shows only that it was withdrawn; opening it is 410.
  json withdrawn = inbox(cookie, "?status=withdrawn")["shares"][0];
  EXPECT_FALSE(withdrawn.contains("summary"));
  auto open = c.Get(("/api/v1/inbox/shares/" + withdrawn_id).c_str(), session_headers(cookie));
  EXPECT_EQ(open->status, 410);
  auto mark = c.Post(("/api/v1/inbox/shares/" + withdrawn_id + "/seen").c_str(),
                     session_headers(cookie), "{}", "application/json");
  EXPECT_EQ(mark->status, 410);
}

TEST_F(Inbox, AProfessionalNeverSeesAnotherOrganisationsShares) {
  std::string receipt;
  std::string id = share(kFlagged, &receipt);  // shared with vsv-a
  auto c = client();
  std::string bert = login(c, "bert", kPassword);  // vsv-b
  ASSERT_FALSE(bert.empty());
  httplib::Headers headers = session_headers(bert);
  // Every inbox route that names a share: 403.
  auto open = c.Get(("/api/v1/inbox/shares/" + id).c_str(), headers);
  EXPECT_EQ(open->status, 403);
  EXPECT_EQ(open->body.find("answers"), std::string::npos);
  auto seen = c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), headers,
                     json{{"note", "x"}}.dump(), "application/json");
  EXPECT_EQ(seen->status, 403);
  // The list route shows only bert's own organisation.
  for (const char* query : {"", "?status=received", "?status=seen", "?status=withdrawn"}) {
    json list = inbox(bert, query);
    EXPECT_TRUE(list.contains("shares") && list["shares"].empty()) << query;
  }
  // Nothing changed, the attempts are on record, and no read was recorded.
  EXPECT_EQ(query_text(fixture.db, "SELECT status FROM shares WHERE share_id = '" + id + "'"),
            "received");
  EXPECT_EQ(audit_count("share_read_denied", id), 1);
  EXPECT_EQ(audit_count("share_acknowledge_denied", id), 1);
  EXPECT_EQ(audit_count("share_read", id), 0);
  // The parent's receipt routes are not reachable with a professional's session either.
  EXPECT_EQ(c.Get(("/api/v1/shares/" + id + "/status").c_str(), headers)->status, 401);
  EXPECT_EQ(c.Delete(("/api/v1/shares/" + id).c_str(), headers)->status, 401);
}

TEST_F(Inbox, LogoutEndsTheSession) {
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  ASSERT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 200);
  auto out = c.Post("/api/v1/logout", session_headers(cookie), "{}", "application/json");
  EXPECT_EQ(out->status, 200);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 401);
  EXPECT_EQ(audit_count("logout"), 1);
}

TEST_F(Inbox, DisablingAnAccountEndsItsSessionsAndLogins) {
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  ASSERT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 200);
  ASSERT_EQ(run_admin(fixture.db, {"disable-professional", "anna"}).exit_code, 0);
  EXPECT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 401);
  int status = 0;
  EXPECT_TRUE(login(c, "anna", kPassword, &status).empty());
  EXPECT_EQ(status, 401);
  ASSERT_EQ(run_admin(fixture.db, {"enable-professional", "anna"}).exit_code, 0);
  EXPECT_FALSE(login(c, "anna", kPassword).empty());
}

TEST_F(Inbox, ResetPasswordReplacesTheOldOneAndEndsItsSessions) {
  auto c = client();
  std::string before = login(c, "anna", kPassword);
  ASSERT_EQ(c.Get("/api/v1/me", session_headers(before))->status, 200);
  auto result = run_admin(fixture.db, {"reset-password", "anna"}, "a brand new passphrase\n");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(c.Get("/api/v1/me", session_headers(before))->status, 401);
  EXPECT_TRUE(login(c, "anna", kPassword).empty());
  EXPECT_FALSE(login(c, "anna", "a brand new passphrase").empty());
  EXPECT_EQ(query_int(fixture.db,
                      "SELECT COUNT(*) FROM audit_log WHERE action = "
                      "'password_reset'"),
            1);
}

TEST_F(Inbox, StateChangingRequestsMustComeFromTheInboxPage) {
  std::string id = share(kNegative);
  auto c = client();
  std::string cookie = login(c, "anna", kPassword);
  httplib::Headers headers = session_headers(cookie);
  auto form = c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), headers, "note=x",
                     "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 415);
  headers.emplace("Origin", "https://evil.example");
  auto cross =
      c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), headers, "{}", "application/json");
  EXPECT_EQ(cross->status, 403);
  EXPECT_EQ(json::parse(cross->body)["error"], "cross_site_request");
  httplib::Headers same = session_headers(cookie);
  same.emplace("Origin", "http://127.0.0.1:" + std::to_string(fixture.server.port()));
  EXPECT_EQ(c.Post(("/api/v1/inbox/shares/" + id + "/seen").c_str(), same, "{}", "application/json")
                ->status,
            200);
}

TEST(InboxAccounts, PasswordsShorterThan12CharactersAreRefused) {
  TempDir dir;
  std::string db = dir.file("kindband.db");
  ASSERT_EQ(run_admin(db, {"create-organisation", "vsv-a", "--origin", kOriginA}).exit_code, 0);
  auto result = run_admin(
      db, {"create-professional", "anna", "--organisation", "vsv-a", "--role", "verloskundige"},
      "elevenchars\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("at least 12 characters"), std::string::npos) << result.output;
  EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM professionals"), 0);
  // Stored hashes are argon2id.
  ASSERT_EQ(
      run_admin(
          db, {"create-professional", "anna", "--organisation", "vsv-a", "--role", "verloskundige"},
          std::string(kPassword) + "\n")
          .exit_code,
      0);
  EXPECT_EQ(query_text(db, "SELECT password_hash FROM professionals").rfind("$argon2id$", 0), 0u);
}

TEST(InboxSessions, ExpireAfterIdleTime) {
  ServerFixture fixture;
  fixture.start(true, {"--session-idle", "1", "--session-absolute", "60"});
  auto c = fixture.server.client();
  std::string cookie = login(c, "anna", kPassword);
  ASSERT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 401);
}

TEST(InboxSessions, ExpireAfterAbsoluteTimeEvenWhenActive) {
  ServerFixture fixture;
  fixture.start(true, {"--session-idle", "4", "--session-absolute", "5"});
  auto c = fixture.server.client();
  std::string cookie = login(c, "anna", kPassword);
  auto start = std::chrono::steady_clock::now();
  // Active every 0.5 s: idle never runs out (a request may take 3.5 s on a busy machine), but the
  // absolute limit does.
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(4500)) {
    ASSERT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(c.Get("/api/v1/me", session_headers(cookie))->status, 401);
}

TEST(InboxSessions, ProductionDefaultsAre30MinutesIdleAnd12HoursAbsolute) {
  server::ServerConfig config;
  const char* argv[] = {"kindband-server", "--database", "x.db"};
  std::string error;
  ASSERT_TRUE(server::parse_server_config(3, argv, &config, &error)) << error;
  EXPECT_EQ(config.session_idle_seconds, 30 * 60);
  EXPECT_EQ(config.session_absolute_seconds, 12 * 60 * 60);
  const char* bad[] = {"kindband-server", "--session-idle", "100", "--session-absolute", "10"};
  EXPECT_FALSE(server::parse_server_config(5, bad, &config, &error));
  EXPECT_NE(error.find("--session-absolute"), std::string::npos);
}

TEST(InboxFlood, RaisesTheAlarmAndJunkLeavesTheInboxWhileTheSafetyShareStaysFirst) {
  ServerFixture fixture;
  fixture.start(true, {"--inbox-alarm-per-hour", "5"});
  auto c = fixture.server.client();
  std::vector<std::string> flood;
  for (int i = 0; i < 8; ++i) {
    std::string id = new_uuid();
    ASSERT_EQ(post_share(c, make_share(id, kNegative).dump())->status, 201);
    flood.push_back(id);
  }
  std::string genuine = new_uuid();
  ASSERT_EQ(post_share(c, make_share(genuine, kFlagged).dump())->status, 201);
  std::string cookie = login(c, "anna", kPassword);
  auto inbox = [&](const std::string& query = "") {
    auto res = c.Get(("/api/v1/inbox" + query).c_str(), session_headers(cookie));
    EXPECT_TRUE(res && res->status == 200);
    return json::parse(res->body);
  };
  json before = inbox();
  EXPECT_EQ(before["shares"][0]["share_id"], genuine);
  ASSERT_FALSE(before["alarm"].is_null());
  EXPECT_EQ(before["alarm"]["shares_last_hour"], 9);
  EXPECT_EQ(before["alarm"]["threshold"], 5);

  auto marked = c.Post("/api/v1/inbox/junk", session_headers(cookie),
                       json{{"share_ids", flood}, {"junk", true}}.dump(), "application/json");
  ASSERT_EQ(marked->status, 200) << marked->body;
  EXPECT_EQ(json::parse(marked->body)["updated"], 8);
  json after = inbox();
  ASSERT_EQ(after["shares"].size(), 1u);
  EXPECT_EQ(after["shares"][0]["share_id"], genuine);
  EXPECT_EQ(after["counts"]["all"], 1);
  EXPECT_EQ(after["counts"]["junk"], 8);
  EXPECT_EQ(inbox("?junk=1")["shares"].size(), 8u);
  EXPECT_EQ(
      query_int(fixture.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'share_marked_junk'"),
      8);
  // Another organisation's share ids change nothing; bad bodies are 400.
  auto foreign = c.Post("/api/v1/inbox/junk", session_headers(cookie),
                        json{{"share_ids", {new_uuid()}}}.dump(), "application/json");
  EXPECT_EQ(json::parse(foreign->body)["updated"], 0);
  for (const json& bad : {json{{"share_ids", json::array()}}, json{{"share_ids", {"x"}}},
                          json{{"share_ids", {genuine}}, {"junk", "yes"}}}) {
    EXPECT_EQ(c.Post("/api/v1/inbox/junk", session_headers(cookie), bad.dump(), "application/json")
                  ->status,
              400)
        << bad.dump();
  }
  // Back from junk.
  auto unmarked =
      c.Post("/api/v1/inbox/junk", session_headers(cookie),
             json{{"share_ids", {flood[0]}}, {"junk", false}}.dump(), "application/json");
  EXPECT_EQ(json::parse(unmarked->body)["updated"], 1);
  EXPECT_EQ(inbox()["shares"].size(), 2u);
}

}  // namespace
}  // namespace kindband::test::inbox_tests
