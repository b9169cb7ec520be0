// Earlier one-off shares linked to the family with the parent's consent (docs/care-network.md,
// issue 24): a parent who shared a result with one organisation before the family existed links it
// to the family by presenting its receipt. It becomes her own share on the family page of that one
// organisation, never wider; a wrong receipt, another parent's share or an organisation outside her
// network links nothing; a retry links nothing twice; every link is an audit row the parents see.
#include "care_network_fixture.h"

namespace kindband::test::one_off_link_tests {
namespace {

class OneOffLink : public CareNetwork {
 protected:
  // A one-off share (no family) to `organisation` from its own website; returns {id, receipt}.
  std::pair<std::string, std::string> one_off(const std::vector<int>& answers,
                                              const std::string& organisation = "vsv-a",
                                              const std::string& origin = kOriginA) {
    auto c = fixture.server.client();
    const std::string id = new_uuid();
    auto sent =
        post_share(c, make_share(id, answers, "result_and_answers", organisation).dump(), origin);
    EXPECT_TRUE(sent);
    if (!sent) return {id, ""};
    EXPECT_EQ(sent->status, 201) << sent->body;
    return {id, json::parse(sent->body).value("receipt", "")};
  }
  Answer link(const std::string& key, const json& shares) {
    return call("POST", "/api/v1/family/shares/link", key, json{{"shares", shares}});
  }
  static json entry(const std::string& id, const std::string& receipt) {
    return json{{"share_id", id}, {"receipt", receipt}};
  }
  // A new device joins the family of `maker` as the partner.
  std::string join(const std::string& maker) {
    Answer code = call("POST", "/api/v1/family/pairing-code", maker, json::object());
    EXPECT_EQ(code.status, 201) << code.body.dump();
    const std::string key = new_key();
    Answer joined =
        call("POST", "/api/v1/families/join", key, json{{"pairing_code", code.body["code"]}});
    EXPECT_EQ(joined.status, 200) << joined.body.dump();
    return key;
  }
  static bool lists(const json& list, const char* key, const std::string& value) {
    for (const json& item : list) {
      if (item.value(key, json()) == value) return true;
    }
    return false;
  }
  std::string share_family(const std::string& id) {
    return query_text(fixture.db, "SELECT COALESCE(family_id, '') FROM shares WHERE share_id = " +
                                      sql_literal(id));
  }
  long long linked_rows(const std::string& id) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = 'share_linked' AND share_id = " +
                 sql_literal(id));
  }
};

TEST_F(OneOffLink, LinksTheSharesWhoseReceiptsSheHoldsAsHerOwnForTheSameAudience) {
  // Before there was a family, the mother shared a PHQ-9 with the midwife only.
  const auto [share_id, receipt] = one_off(kModerate);
  const std::string mother = new_key();
  const std::string family_id = make_family(mother);  // vsv-a and jgz-c in the network
  const std::string anna = login_as("anna");
  const std::string carla = login_as("carla");
  // Not on the family page before she links it.
  Answer before = professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  ASSERT_EQ(before.status, 200) << before.body.dump();
  EXPECT_FALSE(lists(before.body["timeline"], "share_id", share_id));

  Answer linked = link(mother, json::array({entry(share_id, receipt)}));
  ASSERT_EQ(linked.status, 200) << linked.body.dump();
  EXPECT_EQ(linked.body["linked"], json::array({share_id}));
  EXPECT_EQ(linked.body["already_linked"], json::array());
  EXPECT_EQ(share_family(share_id), family_id);

  // Hers, with the audience she chose then: the midwife only.
  Answer family = call("GET", "/api/v1/family", mother);
  ASSERT_EQ(family.status, 200) << family.body.dump();
  json mine = nullptr;
  for (const json& share : family.body["shares"]) {
    if (share["share_id"] == share_id) mine = share;
  }
  ASSERT_FALSE(mine.is_null()) << family.body["shares"].dump();
  EXPECT_EQ(mine["parent"], "mother");
  EXPECT_EQ(mine["mine"], true);
  EXPECT_EQ(mine["recipients"], json::array({"vsv-a"}));
  EXPECT_EQ(mine["later_members"], false);
  EXPECT_EQ(mine["show_to_family"], false);

  // The midwife sees it on the family page now, with the family and the parent on the share.
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  ASSERT_EQ(page.status, 200) << page.body.dump();
  EXPECT_TRUE(lists(page.body["timeline"], "share_id", share_id)) << page.body["timeline"].dump();
  Answer read = professional("GET", "/api/v1/inbox/shares/" + share_id, anna);
  ASSERT_EQ(read.status, 200) << read.body.dump();
  EXPECT_EQ(read.body["family_id"], family_id);
  EXPECT_EQ(read.body["parent"], "mother");

  // The JGZ is in the same network, but was never in this share's audience: not on its family
  // page, not readable, not in its inbox.
  Answer other_page = professional("GET", "/api/v1/inbox/families/" + family_id, carla);
  ASSERT_EQ(other_page.status, 200) << other_page.body.dump();
  EXPECT_FALSE(lists(other_page.body["timeline"], "share_id", share_id))
      << other_page.body["timeline"].dump();
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + share_id, carla).status, 403);
  Answer inbox = professional("GET", "/api/v1/inbox?family=" + family_id, carla);
  ASSERT_EQ(inbox.status, 200) << inbox.body.dump();
  EXPECT_FALSE(lists(inbox.body["shares"], "share_id", share_id));
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM share_recipients WHERE share_id = " + sql_literal(share_id)), 1);

  // Not even when the JGZ joins again later: she never allowed later members for this share.
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/jgz-c", mother).status, 200);
  ASSERT_EQ(call("POST", "/api/v1/family/memberships", mother,
                 json{{"organisation", "jgz-c"}, {"consent_version", "2026-11-v1"}})
                .status,
            201);
  EXPECT_EQ(professional("GET", "/api/v1/inbox/shares/" + share_id, carla).status, 403);

  // The partner, who joins afterwards, does not see it (she did not show it to the family).
  const std::string partner = join(mother);
  Answer partners = call("GET", "/api/v1/family", partner);
  ASSERT_EQ(partners.status, 200) << partners.body.dump();
  EXPECT_FALSE(lists(partners.body["shares"], "share_id", share_id));
}

TEST_F(OneOffLink, AWrongReceiptOrAnotherParentsShareLinksNothing) {
  const auto [share_id, receipt] = one_off(kModerate);
  const auto [second_id, second_receipt] = one_off(kLow);
  const std::string mother = new_key();
  const std::string family_id = make_family(mother);

  // A made-up receipt, and the receipt of another share: refused, nothing linked at all (also not
  // the share whose receipt is right).
  Answer wrong =
      link(mother,
           json::array({entry(second_id, second_receipt), entry(share_id, std::string(64, 'a'))}));
  EXPECT_EQ(wrong.status, 404) << wrong.body.dump();
  EXPECT_EQ(wrong.body["error"], "not_found");
  EXPECT_NE(wrong.body["message"].get<std::string>().find("/shares/1"), std::string::npos)
      << wrong.body.dump();
  Answer swapped = link(mother, json::array({entry(share_id, second_receipt)}));
  EXPECT_EQ(swapped.status, 404) << swapped.body.dump();
  EXPECT_EQ(share_family(share_id), "");
  EXPECT_EQ(share_family(second_id), "");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'share_linked'"), 0);

  // Without a family key, or with another family's key: the family key decides whose it becomes.
  EXPECT_EQ(link("", json::array({entry(share_id, receipt)})).status, 401);

  // Another family's mother linked her own one-off share; this mother holds its receipt too (a
  // shared phone): it stays in the family it was linked to.
  const std::string other = new_key();
  const std::string other_family = make_family(other);
  const auto [theirs, their_receipt] = one_off(kLow);
  ASSERT_EQ(link(other, json::array({entry(theirs, their_receipt)})).status, 200);
  Answer elsewhere = link(mother, json::array({entry(theirs, their_receipt)}));
  EXPECT_EQ(elsewhere.status, 409) << elsewhere.body.dump();
  EXPECT_EQ(elsewhere.body["error"], "linked_elsewhere");
  EXPECT_EQ(share_family(theirs), other_family);

  // The mother's share, linked as hers: the partner cannot take it over, even with its receipt.
  ASSERT_EQ(link(mother, json::array({entry(share_id, receipt)})).status, 200);
  const std::string partner = join(mother);
  Answer partners = link(partner, json::array({entry(share_id, receipt)}));
  EXPECT_EQ(partners.status, 409) << partners.body.dump();
  EXPECT_EQ(partners.body["error"], "linked_elsewhere");
  EXPECT_EQ(query_text(fixture.db,
                       "SELECT parent_role FROM shares WHERE share_id = " + sql_literal(share_id)),
            "mother");

  // A share with an organisation outside her network (vsv-b): linking it would show it to no
  // one new, and the family is not that organisation's to see; refused.
  const auto [outside, outside_receipt] = one_off(kLow, "vsv-b", kOriginB);
  Answer not_member = link(mother, json::array({entry(outside, outside_receipt)}));
  EXPECT_EQ(not_member.status, 422) << not_member.body.dump();
  EXPECT_EQ(not_member.body["error"], "not_a_member");
  EXPECT_EQ(share_family(outside), "");

  // A withdrawn share: nothing of it is left to link.
  auto c = fixture.server.client();
  ASSERT_EQ(c.Delete(("/api/v1/shares/" + second_id).c_str(),
                     {{"Authorization", "Bearer " + second_receipt}})
                ->status,
            200);
  Answer withdrawn = link(mother, json::array({entry(second_id, second_receipt)}));
  EXPECT_EQ(withdrawn.status, 409) << withdrawn.body.dump();
  EXPECT_EQ(withdrawn.body["error"], "share_withdrawn");
  EXPECT_EQ(share_family(second_id), "");

  // Bodies that are not a list of {share_id, receipt}.
  EXPECT_EQ(link(mother, json::array()).status, 400);
  EXPECT_EQ(link(mother, json::array({json{{"share_id", "x"}, {"receipt", receipt}}})).status, 400);
  EXPECT_EQ(
      call("POST", "/api/v1/family/shares/link", mother,
           json{{"shares", json::array({entry(share_id, receipt)})}, {"family_id", other_family}})
          .status,
      400);
}

TEST_F(OneOffLink, ARetryLinksNothingTwiceAndEveryLinkIsAuditedForTheParents) {
  const auto [share_id, receipt] = one_off(kFlagged);
  const auto [later_id, later_receipt] = one_off(kLow);
  const std::string mother = new_key();
  const std::string family_id = make_family(mother);

  Answer first = link(mother, json::array({entry(share_id, receipt)}));
  ASSERT_EQ(first.status, 200) << first.body.dump();
  EXPECT_EQ(first.body["linked"], json::array({share_id}));
  // The answer was lost; the widget sends the same list again, now with one more share.
  Answer again =
      link(mother, json::array({entry(share_id, receipt), entry(later_id, later_receipt)}));
  ASSERT_EQ(again.status, 200) << again.body.dump();
  EXPECT_EQ(again.body["linked"], json::array({later_id}));
  EXPECT_EQ(again.body["already_linked"], json::array({share_id}));
  Answer third = link(mother, json::array({entry(share_id, receipt)}));
  ASSERT_EQ(third.status, 200) << third.body.dump();
  EXPECT_EQ(third.body["linked"], json::array());
  EXPECT_EQ(linked_rows(share_id), 1);
  EXPECT_EQ(linked_rows(later_id), 1);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM share_recipients WHERE share_id = " + sql_literal(share_id)), 1);

  // NEN 7513: who (the mother's device), what, which share, which family, which organisation.
  auto rows = query_rows(fixture.db,
                         "SELECT actor, role, organisation, family_id FROM audit_log WHERE "
                         "action = 'share_linked' AND share_id = " +
                             sql_literal(share_id));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "parent:mother");
  EXPECT_EQ(rows[0][1], "parent");
  EXPECT_EQ(rows[0][2], "vsv-a");
  EXPECT_EQ(rows[0][3], family_id);
  // The audit chain still verifies.
  auto verified = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;

  // The parent sees it in "who looked" / "wat er gebeurde", by whom; the partner does not.
  Answer log = call("GET", "/api/v1/family/access-log", mother);
  ASSERT_EQ(log.status, 200) << log.body.dump();
  json event = nullptr;
  for (const json& line : log.body["events"]) {
    if (line["action"] == "share_linked" && line.value("share_id", "") == share_id) event = line;
  }
  ASSERT_FALSE(event.is_null()) << log.body.dump();
  EXPECT_EQ(event["by"], "mother");
  EXPECT_EQ(event["organisation"], "vsv-a");
  EXPECT_EQ(event["count"], 1);
  const std::string partner = join(mother);
  Answer partners = call("GET", "/api/v1/family/access-log", partner);
  ASSERT_EQ(partners.status, 200) << partners.body.dump();
  EXPECT_FALSE(lists(partners.body["events"], "action", "share_linked")) << partners.body.dump();
}

TEST_F(OneOffLink, ErasingTheFamilyErasesTheLinkedShares) {
  const auto [share_id, receipt] = one_off(kModerate);
  const std::string mother = new_key();
  const std::string family_id = make_family(mother);
  ASSERT_EQ(link(mother, json::array({entry(share_id, receipt)})).status, 200);
  const std::string sealed = query_text(
      fixture.db, "SELECT payload FROM shares WHERE share_id = " + sql_literal(share_id));
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(stored_in_database(fixture.db, sealed));
  // "Remove our family" without naming the one-off shares: the linked one is the family's now.
  Answer erased = call("DELETE", "/api/v1/family", mother);
  ASSERT_EQ(erased.status, 200) << erased.body.dump();
  EXPECT_EQ(count("SELECT COUNT(*) FROM shares WHERE share_id = " + sql_literal(share_id) +
                  " AND status = 'withdrawn' AND payload IS NULL AND summary IS NULL AND "
                  "body_hash IS NULL AND family_id IS NULL AND parent_role IS NULL"),
            1);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM share_recipients WHERE share_id = " + sql_literal(share_id)), 0);
  EXPECT_FALSE(stored_in_database(fixture.db, sealed)) << "the sealed payload bytes are gone";
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, login_as("anna"));
  EXPECT_EQ(page.status, 410) << page.body.dump();
}

}  // namespace
}  // namespace kindband::test::one_off_link_tests
