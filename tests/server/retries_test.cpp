// Retries and races against the real server (issue 26): a request sent twice at once, or sent
// again after its answer was lost, makes no second row and gets the answer the contract promises,
// never a 503. Creating POSTs take an Idempotency-Key (docs/share-api.md, "Retries").
#include <atomic>
#include <set>
#include <thread>

#include "care_network_fixture.h"

namespace kindband::test::retries_tests {
namespace {

class Retries : public CareNetwork {
 protected:
  void SetUp() override {
    CareNetwork::SetUp();
    key = new_key();
    family_id = make_family(key);
    anna = login_as("anna");
  }
  // Runs request from `threads` threads released at the same moment.
  template <typename Request>
  std::vector<Answer> at_once(int threads, Request request) {
    std::vector<Answer> answers(threads);
    std::atomic<int> ready{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < threads; ++i) {
      racers.emplace_back([&, i] {
        ++ready;
        while (ready < threads) std::this_thread::yield();
        answers[i] = request();
      });
    }
    for (auto& racer : racers) racer.join();
    return answers;
  }
  long long rows(const std::string& sql) { return count(sql); }

  std::string key, family_id, anna;
};

TEST_F(Retries, TheSameShareSentSeveralTimesAtOnceGetsOneRowAndTheSameReceipt) {
  const std::string body = make_share(new_uuid(), kFlagged).dump();
  std::vector<Answer> answers = at_once(6, [&] {
    auto c = fixture.server.client();
    auto res = post_share(c, body);
    Answer answer;
    if (res) {
      answer.status = res->status;
      answer.body = json::parse(res->body, nullptr, false);
    }
    return answer;
  });
  int created = 0, again = 0;
  std::set<std::string> receipts;
  for (const Answer& answer : answers) {
    created += answer.status == 201;
    again += answer.status == 200;
    if (answer.body.is_object()) receipts.insert(answer.body.value("receipt", ""));
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(again, 5) << "the others are answered as a repeat, never 503";
  EXPECT_EQ(receipts.size(), 1u);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM shares"), 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM audit_log WHERE action = 'share_received'"), 1);
}

TEST_F(Retries, AProfessionalsMessageRetriedWithTheSameKeyIsStoredOnce) {
  const std::string path = "/api/v1/inbox/families/" + family_id + "/messages";
  const json body = {{"text", "Ik bel je morgen."}};
  extra_headers = {{"Idempotency-Key", "message-1"}};
  Answer first = professional("POST", path, anna, body);
  ASSERT_EQ(first.status, 201) << first.body.dump();
  Answer retry = professional("POST", path, anna, body);
  ASSERT_EQ(retry.status, 201) << retry.body.dump();
  EXPECT_EQ(retry.body, first.body) << "the retry hears what the first request would have heard";
  EXPECT_EQ(rows("SELECT COUNT(*) FROM messages"), 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM audit_log WHERE action = 'message_sent'"), 1);

  // The same key for another text is a mistake of the client, not a retry.
  Answer reused = professional("POST", path, anna, json{{"text", "Iets anders."}});
  EXPECT_EQ(reused.status, 422) << reused.body.dump();
  EXPECT_EQ(reused.body["error"], "idempotency_key_reused");
  // A new key is a new message; so is a request without a key.
  extra_headers = {{"Idempotency-Key", "message-2"}};
  EXPECT_EQ(professional("POST", path, anna, body).status, 201);
  extra_headers.clear();
  EXPECT_EQ(professional("POST", path, anna, body).status, 201);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM messages"), 3);
  // Nothing of the text is kept with the key.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM request_keys WHERE request_hash LIKE '%bel%'"), 0);
}

TEST_F(Retries, TheSameKeySentTwiceAtOnceMakesOneMessage) {
  const std::string path = "/api/v1/inbox/families/" + family_id + "/messages";
  extra_headers = {{"Idempotency-Key", "at-once"}};
  std::vector<Answer> answers = at_once(4, [&] {
    return professional("POST", path, anna, json{{"text", "Hallo"}});
  });
  for (const Answer& answer : answers) EXPECT_EQ(answer.status, 201) << answer.body.dump();
  EXPECT_EQ(rows("SELECT COUNT(*) FROM messages"), 1);
}

TEST_F(Retries, AParentsMessageRetriedWithTheSameKeyIsStoredOnce) {
  extra_headers = {{"Idempotency-Key", "parent-message-1"}};
  const json body = {{"text", "Dank je wel"}};
  Answer first = call("POST", "/api/v1/family/messages", key, body);
  ASSERT_EQ(first.status, 201) << first.body.dump();
  Answer retry = call("POST", "/api/v1/family/messages", key, body);
  ASSERT_EQ(retry.status, 201) << retry.body.dump();
  EXPECT_EQ(retry.body["id"], first.body["id"]);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM messages WHERE author = 'parent'"), 1);
}

TEST_F(Retries, AgreementsCommentsReferralsTriagesAndInvitationsAreMadeOnceAKey) {
  const std::string family = "/api/v1/inbox/families/" + family_id;
  auto twice = [&](const std::string& key_text, const std::string& path, const json& body) {
    extra_headers = {{"Idempotency-Key", key_text}};
    Answer first = professional("POST", path, anna, body);
    Answer retry = professional("POST", path, anna, body);
    extra_headers.clear();
    EXPECT_EQ(first.status, 201) << path << " " << first.body.dump();
    EXPECT_EQ(retry.status, 201) << path << " " << retry.body.dump();
    EXPECT_EQ(retry.body, first.body) << path;
    return first;
  };
  Answer agreement = twice("agreement-1", family + "/agreements",
                           json{{"what", "Kraamzorg regelen"}, {"owner_organisation", "vsv-a"}});
  EXPECT_EQ(rows("SELECT COUNT(*) FROM agreements"), 1);
  const std::string agreement_id = std::to_string(agreement.body["id"].get<int64_t>());
  twice("comment-1", family + "/agreements/" + agreement_id + "/comments",
        json{{"text", "Gebeld, volgende week."}});
  EXPECT_EQ(rows("SELECT COUNT(*) FROM agreement_comments"), 1);

  // A triage recorded in the family, then its judgement as a referral to a newcomer.
  const json record = {
      {"occasion", "intake"},
      {"moment", {{"stage", "pregnancy"}, {"week", 14}}},
      {"topics", {{"little_support", {{"status", "present"}, {"note", "Familie ver weg"}}}}},
      {"parents_view", "We willen hulp"},
      {"parents_wishes", "Thuis"},
      {"judgement", {{"support", "specialised_support"}, {"note", "Consult voorstellen"}}}};
  twice("triage-1", family + "/triages", record);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM triages"), 1);
  const std::string newcomer_key = new_key();
  const std::string newcomer = make_family(newcomer_key, false);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", newcomer_key,
                 json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  twice("referral-1", "/api/v1/inbox/families/" + newcomer + "/referrals",
        json{{"organisation", "jgz-c"}, {"reason", "Hulp bij hechten"}});
  EXPECT_EQ(rows("SELECT COUNT(*) FROM proposals"), 1);

  Answer invitation = twice("invitation-1", "/api/v1/inbox/invitations", json::object());
  EXPECT_EQ(invitation.body["code"].get<std::string>().size(), 9u);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM invitations"), 1);
  // Another key: another invitation with another code.
  extra_headers = {{"Idempotency-Key", "invitation-2"}};
  Answer other = professional("POST", "/api/v1/inbox/invitations", anna, json::object());
  extra_headers.clear();
  EXPECT_EQ(other.status, 201);
  EXPECT_NE(other.body["code"], invitation.body["code"]);
}

TEST_F(Retries, AMalformedKeyIsRefusedAndNothingIsStored) {
  extra_headers = {{"Idempotency-Key", std::string(200, 'x')}};
  Answer answer = professional("POST", "/api/v1/inbox/families/" + family_id + "/messages", anna,
                               json{{"text", "Hallo"}});
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.body["error"], "invalid_idempotency_key");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM messages"), 0);
}

TEST_F(Retries, TheKeysGoWithTheFamilysErasure) {
  extra_headers = {{"Idempotency-Key", "before-erasure"}};
  ASSERT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "Hoi"}}).status, 201);
  extra_headers.clear();
  EXPECT_EQ(rows("SELECT COUNT(*) FROM request_keys"), 1);
  Answer erased = call("DELETE", "/api/v1/family", key);
  ASSERT_TRUE(erased.status == 200 || erased.status == 202) << erased.body.dump();
  EXPECT_EQ(rows("SELECT COUNT(*) FROM request_keys"), 0);
}

TEST_F(Retries, AFamilyCreatedSeveralTimesAtOnceIsCreatedOnceAndNeverAFailure) {
  const std::string other_key = new_key();
  const std::string id = new_uuid();
  std::vector<Answer> answers = at_once(5, [&] {
    return call("POST", "/api/v1/families", other_key, json{{"family_id", id}, {"role", "mother"}});
  });
  int created = 0;
  for (const Answer& answer : answers) {
    created += answer.status == 201;
    EXPECT_NE(answer.status, 503) << answer.body.dump();
    EXPECT_NE(answer.status, 0);
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM families WHERE id = '" + id + "'"), 1);
}

TEST_F(Retries, AMembershipAddedSeveralTimesAtOnceIsOneMembership) {
  std::vector<Answer> answers = at_once(4, [&] {
    return call("POST", "/api/v1/family/memberships", key,
                json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}});
  });
  for (const Answer& answer : answers) {
    EXPECT_TRUE(answer.status == 200 || answer.status == 201) << answer.body.dump();
  }
  EXPECT_EQ(rows("SELECT COUNT(*) FROM memberships WHERE family_id = '" + family_id +
                 "' AND organisation_id = (SELECT id FROM organisations WHERE slug = 'vsv-a')"),
            1);
}

}  // namespace
}  // namespace kindband::test::retries_tests
