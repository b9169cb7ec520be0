// The family's care network (docs/care-network.md) against the real server: the directory, the
// family and its keys, pairing and recovery codes, invitations, memberships with consent, linked
// shares, the family page, removal, the parents' access log, erasure, audit, and hostile bodies.
#include "care_network_fixture.h"

namespace kindband::test::care_network_tests {
namespace {

TEST_F(CareNetwork, DirectoryListsACoalitionsOrganisationsPubliclyAndCacheable) {
  Answer coalition = call("GET", "/api/v1/directory/ks", "", nullptr, "");
  ASSERT_EQ(coalition.status, 200) << coalition.body.dump();
  EXPECT_EQ(coalition.body["kind"], "coalition");
  EXPECT_EQ(coalition.body["coalition"]["name"], "Kansrijke Start Voorbeeldstad");
  ASSERT_EQ(coalition.body["organisations"].size(), 2u);
  std::set<std::string> slugs;
  for (const json& entry : coalition.body["organisations"]) slugs.insert(entry["slug"]);
  EXPECT_EQ(slugs, (std::set<std::string>{"vsv-a", "jgz-c"}));
  EXPECT_EQ(header(coalition.headers, "Cache-Control", 0, ""), "public, max-age=300");
  EXPECT_EQ(header(coalition.headers, "Access-Control-Allow-Origin", 0, ""), "*");

  Answer organisation = call("GET", "/api/v1/directory/vsv-a", "", nullptr, "");
  ASSERT_EQ(organisation.status, 200);
  EXPECT_EQ(organisation.body["kind"], "organisation");
  EXPECT_EQ(organisation.body["organisations"][0]["type"], "verloskunde");
  EXPECT_EQ(organisation.body["organisations"][0]["description"]["en"], "Midwives in the centre");
  EXPECT_EQ(organisation.body["coalition"]["slug"], "ks");
  EXPECT_EQ(call("GET", "/api/v1/directory/nothing-here", "", nullptr, "").status, 404);
}

TEST_F(CareNetwork, AdminRefusesUnknownTypesAndCoalitions) {
  auto bad_type =
      run_admin(fixture.db, {"add-organisation-to-coalition", "vsv-b", "ks", "--type", "bakery"});
  EXPECT_NE(bad_type.exit_code, 0);
  EXPECT_NE(bad_type.output.find("must be one of verloskunde"), std::string::npos)
      << bad_type.output;
  auto no_coalition =
      run_admin(fixture.db, {"add-organisation-to-coalition", "vsv-b", "nope", "--type", "jgz"});
  EXPECT_NE(no_coalition.output.find("unknown coalition 'nope'"), std::string::npos);
  auto taken = run_admin(fixture.db, {"create-coalition", "vsv-a", "--name", "X"});
  EXPECT_NE(taken.exit_code, 0);
}

TEST_F(CareNetwork, AFamilyIsCreatedWithAKeyAndTheServerKeepsOnlyItsHash) {
  std::string key = new_key();
  std::string family_id = make_family(key, false);
  // The same again is fine (a retry); the id with another key is taken.
  EXPECT_EQ(
      call("POST", "/api/v1/families", key, json{{"family_id", family_id}, {"role", "mother"}})
          .status,
      200);
  Answer taken = call("POST", "/api/v1/families", new_key(),
                      json{{"family_id", family_id}, {"role", "mother"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.body["error"], "family_exists");
  Answer family = call("GET", "/api/v1/family", key);
  ASSERT_EQ(family.status, 200) << family.body.dump();
  EXPECT_EQ(family.body["family_id"], family_id);
  EXPECT_EQ(family.body["me"]["role"], "mother");
  fixture.server.stop();
  EXPECT_EQ(read_file(fixture.db).find(key), std::string::npos);
  EXPECT_EQ(read_file(fixture.db + "-wal").find(key), std::string::npos);
  EXPECT_EQ(fixture.server.log().find(key), std::string::npos);
}

TEST_F(CareNetwork, AWrongFamilyKeyGets401WithoutRevealingWhetherTheFamilyExists) {
  std::string key = new_key();
  make_family(key, false);
  std::string other_family_key = new_key();
  std::string other_family = make_family(other_family_key, false);
  std::vector<Answer> answers = {
      call("GET", "/api/v1/family", ""),            // no key
      call("GET", "/api/v1/family", new_key()),     // unknown key
      call("GET", "/api/v1/family", "short"),       // malformed key
      call("GET", "/api/v1/family", key + "x"),     // a near miss
      call("DELETE", "/api/v1/family", new_key()),  // erasing with an unknown key
      linked_share(new_key(), other_family, kLow, {"vsv-a"}, {}),
      linked_share(key, other_family, kLow, {"vsv-a"}, {}),  // a real key, another family
  };
  for (const Answer& answer : answers) {
    EXPECT_EQ(answer.status, 401) << answer.body.dump();
    EXPECT_EQ(answer.body, answers[0].body);
  }
}

TEST_F(CareNetwork, APairingCodeWorksOnceAndNotAfterItExpires) {
  std::string mother = new_key();
  std::string family_id = make_family(mother, false);
  Answer code = call("POST", "/api/v1/family/pairing-code", mother);
  ASSERT_EQ(code.status, 201) << code.body.dump();
  std::string text = code.body["code"];
  EXPECT_EQ(text.size(), 9u);  // ABCD-EFGH

  std::string partner = new_key();
  // Typed by a person: lower case and without the dash is the same code.
  std::string typed = text.substr(0, 4) + text.substr(5);
  for (char& c : typed) c = static_cast<char>(std::tolower(c));
  Answer joined = call("POST", "/api/v1/families/join", partner,
                       json{{"pairing_code", typed}, {"role", "partner"}});
  ASSERT_EQ(joined.status, 200) << joined.body.dump();
  EXPECT_EQ(joined.body["family_id"], family_id);
  Answer family = call("GET", "/api/v1/family", partner);
  ASSERT_EQ(family.status, 200);
  EXPECT_EQ(family.body["parents"].size(), 2u);

  Answer again = call("POST", "/api/v1/families/join", new_key(),
                      json{{"pairing_code", text}, {"role", "partner"}});
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body["error"], "invalid_code");

  Answer fresh = call("POST", "/api/v1/family/pairing-code", mother);
  ASSERT_EQ(fresh.status, 201);
  exec_sql(fixture.db, "UPDATE pairing_codes SET expires_at = 0");
  Answer expired = call("POST", "/api/v1/families/join", new_key(),
                        json{{"pairing_code", fresh.body["code"]}, {"role", "partner"}});
  EXPECT_EQ(expired.status, 400);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_paired'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'pairing_failed'"), 2);
}

TEST_F(CareNetwork, WrongCodesFromOneAddressAreRateLimited) {
  int last = 0;
  for (int i = 0; i < 10; ++i) {
    last = call("POST", "/api/v1/families/join", new_key(),
                json{{"pairing_code", "AAAA-AAAA"}, {"role", "partner"}})
               .status;
    EXPECT_EQ(last, 400);
  }
  Answer limited = call("POST", "/api/v1/families/join", new_key(),
                        json{{"pairing_code", "AAAA-AAAA"}, {"role", "partner"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body["error"], "too_many_attempts");
  EXPECT_FALSE(header(limited.headers, "Retry-After", 0, "").empty());
  // Invitation lookups count against the same limit.
  EXPECT_EQ(call("POST", "/api/v1/invitations/lookup", "", json{{"code", "AAAA-AAAA"}}).status,
            429);
}

TEST_F(CareNetwork, ARecoveryCodeMovesAParentToANewPhoneAndRetiresTheOldKey) {
  std::string old_key = new_key();
  std::string family_id = make_family(old_key, false);
  Answer code = call("POST", "/api/v1/family/recovery-code", old_key);
  ASSERT_EQ(code.status, 201);
  std::string new_phone = new_key();
  Answer recovered = call("POST", "/api/v1/families/recover", new_phone,
                          json{{"recovery_code", code.body["recovery_code"]}});
  ASSERT_EQ(recovered.status, 200) << recovered.body.dump();
  EXPECT_EQ(recovered.body["family_id"], family_id);
  EXPECT_EQ(call("GET", "/api/v1/family", new_phone).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/family", old_key).status, 401);
  // Used up.
  EXPECT_EQ(call("POST", "/api/v1/families/recover", new_key(),
                 json{{"recovery_code", code.body["recovery_code"]}})
                .status,
            400);
}

TEST_F(CareNetwork, AnInvitationNamesTheOrganisationAndIsUsedOnce) {
  std::string anna = login_as("anna");
  Answer invitation = professional("POST", "/api/v1/inbox/invitations", anna);
  ASSERT_EQ(invitation.status, 201) << invitation.body.dump();
  std::string code = invitation.body["code"];
  EXPECT_EQ(invitation.body["link"], "https://a.example/zwanger#kindband-invite=" + code);

  Answer lookup = call("POST", "/api/v1/invitations/lookup", "", json{{"code", code}});
  ASSERT_EQ(lookup.status, 200) << lookup.body.dump();
  EXPECT_EQ(lookup.body["organisation"]["slug"], "vsv-a");
  EXPECT_EQ(lookup.body["coalition"]["slug"], "ks");

  std::string key = new_key();
  make_family(key, false);
  // The invitation is for vsv-a only.
  EXPECT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "jgz-c"},
                      {"consent_version", "2026-11-v1"},
                      {"invitation_code", code}})
                .status,
            400);
  Answer accepted = call(
      "POST", "/api/v1/family/memberships", key,
      json{
          {"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}, {"invitation_code", code}});
  ASSERT_EQ(accepted.status, 201) << accepted.body.dump();
  EXPECT_EQ(accepted.body["via"], "invitation");
  EXPECT_EQ(accepted.body["added_by"], "mother");
  EXPECT_EQ(accepted.body["consent_version"], "2026-11-v1");
  EXPECT_EQ(call("POST", "/api/v1/invitations/lookup", "", json{{"code", code}}).status, 404);
  std::string other = new_key();
  make_family(other, false);
  EXPECT_EQ(call("POST", "/api/v1/family/memberships", other,
                 json{{"organisation", "vsv-a"},
                      {"consent_version", "2026-11-v1"},
                      {"invitation_code", code}})
                .status,
            400);
}

TEST_F(CareNetwork, OnlyOrganisationsOfOneCoalitionJoinAFamily) {
  std::string key = new_key();
  make_family(key);
  Answer outside = call("POST", "/api/v1/family/memberships", key,
                        json{{"organisation", "vsv-b"}, {"consent_version", "2026-11-v1"}});
  EXPECT_EQ(outside.status, 422);
  EXPECT_EQ(outside.body["error"], "no_coalition");
  EXPECT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "nobody"}, {"consent_version", "2026-11-v1"}})
                .status,
            422);
}

TEST_F(CareNetwork, LinkedSharesGoOnlyToActiveMembersThePartnerPicked) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer to_outsider = linked_share(key, family_id, kLow, {"vsv-a", "vsv-b"}, {});
  EXPECT_EQ(to_outsider.status, 422);
  EXPECT_EQ(to_outsider.body["error"], "not_a_member");
  Answer only_midwife = linked_share(key, family_id, kLow, {"vsv-a"}, {});
  ASSERT_EQ(only_midwife.status, 201) << only_midwife.body.dump();
  std::string share_id = only_midwife.body["share_id"];
  // Recipients are explicit rows.
  EXPECT_EQ(count("SELECT COUNT(*) FROM share_recipients WHERE share_id = '" + share_id + "'"), 1);
  std::string carla = login_as("carla");
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + share_id, carla).status, 403);
  std::string anna = login_as("anna");
  Answer read = professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["family_id"], family_id);
  EXPECT_EQ(read.body["parent"], "mother");
  // A site outside the family's coalition may not send the family's shares.
  json share = make_share(new_uuid(), kLow);
  share.erase("organisation");
  share["family_id"] = family_id;
  share["recipients"] = {"vsv-a"};
  EXPECT_EQ(call("POST", "/api/v1/shares", key, share, kOriginB).status, 403);
}

TEST_F(CareNetwork, TheFamilyPageShowsBothParentsSharesInPregnancyOrderWithTheTrend) {
  std::string mother = new_key();
  std::string family_id = make_family(mother);
  Answer code = call("POST", "/api/v1/family/pairing-code", mother);
  std::string partner = new_key();
  ASSERT_EQ(call("POST", "/api/v1/families/join", partner,
                 json{{"pairing_code", code.body["code"]}, {"role", "partner"}})
                .status,
            200);
  json all = {"vsv-a", "jgz-c"};
  // Sent out of order: week 6 after birth first, then week 20 of pregnancy, then the partner.
  json after_birth = {{"role", "mother"}, {"stage", "postpartum"}, {"week", 6}};
  json week20 = {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 20}};
  json partner_week24 = {{"role", "partner"}, {"stage", "pregnancy"}, {"week", 24}};
  ASSERT_EQ(linked_share(mother, family_id, kLow, all, after_birth).status, 201);
  Answer first = linked_share(mother, family_id, kModerate, all, week20);
  ASSERT_EQ(first.status, 201) << first.body.dump();
  ASSERT_EQ(linked_share(partner, family_id, kLow, all, partner_week24).status, 201);

  std::string carla = login_as("carla");
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  ASSERT_EQ(page.status, 200) << page.body.dump();
  const json& timeline = page.body["timeline"];
  ASSERT_EQ(timeline.size(), 3u);
  EXPECT_EQ(timeline[0]["week"], 20);
  EXPECT_EQ(timeline[0]["stage"], "pregnancy");
  EXPECT_EQ(timeline[0]["parent"], "mother");
  EXPECT_EQ(timeline[0]["scales"][0]["score"], 10);
  EXPECT_EQ(timeline[1]["parent"], "partner");
  EXPECT_EQ(timeline[2]["stage"], "postpartum");
  ASSERT_EQ(page.body["trend"].size(), 1u);
  EXPECT_EQ(page.body["trend"][0]["instrument"], "phq9");
  EXPECT_EQ(page.body["trend"][0]["points"].size(), 3u);
  ASSERT_EQ(page.body["network"].size(), 2u);
  EXPECT_EQ(page.body["parents"].size(), 2u);

  // Assign: the network shows who is the contact person at the JGZ.
  Answer assigned = professional("POST", "/api/v1/inbox/families/" + family_id + "/assignment",
                                 carla, json{{"username", "carla"}});
  ASSERT_EQ(assigned.status, 200) << assigned.body.dump();
  EXPECT_EQ(assigned.body["assigned"]["role"], "jeugdverpleegkundige");
  // Not a colleague: anna is a midwife elsewhere.
  EXPECT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/assignment", carla,
                         json{{"username", "anna"}})
                .status,
            404);
  Answer again = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  bool found = false;
  for (const json& entry : again.body["network"]) {
    if (entry["organisation"] == "jgz-c") {
      found = true;
      EXPECT_EQ(entry["assigned"]["username"], "carla");
      EXPECT_TRUE(entry["me"].get<bool>());
    }
  }
  EXPECT_TRUE(found);
  // Parents see the role of the contact person, not the name.
  Answer family = call("GET", "/api/v1/family", mother);
  EXPECT_EQ(family.body.dump().find("carla"), std::string::npos);
}

TEST_F(CareNetwork, ANonMemberSeesNothingOfTheFamily) {
  std::string key = new_key();
  std::string family_id = make_family(key, false);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  Answer share = linked_share(key, family_id, kLow, {"vsv-a"}, {});
  ASSERT_EQ(share.status, 201);
  for (const char* user : {"bert", "carla"}) {
    std::string cookie = login_as(user);
    Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, cookie);
    EXPECT_EQ(page.status, 403) << user;
    EXPECT_EQ(page.body["error"], "not_a_member");
    EXPECT_EQ(
        professional("GET", "/api/v1/inbox/shares/" + share.body["share_id"].get<std::string>(),
                     cookie)
            .status,
        403);
    EXPECT_EQ(
        professional("GET", "/api/v1/inbox?family=" + family_id, cookie).body["shares"].size(), 0u);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_view_denied'"), 2);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families/" + new_uuid(), login_as("anna")).status,
            404);
}

TEST_F(CareNetwork, RemovingAnOrganisationEndsItsAccessFromTheNextRequest) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer share = linked_share(key, family_id, kFlagged, {"vsv-a", "jgz-c"}, {});
  ASSERT_EQ(share.status, 201);
  const std::string share_id = share.body["share_id"];
  std::string anna = login_as("anna");
  ASSERT_EQ(professional("GET", "/api/v1/inbox/families/" + family_id, anna).status, 200);
  ASSERT_EQ(professional("GET", "/api/v1/inbox", anna).body["shares"].size(), 1u);

  Answer removed = call("DELETE", "/api/v1/family/memberships/vsv-a", key);
  ASSERT_EQ(removed.status, 200) << removed.body.dump();
  EXPECT_EQ(removed.body["state"], "removed");
  EXPECT_EQ(removed.body["removed_by"], "mother");

  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  EXPECT_EQ(page.status, 403);
  EXPECT_EQ(page.body["error"], "removed_by_parents");
  Answer read = professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  EXPECT_EQ(read.status, 403);
  EXPECT_EQ(read.body["error"], "removed_by_parents");
  EXPECT_EQ(
      professional("POST", "/api/v1/inbox/shares/" + share_id + "/seen", anna, json{{"note", ""}})
          .status,
      403);
  Answer inbox = professional("GET", "/api/v1/inbox", anna);
  EXPECT_EQ(inbox.body["shares"].size(), 0u);
  EXPECT_EQ(inbox.body["counts"]["all"], 0);
  // The other member still sees it; new shares cannot go to the removed organisation.
  std::string carla = login_as("carla");
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + share_id, carla).status, 200);
  EXPECT_EQ(linked_share(key, family_id, kLow, {"vsv-a"}, {}).status, 422);
  // The parents may add it again later: a new consent record, but the earlier share (not allowed
  // for organisations added later) comes back only when its parent adds it.
  Answer again = call("POST", "/api/v1/family/memberships", key,
                      json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + share_id, anna).status, 403);
  Answer widened = call("POST", "/api/v1/family/shares/" + share_id + "/audience", key,
                        json{{"add", {"vsv-a"}}});
  ASSERT_EQ(widened.status, 200) << widened.body.dump();
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + share_id, anna).status, 200);
}

TEST_F(CareNetwork, ANewMemberSeesOnlyEarlierSharesWhoseParentAllowedIt) {
  std::string key = new_key();
  std::string family_id = make_family(key, false);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  Answer share =
      linked_share(key, family_id, kModerate, {"vsv-a"},
                   {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 20}}, new_uuid(), true);
  ASSERT_EQ(share.status, 201);
  Answer private_share = linked_share(key, family_id, kFlagged, {"vsv-a"},
                                      {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 22}});
  ASSERT_EQ(private_share.status, 201);
  std::string carla = login_as("carla");
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families/" + family_id, carla).status, 403);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "jgz-c"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.body["timeline"].size(), 1u);
  EXPECT_EQ(page.body["timeline"][0]["week"], 20);
}

TEST_F(CareNetwork, ParentsSeeWhoOpenedTheirFamilyAndShares) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer share = linked_share(key, family_id, kLow, {"vsv-a", "jgz-c"}, {});
  std::string anna = login_as("anna");
  professional("GET", "/api/v1/inbox/shares/" + share.body["share_id"].get<std::string>(), anna);
  std::string carla = login_as("carla");
  professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  professional("GET", "/api/v1/inbox/families/" + family_id, login_as("bert"));  // refused

  Answer log = call("GET", "/api/v1/family/access-log", key);
  ASSERT_EQ(log.status, 200) << log.body.dump();
  const json& events = log.body["events"];
  ASSERT_EQ(events.size(), 3u) << events.dump();
  EXPECT_EQ(events[0]["action"], "family_view_denied");
  EXPECT_EQ(events[1]["action"], "family_view");
  EXPECT_EQ(events[1]["organisation_name"], "JGZ Voorbeeldstad");
  EXPECT_EQ(events[1]["role"], "jeugdverpleegkundige");
  EXPECT_EQ(events[2]["action"], "share_read");
  EXPECT_EQ(events[2]["share_id"], share.body["share_id"]);
  EXPECT_EQ(log.body.dump().find("anna"), std::string::npos) << "roles, never names";
}

TEST_F(CareNetwork, RemoveOurFamilyErasesTheBytesAndKeepsTheEvents) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  const std::string marker = "FAMILY-MARKER-2b9d-erase-me";
  json share = make_share(new_uuid(), kFlagged);
  share.erase("organisation");
  share["family_id"] = family_id;
  share["recipients"] = {"vsv-a", "jgz-c"};
  share["message"] = marker;
  share["contact"] = {{"name", "Marker Moeder"}, {"phone", "0698765432"}};
  Answer created = call("POST", "/api/v1/shares", key, share);
  ASSERT_EQ(created.status, 201) << created.body.dump();
  auto on_disk = [&](const std::string& text) {
    return read_file(fixture.db).find(text) != std::string::npos ||
           read_file(fixture.db + "-wal").find(text) != std::string::npos;
  };
  // Sealed at rest: the erasure must remove the sealed bytes (and with them the data key).
  EXPECT_FALSE(on_disk(marker));
  const std::string sealed =
      query_text(fixture.db, "SELECT payload FROM shares WHERE share_id = '" +
                                 share["share_id"].get<std::string>() + "'");
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(on_disk(sealed));

  Answer erased = call("DELETE", "/api/v1/family", key);
  ASSERT_EQ(erased.status, 200) << erased.body.dump();
  EXPECT_EQ(erased.body["status"], "erased");
  EXPECT_FALSE(on_disk(marker)) << "while the server runs";
  EXPECT_FALSE(on_disk(sealed)) << "while the server runs";
  EXPECT_FALSE(on_disk("0698765432"));
  EXPECT_EQ(call("GET", "/api/v1/family", key).status, 401);
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, login_as("anna"));
  EXPECT_EQ(page.status, 410);
  EXPECT_EQ(page.body["error"], "family_erased");
  EXPECT_EQ(count("SELECT COUNT(*) FROM memberships"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM family_parents"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM share_recipients"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM shares WHERE payload IS NOT NULL"), 0);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_erased' AND family_id = '" +
            family_id + "'"),
      1);
  fixture.server.stop();
  EXPECT_FALSE(on_disk(marker)) << "after the server stopped";
  EXPECT_FALSE(on_disk(sealed)) << "after the server stopped";
}

TEST_F(CareNetwork, EveryProfessionalReadAndEveryMembershipChangeIsAnAuditRow) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer share = linked_share(key, family_id, kLow, {"vsv-a", "jgz-c"}, {});
  std::string anna = login_as("anna");
  professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  professional("GET", "/api/v1/inbox/shares/" + share.body["share_id"].get<std::string>(), anna);
  professional("GET", "/api/v1/inbox?family=" + family_id, anna);
  call("DELETE", "/api/v1/family/memberships/jgz-c", key);
  auto rows = [&](const std::string& action) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action +
                 "' AND family_id = '" + family_id + "'");
  };
  EXPECT_EQ(rows("family_created"), 1);
  EXPECT_EQ(rows("membership_added"), 2);
  EXPECT_EQ(rows("membership_removed"), 1);
  EXPECT_EQ(rows("share_received"), 1);
  EXPECT_EQ(rows("family_view"), 2);
  EXPECT_EQ(rows("share_read"), 1);
  EXPECT_EQ(rows("inbox_view"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE address = ''"),
            count("SELECT COUNT(*) FROM audit_log WHERE role = 'admin'"))
      << "every request's row names the client address";
  auto verify = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

TEST_F(CareNetwork, HostileBodiesGetA4xxAndTheServerStaysUp) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"/api/v1/families", "[]"},
      {"/api/v1/families", "{\"family_id\": 12, \"role\": \"mother\"}"},
      {"/api/v1/families", "{\"family_id\": \"" + new_uuid() + "\", \"role\": \"father-in-law\"}"},
      {"/api/v1/families",
       "{\"family_id\": \"" + new_uuid() + "\", \"role\": \"mother\", \"x\": 1}"},
      {"/api/v1/families/join", "{\"pairing_code\": {\"$ne\": null}, \"role\": \"partner\"}"},
      {"/api/v1/families/join", "{\"pairing_code\": \"" + std::string(5000, 'A') + "\"}"},
      {"/api/v1/families/recover", "not json"},
      {"/api/v1/family/memberships", "{\"organisation\": [\"vsv-a\"], \"consent_version\": \"v\"}"},
      {"/api/v1/family/memberships", "{\"organisation\": \"vsv-a\", \"consent_version\": \"\"}"},
      {"/api/v1/family/memberships",
       "{\"organisation\": \"vsv-a\", \"consent_version\": \"" + std::string(100, 'v') + "\"}"},
      {"/api/v1/invitations/lookup", "{\"code\": null}"},
      {"/api/v1/shares", "{\"share_id\": \"" + new_uuid() + "\", \"family_id\": \"" + family_id +
                             "\", \"recipients\": []}"},
      {"/api/v1/shares", "{\"share_id\": \"" + new_uuid() + "\", \"family_id\": \"" + family_id +
                             "\", \"recipients\": [\"vsv-a\", \"vsv-a\"]}"},
      {"/api/v1/shares", "{\"share_id\": \"" + new_uuid() + "\", \"family_id\": \"" + family_id +
                             "\", \"organisation\": \"vsv-a\", \"recipients\": [\"vsv-a\"]}"},
  };
  auto c = fixture.server.client();
  for (const auto& [path, body] : bodies) {
    auto res = c.Post(path.c_str(), {{"Authorization", "Bearer " + key}, {"Origin", kOriginA}},
                      body, "application/json");
    ASSERT_TRUE(res) << path << " " << body;
    EXPECT_GE(res->status, 400) << path << " " << body;
    EXPECT_LT(res->status, 500) << path << " " << body << " " << res->body;
    json error = json::parse(res->body, nullptr, false);
    EXPECT_TRUE(error.contains("error") && error.contains("message")) << res->body;
  }
  // The key never in a URL: a key in the query string is not a key.
  auto in_url = c.Get(("/api/v1/family?key=" + key).c_str());
  EXPECT_EQ(in_url->status, 401);
  EXPECT_EQ(call("GET", "/api/v1/family", key).status, 200);
  EXPECT_TRUE(fixture.server.running());
}

TEST_F(CareNetwork, TheInboxPagesWithACursorAndCountsPerState) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  json both = {"vsv-a", "jgz-c"};
  std::set<std::string> sent;
  for (int i = 0; i < 7; ++i) {
    Answer share = linked_share(key, family_id, i == 3 ? kFlagged : kLow, both, {});
    ASSERT_EQ(share.status, 201);
    sent.insert(share.body["share_id"].get<std::string>());
  }
  // A one-off share to vsv-a: in the inbox, not in the family.
  auto c = fixture.server.client();
  ASSERT_EQ(post_share(c, make_share(new_uuid(), kModerate).dump())->status, 201);
  std::string anna = login_as("anna");
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  std::string first_id;
  do {
    Answer page = professional("GET",
                               "/api/v1/inbox?family=" + family_id + "&limit=3" +
                                   (cursor.empty() ? "" : "&cursor=" + cursor),
                               anna);
    ASSERT_EQ(page.status, 200) << page.body.dump();
    if (pages == 0) first_id = page.body["shares"][0]["share_id"];
    for (const json& entry : page.body["shares"]) {
      EXPECT_TRUE(seen.insert(entry["share_id"].get<std::string>()).second) << "listed twice";
    }
    cursor = page.body["next_cursor"].is_null() ? "" : page.body["next_cursor"].get<std::string>();
    EXPECT_EQ(page.body["counts"]["all"], 7);
    EXPECT_EQ(page.body["counts"]["flagged_new"], 1);
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, sent);
  Answer flagged = professional("GET", "/api/v1/inbox?flag=1", anna);
  ASSERT_EQ(flagged.body["shares"].size(), 1u);
  EXPECT_EQ(flagged.body["shares"][0]["share_id"], first_id) << "the safety share comes first";
  Answer positive = professional("GET", "/api/v1/inbox?positive=1&instrument=phq9", anna);
  EXPECT_EQ(positive.body["shares"].size(), 1u);
  EXPECT_EQ(professional("GET", "/api/v1/inbox", anna).body["counts"]["all"], 8);
  for (const char* bad : {"?limit=0", "?limit=201", "?cursor=nonsense", "?flag=yes",
                          "?family=not-a-uuid", "?instrument=a%20b"}) {
    EXPECT_EQ(professional("GET", std::string("/api/v1/inbox") + bad, anna).status, 400) << bad;
  }
}

}  // namespace
}  // namespace kindband::test::care_network_tests
