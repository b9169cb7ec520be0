// The safety channel holds under abuse (issue 22), against the real server on loopback with
// rotating source addresses (X-Real-IP from a trusted proxy): a flood from many addresses never
// refuses or buries a genuine parent's safety share, parents' input is bounded, and "who looked"
// stays honest. Each test replays a finding of the issue, bounded in count and time.
#include "care_network_fixture.h"

namespace kindband::test::safety_channel_tests {
namespace {

class SafetyChannel : public CareNetwork {
 protected:
  void SetUp() override {
    CareNetwork::SetUp();
    fixture.server.stop();
    ASSERT_TRUE(fixture.server.start(
        fixture.db, {"--trusted-proxy", "127.0.0.1", "--shares-per-organisation", "20",
                     "--messages-per-family", "5", "--uninvited-memberships-per-address", "3"}))
        << fixture.server.log();
    anna = login_as("anna");
  }
  // A one-off (anonymous) share from a client address.
  int one_off(const std::string& address, const std::vector<int>& answers,
              std::string* id = nullptr) {
    auto c = fixture.server.client();
    json share = make_share(new_uuid(), answers);
    if (id) *id = share["share_id"];
    auto res = c.Post("/api/v1/shares", {{"Origin", kOriginA}, {"X-Real-IP", address}},
                      share.dump(), "application/json");
    return res ? res->status : 0;
  }
  // A family that the midwife invited (known to vsv-a), with its key.
  std::string known_family(std::string* key) {
    *key = new_key();
    std::string family_id = make_family(*key, false);
    Answer invitation = professional("POST", "/api/v1/inbox/invitations", anna);
    EXPECT_EQ(invitation.status, 201) << invitation.body.dump();
    Answer added = call("POST", "/api/v1/family/memberships", *key,
                        json{{"organisation", "vsv-a"},
                             {"consent_version", "2026-11-v1"},
                             {"invitation_code", invitation.body["code"]}});
    EXPECT_EQ(added.status, 201) << added.body.dump();
    return family_id;
  }
  std::string anna;
};

TEST_F(SafetyChannel, AFloodFromManyAddressesNeverRefusesAGenuineSafetyShare) {
  // 40 valid one-off shares from 10 addresses, each under the per-address limit, spend the
  // organisation's budget (20 a minute here).
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(one_off("10.1.0." + std::to_string(i % 10), kLow), 201) << "share " << i;
  }
  // A genuine safety share of a family the midwife knows: accepted and first.
  std::string key;
  std::string family_id = known_family(&key);
  Answer genuine = linked_share(key, family_id, kFlagged, {"vsv-a"}, {});
  ASSERT_EQ(genuine.status, 201) << genuine.body.dump();
  // A genuine anonymous safety share from a new address: stored too, never refused.
  std::string anonymous;
  ASSERT_EQ(one_off("10.2.0.1", kFlagged, &anonymous), 201);
  Answer inbox = professional("GET", "/api/v1/inbox?limit=5", anna);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.body["shares"][0]["share_id"], genuine.body["share_id"]);
  EXPECT_EQ(inbox.body["shares"][0]["known_family"], true);
  EXPECT_EQ(inbox.body["shares"][1]["share_id"], anonymous);
  EXPECT_EQ(count("SELECT COUNT(*) FROM shares"), 42);
  EXPECT_EQ(count("SELECT COUNT(*) FROM share_recipients WHERE tier = 0"), 21)
      << "past the budget: stored quarantined";
}

TEST_F(SafetyChannel, ForgedSafetySharesDoNotBuryAKnownFamilysSafetyShare) {
  std::string key;
  std::string family_id = known_family(&key);
  Answer genuine = linked_share(key, family_id, kFlagged, {"vsv-a"}, {});
  ASSERT_EQ(genuine.status, 201);
  // 60 forged safety shares from 20 addresses (3 each, the per-source limit for anonymous safety
  // shares), and a fourth from one of them: quarantined.
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(one_off("10.3.0." + std::to_string(i % 20), kFlagged), 201) << "forged " << i;
  }
  std::string past_limit;
  ASSERT_EQ(one_off("10.3.0.1", kFlagged, &past_limit), 201);
  Answer inbox = professional("GET", "/api/v1/inbox?limit=20", anna);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.body["shares"][0]["share_id"], genuine.body["share_id"]) << "first, not buried";
  EXPECT_EQ(inbox.body["safety_not_shown"], 62 - 20) << "says how many it could not show";
  EXPECT_EQ(query_text(fixture.db,
                       "SELECT tier FROM share_recipients WHERE share_id = '" + past_limit + "'"),
            "0");
  Answer day = professional("GET", "/api/v1/inbox/day", anna);
  ASSERT_EQ(day.status, 200);
  EXPECT_EQ(day.body["not_taken"]["organisation"][0]["share_id"], genuine.body["share_id"]);
  EXPECT_EQ(day.body["not_taken"]["safety_not_shown"], 0);
}

TEST_F(SafetyChannel, ParentsMessagesAreBoundedPerFamilyInRateCountAndPages) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "Bericht"}}).status, 201);
  }
  Answer flooded = call("POST", "/api/v1/family/messages", key, json{{"text", "Nog een"}});
  EXPECT_EQ(flooded.status, 429);
  EXPECT_EQ(flooded.body["error"], "too_many_messages");
  // A family at its cap of stored messages (500) gets a clear answer, not a bigger database.
  exec_sql(fixture.db,
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 495) INSERT "
           "INTO messages(family_id, author, role, text, at) SELECT '" +
               family_id +
               "', 'parent', 'mother', 'oud bericht ' || i, '2026-11-01T10:00:00Z' "
               "FROM n;"
               // Written in clear, as a database from before sealing: the server seals them
               // when it starts (docs/envelope.md).
               "DELETE FROM meta WHERE key = 'content_sealed'");
  fixture.server.stop();  // a new minute for the rate limit: restart
  ASSERT_TRUE(fixture.server.start(fixture.db, {"--trusted-proxy", "127.0.0.1"}));
  Answer capped = call("POST", "/api/v1/family/messages", key, json{{"text", "Nummer 501"}});
  EXPECT_EQ(capped.status, 409);
  EXPECT_EQ(capped.body["error"], "message_limit");
  // The family page shows the newest 50 and pages back.
  const std::string carla = login_as("carla");
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.body["messages"].size(), 50u);
  EXPECT_EQ(page.body["messages_older"], 450);
  const int64_t oldest = page.body["messages"][0]["id"];
  Answer older = professional(
      "GET", "/api/v1/inbox/families/" + family_id + "?messages_before=" + std::to_string(oldest),
      carla);
  ASSERT_EQ(older.body["messages"].size(), 50u);
  EXPECT_LT(older.body["messages"][49]["id"].get<int64_t>(), oldest);
}

TEST_F(SafetyChannel, OrganisationsAddedWithoutAnInvitationAreLimitedPerAddress) {
  auto add = [&](const std::string& key, const char* organisation) {
    auto c = fixture.server.client();
    auto res = c.Post(
        "/api/v1/family/memberships",
        {{"Authorization", "Bearer " + key}, {"Origin", kOriginA}, {"X-Real-IP", "10.4.0.1"}},
        json{{"organisation", organisation}, {"consent_version", "2026-11-v1"}}.dump(),
        "application/json");
    return res ? res->status : 0;
  };
  std::string first = new_key(), second = new_key();
  make_family(first, false);
  make_family(second, false);
  EXPECT_EQ(add(first, "vsv-a"), 201);
  EXPECT_EQ(add(first, "jgz-c"), 201);
  EXPECT_EQ(add(second, "vsv-a"), 201);
  EXPECT_EQ(add(second, "jgz-c"), 429);
  // With an invitation (a professional vouched for it) the limit does not apply.
  Answer invitation = professional("POST", "/api/v1/inbox/invitations", login_as("carla"));
  auto c = fixture.server.client();
  auto invited = c.Post(
      "/api/v1/family/memberships",
      {{"Authorization", "Bearer " + second}, {"Origin", kOriginA}, {"X-Real-IP", "10.4.0.1"}},
      json{{"organisation", "jgz-c"},
           {"consent_version", "2026-11-v1"},
           {"invitation_code", invitation.body["code"]}}
          .dump(),
      "application/json");
  ASSERT_TRUE(invited);
  EXPECT_EQ(invited->status, 201) << invited->body;
}

TEST_F(SafetyChannel, OtherParentWritesAndNewFamiliesAreBoundedButRemovingNeverIs) {
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(
      fixture.db, {"--trusted-proxy", "127.0.0.1", "--parent-writes-per-family", "4",
                   "--parent-writes-per-address", "6", "--families-per-address", "2"}));
  // A parent's device at a client address (POST, or DELETE when body is null).
  auto from = [&](const std::string& address, const std::string& method, const std::string& path,
                  const std::string& key, const json& body) {
    auto c = fixture.server.client();
    httplib::Headers headers = {
        {"Authorization", "Bearer " + key}, {"Origin", kOriginA}, {"X-Real-IP", address}};
    auto res = method == "POST" ? c.Post(path.c_str(), headers, body.dump(), "application/json")
                                : c.Delete(path.c_str(), headers);
    Answer answer;
    if (res) {
      answer.status = res->status;
      answer.headers = res->headers;
      answer.body = json::parse(res->body, nullptr, false);
    }
    return answer;
  };
  auto new_family = [&](const std::string& address, const std::string& key) {
    return from(address, "POST", "/api/v1/families", key,
                json{{"family_id", new_uuid()}, {"role", "mother"}});
  };
  // Families per address: two, then 429; a retry with the same key is answered, not counted.
  const std::string first = new_key(), second = new_key();
  ASSERT_EQ(new_family("10.6.0.1", first).status, 201);
  Answer made = new_family("10.6.0.1", second);
  ASSERT_EQ(made.status, 201);
  Answer third = new_family("10.6.0.1", new_key());
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.body["error"], "too_many_requests");
  EXPECT_EQ(from("10.6.0.1", "POST", "/api/v1/families", second,
                 json{{"family_id", made.body["family_id"]}, {"role", "mother"}})
                .status,
            200);
  EXPECT_EQ(new_family("10.6.0.2", new_key()).status, 201) << "another address is not affected";
  EXPECT_EQ(count("SELECT COUNT(*) FROM families"), 3);
  // Writes per family: four from four addresses, then the family's limit, whatever the address.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(from("10.7.0." + std::to_string(i), "POST", "/api/v1/family/recovery-code", first,
                   json::object())
                  .status,
              201);
  }
  Answer limited = from("10.7.0.9", "POST", "/api/v1/family/recovery-code", first, json::object());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body["error"], "too_many_requests");
  EXPECT_FALSE(header(limited.headers, "Retry-After", 0, "").empty());
  // Writes per address: six from one address over two families, then the address's limit.
  const std::string a = new_key(), b = new_key();
  ASSERT_EQ(new_family("10.8.0.2", a).status, 201);
  ASSERT_EQ(new_family("10.8.0.2", b).status, 201);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(
        from("10.8.0.1", "POST", "/api/v1/family/recovery-code", i < 3 ? a : b, json::object())
            .status,
        201)
        << i;
  }
  EXPECT_EQ(from("10.8.0.1", "POST", "/api/v1/family/pairing-code", b, json::object()).status, 429);
  EXPECT_EQ(from("10.8.0.3", "POST", "/api/v1/family/pairing-code", b, json::object()).status, 201);
  // Removing is never limited: the limited parent still erases her data at once.
  Answer erased = from("10.7.0.9", "DELETE", "/api/v1/family/me", first, nullptr);
  EXPECT_EQ(erased.status, 200) << erased.body.dump();
}

TEST_F(SafetyChannel, WhoLookedCannotBeFlushedOrFakedByOutsiders) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer share = linked_share(key, family_id, kModerate, {"vsv-a", "jgz-c"}, {});
  ASSERT_EQ(share.status, 201);
  // An outsider (another coalition) filters its inbox on the family, 30 times: it gets nothing of
  // the family, so it is not in the family's view.
  const std::string bert = login_as("bert");
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(professional("GET", "/api/v1/inbox?family=" + family_id, bert).status, 200);
  }
  // The member's real reads: five views of the family page are one line with a count.
  const std::string carla = login_as("carla");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(professional("GET", "/api/v1/inbox/families/" + family_id, carla).status, 200);
  }
  // The day view shows the family's share: it is in the family's view too.
  ASSERT_EQ(professional("GET", "/api/v1/inbox/day", anna).status, 200);
  Answer log = call("GET", "/api/v1/family/access-log", key);
  ASSERT_EQ(log.status, 200) << log.body.dump();
  const json& events = log.body["events"];
  EXPECT_EQ(log.body.dump().find("vsv-b"), std::string::npos) << events.dump();
  bool collapsed = false, day = false;
  for (const json& event : events) {
    if (event["action"] == "family_view" && event["organisation"] == "jgz-c") {
      EXPECT_EQ(event["count"], 5);
      collapsed = true;
    }
    day = day || (event["action"] == "day_view" && event["organisation"] == "vsv-a");
  }
  EXPECT_TRUE(collapsed) << events.dump();
  EXPECT_TRUE(day) << events.dump();
  EXPECT_TRUE(log.body["next_cursor"].is_null());
}

}  // namespace
}  // namespace kindband::test::safety_channel_tests
