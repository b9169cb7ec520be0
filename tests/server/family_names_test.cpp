// Families have names and professionals a family list (issue 24, items 2 and 3), against the real
// server on loopback: the name the parents chose is what members see everywhere (inbox, day view,
// family page, list), never an outsider or an organisation the parents removed; a parent changes
// it; the list searches by name, filters and pages, and each family it returns is in that family's
// "who looked"; erasure takes the name's bytes with it.
#include <ctime>

#include "care_network_fixture.h"

namespace kindband::test::family_names_tests {
namespace {

// The date (YYYY-MM-DD, UTC) `days` from now.
std::string utc_date_in_days(int days) {
  const std::time_t at = std::time(nullptr) + days * 24 * 60 * 60;
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&at));
  return text;
}

class FamilyNames : public CareNetwork {
 protected:
  // A family made with a name, with vsv-a and jgz-c in its network.
  std::string named_family(const std::string& key, const std::string& name) {
    std::string family_id = new_uuid();
    Answer created = call("POST", "/api/v1/families", key,
                          json{{"family_id", family_id}, {"role", "mother"}, {"name", name}});
    EXPECT_EQ(created.status, 201) << created.body.dump();
    for (const char* organisation : {"vsv-a", "jgz-c"}) {
      EXPECT_EQ(call("POST", "/api/v1/family/memberships", key,
                     json{{"organisation", organisation}, {"consent_version", "2026-11-v1"}})
                    .status,
                201);
    }
    return family_id;
  }
  // SQLite: in the file's or WAL's bytes; PostgreSQL: in any row (server_harness.h).
  bool stored(const std::string& text) { return stored_in_database(fixture.db, text); }
};

TEST_F(FamilyNames, MembersSeeTheNameTheParentsChoseEverywhereAndOutsidersNever) {
  const std::string key = new_key();
  const std::string family_id = named_family(key, "Anouk en Sem, uitgerekend maart");
  ASSERT_EQ(linked_share(key, family_id, kModerate, {"vsv-a", "jgz-c"}, {}).status, 201);
  EXPECT_EQ(call("GET", "/api/v1/family", key).body["name"], "Anouk en Sem, uitgerekend maart");
  const std::string carla = login_as("carla");
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body["name"], "Anouk en Sem, uitgerekend maart");
  Answer inbox = professional("GET", "/api/v1/inbox", carla);
  ASSERT_EQ(inbox.body["shares"].size(), 1u);
  EXPECT_EQ(inbox.body["shares"][0]["family_name"], "Anouk en Sem, uitgerekend maart");
  Answer day = professional("GET", "/api/v1/inbox/day", carla);
  ASSERT_EQ(day.status, 200);
  EXPECT_EQ(day.body["not_taken"]["organisation"][0]["family_name"],
            "Anouk en Sem, uitgerekend maart");
  // An outsider (another coalition) gets neither the family nor its name.
  const std::string bert = login_as("bert");
  Answer list = professional("GET", "/api/v1/inbox/families", bert);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.body["families"].empty());
  EXPECT_EQ(
      professional("GET", "/api/v1/inbox/families/" + family_id, bert).body.dump().find("Anouk"),
      std::string::npos);
  // The parents remove the JGZ: the name is gone from what the JGZ sees.
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/jgz-c", key).status, 200);
  Answer after = professional("GET", "/api/v1/inbox", carla);
  EXPECT_EQ(after.body.dump().find("Anouk"), std::string::npos) << after.body.dump();
  EXPECT_TRUE(professional("GET", "/api/v1/inbox/families", carla).body["families"].empty());
}

TEST_F(FamilyNames, AParentRenamesTheFamilyAndTheAuditSaysSoWithoutTheName) {
  const std::string key = new_key();
  const std::string family_id = named_family(key, "Gezin de Vries");
  Answer renamed = call("PATCH", "/api/v1/family", key, json{{"name", "Lotte en Daan"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body.dump();
  EXPECT_EQ(renamed.body["name"], "Lotte en Daan");
  const std::string anna = login_as("anna");
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families/" + family_id, anna).body["name"],
            "Lotte en Daan");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_named' AND family_id = '" +
                  family_id + "'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Lotte%' OR detail LIKE "
                  "'%Vries%'"),
            0);
  // Cleared with null; names are one short line without hidden characters.
  ASSERT_EQ(call("PATCH", "/api/v1/family", key, json{{"name", nullptr}}).status, 200);
  EXPECT_TRUE(
      professional("GET", "/api/v1/inbox/families/" + family_id, anna).body["name"].is_null());
  for (const std::string& bad : {std::string(81, 'a'), std::string("Anna\u202Etsitrop"),
                                 std::string("Twee\nregels"), std::string("")}) {
    Answer refused = call("PATCH", "/api/v1/family", key, json{{"name", bad}});
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(refused.body["error"], "invalid_value");
  }
  EXPECT_EQ(call("PATCH", "/api/v1/family", key, json{{"name", 5}}).status, 400);
}

TEST_F(FamilyNames, TheFamilyListSearchesFiltersPagesAndIsInWhoLooked) {
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(
      fixture.db, {"--families-per-address", "0", "--parent-writes-per-address", "0",
                   "--uninvited-memberships-per-address", "0"}));
  // 52 families of the midwife's practice, one of them with a message waiting and one with a share
  // nobody took.
  std::vector<std::string> keys;
  std::string waiting_id, untaken_id;
  for (int i = 0; i < 52; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "Gezin %02d", i);
    keys.push_back(new_key());
    const std::string id = named_family(keys.back(), name);
    if (i == 30) {
      waiting_id = id;
      ASSERT_EQ(
          call("POST", "/api/v1/family/messages", keys.back(), json{{"text", "Hallo"}}).status,
          201);
    }
    if (i == 40) {
      untaken_id = id;
      ASSERT_EQ(linked_share(keys.back(), id, kLow, {"vsv-a"}, {}).status, 201);
    }
  }
  const std::string anna = login_as("anna");
  Answer first = professional("GET", "/api/v1/inbox/families", anna);
  ASSERT_EQ(first.status, 200) << first.body.dump();
  ASSERT_EQ(first.body["families"].size(), 50u);
  // Those needing action first, then by name.
  EXPECT_EQ(first.body["families"][0]["name"], "Gezin 30");
  EXPECT_EQ(first.body["families"][0]["unanswered_message"], true);
  EXPECT_EQ(first.body["families"][1]["name"], "Gezin 40");
  EXPECT_EQ(first.body["families"][1]["untaken_shares"], 1);
  EXPECT_EQ(first.body["families"][2]["name"], "Gezin 00");
  EXPECT_EQ(first.body["families"][2]["needs_action"], false);
  ASSERT_EQ(first.body["next_offset"], 50);
  Answer second = professional("GET", "/api/v1/inbox/families?offset=50", anna);
  ASSERT_EQ(second.body["families"].size(), 2u);
  EXPECT_TRUE(second.body["next_offset"].is_null());
  // Search is by name, case-insensitive; filters narrow the list.
  Answer found = professional("GET", "/api/v1/inbox/families?q=gezin%204", anna);
  ASSERT_EQ(found.body["families"].size(), 10u) << found.body.dump();
  Answer needs = professional("GET", "/api/v1/inbox/families?needs_action=1", anna);
  ASSERT_EQ(needs.body["families"].size(), 2u);
  Answer fresh = professional("GET", "/api/v1/inbox/families?state=new", anna);
  ASSERT_EQ(fresh.body["families"].size(), 1u);
  EXPECT_EQ(fresh.body["families"][0]["family_id"], untaken_id);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families?state=open", anna).status, 400);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families?offset=-1", anna).status, 400);
  // Once the midwife answered, the message no longer needs action.
  ASSERT_EQ(professional("POST", "/api/v1/inbox/families/" + waiting_id + "/messages", anna,
                         json{{"text", "Ik bel je morgen"}})
                .status,
            201);
  EXPECT_EQ(
      professional("GET", "/api/v1/inbox/families?needs_action=1", anna).body["families"].size(),
      1u);
  // Each family the list returned is in that family's "who looked"; one not returned is not.
  Answer log = call("GET", "/api/v1/family/access-log", keys[40]);
  bool listed = false;
  for (const json& event : log.body["events"]) {
    listed = listed || (event["action"] == "family_list" && event["organisation"] == "vsv-a");
  }
  EXPECT_TRUE(listed) << log.body.dump();
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_list' AND family_id = '" +
                  untaken_id + "'"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_list' AND family_id = "
                  "'' AND actor = 'anna'"),
            6)
      << "one row per list read (six above; the two refused ones are not reads)";
}

TEST_F(FamilyNames, TheDayViewShowsWhatIsNewForUsOnce) {
  // The midwife's family (vsv-a only); she refers it to the JGZ, records an intake and agrees on a
  // visit by the JGZ within a week.
  const std::string key = new_key();
  std::string family_id = new_uuid();
  ASSERT_EQ(call("POST", "/api/v1/families", key,
                 json{{"family_id", family_id}, {"role", "mother"}, {"name", "Gezin Bakker"}})
                .status,
            201);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  const std::string anna = login_as("anna");
  const std::string family = "/api/v1/inbox/families/" + family_id;
  ASSERT_EQ(professional("POST", family + "/referrals", anna,
                         json{{"organisation", "jgz-c"}, {"reason", "Huisbezoek"}})
                .status,
            201);
  const std::string carla = login_as("carla");
  auto new_for_us = [&]() {
    Answer day = professional("GET", "/api/v1/inbox/day", carla);
    EXPECT_EQ(day.status, 200) << day.body.dump();
    return day.body["new_for_us"];
  };
  EXPECT_TRUE(new_for_us().empty()) << "a proposal is not news for the JGZ until accepted";
  const int64_t proposal = call("GET", "/api/v1/family", key).body["proposals"][0]["id"];
  ASSERT_EQ(call("POST", "/api/v1/family/referrals/" + std::to_string(proposal), key,
                 json{{"decision", "accept"}, {"consent_version", "2026-11-referral-v1"}})
                .status,
            200);
  json news = new_for_us();
  ASSERT_EQ(news.size(), 1u) << news.dump();
  EXPECT_EQ(news[0]["kind"], "referral_accepted");
  EXPECT_EQ(news[0]["family_name"], "Gezin Bakker");
  EXPECT_EQ(news[0]["by_organisation"], "Verloskunde A");
  // The midwife records an intake conversation; the mother shares it with the network.
  json record = {{"occasion", "intake"},
                 {"moment", {{"stage", "pregnancy"}, {"week", 14}}},
                 {"topics", {{"little_support", {{"status", "present"}}}}},
                 {"parents_view", "Graag hulp"},
                 {"judgement", {{"support", "extra_support"}, {"note", "JGZ"}}}};
  Answer triage = professional("POST", family + "/triages", anna, record);
  ASSERT_EQ(triage.status, 201) << triage.body.dump();
  EXPECT_EQ(new_for_us().size(), 1u) << "not shared yet";
  ASSERT_EQ(call("POST",
                 "/api/v1/family/triages/" + std::to_string(triage.body["id"].get<int64_t>()) +
                     "/decision",
                 key, json{{"decision", "share"}, {"consent_version", "2026-12-triage-v1"}})
                .status,
            200);
  // An agreement for the JGZ, due in three days (and one for the midwife: not the JGZ's news).
  const std::string soon = utc_date_in_days(3);
  ASSERT_EQ(professional(
                "POST", family + "/agreements", anna,
                json{{"what", "Huisbezoek"}, {"owner_organisation", "jgz-c"}, {"due_date", soon}})
                .status,
            201);
  ASSERT_EQ(
      professional("POST", family + "/agreements", anna,
                   json{{"what", "Controle"}, {"owner_organisation", "vsv-a"}, {"due_date", soon}})
          .status,
      201);
  news = new_for_us();
  ASSERT_EQ(news.size(), 3u) << news.dump();
  std::set<std::string> kinds;
  for (const json& item : news) kinds.insert(item["kind"]);
  EXPECT_EQ(kinds, (std::set<std::string>{"referral_accepted", "intake_shared", "agreement_due"}));
  for (const json& item : news) {
    if (item["kind"] == "agreement_due") {
      EXPECT_EQ(item["what"], "Huisbezoek");
      EXPECT_EQ(item["due_date"], soon);
    }
  }
  // The day view's reads of this family are in its "who looked".
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_log WHERE action = 'day_view' AND family_id = '" +
                  family_id + "' AND actor = 'carla'"),
            0);
  // The parents remove the JGZ: nothing of the family stays in its news.
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/jgz-c", key).status, 200);
  EXPECT_TRUE(new_for_us().empty());
}

TEST_F(FamilyNames, ErasureTakesTheNamesBytes) {
  const std::string key = new_key();
  named_family(key, "Naam-die-weg-moet 4711");
  ASSERT_EQ(call("PATCH", "/api/v1/family", key, json{{"name", "Tweede-naam 4712"}}).status, 200);
  // Sealed at rest (docs/envelope.md): the erasure must take the sealed value too.
  const std::string sealed = query_text(fixture.db, "SELECT name FROM families");
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(stored(sealed));
  EXPECT_FALSE(stored("Tweede-naam 4712"));
  ASSERT_EQ(call("DELETE", "/api/v1/family", key).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM families WHERE name IS NOT NULL"), 0);
  EXPECT_FALSE(stored(sealed));
  EXPECT_FALSE(stored("Naam-die-weg-moet 4711"));
  EXPECT_FALSE(stored("Tweede-naam 4712"));
}

TEST_F(FamilyNames, TheFamilyListFiltersOnDueOrBirthDateAndCaseState) {
  // One family shared in week 20 of the pregnancy (due in about 20 weeks), one 6 weeks after the
  // birth (born about 6 weeks ago), one shared nothing with a moment.
  const std::string expecting_key = new_key();
  const std::string expecting = named_family(expecting_key, "Zwanger week 20");
  ASSERT_EQ(linked_share(expecting_key, expecting, kLow, {"vsv-a"},
                         {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 20}})
                .status,
            201);
  const std::string born_key = new_key();
  const std::string born = named_family(born_key, "Kraamweek 6");
  ASSERT_EQ(linked_share(born_key, born, kLow, {"vsv-a"},
                         {{"role", "mother"}, {"stage", "postpartum"}, {"week", 6}})
                .status,
            201);
  named_family(new_key(), "Nog niets gedeeld");
  const std::string anna = login_as("anna");
  auto names = [&](const std::string& query) {
    Answer list = professional("GET", "/api/v1/inbox/families" + query, anna);
    EXPECT_EQ(list.status, 200) << query << ": " << list.body.dump();
    std::vector<std::string> found;
    for (const json& family : list.body["families"]) found.push_back(family["name"]);
    std::sort(found.begin(), found.end());
    return found;
  };
  // Each family says when it is due or was born (estimated from the moment it shared).
  Answer all = professional("GET", "/api/v1/inbox/families", anna);
  for (const json& family : all.body["families"]) {
    if (family["family_id"] == expecting) {
      EXPECT_EQ(family["expected"], (json{{"kind", "due"}, {"date", utc_date_in_days(140)}}));
    } else if (family["family_id"] == born) {
      EXPECT_EQ(family["expected"], (json{{"kind", "born"}, {"date", utc_date_in_days(-42)}}));
    } else {
      EXPECT_TRUE(family["expected"].is_null()) << family.dump();
    }
  }
  const std::string soon = "?from=" + utc_date_in_days(133) + "&to=" + utc_date_in_days(147);
  EXPECT_EQ(names(soon), std::vector<std::string>{"Zwanger week 20"});
  const std::string recent = "?from=" + utc_date_in_days(-49) + "&to=" + utc_date_in_days(-35);
  EXPECT_EQ(names(recent), std::vector<std::string>{"Kraamweek 6"});
  EXPECT_EQ(names("?from=" + utc_date_in_days(-60)),
            (std::vector<std::string>{"Kraamweek 6", "Zwanger week 20"}));
  EXPECT_EQ(names("?to=" + utc_date_in_days(0)), std::vector<std::string>{"Kraamweek 6"});
  // Combined with the case state and "needs action": both shares are new, nobody took them.
  EXPECT_EQ(names(soon + "&state=new&needs_action=1"), std::vector<std::string>{"Zwanger week 20"});
  EXPECT_TRUE(names(soon + "&state=closed").empty());
  // Dates must be dates, the range the right way round.
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families?from=20261301", anna).status, 400);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/families?to=2026-13-01", anna).status, 400);
  EXPECT_EQ(professional("GET",
                         "/api/v1/inbox/families?from=" + utc_date_in_days(10) +
                             "&to=" + utc_date_in_days(0),
                         anna)
                .status,
            400);
  // Audited with the filters used, never the search text.
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_log WHERE action = 'family_list' AND family_id = "
                  "'' AND detail LIKE '%state=new needs_action=1 from=" +
                  utc_date_in_days(133) + "%'"),
            0);
  Answer searched = professional("GET", "/api/v1/inbox/families?q=Kraamweek", anna);
  ASSERT_EQ(searched.status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%Kraamweek%'"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%search=yes%'"), 0);
}

TEST_F(FamilyNames, ProfessionalsAreShownByTheirDisplayNameNeverTheirUsername) {
  auto named = run_admin(fixture.db, {"set-professional-name", "anna", "Anna de Boer"});
  ASSERT_EQ(named.exit_code, 0) << named.output;
  EXPECT_NE(run_admin(fixture.db, {"set-professional-name", "anna", ""}).exit_code, 0);
  EXPECT_NE(run_admin(fixture.db, {"set-professional-name", "nobody", "X"}).exit_code, 0);
  auto created = run_admin(fixture.db,
                           {"create-professional", "dirk", "--organisation", "vsv-a", "--role",
                            "verloskundige", "--name", "Dirk Jansen"},
                           std::string(kPassword) + "\n");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  const std::string key = new_key();
  const std::string family_id = named_family(key, "Gezin Visser");
  Answer share = linked_share(key, family_id, kModerate, {"vsv-a"}, {});
  ASSERT_EQ(share.status, 201);
  const std::string share_id = share.body["share_id"];

  const std::string anna = login_as("anna");
  Answer me = professional("GET", "/api/v1/me", anna);
  EXPECT_EQ(me.body["name"], "Anna de Boer");
  // Colleagues by name (dirk has one, the list is ordered by it).
  Answer colleagues = professional("GET", "/api/v1/inbox/colleagues", anna);
  ASSERT_EQ(colleagues.body["colleagues"].size(), 2u) << colleagues.body.dump();
  EXPECT_EQ(colleagues.body["colleagues"][0]["name"], "Anna de Boer");
  EXPECT_EQ(colleagues.body["colleagues"][1]["name"], "Dirk Jansen");
  // The case owner and its history, and the family's contact person.
  ASSERT_EQ(professional("POST", "/api/v1/inbox/shares/" + share_id + "/case", anna,
                         json{{"action", "take"}})
                .status,
            200);
  ASSERT_EQ(professional("POST", "/api/v1/inbox/shares/" + share_id + "/case", anna,
                         json{{"action", "reassign"}, {"username", "dirk"}})
                .status,
            200);
  Answer detail = professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  ASSERT_EQ(detail.status, 200) << detail.body.dump();
  EXPECT_EQ(detail.body["case"]["owner"]["name"], "Dirk Jansen");
  EXPECT_EQ(detail.body["family_name"], "Gezin Visser");
  const json history = detail.body["case"]["history"];
  ASSERT_GE(history.size(), 2u) << history.dump();
  EXPECT_EQ(history[0]["name"], "Anna de Boer");
  EXPECT_EQ(history.back()["to_name"], "Dirk Jansen");
  ASSERT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/assignment", anna,
                         json{{"username", "anna"}})
                .status,
            200);
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  bool assigned = false;
  for (const json& member : page.body["network"]) {
    if (member["organisation"] == "vsv-a") {
      assigned = member["assigned"]["name"] == "Anna de Boer";
    }
  }
  EXPECT_TRUE(assigned) << page.body.dump();
  // The parents' "who looked" names the person and the organisation, never the username.
  Answer log = call("GET", "/api/v1/family/access-log", key);
  ASSERT_EQ(log.status, 200);
  bool named_read = false;
  for (const json& event : log.body["events"]) {
    if (event["action"] == "share_read") {
      named_read =
          event["person"] == "Anna de Boer" && event["organisation_name"] == "Verloskunde A";
    }
  }
  EXPECT_TRUE(named_read) << log.body.dump();
  EXPECT_EQ(log.body.dump().find("\"anna\""), std::string::npos) << log.body.dump();
  // A professional without a display name is not named to parents at all (only the role).
  const std::string carla = login_as("carla");
  ASSERT_EQ(professional("GET", "/api/v1/inbox/families/" + family_id, carla).status, 200);
  for (const json& event : call("GET", "/api/v1/family/access-log", key).body["events"]) {
    if (event["organisation"] == "jgz-c") {
      EXPECT_FALSE(event.contains("person")) << event.dump();
    }
  }
}

}  // namespace
}  // namespace kindband::test::family_names_tests
