// Each parent in control of their own data (docs/care-network.md, issue 21), against the real
// server: a share's audience is its own parent's decision, each parent's messages and intake are
// theirs, devices a parent can revoke, nothing stranded when an organisation leaves, "seen" per
// organisation, and erasure that says what it did. Each test replays a case from the issue.
#include "care_network_fixture.h"

namespace kindband::test::parents_control_tests {
namespace {

class ParentsControl : public CareNetwork {
 protected:
  // Coalition ks gains a GP practice (ha-d, professional dirk) and an infant mental health team
  // (imh-e, professional eva). The family: the mother with vsv-a, jgz-c and ha-d, and the partner.
  void SetUp() override {
    CareNetwork::SetUp();
    std::vector<std::vector<std::string>> setup;
    for (const auto& [organisation, type, professional, role] :
         std::vector<std::array<std::string, 4>>{{"ha-d", "huisarts", "dirk", "huisarts"},
                                                 {"imh-e", "imh", "eva", "imh-behandelaar"}}) {
      setup.push_back({"create-organisation", organisation, "--origin",
                       "https://" + organisation + ".example"});
      setup.push_back({"add-organisation-to-coalition", organisation, "ks", "--type", type});
      setup.push_back(
          {"create-professional", professional, "--organisation", organisation, "--role", role});
    }
    const std::string password_line = std::string(kPassword) + "\n";
    auto result = run_admin_script(fixture.db, setup, password_line + password_line);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    mother = new_key();
    family_id = make_family(mother);
    add(mother, "ha-d");
    partner = join(mother);
  }
  void add(const std::string& key, const std::string& organisation, int status = 201) {
    Answer added = call("POST", "/api/v1/family/memberships", key,
                        json{{"organisation", organisation}, {"consent_version", "2026-11-v1"}});
    ASSERT_EQ(added.status, status) << added.body.dump();
  }
  // A new device joins with a pairing code made on `maker` (for `role`, "" = the default).
  std::string join(const std::string& maker, const std::string& role = "",
                   const std::string& claimed = "partner") {
    json body = json::object();
    if (!role.empty()) body["role"] = role;
    Answer code = call("POST", "/api/v1/family/pairing-code", maker, body);
    EXPECT_EQ(code.status, 201) << code.body.dump();
    std::string key = new_key();
    Answer joined = call("POST", "/api/v1/families/join", key,
                         json{{"pairing_code", code.body["code"]}, {"role", claimed}});
    EXPECT_EQ(joined.status, 200) << joined.body.dump();
    return key;
  }
  Answer family(const std::string& key) { return call("GET", "/api/v1/family", key); }
  Answer read(const std::string& cookie, const std::string& share_id) {
    return professional("GET", "/api/v1/inbox/shares/" + share_id, cookie);
  }
  Answer page(const std::string& cookie) {
    return professional("GET", "/api/v1/inbox/families/" + family_id, cookie);
  }
  static bool has(const json& list, const char* key, const json& value) {
    for (const json& entry : list) {
      if (entry.value(key, json()) == value) return true;
    }
    return false;
  }

  std::string mother, partner, family_id;
};

TEST_F(ParentsControl, ThePartnerRemovingAndReaddingAnOrganisationDoesNotWidenTheMothersShare) {
  // The mother shares her flagged PHQ-9 with the midwife and the GP only; the JGZ is not ticked.
  Answer share = linked_share(mother, family_id, kFlagged, {"vsv-a", "ha-d"}, {});
  ASSERT_EQ(share.status, 201) << share.body.dump();
  const std::string id = share.body["share_id"];
  const std::string carla = login_as("carla");
  EXPECT_EQ(read(carla, id).status, 403);

  // The partner removes the JGZ: it is gone for the partner, still there for the mother.
  Answer removed = call("DELETE", "/api/v1/family/memberships/jgz-c", partner);
  ASSERT_EQ(removed.status, 200) << removed.body.dump();
  EXPECT_EQ(removed.body["state"], "active");
  EXPECT_EQ(removed.body["for"], json::array({"mother"}));
  // The mother is told.
  Answer seen_by_mother = family(mother);
  ASSERT_TRUE(has(seen_by_mother.body["notices"], "kind", "organisation_removed"))
      << seen_by_mother.body["notices"].dump();
  EXPECT_EQ(seen_by_mother.body["notices"][0]["by"], "partner");
  // ... and adds it back: the mother's share still does not reach the JGZ.
  add(partner, "jgz-c");
  EXPECT_EQ(read(carla, id).status, 403);
  Answer inbox = professional("GET", "/api/v1/inbox", carla);
  EXPECT_EQ(inbox.body["shares"].size(), 0u) << inbox.body.dump();
  // The partner cannot widen it either: only its own parent can.
  EXPECT_EQ(
      call("POST", "/api/v1/family/shares/" + id + "/audience", partner, json{{"add", {"jgz-c"}}})
          .status,
      404);
  EXPECT_EQ(read(carla, id).status, 403);
  // The mother adds the JGZ to that one share; the change is in "who looked".
  Answer widened =
      call("POST", "/api/v1/family/shares/" + id + "/audience", mother, json{{"add", {"jgz-c"}}});
  ASSERT_EQ(widened.status, 200) << widened.body.dump();
  EXPECT_TRUE(has(widened.body["audience"], "organisation", "jgz-c"));
  EXPECT_EQ(read(carla, id).status, 200);
  Answer log = call("GET", "/api/v1/family/access-log", mother);
  ASSERT_TRUE(has(log.body["events"], "action", "share_audience_added")) << log.body.dump();
}

TEST_F(ParentsControl, AnAcceptedReferralGetsOnlySharesWhoseParentAllowedLaterMembers) {
  Answer mine = linked_share(mother, family_id, kFlagged, {"vsv-a"}, {});
  Answer allowed = linked_share(mother, family_id, kModerate, {"vsv-a"}, {}, new_uuid(), true);
  Answer partners = linked_share(partner, family_id, kLow, {"vsv-a"}, {});
  ASSERT_EQ(mine.status, 201);
  ASSERT_EQ(allowed.status, 201);
  ASSERT_EQ(partners.status, 201);
  const std::string anna = login_as("anna");
  ASSERT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/referrals", anna,
                         json{{"organisation", "imh-e"}, {"reason", "Steun bij de band"}})
                .status,
            201);
  const int64_t proposal = family(mother).body["proposals"][0]["id"];
  const std::string path = "/api/v1/family/referrals/" + std::to_string(proposal);
  // Before "ja": exactly which of my shares the new organisation will see.
  Answer preview = call("GET", path, mother);
  ASSERT_EQ(preview.status, 200) << preview.body.dump();
  ASSERT_EQ(preview.body["would_see"]["my_shares"].size(), 1u) << preview.body.dump();
  EXPECT_EQ(preview.body["would_see"]["my_shares"][0]["share_id"], allowed.body["share_id"]);
  EXPECT_EQ(preview.body["would_see"]["other_parent_shares"], 0);
  ASSERT_EQ(call("POST", path, mother,
                 json{{"decision", "accept"}, {"consent_version", "2026-11-referral-v1"}})
                .status,
            200);
  const std::string eva = login_as("eva");
  EXPECT_EQ(read(eva, allowed.body["share_id"]).status, 200);
  EXPECT_EQ(read(eva, mine.body["share_id"]).status, 403);
  EXPECT_EQ(read(eva, partners.body["share_id"]).status, 403);
  Answer timeline = page(eva);
  ASSERT_EQ(timeline.status, 200);
  EXPECT_EQ(timeline.body["timeline"].size(), 1u);
}

TEST_F(ParentsControl, ASafetyCaseWhoseOwnerWasRemovedGoesBackToNewAtTheTop) {
  Answer share = linked_share(mother, family_id, kFlagged, {"vsv-a", "ha-d"}, {});
  const std::string id = share.body["share_id"];
  const std::string dirk = login_as("dirk");
  const std::string anna = login_as("anna");
  ASSERT_EQ(professional("POST", "/api/v1/inbox/shares/" + id + "/case", dirk,
                         json{{"action", "take"}, {"sign_as", "Dokter Dirk"}})
                .status,
            200);
  ASSERT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/agreements", dirk,
                         json{{"what", "Bel over medicatie"}, {"owner_organisation", "ha-d"}})
                .status,
            201);
  // The mother removes the GP (the only parent who had it... the partner too: it leaves).
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/ha-d", mother).status, 200);
  Answer left = call("DELETE", "/api/v1/family/memberships/ha-d", partner);
  ASSERT_EQ(left.status, 200);
  EXPECT_EQ(left.body["state"], "removed");

  // The midwife can take it: it is new again, at the top, with the reason in its history.
  Answer inbox = professional("GET", "/api/v1/inbox", anna);
  ASSERT_EQ(inbox.body["shares"][0]["share_id"], id);
  EXPECT_EQ(inbox.body["shares"][0]["rank"], 3);
  EXPECT_EQ(inbox.body["shares"][0]["case"]["state"], "new");
  Answer read_back = read(anna, id);
  const json& history = read_back.body["case"]["history"];
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back()["action"], "returned");
  EXPECT_EQ(history.back()["reason"], "removed_by_parents");
  // The mother's receipt no longer names the GP.
  const Answer receipts = family(mother);  // kept alive: the loop reads into it
  for (const json& entry : receipts.body["shares"]) {
    if (entry["share_id"] == id) {
      EXPECT_EQ(entry["case"]["state"], "new");
      EXPECT_TRUE(entry["case"]["organisation_name"].is_null());
    }
  }
  ASSERT_EQ(
      professional("POST", "/api/v1/inbox/shares/" + id + "/case", anna, json{{"action", "take"}})
          .status,
      200);
  // The GP's agreement needs a new owner; the GP's day says what ended, without content.
  Answer family_page = page(anna);
  ASSERT_EQ(family_page.body["agreements"].size(), 1u);
  EXPECT_EQ(family_page.body["agreements"][0]["needs_owner"], true);
  Answer day = professional("GET", "/api/v1/inbox/day", dirk);
  ASSERT_EQ(day.status, 200);
  EXPECT_TRUE(has(day.body["ended_by_parents"], "kind", "case")) << day.body.dump();
  EXPECT_TRUE(has(day.body["ended_by_parents"], "kind", "agreement"));
  EXPECT_EQ(day.body.dump().find(family_id), std::string::npos);
  // A new owner clears it.
  const int64_t agreement = family_page.body["agreements"][0]["id"];
  Answer owned = professional(
      "PATCH", "/api/v1/inbox/families/" + family_id + "/agreements/" + std::to_string(agreement),
      anna, json{{"owner_organisation", "vsv-a"}});
  ASSERT_EQ(owned.status, 200) << owned.body.dump();
  EXPECT_EQ(owned.body["needs_owner"], false);
}

TEST_F(ParentsControl, ADisabledProfessionalsCasesGoBackToNew) {
  Answer share = linked_share(mother, family_id, kFlagged, {"vsv-a", "jgz-c"}, {});
  const std::string id = share.body["share_id"];
  ASSERT_EQ(professional("POST", "/api/v1/inbox/shares/" + id + "/case", login_as("carla"),
                         json{{"action", "take"}})
                .status,
            200);
  auto result = run_admin(fixture.db, {"disable-professional", "carla"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  Answer again = read(login_as("anna"), id);
  EXPECT_EQ(again.body["case"]["state"], "new");
  EXPECT_EQ(again.body["case"]["history"].back()["reason"], "professional_disabled");
}

TEST_F(ParentsControl, TheCodeMakerSetsTheRoleAndAFamilyHasOneMother) {
  // The partner's device joined with role "partner" although it asked for nothing; a device that
  // claims "mother" with a partner code is a partner.
  Answer seen = family(partner);
  EXPECT_EQ(seen.body["me"]["role"], "partner");
  // A code for the mother's place can only be made by the mother.
  Answer refused = call("POST", "/api/v1/family/pairing-code", partner, json{{"role", "mother"}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.body["error"], "role_taken");
  // A third device, claiming to be the mother, joins with the partner's own code as the partner.
  std::string third = join(partner, "", "mother");
  EXPECT_EQ(family(third).body["me"]["role"], "partner");
  // The mother's second device.
  std::string tablet = join(mother, "mother");
  EXPECT_EQ(family(tablet).body["me"]["role"], "mother");
  int mothers = 0;
  Answer parents = family(mother);
  for (const json& parent : parents.body["parents"]) mothers += parent["role"] == "mother";
  EXPECT_EQ(mothers, 1) << parents.status << " " << parents.body["parents"].dump();
}

TEST_F(ParentsControl, AFifthDeviceHearsTheFamilyIsFullAndIsNotCountedAsAWrongGuess) {
  join(mother, "mother");
  join(partner, "partner");  // four devices now
  Answer code = call("POST", "/api/v1/family/pairing-code", mother, json{{"role", "mother"}});
  ASSERT_EQ(code.status, 201);
  std::string fifth = new_key();
  for (int attempt = 0; attempt < 12; ++attempt) {
    Answer full =
        call("POST", "/api/v1/families/join", fifth, json{{"pairing_code", code.body["code"]}});
    ASSERT_EQ(full.status, 409) << "attempt " << attempt << ": " << full.body.dump();
    EXPECT_EQ(full.body["error"], "family_full");
  }
  // The code still works once a device is revoked.
  Answer devices = call("GET", "/api/v1/family/devices", mother);
  std::string old;
  for (const json& device : devices.body["devices"]) {
    if (device["mine"] == true && device["me"] == false) old = device["id"];
  }
  ASSERT_FALSE(old.empty()) << devices.body.dump();
  ASSERT_EQ(call("DELETE", "/api/v1/family/devices/" + old, mother).status, 200);
  Answer joined =
      call("POST", "/api/v1/families/join", fifth, json{{"pairing_code", code.body["code"]}});
  EXPECT_EQ(joined.status, 200) << joined.body.dump();
}

TEST_F(ParentsControl, AParentRevokesTheirOwnDeviceAndItsNextRequestIs401) {
  std::string phone = join(mother, "mother");
  Answer named = call("GET", "/api/v1/family/devices", phone);
  ASSERT_EQ(named.status, 200);
  std::string phone_id, partner_id;
  for (const json& device : named.body["devices"]) {
    if (device["me"] == true) phone_id = device["id"];
    if (device["role"] == "partner") partner_id = device["id"];
    EXPECT_FALSE(device.contains("key_hash"));
  }
  ASSERT_EQ(call("PATCH", "/api/v1/family/devices/" + phone_id, mother,
                 json{{"name", "Telefoon van Sanne"}})
                .status,
            200);
  // Not the other parent's device.
  Answer not_mine = call("DELETE", "/api/v1/family/devices/" + partner_id, mother);
  EXPECT_EQ(not_mine.status, 403);
  EXPECT_EQ(not_mine.body["error"], "not_your_device");
  EXPECT_EQ(family(partner).status, 200);
  // Her own lost phone: revoked at once, audited, and her other device is told.
  ASSERT_EQ(call("DELETE", "/api/v1/family/devices/" + phone_id, mother).status, 200);
  EXPECT_EQ(family(phone).status, 401);
  EXPECT_TRUE(has(family(mother).body["notices"], "kind", "device_revoked"));
  EXPECT_FALSE(has(family(partner).body["notices"], "kind", "device_revoked"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'device_revoked'"), 1);
}

TEST_F(ParentsControl, EachParentsMessagesSharesAndIntakeAreTheirOwn) {
  // A private message to the midwife only.
  Answer message = call("POST", "/api/v1/family/messages", mother,
                        json{{"text", "Ik voel me niet veilig thuis"}, {"organisation", "vsv-a"}});
  ASSERT_EQ(message.status, 201) << message.body.dump();
  Answer shown = call("POST", "/api/v1/family/messages", mother,
                      json{{"text", "We zijn verhuisd"}, {"show_to_family", true}});
  ASSERT_EQ(shown.status, 201);
  Answer share = linked_share(mother, family_id, kFlagged, {"vsv-a"}, {});
  ASSERT_EQ(share.status, 201);
  const std::string anna = login_as("anna");
  Answer intake = professional("POST", "/api/v1/inbox/families/" + family_id + "/triages", anna,
                               json{{"occasion", "intake"},
                                    {"parent", "mother"},
                                    {"judgement", {{"support", "extra_attention"}}}});
  ASSERT_EQ(intake.status, 201) << intake.body.dump();

  const std::string partners_view = family(partner).body.dump();
  EXPECT_EQ(partners_view.find("niet veilig"), std::string::npos);
  EXPECT_NE(partners_view.find("verhuisd"), std::string::npos);
  EXPECT_EQ(partners_view.find(share.body["share_id"].get<std::string>()), std::string::npos);
  EXPECT_EQ(family(partner).body["triages"].size(), 0u);
  EXPECT_EQ(family(mother).body["triages"].size(), 1u);
  const int64_t triage = family(mother).body["triages"][0]["id"];
  // Only the mother decides on her intake.
  EXPECT_EQ(call("POST", "/api/v1/family/triages/" + std::to_string(triage) + "/decision", partner,
                 json{{"decision", "share"}, {"consent_version", "2026-12-triage-v1"}})
                .status,
            404);
  // The JGZ never sees the message to the midwife.
  EXPECT_EQ(page(login_as("carla")).body.dump().find("niet veilig"), std::string::npos);
  EXPECT_NE(page(anna).body.dump().find("niet veilig"), std::string::npos);
  // A reply to the mother only.
  ASSERT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/messages", anna,
                         json{{"text", "Ik bel je morgen"}, {"to_parent", "mother"}})
                .status,
            201);
  EXPECT_NE(family(mother).body.dump().find("Ik bel je morgen"), std::string::npos);
  EXPECT_EQ(family(partner).body.dump().find("Ik bel je morgen"), std::string::npos);

  // The mother removes the midwife: it loses her share, messages and intake at once, and stays
  // for the partner.
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/vsv-a", mother).status, 200);
  Answer after = page(anna);
  ASSERT_EQ(after.status, 200) << "still there for the partner";
  EXPECT_EQ(after.body["timeline"].size(), 0u);
  EXPECT_EQ(after.body["triages"].size(), 0u);
  EXPECT_EQ(after.body.dump().find("niet veilig"), std::string::npos);
  EXPECT_EQ(read(anna, share.body["share_id"]).status, 403);
}

TEST_F(ParentsControl, SeenAndItsNoteBelongToEachReceivingOrganisation) {
  Answer share = linked_share(mother, family_id, kModerate, {"vsv-a", "jgz-c"}, {});
  const std::string id = share.body["share_id"];
  const std::string carla = login_as("carla");
  ASSERT_EQ(professional("POST", "/api/v1/inbox/shares/" + id + "/seen", carla,
                         json{{"note", "vader bekend bij Veilig Thuis"}})
                .status,
            200);
  const std::string anna = login_as("anna");
  Answer annas = professional("GET", "/api/v1/inbox?status=received", anna);
  ASSERT_EQ(annas.body["shares"].size(), 1u) << "still new for the midwife";
  EXPECT_EQ(annas.body.dump().find("Veilig Thuis"), std::string::npos);
  EXPECT_EQ(read(anna, id).body.dump().find("Veilig Thuis"), std::string::npos);
  EXPECT_NE(read(carla, id).body.dump().find("Veilig Thuis"), std::string::npos);
  // The parent's receipt: seen (by the first organisation that looked).
  const Answer receipts = family(mother);  // kept alive: the loop reads into it
  for (const json& entry : receipts.body["shares"]) {
    if (entry["share_id"] == id) {
      EXPECT_EQ(entry["status"], "seen");
    }
  }
}

TEST_F(ParentsControl, RemoveOurFamilyErasesEarlierOneOffSharesAndTellsTheProfessionals) {
  // Before the family existed, the mother sent a one-off share (with her phone number).
  auto c = fixture.server.client();
  json one_off = make_share(new_uuid(), kFlagged);
  one_off["contact"] = json{{"name", "Sanne"}, {"phone", "0612345678"}};
  auto created = post_share(c, one_off.dump());
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string one_off_id = one_off["share_id"];
  const std::string receipt = json::parse(created->body)["receipt"];
  const std::string nurse = login_as("carla");
  Answer share = linked_share(mother, family_id, kFlagged, {"jgz-c"}, {});
  ASSERT_EQ(
      professional("POST",
                   "/api/v1/inbox/shares/" + share.body["share_id"].get<std::string>() + "/case",
                   nurse, json{{"action", "take"}})
          .status,
      200);
  // Two parents: the first "remove our family" asks, with a notice to the other parent.
  const std::string unknown = new_uuid();
  json body = {{"one_off",
                {{{"share_id", one_off_id}, {"receipt", receipt}},
                 {{"share_id", unknown}, {"receipt", std::string(64, 'a')}}}}};
  Answer asked = call("DELETE", "/api/v1/family", mother, body);
  ASSERT_EQ(asked.status, 202) << asked.body.dump();
  EXPECT_EQ(asked.body["status"], "erase_requested");
  EXPECT_EQ(asked.body["one_off"]["erased"], json::array({one_off_id}));
  EXPECT_EQ(asked.body["one_off"]["not_reached"], json::array({unknown}));
  EXPECT_EQ(read(login_as("anna"), one_off_id).status, 410) << "the one-off share is gone now";
  EXPECT_EQ(read_file(fixture.db).find("0612345678"), std::string::npos);
  EXPECT_EQ(read_file(fixture.db + "-wal").find("0612345678"), std::string::npos);
  EXPECT_TRUE(has(family(partner).body["notices"], "kind", "erase_requested"));
  EXPECT_EQ(family(partner).body["erase_request"]["by"], "mother");
  // The partner agrees: erased now.
  Answer agreed = call("DELETE", "/api/v1/family", partner);
  ASSERT_EQ(agreed.status, 200) << agreed.body.dump();
  EXPECT_EQ(family(mother).status, 401);
  Answer day = professional("GET", "/api/v1/inbox/day", nurse);
  ASSERT_EQ(day.status, 200);
  ASSERT_TRUE(has(day.body["ended_by_parents"], "reason", "erased")) << day.body.dump();
  EXPECT_EQ(day.body.dump().find(family_id), std::string::npos);
}

TEST_F(ParentsControl, AnErasureAskedByOneParentHappensAfterTheNoticePeriod) {
  ASSERT_EQ(call("DELETE", "/api/v1/family", partner).status, 202);
  // The asking parent can take it back.
  ASSERT_EQ(call("DELETE", "/api/v1/family/erase-request", partner).status, 200);
  EXPECT_TRUE(family(partner).body["erase_request"].is_null());
  EXPECT_EQ(call("DELETE", "/api/v1/family/erase-request", mother).status, 404);
  ASSERT_EQ(call("DELETE", "/api/v1/family", partner).status, 202);
  // The notice period passes (aged in the file): the next look at the family erases it.
  exec_sql(fixture.db, "UPDATE families SET erase_after = 1 WHERE id = '" + family_id + "'");
  EXPECT_EQ(page(login_as("anna")).status, 410);
  EXPECT_EQ(family(mother).status, 401);
  EXPECT_EQ(count("SELECT COUNT(*) FROM family_parents"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_erased' AND detail = "
                  "'after the notice period'"),
            1);
}

TEST_F(ParentsControl, EachParentErasesTheirOwnDataAtOnceAndTheOtherParentsStays) {
  Answer mine = linked_share(mother, family_id, kModerate, {"vsv-a"}, {});
  Answer theirs = linked_share(partner, family_id, kLow, {"vsv-a"}, {});
  ASSERT_EQ(
      call("POST", "/api/v1/family/messages", partner, json{{"text", "Vraag van papa"}}).status,
      201);
  Answer erased = call("DELETE", "/api/v1/family/me", partner);
  ASSERT_EQ(erased.status, 200) << erased.body.dump();
  EXPECT_EQ(family(partner).status, 401);
  const std::string anna = login_as("anna");
  EXPECT_EQ(read(anna, theirs.body["share_id"]).status, 403);
  EXPECT_EQ(read(anna, mine.body["share_id"]).status, 200);
  EXPECT_EQ(page(anna).body.dump().find("Vraag van papa"), std::string::npos);
  EXPECT_EQ(read_file(fixture.db).find("Vraag van papa"), std::string::npos);
  EXPECT_TRUE(has(family(mother).body["notices"], "kind", "parent_data_erased"));
  // The mother alone now: her "remove our family" is at once.
  EXPECT_EQ(call("DELETE", "/api/v1/family", mother).status, 200);
}

// A version-4 database (before issue 21): every share keeps the audience it has (its recipient
// rows, recorded as chosen), goes to no organisation added later, its "seen" moves to each
// recipient, an intake conversation becomes the mother's, and the audit chain stays intact.
TEST_F(ParentsControl, AVersion4DatabaseKeepsEveryShareAudienceAndTheAuditChain) {
  Answer both = linked_share(mother, family_id, kFlagged, {"vsv-a", "jgz-c"}, {});
  Answer one = linked_share(mother, family_id, kLow, {"vsv-a"}, {});
  ASSERT_EQ(both.status, 201);
  ASSERT_EQ(one.status, 201);
  const std::string anna = login_as("anna");
  ASSERT_EQ(
      professional("POST", "/api/v1/inbox/families/" + family_id + "/triages", anna,
                   json{{"occasion", "intake"}, {"judgement", {{"support", "standard_care"}}}})
          .status,
      201);
  fixture.server.stop();
  const std::string both_id = both.body["share_id"];
  // Back to version 4: no per-parent columns or tables; "seen" was per share.
  exec_sql(fixture.db,
           "DROP TABLE membership_withdrawals; DROP TABLE family_notices; DROP TABLE "
           "ended_by_parents; ALTER TABLE shares DROP COLUMN later_members; ALTER TABLE shares "
           "DROP COLUMN show_to_family; ALTER TABLE share_recipients DROP COLUMN added_at; ALTER "
           "TABLE share_recipients DROP COLUMN seen_at; ALTER TABLE share_recipients DROP COLUMN "
           "seen_by_role; ALTER TABLE share_recipients DROP COLUMN note; ALTER TABLE triages DROP "
           "COLUMN parent_role; ALTER TABLE messages DROP COLUMN to_organisation_id; ALTER TABLE "
           "messages DROP COLUMN to_parent; ALTER TABLE messages DROP COLUMN show_to_family; "
           "UPDATE shares SET status = 'seen', seen_at = '2026-11-30T10:00:00Z', seen_by_role = "
           "'jeugdverpleegkundige', note = 'gebeld' WHERE share_id = '" +
               both_id + "'; UPDATE share_recipients SET status = 'seen' WHERE share_id = '" +
               both_id + "'; PRAGMA user_version = 4;");
  const long long recipients = count("SELECT COUNT(*) FROM share_recipients");
  ASSERT_EQ(recipients, 3);
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
  EXPECT_EQ(count("PRAGMA user_version"), 11);  // the current schema (issue 24: v11)
  EXPECT_EQ(count("SELECT COUNT(*) FROM share_recipients"), recipients) << "no audience grew";
  EXPECT_EQ(count("SELECT COUNT(*) FROM shares WHERE later_members != 0"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM share_recipients WHERE seen_at IS NOT NULL"), 2);
  // The note moved to each recipient, sealed there (docs/envelope.md); the old copy is gone.
  const std::vector<std::string> notes = opened_values(fixture.db, "share_recipients", "note");
  EXPECT_EQ(std::count(notes.begin(), notes.end(), "gebeld"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM shares WHERE note IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM triages WHERE parent_role = 'mother'"), 1);
  // The JGZ still sees the share the mother sent to it, and not the other one.
  const std::string carla = login_as("carla");
  EXPECT_EQ(read(carla, both_id).status, 200);
  EXPECT_EQ(read(carla, one.body["share_id"]).status, 403);
  fixture.server.stop();
  auto verify = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  ASSERT_TRUE(fixture.server.start(fixture.db)) << fixture.server.log();
}

}  // namespace
}  // namespace kindband::test::parents_control_tests
