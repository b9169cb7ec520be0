// GET /api/v1/inbox/shares/{id}/fhir (issue 13, docs/fhir.md): a share as a FHIR R4 Bundle, with
// the access rules of reading the share and an audit row of its own.
#include <gtest/gtest.h>

#include "care_network_fixture.h"

namespace kindband::test::fhir_tests {
namespace {

std::string fhir_path(const std::string& share_id) {
  return "/api/v1/inbox/shares/" + share_id + "/fhir";
}

class Fhir : public CareNetwork {
 protected:
  long long audit_rows(const std::string& action, const std::string& share_id) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = '" + action + "' AND share_id = '" +
                 share_id + "'");
  }
};

TEST_F(Fhir, RecipientGetsTheShareAsABundleAndTheExportIsAudited) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer share = linked_share(key, family_id, kFlagged, {"vsv-a", "jgz-c"}, {});
  ASSERT_EQ(share.status, 201) << share.body.dump();
  const std::string share_id = share.body["share_id"];

  auto client = fixture.server.client();
  auto res = client.Get(fhir_path(share_id).c_str(),
                        httplib::Headers{{"Cookie", "kb_session=" + login_as("carla")}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/fhir+json");
  EXPECT_EQ(res->get_header_value("Content-Disposition"),
            "attachment; filename=\"kindband-" + share_id + ".fhir.json\"");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  json bundle = json::parse(res->body);
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["type"], "collection");
  ASSERT_GE(bundle["entry"].size(), 3u);  // response, total, safety flag
  const json& response = bundle["entry"][0]["resource"];
  EXPECT_EQ(response["resourceType"], "QuestionnaireResponse");
  EXPECT_EQ(response["id"], share_id);
  EXPECT_EQ(response["questionnaire"], "urn:kindband:questionnaire:phq9|2001");
  const json& total = bundle["entry"][1]["resource"];
  EXPECT_EQ(total["code"]["coding"][0]["code"], "44261-6");
  EXPECT_EQ(total["valueQuantity"]["value"], 1);
  EXPECT_EQ(bundle["entry"][2]["resource"]["code"]["coding"][0]["code"], "phq9.self_harm");
  // No Patient resource and no reference to one.
  EXPECT_EQ(bundle.dump().find("\"resourceType\":\"Patient\""), std::string::npos);
  EXPECT_EQ(res->body.find("Patient/"), std::string::npos);

  EXPECT_EQ(audit_rows("share_fhir_export", share_id), 1);
  EXPECT_EQ(audit_rows("share_read", share_id), 0);
}

TEST_F(Fhir, ResultOnlyShareGivesObservationsOnly) {
  auto client = fixture.server.client();
  const std::string share_id = new_uuid();
  json share = make_share(share_id, kModerate, "result");
  auto posted = post_share(client, share.dump());
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 201) << posted->body;
  Answer bundle = professional("GET", fhir_path(share_id), login_as("anna"));
  ASSERT_EQ(bundle.status, 200) << bundle.body.dump();
  ASSERT_EQ(bundle.body["entry"].size(), 1u);
  EXPECT_EQ(bundle.body["entry"][0]["resource"]["resourceType"], "Observation");
  EXPECT_EQ(bundle.body["entry"][0]["resource"]["valueQuantity"]["value"], 10);
  EXPECT_FALSE(bundle.body["entry"][0]["resource"].contains("derivedFrom"));
}

TEST_F(Fhir, SameRefusalsAsReadingTheShareEachAudited) {
  std::string key = new_key();
  std::string family_id = make_family(key);
  Answer share = linked_share(key, family_id, kModerate, {"vsv-a"}, {});
  ASSERT_EQ(share.status, 201) << share.body.dump();
  const std::string share_id = share.body["share_id"];

  // Not logged in; unknown share.
  EXPECT_EQ(professional("GET", fhir_path(share_id), "").status, 401);
  EXPECT_EQ(professional("GET", fhir_path(new_uuid()), login_as("anna")).status, 404);
  // Not a recipient: jgz-c is in the family's network but the share did not go there; vsv-b is
  // outside it.
  for (const char* outsider : {"carla", "bert"}) {
    Answer denied = professional("GET", fhir_path(share_id), login_as(outsider));
    EXPECT_EQ(denied.status, 403) << outsider;
    EXPECT_EQ(denied.body["error"], "forbidden") << outsider;
  }
  EXPECT_EQ(audit_rows("share_fhir_export_denied", share_id), 2);

  // The parents remove the recipient.
  std::string anna = login_as("anna");
  ASSERT_EQ(professional("GET", fhir_path(share_id), anna).status, 200);
  ASSERT_EQ(call("DELETE", "/api/v1/family/memberships/vsv-a", key).status, 200);
  Answer removed = professional("GET", fhir_path(share_id), anna);
  EXPECT_EQ(removed.status, 403);
  EXPECT_EQ(removed.body["error"], "removed_by_parents");
  EXPECT_EQ(audit_rows("share_fhir_export_denied", share_id), 3);
  EXPECT_EQ(audit_rows("share_fhir_export", share_id), 1);
}

TEST_F(Fhir, WithdrawnShareIsGone) {
  auto client = fixture.server.client();
  const std::string share_id = new_uuid();
  auto posted = post_share(client, make_share(share_id, kModerate).dump());
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 201) << posted->body;
  const std::string receipt = json::parse(posted->body)["receipt"];
  ASSERT_EQ(call("DELETE", "/api/v1/shares/" + share_id, receipt).status, 200);
  Answer gone = professional("GET", fhir_path(share_id), login_as("anna"));
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(gone.body["error"], "withdrawn");
  EXPECT_EQ(audit_rows("share_fhir_export_withdrawn", share_id), 1);
}

}  // namespace
}  // namespace kindband::test::fhir_tests
