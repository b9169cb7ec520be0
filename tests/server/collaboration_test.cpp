// Working together around a family (docs/care-network.md, issue 10) against the real server: case
// states and their transitions, concurrent takes, care agreements, referrals with the parents'
// consent, messages, the professional's day, permissions, audit rows and erasure.
#include <atomic>
#include <thread>

#include "care_network_fixture.h"

namespace kindband::test::collaboration_tests {
namespace {

class Collaboration : public CareNetwork {
 protected:
  // A family with vsv-a only, and a safety-flagged week-20 share to it that the mother allows
  // organisations added later to see (the referral tests rely on it).
  void SetUp() override {
    CareNetwork::SetUp();
    key = new_key();
    family_id = make_family(key, false);
    Answer added = call("POST", "/api/v1/family/memberships", key,
                        json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}});
    ASSERT_EQ(added.status, 201);
    Answer share =
        linked_share(key, family_id, kFlagged, {"vsv-a"},
                     {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 20}}, new_uuid(), true);
    ASSERT_EQ(share.status, 201) << share.body.dump();
    share_id = share.body["share_id"];
    receipt = share.body["receipt"];
    anna = login_as("anna");
  }
  Answer step(const std::string& cookie, const json& body, const std::string& id = "") {
    return professional("POST", "/api/v1/inbox/shares/" + (id.empty() ? share_id : id) + "/case",
                        cookie, body);
  }
  Answer receipt_status() {
    auto c = fixture.server.client();
    auto res = c.Get(("/api/v1/shares/" + share_id + "/status").c_str(),
                     {{"Authorization", "Bearer " + receipt}});
    Answer answer;
    answer.status = res ? res->status : 0;
    if (res) answer.body = json::parse(res->body, nullptr, false);
    return answer;
  }
  std::string family_path(const std::string& rest = "") {
    return "/api/v1/inbox/families/" + family_id + rest;
  }
  long long audit_rows(const std::string& action) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }

  std::string key, family_id, share_id, receipt, anna;
};

TEST_F(Collaboration, ACaseGoesFromNewToClosedAndTheParentsReadItInRolesNotNames) {
  EXPECT_EQ(receipt_status().body["case"]["state"], "new");
  Answer taken = step(anna, {{"action", "take"}});
  ASSERT_EQ(taken.status, 200) << taken.body.dump();
  EXPECT_EQ(taken.body["state"], "in_progress");
  EXPECT_EQ(taken.body["owner"]["username"], "anna");
  json parent_view = receipt_status().body["case"];
  EXPECT_EQ(parent_view["state"], "in_progress");
  EXPECT_EQ(parent_view["role"], "verloskundige");
  EXPECT_EQ(parent_view["organisation_type"], "verloskunde");
  EXPECT_TRUE(parent_view["signed_as"].is_null());
  EXPECT_EQ(parent_view.dump().find("anna"), std::string::npos);

  ASSERT_EQ(step(anna, {{"action", "contacted"}}).status, 200);
  Answer closed = step(anna, {{"action", "close"}, {"reason", "care_started"}});
  ASSERT_EQ(closed.status, 200) << closed.body.dump();
  EXPECT_EQ(closed.body["state"], "closed");
  EXPECT_EQ(closed.body["close_reason"], "care_started");
  ASSERT_EQ(closed.body["history"].size(), 3u);
  EXPECT_EQ(closed.body["history"][0]["action"], "take");
  EXPECT_EQ(closed.body["history"][2]["detail"], "reason=care_started");
  EXPECT_EQ(receipt_status().body["case"]["state"], "closed");
  EXPECT_EQ(audit_rows("case_take") + audit_rows("case_contacted") + audit_rows("case_close"), 3);
}

TEST_F(Collaboration, IllegalTransitionsAre409WithWhatToDo) {
  Answer early = step(anna, {{"action", "contacted"}});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.body["error"], "illegal_transition");
  EXPECT_NE(early.body["message"].get<std::string>().find("take it first"), std::string::npos);
  EXPECT_EQ(step(anna, {{"action", "close"}, {"reason", "care_started"}}).status, 409);
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  Answer again = step(anna, {{"action", "take"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"], "already_taken");
  ASSERT_EQ(step(anna, {{"action", "contacted"}}).status, 200);
  EXPECT_EQ(step(anna, {{"action", "contacted"}}).status, 409);
  ASSERT_EQ(step(anna, {{"action", "close"}, {"reason", "no_care_needed"}}).status, 200);
  for (const json& body : {json{{"action", "take"}}, json{{"action", "contacted"}},
                           json{{"action", "close"}, {"reason", "other"}, {"note", "x"}}}) {
    Answer late = step(anna, body);
    EXPECT_EQ(late.status, 409) << body.dump();
    EXPECT_NE(late.body["message"].get<std::string>().find("closed"), std::string::npos);
  }
  // Bad bodies are 400, not 409.
  for (const json& body :
       {json{{"action", "dance"}}, json{{"action", "close"}, {"reason", "bored"}},
        json{{"action", "close"}, {"reason", "other"}}, json{{"action", "reassign"}},
        json{{"action", "take"}, {"sign_as", std::string(61, 'x')}},
        json{{"action", "take"}, {"extra", "x"}}, json{{"action", 3}}}) {
    EXPECT_EQ(step(anna, body).status, 400) << body.dump();
  }
}

TEST_F(Collaboration, OfTwoConcurrentTakesExactlyOneWins) {
  // A colleague of anna's and a JGZ nurse (also a recipient) race for the same new share.
  ASSERT_EQ(run_admin(fixture.db,
                      {"create-professional", "amir", "--organisation", "vsv-a", "--role",
                       "verloskundige"},
                      std::string(kPassword) + "\n")
                .exit_code,
            0);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "jgz-c"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  std::vector<std::string> cookies = {anna, login_as("amir"), login_as("carla")};
  for (int round = 0; round < 5; ++round) {
    Answer share = linked_share(key, family_id, kFlagged, {"vsv-a", "jgz-c"}, {});
    ASSERT_EQ(share.status, 201);
    const std::string id = share.body["share_id"];
    std::atomic<int> wins{0}, conflicts{0}, others{0};
    std::vector<std::thread> racers;
    for (const std::string& cookie : cookies) {
      racers.emplace_back([&, cookie] {
        Answer answer = step(cookie, {{"action", "take"}}, id);
        if (answer.status == 200) {
          ++wins;
        } else if (answer.status == 409 && answer.body["error"] == "already_taken") {
          ++conflicts;
        } else {
          ++others;
        }
      });
    }
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(wins, 1) << "round " << round;
    EXPECT_EQ(conflicts, 2) << "round " << round;
    EXPECT_EQ(others, 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM case_events WHERE share_id = '" + id + "'"), 1);
  }
}

TEST_F(Collaboration, OnlyTheOwningOrganisationMovesATakenCaseAndReassignsWithinIt) {
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "jgz-c"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  std::string carla = login_as("carla");
  ASSERT_EQ(step(anna, {{"action", "take"}, {"sign_as", "Anna"}}).status, 200);
  EXPECT_EQ(receipt_status().body["case"]["signed_as"], "Anna");
  Answer not_owner = step(carla, {{"action", "contacted"}});
  EXPECT_EQ(not_owner.status, 409);
  EXPECT_EQ(not_owner.body["error"], "not_owner");
  ASSERT_EQ(run_admin(fixture.db,
                      {"create-professional", "amir", "--organisation", "vsv-a", "--role",
                       "verloskundige"},
                      std::string(kPassword) + "\n")
                .exit_code,
            0);
  EXPECT_EQ(step(anna, {{"action", "reassign"}, {"username", "bert"}}).body["error"],
            "not_a_colleague")
      << "bert's organisation did not receive this share";
  Answer moved = step(anna, {{"action", "reassign"}, {"username", "amir"}});
  ASSERT_EQ(moved.status, 200) << moved.body.dump();
  EXPECT_EQ(moved.body["owner"]["username"], "amir");
  EXPECT_TRUE(receipt_status().body["case"]["signed_as"].is_null()) << "Amir did not sign";
}

TEST_F(Collaboration, TheNewOwnerSignsAfterAHandOverAndTheInboxFiltersByCaseState) {
  ASSERT_EQ(run_admin(fixture.db,
                      {"create-professional", "amir", "--organisation", "vsv-a", "--role",
                       "verloskundige"},
                      std::string(kPassword) + "\n")
                .exit_code,
            0);
  Answer colleagues = professional("GET", "/api/v1/inbox/colleagues", anna);
  ASSERT_EQ(colleagues.status, 200);
  EXPECT_EQ(colleagues.body["colleagues"].size(), 2u);
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  ASSERT_EQ(step(anna, {{"action", "reassign"}, {"username", "amir"}}).status, 200);
  EXPECT_EQ(step(anna, {{"action", "sign"}, {"sign_as", "Anna"}}).body["error"], "not_owner");
  std::string amir = login_as("amir");
  Answer signed_case = step(amir, {{"action", "sign"}, {"sign_as", "Amir"}});
  ASSERT_EQ(signed_case.status, 200) << signed_case.body.dump();
  EXPECT_EQ(receipt_status().body["case"]["signed_as"], "Amir");
  EXPECT_EQ(signed_case.body["history"][1]["to"], "amir");
  ASSERT_EQ(linked_share(key, family_id, kLow, {"vsv-a"}, {}).status, 201);
  Answer in_progress = professional("GET", "/api/v1/inbox?case=in_progress", anna);
  ASSERT_EQ(in_progress.body["shares"].size(), 1u);
  EXPECT_EQ(in_progress.body["shares"][0]["share_id"], share_id);
  EXPECT_EQ(in_progress.body["counts"]["cases"]["new"], 1);
  EXPECT_EQ(in_progress.body["counts"]["cases"]["in_progress"], 1);
  EXPECT_EQ(professional("GET", "/api/v1/inbox?case=lost", anna).status, 400);
}

TEST_F(Collaboration, AfterAReferralTheMidwifeHandsTheCaseToTheYouthHealthNurse) {
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  ASSERT_EQ(step(anna, {{"action", "contacted"}}).status, 200);
  std::string carla = login_as("carla");
  // Not yet a recipient: the JGZ is only proposed.
  ASSERT_EQ(professional("POST", family_path("/referrals"), anna,
                         json{{"organisation", "jgz-c"}, {"reason", "Huisbezoek"}})
                .status,
            201);
  EXPECT_EQ(step(anna, {{"action", "reassign"}, {"username", "carla"}}).body["error"],
            "not_a_colleague");
  const int64_t proposal = call("GET", "/api/v1/family", key).body["proposals"][0]["id"];
  ASSERT_EQ(call("POST", "/api/v1/family/referrals/" + std::to_string(proposal), key,
                 json{{"decision", "accept"}, {"consent_version", "2026-11-referral-v1"}})
                .status,
            200);
  Answer handed = step(anna, {{"action", "reassign"}, {"username", "carla"}});
  ASSERT_EQ(handed.status, 200) << handed.body.dump();
  EXPECT_EQ(handed.body["owner"]["organisation"], "jgz-c");
  EXPECT_EQ(handed.body["state"], "contacted");
  EXPECT_EQ(receipt_status().body["case"]["organisation_type"], "jgz");
  EXPECT_EQ(step(anna, {{"action", "close"}, {"reason", "referred"}}).body["error"], "not_owner");
  Answer closed = step(carla, {{"action", "close"}, {"reason", "care_started"}});
  ASSERT_EQ(closed.status, 200) << closed.body.dump();
  EXPECT_FALSE(receipt_status().body["case"]["closed_at"].is_null());
}

TEST_F(Collaboration, AnUntakenSafetyShareStaysOnTopUntilSomebodyTakesIt) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(linked_share(key, family_id, kModerate, {"vsv-a"}, {}).status, 201);
  Answer inbox = professional("GET", "/api/v1/inbox", anna);
  ASSERT_EQ(inbox.body["shares"][0]["share_id"], share_id);
  EXPECT_EQ(inbox.body["shares"][0]["case"]["state"], "new");
  EXPECT_EQ(inbox.body["counts"]["flagged_new"], 1);
  // Marking it seen does not take it.
  professional("POST", "/api/v1/inbox/shares/" + share_id + "/seen", anna, json{{"note", ""}});
  EXPECT_EQ(professional("GET", "/api/v1/inbox", anna).body["counts"]["flagged_new"], 1);
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  Answer after = professional("GET", "/api/v1/inbox", anna);
  EXPECT_EQ(after.body["counts"]["flagged_new"], 0);
  EXPECT_EQ(after.body["shares"][0]["share_id"], share_id) << "still a safety share, rank 2";
  EXPECT_EQ(after.body["shares"][0]["rank"], 2);
}

TEST_F(Collaboration, AWithdrawnShareClosesItsCase) {
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  auto c = fixture.server.client();
  ASSERT_EQ(
      c.Delete(("/api/v1/shares/" + share_id).c_str(), {{"Authorization", "Bearer " + receipt}})
          ->status,
      200);
  EXPECT_EQ(count("SELECT case_state = 'closed' AND case_close_reason = 'withdrawn' FROM shares "
                  "WHERE share_id = '" +
                  share_id + "'"),
            1);
  EXPECT_EQ(step(anna, {{"action", "contacted"}}).status, 410);
}

// docs/share-api.md: the row keeps only id, organisation, times and status, also when its case was
// closed with a note and a name before the parent withdrew (issue 26).
TEST_F(Collaboration, AWithdrawnShareKeepsOnlyIdOrganisationTimesAndStatus) {
  ASSERT_EQ(step(anna, {{"action", "take"}, {"sign_as", "Anna de Vries"}}).status, 200);
  ASSERT_EQ(
      step(anna, {{"action", "close"}, {"reason", "other"}, {"note", "CLOSE-NOTE-MARKER"}}).status,
      200);
  auto c = fixture.server.client();
  ASSERT_EQ(
      c.Delete(("/api/v1/shares/" + share_id).c_str(), {{"Authorization", "Bearer " + receipt}})
          ->status,
      200);
  const std::string where = " FROM shares WHERE share_id = '" + share_id + "'";
  EXPECT_EQ(count("SELECT COUNT(*)" + where +
                  " AND payload IS NULL AND summary IS NULL AND body_hash IS NULL AND "
                  "flag_count IS NULL AND positive IS NULL AND instrument_id IS NULL AND "
                  "moment_stage IS NULL AND moment_week IS NULL AND note IS NULL AND "
                  "seen_by_role IS NULL AND parent_role IS NULL AND family_id IS NULL AND "
                  "case_close_note IS NULL AND case_signed_as IS NULL"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*)" + where +
                  " AND status = 'withdrawn' AND organisation_id > 0 AND received_at IS NOT "
                  "NULL AND withdrawn_at IS NOT NULL"),
            1);
  fixture.server.stop();
  EXPECT_EQ(read_file(fixture.db).find("CLOSE-NOTE-MARKER"), std::string::npos);
  EXPECT_EQ(read_file(fixture.db + "-wal").find("CLOSE-NOTE-MARKER"), std::string::npos);
}

TEST_F(Collaboration, NonMembersRemovedMembersAndProposedOrganisationsGet403) {
  std::string carla = login_as("carla");
  std::string bert = login_as("bert");
  Answer proposal = professional("POST", family_path("/referrals"), anna,
                                 json{{"organisation", "jgz-c"}, {"reason", "Huisbezoek"}});
  ASSERT_EQ(proposal.status, 201) << proposal.body.dump();
  const json agreement = {{"what", "Iets"}, {"owner_organisation", "vsv-a"}};
  for (const std::string& cookie : {carla, bert}) {  // proposed, and never involved
    EXPECT_EQ(step(cookie, {{"action", "take"}}).status, 403);
    EXPECT_EQ(professional("GET", family_path(), cookie).status, 403);
    EXPECT_EQ(professional("POST", family_path("/agreements"), cookie, agreement).status, 403);
    EXPECT_EQ(professional("POST", family_path("/messages"), cookie, json{{"text", "Hoi"}}).status,
              403);
    EXPECT_EQ(professional("POST", family_path("/referrals"), cookie,
                           json{{"organisation", "vsv-a"}, {"reason", "x"}})
                  .status,
              403);
  }
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/vsv-a", key).status, 200);
  Answer removed = step(anna, {{"action", "take"}});
  EXPECT_EQ(removed.status, 403);
  EXPECT_EQ(removed.body["error"], "removed_by_parents");
  Answer removed_agreement = professional("POST", family_path("/agreements"), anna, agreement);
  EXPECT_EQ(removed_agreement.status, 403);
  EXPECT_EQ(removed_agreement.body["error"], "removed_by_parents");
  EXPECT_EQ(professional("POST", family_path("/messages"), anna, json{{"text", "Hoi"}}).status,
            403);
}

TEST_F(Collaboration, AReferralNeedsTheParentsConsentAndDecliningIsFinal) {
  std::string carla = login_as("carla");
  Answer proposal =
      professional("POST", family_path("/referrals"), anna,
                   json{{"organisation", "jgz-c"}, {"reason", "Voor een prenataal huisbezoek"}});
  ASSERT_EQ(proposal.status, 201);
  EXPECT_EQ(professional("POST", family_path("/referrals"), anna,
                         json{{"organisation", "jgz-c"}, {"reason", "Nog een keer"}})
                .body["error"],
            "already_proposed");
  EXPECT_EQ(professional("POST", family_path("/referrals"), anna,
                         json{{"organisation", "vsv-a"}, {"reason", "x"}})
                .body["error"],
            "already_member");
  EXPECT_EQ(professional("POST", family_path("/referrals"), anna,
                         json{{"organisation", "vsv-b"}, {"reason", "x"}})
                .status,
            422);
  // The parents see it when they open the widget, with the reason.
  Answer family = call("GET", "/api/v1/family", key);
  ASSERT_EQ(family.body["proposals"].size(), 1u);
  EXPECT_EQ(family.body["proposals"][0]["reason"], "Voor een prenataal huisbezoek");
  EXPECT_EQ(family.body["proposals"][0]["proposed_by"]["role"], "verloskundige");
  const std::string id = std::to_string(family.body["proposals"][0]["id"].get<int64_t>());
  EXPECT_EQ(professional("GET", family_path(), carla).status, 403) << "not before acceptance";

  Answer accepted = call("POST", "/api/v1/family/referrals/" + id, key,
                         json{{"decision", "accept"}, {"consent_version", "2026-11-v1"}});
  ASSERT_EQ(accepted.status, 200) << accepted.body.dump();
  EXPECT_EQ(accepted.body["state"], "accepted");
  Answer page = professional("GET", family_path(), carla);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["timeline"].size(), 1u) << "the week-20 share, as the mother agreed";
  bool via_referral = false;
  const Answer after = call("GET", "/api/v1/family", key);
  for (const json& entry : after.body["network"]) {
    via_referral = via_referral || (entry["organisation"] == "jgz-c" && entry["via"] == "referral");
  }
  EXPECT_TRUE(via_referral);
  EXPECT_EQ(
      call("POST", "/api/v1/family/referrals/" + id, key, json{{"decision", "decline"}}).status,
      409);

  // Declined is final.
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/jgz-c", key).status, 200);
  Answer second = professional("POST", family_path("/referrals"), anna,
                               json{{"organisation", "jgz-c"}, {"reason", "Opnieuw"}});
  ASSERT_EQ(second.status, 201);
  const std::string second_id = std::to_string(second.body["id"].get<int64_t>());
  ASSERT_EQ(
      call("POST", "/api/v1/family/referrals/" + second_id, key, json{{"decision", "decline"}})
          .status,
      200);
  Answer late = call("POST", "/api/v1/family/referrals/" + second_id, key,
                     json{{"decision", "accept"}, {"consent_version", "2026-11-referral-v1"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.body["error"], "already_decided");
  EXPECT_EQ(professional("GET", family_path(), carla).status, 403);
  // Another family's key cannot decide this family's proposal.
  std::string stranger = new_key();
  make_family(stranger, false);
  EXPECT_EQ(
      call("POST", "/api/v1/family/referrals/" + second_id, stranger, json{{"decision", "decline"}})
          .status,
      404);
}

TEST_F(Collaboration, AgreementsAreSharedByTheNetworkAndAnsweredByTheParents) {
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "jgz-c"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  std::string carla = login_as("carla");
  Answer created = professional("POST", family_path("/agreements"), carla,
                                json{{"what", "Prenataal huisbezoek rond week 30"},
                                     {"owner_organisation", "jgz-c"},
                                     {"owner_username", "carla"},
                                     {"due_moment", {{"stage", "pregnancy"}, {"week", 30}}}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const std::string id = std::to_string(created.body["id"].get<int64_t>());
  EXPECT_EQ(created.body["status"], "open");
  EXPECT_FALSE(created.body["overdue"].get<bool>()) << "the family is at week 20";
  // Anna of another member edits it too; every change is an audit row.
  Answer comment = professional("POST", family_path("/agreements/" + id + "/comments"), anna,
                                json{{"text", "Ik heb haar ingelicht"}});
  ASSERT_EQ(comment.status, 201);
  EXPECT_EQ(comment.body["comments"][0]["role"], "verloskundige");
  // The parents see it in plain words (no usernames) and say it does not suit them.
  Answer family = call("GET", "/api/v1/family", key);
  ASSERT_EQ(family.body["agreements"].size(), 1u);
  EXPECT_EQ(family.body["agreements"][0]["owner_role"], "jeugdverpleegkundige");
  EXPECT_EQ(family.body["agreements"].dump().find("carla"), std::string::npos);
  Answer answer = call("POST", "/api/v1/family/agreements/" + id + "/response", key,
                       json{{"suits", false}, {"comment", "Liever na week 32"}});
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_FALSE(answer.body["parents_say"]["suits"].get<bool>());
  Answer page = professional("GET", family_path(), carla);
  EXPECT_EQ(page.body["agreements"][0]["parents_say"]["comment"], "Liever na week 32");
  // A week-32 share makes the open week-30 agreement overdue.
  ASSERT_EQ(linked_share(key, family_id, kLow, {"vsv-a"},
                         {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 32}})
                .status,
            201);
  EXPECT_TRUE(
      professional("GET", family_path(), carla).body["agreements"][0]["overdue"].get<bool>());
  Answer day = professional("GET", "/api/v1/inbox/day", carla);
  ASSERT_EQ(day.status, 200);
  ASSERT_EQ(day.body["overdue_agreements"].size(), 1u);
  // Done; reopening is the only way back.
  Answer done =
      professional("PATCH", family_path("/agreements/" + id), carla, json{{"status", "done"}});
  ASSERT_EQ(done.status, 200) << done.body.dump();
  EXPECT_FALSE(done.body["overdue"].get<bool>());
  EXPECT_EQ(
      professional("PATCH", family_path("/agreements/" + id), carla, json{{"status", "cancelled"}})
          .status,
      409);
  EXPECT_EQ(professional("PATCH", family_path("/agreements/" + id), carla, json{{"status", "open"}})
                .status,
            200);
  // Owners must be members; fields are checked.
  EXPECT_EQ(professional("PATCH", family_path("/agreements/" + id), carla,
                         json{{"owner_organisation", "vsv-b"}})
                .status,
            422);
  for (const json& bad : {json{{"what", ""}}, json{{"due_date", "30-11-2026"}},
                          json{{"due_moment", {{"stage", "later"}, {"week", 3}}}},
                          json{{"due_moment", {{"stage", "pregnancy"}, {"week", 43}}}},
                          json{{"due_moment", {{"stage", "postpartum"}, {"week", 105}}}},
                          json{{"status", "maybe"}}, json{{"colour", "red"}}}) {
    EXPECT_EQ(professional("PATCH", family_path("/agreements/" + id), carla, bad).status, 400)
        << bad.dump();
  }
  // The moments run to the second birthday: an agreement for the 18-month contact.
  Answer later = professional("PATCH", family_path("/agreements/" + id), carla,
                              json{{"due_moment", {{"stage", "postpartum"}, {"week", 78}}}});
  EXPECT_EQ(later.status, 200) << later.body.dump();
  EXPECT_EQ(later.body["due_moment"]["week"], 78);
  ASSERT_EQ(professional("PATCH", family_path("/agreements/" + id), carla,
                         json{{"due_moment", {{"stage", "pregnancy"}, {"week", 30}}}})
                .status,
            200);
  EXPECT_EQ(audit_rows("agreement_created"), 1);
  EXPECT_EQ(audit_rows("agreement_commented"), 1);
  EXPECT_EQ(audit_rows("agreement_parent_response"), 1);
  EXPECT_EQ(audit_rows("agreement_changed"), 4);
}

TEST_F(Collaboration, MessagesGoBothWaysAndAreErasedWithTheFamily) {
  const std::string marker = "MESSAGE-MARKER-5c1e-erase-me";
  Answer sent = professional("POST", family_path("/messages"), anna,
                             json{{"text", "Hoe gaat het? " + marker}, {"sign_as", "Anna"}});
  ASSERT_EQ(sent.status, 201) << sent.body.dump();
  EXPECT_EQ(sent.body["role"], "verloskundige");
  EXPECT_EQ(sent.body["signed_as"], "Anna");
  Answer reply = call("POST", "/api/v1/family/messages", key, json{{"text", "Goed, dank je"}});
  ASSERT_EQ(reply.status, 201) << reply.body.dump();
  EXPECT_EQ(reply.body["parent"], "mother");
  Answer family = call("GET", "/api/v1/family", key);
  ASSERT_EQ(family.body["messages"].size(), 2u);
  EXPECT_EQ(family.body["messages"][0]["from"], "professional");
  Answer day = professional("GET", "/api/v1/inbox/day", anna);
  ASSERT_EQ(day.body["new_messages"].size(), 1u);
  EXPECT_EQ(day.body["new_messages"][0]["message"]["text"], "Goed, dank je");
  EXPECT_EQ(
      call("POST", "/api/v1/family/messages", key, json{{"text", std::string(1001, 'a')}}).status,
      400);
  EXPECT_EQ(call("POST", "/api/v1/family/messages", key, json{{"text", "  "}}).status, 400);

  // Sealed at rest: the marker is in no file; the erasure removes the sealed bytes.
  const std::string sealed =
      query_text(fixture.db, "SELECT text FROM messages ORDER BY id LIMIT 1");
  auto on_disk = [&](const std::string& text) {
    return read_file(fixture.db).find(text) != std::string::npos ||
           read_file(fixture.db + "-wal").find(text) != std::string::npos;
  };
  EXPECT_FALSE(on_disk(marker));
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(on_disk(sealed));
  ASSERT_EQ(call("DELETE", "/api/v1/family", key).status, 200);
  EXPECT_FALSE(on_disk(sealed));
  EXPECT_FALSE(on_disk(marker));
  EXPECT_EQ(count("SELECT COUNT(*) FROM messages"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM case_events"), 0);
}

TEST_F(Collaboration, TheProfessionalsDayListsMyCasesAndWhatNobodyTookYet) {
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "jgz-c"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  Answer shared = linked_share(key, family_id, kModerate, {"vsv-a", "jgz-c"}, {});
  ASSERT_EQ(shared.status, 201);
  Answer day = professional("GET", "/api/v1/inbox/day", anna);
  ASSERT_EQ(day.status, 200) << day.body.dump();
  EXPECT_EQ(day.body["my_cases"].size(), 0u);
  ASSERT_EQ(day.body["not_taken"]["organisation"].size(), 2u);
  EXPECT_EQ(day.body["not_taken"]["organisation"][0]["share_id"], share_id) << "safety first";
  // Both went to the JGZ too (the week-20 share when the JGZ joined): nobody may assume it is
  // somebody else's.
  ASSERT_EQ(day.body["not_taken"]["network"].size(), 2u);
  EXPECT_EQ(day.body["not_taken"]["network"][1]["share_id"], shared.body["share_id"]);
  EXPECT_EQ(day.body["not_taken"]["network"][1]["other_recipients"], 1);
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  Answer later = professional("GET", "/api/v1/inbox/day", anna);
  ASSERT_EQ(later.body["my_cases"].size(), 1u);
  EXPECT_EQ(later.body["my_cases"][0]["case"]["state"], "in_progress");
  EXPECT_EQ(later.body["not_taken"]["organisation"].size(), 1u);
  // Each day view: one row, and one in the family's own record (its content was shown).
  EXPECT_EQ(audit_rows("day_view"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'day_view' AND family_id = '" +
                  family_id + "'"),
            2);
}

TEST_F(Collaboration, TheAuditExportHasOneRowPerReadAndPerChange) {
  ASSERT_EQ(step(anna, {{"action", "take"}}).status, 200);
  professional("GET", family_path(), anna);
  professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  professional("POST", family_path("/messages"), anna, json{{"text", "Hallo"}});
  professional("POST", family_path("/agreements"), anna,
               json{{"what", "Bellen"}, {"owner_organisation", "vsv-a"}});
  professional("POST", family_path("/referrals"), anna,
               json{{"organisation", "jgz-c"}, {"reason", "Huisbezoek"}});
  professional("GET", "/api/v1/inbox/day", anna);
  std::string out = fixture.dir.file("audit.jsonl");
  auto exported = run_admin(fixture.db, {"audit", "export", "--output", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  std::map<std::string, int> actions;
  std::istringstream lines(read_file(out));
  for (std::string line; std::getline(lines, line);) {
    json row = json::parse(line);
    if (row["actor"] == "anna") ++actions[row["action"]];
  }
  for (const char* action : {"case_take", "family_view", "share_read", "message_sent",
                             "agreement_created", "referral_proposed"}) {
    EXPECT_EQ(actions[action], 1) << action;
  }
  // The day view: its own row and one for the family whose case it showed.
  EXPECT_EQ(actions["day_view"], 2);
}

}  // namespace
}  // namespace kindband::test::collaboration_tests
