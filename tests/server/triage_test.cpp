// Triage at intake (docs/care-network.md, issue 15) against the real server: a record made with
// the parents is seen by its organisation only until the parents share it, the parents keep or
// share it (and change their mind), its judgement starts a referral or agreement, non-members get
// 403, every change and read is audited, bad records are refused with where and what, records
// without a family stay in the organisation, and the content goes with the family's erasure.
#include "care_network_fixture.h"

namespace kindband::test::triage_tests {
namespace {

class Triage : public CareNetwork {
 protected:
  void SetUp() override {
    CareNetwork::SetUp();
    // An infant mental health service in the same coalition, for referrals.
    const CommandResult result = run_admin_script(
        fixture.db, {{"create-organisation", "imh-d", "--origin", "https://d.example", "--name",
                      "IMH Voorbeeldstad"},
                     {"add-organisation-to-coalition", "imh-d", "ks", "--type", "imh"}});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    key = new_key();
    family_id = make_family(key);  // vsv-a and jgz-c
    anna = login_as("anna");
    carla = login_as("carla");
  }
  std::string triages_path(const std::string& rest = "") {
    return "/api/v1/inbox/families/" + family_id + "/triages" + rest;
  }
  static json record(const std::string& support = "specialised_support",
                     const std::string& note = "Moeder voelt nog weinig band") {
    return json{{"occasion", "intake"},
                {"moment", {{"stage", "pregnancy"}, {"week", 14}}},
                {"topics",
                 {{"little_support", {{"status", "present"}, {"note", "Familie woont ver weg"}}},
                  {"relationship_worries", {{"status", "present"}, {"note", note}}},
                  {"fun_together", {{"status", "not_present"}}}}},
                {"parents_view", "We willen graag hulp bij het hechten"},
                {"parents_wishes", "Liefst thuis"},
                {"judgement", {{"support", support}, {"note", "IMH-consult voorstellen"}}}};
  }
  Answer record_triage(const json& body = record()) {
    return professional("POST", triages_path(), anna, body);
  }
  Answer decide(int64_t id, const std::string& decision, const std::string& with_key = "") {
    json body = {{"decision", decision}};
    if (decision == "share") body["consent_version"] = "2026-12-triage-v1";
    return call("POST", "/api/v1/family/triages/" + std::to_string(id) + "/decision",
                with_key.empty() ? key : with_key, body);
  }
  json family_page(const std::string& cookie) {
    Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, cookie);
    EXPECT_EQ(page.status, 200) << page.body.dump();
    return page.body;
  }
  long long audit_rows(const std::string& action) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "'");
  }
  // The partner's device, joined with a pairing code made on the mother's.
  std::string join_partner() {
    Answer code = call("POST", "/api/v1/family/pairing-code", key, json::object());
    EXPECT_EQ(code.status, 201) << code.body.dump();
    std::string partner = new_key();
    Answer joined = call("POST", "/api/v1/families/join", partner,
                         json{{"pairing_code", code.body["code"]}, {"role", "partner"}});
    EXPECT_EQ(joined.status, 200) << joined.body.dump();
    return partner;
  }
  // A record with the part held with the mother alone: violence at home, the Meldcode judgement.
  static json alone_record(const std::string& marker, bool confirmed = true) {
    json body = record("acute_safety", "Moeder is bang thuis");
    body["alone"] = {{"confirmed", confirmed},
                     {"topics", {{"safety_at_home", {{"status", "present"}, {"note", marker}}}}}};
    return body;
  }
  Answer decide_alone(int64_t id, const std::string& decision) {
    json body = {{"decision", decision}, {"part", "alone"}};
    if (decision == "share") body["consent_version"] = "2026-12-triage-v1";
    return call("POST", "/api/v1/family/triages/" + std::to_string(id) + "/decision", key, body);
  }
  Answer meldcode(const std::string& cookie, int64_t id, const json& body) {
    return professional("POST", triages_path("/" + std::to_string(id) + "/meldcode"), cookie, body);
  }

  std::string key, family_id, anna, carla;
};

TEST_F(Triage, TheConversationFileIsPublicAndCarriesIndicatorsElementsAndJudgements) {
  Answer file = call("GET", "/api/v1/conversations/triage_parent_child", "", nullptr, "");
  ASSERT_EQ(file.status, 200) << file.body.dump();
  EXPECT_EQ(header(file.headers, "Access-Control-Allow-Origin", 0, ""), "*");
  EXPECT_EQ(file.body["id"], "triage_parent_child");
  ASSERT_EQ(file.body["sections"].size(), 3u);
  size_t topics = 0;
  for (const json& section : file.body["sections"]) topics += section["topics"].size();
  EXPECT_EQ(topics, 24u) << "17 indicators, one topic held alone and the six elements";
  EXPECT_EQ(file.body["sections"][1]["topics"][0]["alone"], true);
  EXPECT_EQ(file.body.dump().find("cut_off"), std::string::npos) << "a record, not a score";
  EXPECT_EQ(call("GET", "/api/v1/conversations/nope", "", nullptr, "").status, 404);
}

TEST_F(Triage, ARecordIsSeenOnlyByItsOrganisationUntilTheParentsShareIt) {
  Answer made = record_triage();
  ASSERT_EQ(made.status, 201) << made.body.dump();
  const int64_t id = made.body["id"];
  EXPECT_EQ(made.body["sharing"]["state"], "awaiting_parents");
  EXPECT_EQ(made.body["recorded_by"]["username"], "anna");
  const json& topics = made.body["record"]["topics"];
  EXPECT_EQ(topics.size(), 23u) << "every topic stored, the left-out ones as not discussed";
  EXPECT_EQ(made.body["record"]["alone"]["confirmed"], false);
  EXPECT_EQ(topics["addiction"]["status"], "not_discussed");
  EXPECT_EQ(topics["little_support"]["note"], "Familie woont ver weg");

  EXPECT_EQ(family_page(anna)["triages"].size(), 1u);
  EXPECT_EQ(family_page(carla)["triages"].size(), 0u) << "the JGZ waits for the parents";

  // The parents read it all, without the professional's username.
  Answer family = call("GET", "/api/v1/family", key);
  ASSERT_EQ(family.body["triages"].size(), 1u);
  EXPECT_EQ(family.body["triages"][0]["record"]["parents_view"],
            "We willen graag hulp bij het hechten");
  EXPECT_FALSE(family.body["triages"][0]["recorded_by"].contains("username"));
  EXPECT_EQ(family.body["triages"][0].dump().find("anna"), std::string::npos);

  Answer shared = decide(id, "share");
  ASSERT_EQ(shared.status, 200) << shared.body.dump();
  EXPECT_EQ(shared.body["sharing"]["state"], "shared");
  EXPECT_EQ(shared.body["sharing"]["decided_by"], "mother");
  EXPECT_EQ(shared.body["sharing"]["consent_version"], "2026-12-triage-v1");
  json seen = family_page(carla)["triages"];
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["record"]["judgement"]["support"], "specialised_support");

  // They change their mind: it stays with the midwives only.
  ASSERT_EQ(decide(id, "keep").status, 200);
  EXPECT_EQ(family_page(carla)["triages"].size(), 0u);
  EXPECT_EQ(family_page(anna)["triages"][0]["sharing"]["state"], "kept");
  // The same decision again changes nothing and writes no second consent row.
  ASSERT_EQ(decide(id, "keep").status, 200);
  EXPECT_EQ(audit_rows("triage_created"), 1);
  EXPECT_EQ(audit_rows("triage_shared_by_parents"), 1);
  EXPECT_EQ(audit_rows("triage_kept_by_parents"), 1);

  // The parents' access log shows who recorded it.
  Answer log = call("GET", "/api/v1/family/access-log", key);
  bool listed = false;
  for (const json& event : log.body["events"]) listed |= event["action"] == "triage_created";
  EXPECT_TRUE(listed) << log.body.dump();
}

TEST_F(Triage, TheRecordingOrganisationMayCorrectItUntilTheParentsDecide) {
  Answer made = record_triage();
  ASSERT_EQ(made.status, 201);
  const std::string path = triages_path("/" + std::to_string(made.body["id"].get<int64_t>()));
  Answer changed = professional("PATCH", path, anna, record("extra_attention"));
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  EXPECT_EQ(changed.body["record"]["judgement"]["support"], "extra_attention");
  EXPECT_EQ(professional("PATCH", path, carla, record()).status, 404) << "not the JGZ's record";
  ASSERT_EQ(decide(made.body["id"], "share").status, 200);
  Answer late = professional("PATCH", path, anna, record());
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.body["error"], "not_editable");
  EXPECT_EQ(audit_rows("triage_changed"), 1);
}

TEST_F(Triage, NonMembersAndOtherFamiliesGetNothing) {
  Answer made = record_triage();
  ASSERT_EQ(made.status, 201);
  ASSERT_EQ(decide(made.body["id"], "share").status, 200);
  const std::string bert = login_as("bert");
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, bert);
  EXPECT_EQ(page.status, 403);
  EXPECT_EQ(page.body["error"], "not_a_member");
  Answer write = professional("POST", triages_path(), bert, record());
  EXPECT_EQ(write.status, 403);
  EXPECT_EQ(write.body["error"], "not_a_member");
  EXPECT_EQ(audit_rows("triage_record_denied"), 1);
  EXPECT_EQ(
      professional("POST", "/api/v1/inbox/families/" + new_uuid() + "/triages", anna, record())
          .status,
      404);
  EXPECT_EQ(professional("POST", triages_path(), "", record()).status, 401);

  // Another family's parent cannot decide on this record.
  const std::string other_key = new_key();
  make_family(other_key, false);
  EXPECT_EQ(decide(made.body["id"], "keep", other_key).status, 404);
  EXPECT_EQ(decide(made.body["id"], "keep", new_key()).status, 401);

  // The parents remove the JGZ: it loses the shared record with the rest of the family.
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/jgz-c", key).status, 200);
  Answer removed = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  EXPECT_EQ(removed.body["error"], "removed_by_parents");
}

TEST_F(Triage, BadRecordsAreRefusedWithWhereAndWhat) {
  auto refused = [&](json body, const std::string& pointer) {
    Answer answer = record_triage(body);
    EXPECT_EQ(answer.status, 400) << body.dump();
    EXPECT_EQ(answer.body.value("message", "").rfind(pointer, 0), 0u)
        << pointer << " in " << answer.body.dump();
  };
  json body = record();
  body["topics"]["no_such_topic"] = {{"status", "present"}};
  refused(body, "/topics/no_such_topic");
  body = record();
  body["topics"]["addiction"] = {{"status", "maybe"}};
  refused(body, "/topics/addiction/status");
  body = record();
  body.erase("occasion");
  refused(body, "/occasion");
  body = record();
  body["judgement"]["support"] = "score_12";
  refused(body, "/judgement/support");
  body = record();
  body["topics"]["addiction"] = {{"status", "present"}, {"note", std::string(301, 'x')}};
  refused(body, "/topics/addiction/note");
  body = record();
  body["total"] = 7;
  refused(body, "/total");
  body = record();
  body["conversation"] = "nope";
  refused(body, "/conversation");
  EXPECT_EQ(count("SELECT COUNT(*) FROM triages"), 0);
}

TEST_F(Triage, TheJudgementStartsAReferralOrAnAgreementInOneStep) {
  Answer made = record_triage();
  ASSERT_EQ(made.status, 201);
  const int64_t id = made.body["id"];
  ASSERT_EQ(decide(id, "share").status, 200);
  // The JGZ nurse turns the shared judgement into a referral proposal to infant mental health.
  Answer proposal = professional(
      "POST", "/api/v1/inbox/families/" + family_id + "/referrals", carla,
      json{{"organisation", "imh-d"}, {"reason", "IMH-consult voorstellen"}, {"triage_id", id}});
  ASSERT_EQ(proposal.status, 201) << proposal.body.dump();
  EXPECT_EQ(proposal.body["triage_id"], id);
  Answer agreement = professional(
      "POST", "/api/v1/inbox/families/" + family_id + "/agreements", carla,
      json{{"what", "Extra huisbezoek"}, {"owner_organisation", "jgz-c"}, {"triage_id", id}});
  ASSERT_EQ(agreement.status, 201) << agreement.body.dump();
  EXPECT_EQ(agreement.body["triage_id"], id);
  json follow_up = family_page(anna)["triages"][0]["follow_up"];
  ASSERT_EQ(follow_up.size(), 2u) << follow_up.dump();
  EXPECT_EQ(follow_up[0]["kind"], "referral");
  EXPECT_EQ(follow_up[0]["organisation"], "imh-d");
  EXPECT_EQ(follow_up[1]["kind"], "agreement");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'referral_proposed' AND detail "
                  "LIKE '%triage=" +
                  std::to_string(id) + "%'"),
            1);

  // A record the JGZ may not see (kept by the parents) cannot be carried out by it.
  Answer kept = record_triage(record("extra_support"));
  ASSERT_EQ(decide(kept.body["id"], "keep").status, 200);
  Answer refused = professional(
      "POST", "/api/v1/inbox/families/" + family_id + "/agreements", carla,
      json{{"what", "Wijkteam"}, {"owner_organisation", "jgz-c"}, {"triage_id", kept.body["id"]}});
  EXPECT_EQ(refused.status, 404) << refused.body.dump();
  EXPECT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/referrals", carla,
                         json{{"organisation", "imh-d"}, {"reason", "x"}, {"triage_id", "7"}})
                .status,
            400);
}

TEST_F(Triage, RepeatedTriagesAreListedNewestFirst) {
  Answer intake = record_triage();
  json later_body = record("standard_care");
  later_body["occasion"] = "third_trimester";
  later_body["moment"] = {{"stage", "pregnancy"}, {"week", 30}};
  later_body["topics"]["fun_together"] = {{"status", "present"}};
  Answer later = record_triage(later_body);
  ASSERT_EQ(later.status, 201);
  json list = family_page(anna)["triages"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], later.body["id"]);
  EXPECT_EQ(list[1]["id"], intake.body["id"]);
  EXPECT_EQ(list[1]["record"]["topics"]["fun_together"]["status"], "not_present");
  EXPECT_EQ(list[0]["record"]["topics"]["fun_together"]["status"], "present");
}

TEST_F(Triage, WithoutAFamilyTheRecordStaysInTheOrganisation) {
  json body = record("standard_care");
  body["reference"] = "VK-2026-0412";
  Answer made = professional("POST", "/api/v1/inbox/triages", anna, body);
  ASSERT_EQ(made.status, 201) << made.body.dump();
  EXPECT_EQ(made.body["sharing"]["state"], "organisation_only");
  EXPECT_TRUE(made.body["family_id"].is_null());
  EXPECT_EQ(made.body["reference"], "VK-2026-0412");
  Answer mine = professional("GET", "/api/v1/inbox/triages?reference=VK-2026-0412", anna);
  ASSERT_EQ(mine.status, 200) << mine.body.dump();
  EXPECT_EQ(mine.body["triages"].size(), 1u);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/triages", carla).body["triages"].size(), 0u);
  EXPECT_EQ(audit_rows("triage_list_view"), 2);
  json nameless = record();
  EXPECT_EQ(professional("POST", "/api/v1/inbox/triages", anna, nameless).status, 400);
  nameless["reference"] = std::string(41, '1');
  EXPECT_EQ(professional("POST", "/api/v1/inbox/triages", anna, nameless).status, 400);
}

TEST_F(Triage, TheRecordIsErasedWithTheFamily) {
  const std::string marker = "TRIAGE-MARKER-7d2f-erase-me";
  Answer made = record_triage(record("extra_attention", marker));
  ASSERT_EQ(made.status, 201);
  // Sealed at rest: the marker is in no file; the erasure removes the sealed record.
  const std::string sealed = query_text(fixture.db, "SELECT record FROM triages");
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
  EXPECT_EQ(count("SELECT COUNT(*) FROM triages"), 0);
}

TEST_F(Triage, ThePartHeldAloneIsRecordedOnlyWhenTheProfessionalConfirmsSheWasAlone) {
  Answer unconfirmed = record_triage(alone_record("Partner slaat", false));
  ASSERT_EQ(unconfirmed.status, 400) << unconfirmed.body.dump();
  EXPECT_EQ(
      unconfirmed.body["message"].get<std::string>().rfind("/alone/confirmed: 'safety_at_home'", 0),
      0u)
      << unconfirmed.body.dump();
  json slipped = record();
  slipped["topics"]["safety_at_home"] = {{"status", "present"}};
  Answer refused = record_triage(slipped);
  ASSERT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.dump().find("/topics/safety_at_home: asked with the parent alone"),
            std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM triages"), 0) << "nothing stored";

  Answer made = record_triage(alone_record("Partner slaat"));
  ASSERT_EQ(made.status, 201) << made.body.dump();
  EXPECT_EQ(made.body["record"]["alone"]["confirmed"], true);
  EXPECT_EQ(made.body["record"]["alone"]["topics"]["safety_at_home"]["note"], "Partner slaat");
  EXPECT_EQ(made.body["alone"]["visible"], true);
  EXPECT_EQ(made.body["alone"]["sharing"], "kept");
  EXPECT_EQ(made.body["record"]["judgement"]["support"], "acute_safety");
}

TEST_F(Triage, ThePartHeldAloneNeverReachesTheOtherParentOrTheNetworkWithoutHerDecision) {
  const std::string marker = "ALONE-MARKER-partner-hits-me";
  const std::string partner = join_partner();
  Answer made = record_triage(alone_record(marker));
  ASSERT_EQ(made.status, 201) << made.body.dump();
  const int64_t id = made.body["id"];
  auto partner_sees_nothing = [&] {
    Answer family = call("GET", "/api/v1/family", partner);
    ASSERT_EQ(family.status, 200) << family.body.dump();
    EXPECT_EQ(family.body["triages"].size(), 0u);
    EXPECT_EQ(family.body.dump().find(marker), std::string::npos);
    EXPECT_EQ(family.body.dump().find("acute_safety"), std::string::npos);
    Answer log = call("GET", "/api/v1/family/access-log", partner);
    ASSERT_EQ(log.status, 200);
    for (const json& event : log.body["events"]) {
      EXPECT_EQ(event["action"].get<std::string>().rfind("triage", 0), std::string::npos)
          << "the partner is not told of the mother's intake: " << event.dump();
    }
    // Nor can the partner decide on it.
    EXPECT_EQ(call("POST", "/api/v1/family/triages/" + std::to_string(id) + "/decision", partner,
                   json{{"decision", "share"},
                        {"part", "alone"},
                        {"consent_version", "2026-12-triage-v1"}})
                  .status,
              404);
  };
  partner_sees_nothing();
  // The mother sees it all, her part held alone included.
  Answer mothers = call("GET", "/api/v1/family", key);
  ASSERT_EQ(mothers.body["triages"].size(), 1u);
  EXPECT_EQ(mothers.body["triages"][0]["record"]["alone"]["topics"]["safety_at_home"]["note"],
            marker);
  // Log rows of her intake stay visible to her.
  bool logged = false;
  const json mothers_log = call("GET", "/api/v1/family/access-log", key).body;
  for (const json& event : mothers_log["events"]) logged |= event["action"] == "triage_created";
  EXPECT_TRUE(logged) << mothers_log.dump();

  // She shares the conversation: the JGZ sees it without the part held alone, and without its
  // judgement (which is about that part).
  ASSERT_EQ(decide(id, "share").status, 200);
  json seen = family_page(carla)["triages"];
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen.dump().find(marker), std::string::npos);
  EXPECT_FALSE(seen[0]["record"].contains("alone"));
  EXPECT_EQ(seen[0]["alone"], (json{{"visible", false}}));
  EXPECT_TRUE(seen[0]["record"]["judgement"]["support"].is_null());
  EXPECT_EQ(seen[0]["record"]["judgement"]["alone"], true);
  EXPECT_EQ(seen[0]["record"]["topics"]["little_support"]["note"], "Familie woont ver weg");
  partner_sees_nothing();
  // A referral from it shows nothing of that part either.
  EXPECT_EQ(family_page(anna)["triages"][0]["record"]["alone"]["topics"]["safety_at_home"]["note"],
            marker)
      << "the recording organisation keeps seeing what it recorded";

  // Only her own decision shares the part held alone; she can take it back.
  ASSERT_EQ(decide_alone(id, "share").status, 200);
  seen = family_page(carla)["triages"];
  EXPECT_EQ(seen[0]["record"]["alone"]["topics"]["safety_at_home"]["note"], marker);
  EXPECT_EQ(seen[0]["record"]["judgement"]["support"], "acute_safety");
  EXPECT_EQ(seen[0]["alone"]["sharing"], "shared");
  partner_sees_nothing();
  ASSERT_EQ(decide_alone(id, "keep").status, 200);
  EXPECT_EQ(family_page(carla)["triages"].dump().find(marker), std::string::npos);
  EXPECT_EQ(audit_rows("triage_alone_shared_by_parent"), 1);
  EXPECT_EQ(audit_rows("triage_alone_kept_by_parent"), 1);
  // The part held alone goes nowhere while the conversation itself is kept.
  ASSERT_EQ(decide_alone(id, "share").status, 200);
  ASSERT_EQ(decide(id, "keep").status, 200);
  EXPECT_EQ(family_page(carla)["triages"].size(), 0u);
  partner_sees_nothing();

  // A record without a confirmed part held alone has nothing to decide on.
  Answer plain = record_triage();
  ASSERT_EQ(plain.status, 201);
  EXPECT_EQ(decide_alone(plain.body["id"], "share").status, 409);
  EXPECT_EQ(
      call("POST", "/api/v1/family/triages/" + std::to_string(id) + "/decision", key,
           json{{"decision", "share"}, {"part", "some"}, {"consent_version", "2026-12-triage-v1"}})
          .status,
      400);
}

TEST_F(Triage, TheMeldcodeSharesThePartHeldAloneWithNamedOrganisationsSaysWhyAndIsAudited) {
  const std::string marker = "ALONE-MARKER-meldcode";
  const std::string partner = join_partner();
  Answer made = record_triage(alone_record(marker));
  ASSERT_EQ(made.status, 201) << made.body.dump();
  const int64_t id = made.body["id"];
  ASSERT_EQ(decide(id, "keep").status, 200) << "the mother keeps it with the midwives";
  const json ok = {{"reason", "Acute zorg om veiligheid moeder; overlegd met Veilig Thuis"},
                   {"organisations", {"jgz-c"}}};

  // Refused with where and what; nothing shared.
  Answer no_reason = meldcode(anna, id, json{{"organisations", {"jgz-c"}}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.body["message"].get<std::string>().rfind("/reason", 0), 0u);
  EXPECT_EQ(meldcode(anna, id, json{{"reason", "   "}, {"organisations", {"jgz-c"}}}).status, 400);
  EXPECT_EQ(meldcode(anna, id, json{{"reason", "x"}, {"organisations", json::array()}}).status,
            400);
  Answer outsider = meldcode(anna, id, json{{"reason", "x"}, {"organisations", {"imh-d"}}});
  EXPECT_EQ(outsider.status, 400);
  EXPECT_EQ(outsider.body["message"].get<std::string>().rfind("/organisations/0: 'imh-d'", 0), 0u)
      << outsider.body.dump();
  EXPECT_EQ(meldcode(anna, id, json{{"reason", "x"}, {"organisations", {"vsv-a"}}}).status, 400)
      << "not to itself";
  EXPECT_EQ(meldcode(carla, id, ok).status, 404) << "only the organisation that recorded it";
  EXPECT_EQ(
      meldcode(anna, id, json{{"reason", "x"}, {"organisations", {"jgz-c"}}, {"to", 1}}).status,
      400);
  Answer plain = record_triage();
  EXPECT_EQ(meldcode(anna, plain.body["id"], ok).status, 409) << "no part held alone";
  EXPECT_EQ(count("SELECT COUNT(*) FROM triage_meldcode"), 0);
  EXPECT_EQ(family_page(carla)["triages"].size(), 0u);

  Answer shared = meldcode(anna, id, ok);
  ASSERT_EQ(shared.status, 200) << shared.body.dump();
  ASSERT_EQ(shared.body["alone"]["meldcode"].size(), 1u);
  EXPECT_EQ(shared.body["alone"]["meldcode"][0]["organisation"], "jgz-c");
  EXPECT_EQ(shared.body["alone"]["meldcode"][0]["by_organisation"], "vsv-a");
  EXPECT_EQ(shared.body["alone"]["meldcode"][0]["reason"], ok["reason"]);
  // The JGZ sees the conversation with the part held alone, and why.
  json seen = family_page(carla)["triages"];
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]["record"]["alone"]["topics"]["safety_at_home"]["note"], marker);
  EXPECT_EQ(seen[0]["alone"]["meldcode"][0]["reason"], ok["reason"]);
  EXPECT_EQ(seen[0]["sharing"]["state"], "kept") << "her own decision stays as it was";
  // Audited: who, to whom; the reason stays with the record (and goes with its erasure).
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'triage_meldcode_shared' AND "
                  "detail LIKE '%triage=" +
                  std::to_string(id) + " parent=mother organisations=jgz-c%' AND actor = 'anna'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Veilig Thuis%'"), 0);
  // The mother reads that it was shared, with whom and why; the partner reads nothing of it.
  Answer mothers = call("GET", "/api/v1/family", key);
  ASSERT_EQ(mothers.body["triages"].size(), 2u);
  const json& hers = mothers.body["triages"][1];  // newest first: the plain one is [0]
  EXPECT_EQ(hers["id"], id);
  EXPECT_EQ(hers["alone"]["meldcode"][0]["organisation"], "jgz-c");
  EXPECT_EQ(hers["alone"]["meldcode"][0]["reason"], ok["reason"]);
  Answer partners = call("GET", "/api/v1/family", partner);
  EXPECT_EQ(partners.body.dump().find(marker), std::string::npos);
  EXPECT_EQ(partners.body.dump().find("Veilig Thuis"), std::string::npos);
  const json partners_log = call("GET", "/api/v1/family/access-log", partner).body;
  for (const json& event : partners_log["events"]) {
    EXPECT_NE(event["action"], "triage_meldcode_shared");
  }
  // The record as shared can no longer be changed.
  EXPECT_EQ(
      professional("PATCH", triages_path("/" + std::to_string(id)), anna, alone_record("x")).status,
      409);
  // It goes with the mother's erasure of her own data, reason and all.
  Answer erased = call("DELETE", "/api/v1/family/me", key);
  ASSERT_EQ(erased.status, 200) << erased.body.dump();
  EXPECT_EQ(count("SELECT COUNT(*) FROM triage_meldcode"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM triages"), 0);
}

}  // namespace
}  // namespace kindband::test::triage_tests
