// The share API as the widget uses it: durable creation, idempotency, validation errors, CORS,
// receipts, status and withdrawal (docs/share-api.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kindband/engine.h"
#include "server_harness.h"

namespace kindband::test::share_api_tests {
namespace {

const std::vector<int> kAnswers = {0, 1, 2, 3, 0, 0, 1, 0, 1};

class ShareApi : public ::testing::Test {
 protected:
  void SetUp() override { fixture.start(false); }
  httplib::Client client() { return fixture.server.client(); }
  // Posts body and expects status and error code.
  void expect_error(const json& body, int status, const std::string& code,
                    const std::string& message_part = "") {
    auto c = client();
    auto res = post_share(c, body.dump());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    json reply = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(reply.is_object()) << res->body;
    EXPECT_EQ(reply.value("error", ""), code) << res->body;
    EXPECT_FALSE(reply.value("message", "").empty());
    if (!message_part.empty()) {
      EXPECT_NE(reply.value("message", "").find(message_part), std::string::npos) << res->body;
    }
  }
  ServerFixture fixture;
};

TEST_F(ShareApi, CreatesShareDurablyAndAnswers201WithReceipt) {
  std::string id = new_uuid();
  auto c = client();
  auto res = post_share(c, make_share(id, kAnswers).dump());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  json reply = json::parse(res->body);
  EXPECT_EQ(reply["share_id"], id);
  EXPECT_EQ(reply["status"], "received");
  EXPECT_EQ(reply["receipt"].get<std::string>().size(), 64u);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), kOriginA);
  // Acknowledged means committed: a separate connection sees the row right away.
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares WHERE share_id = '" + id + "'"), 1);
  if (!on_postgres()) {
    EXPECT_EQ(query_text(fixture.db, "PRAGMA journal_mode"), "wal");
  }
}

TEST_F(ShareApi, SameIdSameBodyAnswers200WithSameReceipt) {
  std::string body = make_share(new_uuid(), kAnswers).dump();
  auto c = client();
  auto first = post_share(c, body);
  auto second = post_share(c, body);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 201);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(json::parse(first->body)["receipt"], json::parse(second->body)["receipt"]);
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares"), 1);
}

TEST_F(ShareApi, SameBodyWithOtherWhitespaceAndKeyOrderIsTheSameShare) {
  json share = make_share(new_uuid(), kAnswers);
  auto c = client();
  ASSERT_EQ(post_share(c, share.dump())->status, 201);
  EXPECT_EQ(post_share(c, share.dump(2))->status, 200);
}

TEST_F(ShareApi, SameIdOtherBodyAnswers409) {
  std::string id = new_uuid();
  auto c = client();
  ASSERT_EQ(post_share(c, make_share(id, kAnswers).dump())->status, 201);
  json other = make_share(id, kAnswers);
  other["message"] = "a different message";
  auto res = post_share(c, other.dump());
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(json::parse(res->body)["error"], "share_id_conflict");
  const std::vector<std::string> payloads = opened_values(fixture.db, "shares", "payload");
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(payloads[0].find("different"), std::string::npos);
}

TEST_F(ShareApi, ResultOnlyShareIsAcceptedWithoutAnswers) {
  json share = make_share(new_uuid(), kAnswers, "result");
  auto c = client();
  auto res = post_share(c, share.dump());
  ASSERT_EQ(res->status, 201) << res->body;
  const std::vector<std::string> payloads = opened_values(fixture.db, "shares", "payload");
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_NE(payloads[0].find("result"), std::string::npos);
  EXPECT_EQ(payloads[0].find("answers"), std::string::npos);
}

TEST_F(ShareApi, StatusNeedsTheReceipt) {
  std::string id = new_uuid();
  auto c = client();
  auto created = post_share(c, make_share(id, kAnswers).dump());
  std::string receipt = json::parse(created->body)["receipt"];
  auto ok =
      c.Get(("/api/v1/shares/" + id + "/status").c_str(), {{"Authorization", "Bearer " + receipt}});
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["status"], "received");
  EXPECT_FALSE(json::parse(ok->body).contains("seen_by_role"));

  auto wrong = c.Get(("/api/v1/shares/" + id + "/status").c_str(),
                     {{"Authorization", "Bearer " + std::string(64, 'a')}});
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(json::parse(wrong->body)["error"], "invalid_receipt");
  auto none = c.Get(("/api/v1/shares/" + id + "/status").c_str());
  EXPECT_EQ(none->status, 401);
  // Another share's receipt does not open this one.
  std::string other = new_uuid();
  std::string other_receipt =
      json::parse(post_share(c, make_share(other, kAnswers).dump())->body)["receipt"];
  auto crossed = c.Get(("/api/v1/shares/" + id + "/status").c_str(),
                       {{"Authorization", "Bearer " + other_receipt}});
  EXPECT_EQ(crossed->status, 401);
  auto bad_id = c.Get("/api/v1/shares/not-a-uuid/status", {{"Authorization", "Bearer x"}});
  EXPECT_EQ(bad_id->status, 400);
}

TEST_F(ShareApi, WithdrawalErasesThePayloadFromTheDatabaseFiles) {
  std::string id = new_uuid();
  json share = make_share(id, kAnswers);
  const std::string marker = "UNIQUE-MARKER-7f3a9c-please-erase-me";
  share["message"] = marker;
  share["contact"] = {{"name", "Marker Naam"}, {"phone", "0612345678"}};
  auto c = client();
  auto created = post_share(c, share.dump());
  ASSERT_EQ(created->status, 201);
  std::string receipt = json::parse(created->body)["receipt"];
  // Sealed at rest (docs/envelope.md): the marker is in no file; its sealed bytes are, until the
  // withdrawal erases them.
  const std::string sealed =
      query_text(fixture.db, "SELECT payload FROM shares WHERE share_id = '" + id + "'");
  auto stored_somewhere = [&] {
    for (const std::string& text : {marker, sealed}) {
      if (read_file(fixture.db).find(text) != std::string::npos ||
          read_file(fixture.db + "-wal").find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  EXPECT_EQ(read_file(fixture.db).find(marker), std::string::npos);
  EXPECT_EQ(read_file(fixture.db + "-wal").find(marker), std::string::npos);
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(stored_somewhere()) << "the sealed payload must be on disk before the withdrawal";

  auto res = c.Delete(("/api/v1/shares/" + id).c_str(), {{"Authorization", "Bearer " + receipt}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["status"], "withdrawn");
  EXPECT_EQ(query_int(fixture.db,
                      "SELECT payload IS NULL AND summary IS NULL AND body_hash IS "
                      "NULL FROM shares WHERE share_id = '" +
                          id + "'"),
            1);
  EXPECT_EQ(query_text(fixture.db, "SELECT status FROM shares"), "withdrawn");
  // Erased, not flagged: the bytes are gone from the database file and its WAL.
  EXPECT_FALSE(stored_somewhere()) << "while the server runs";
  fixture.server.stop();
  EXPECT_FALSE(stored_somewhere()) << "after the server stopped";
  EXPECT_EQ(read_file(fixture.db).find("0612345678"), std::string::npos);
  // The event stays in the audit log, without content.
  EXPECT_EQ(query_int(fixture.db,
                      "SELECT COUNT(*) FROM audit_log WHERE action = "
                      "'share_withdrawn' AND share_id = '" +
                          id + "'"),
            1);
}

TEST_F(ShareApi, WithdrawnShareReportsWithdrawnAndCannotBeResent) {
  std::string id = new_uuid();
  std::string body = make_share(id, kAnswers).dump();
  auto c = client();
  std::string receipt = json::parse(post_share(c, body)->body)["receipt"];
  httplib::Headers auth = {{"Authorization", "Bearer " + receipt}};
  ASSERT_EQ(c.Delete(("/api/v1/shares/" + id).c_str(), auth)->status, 200);
  EXPECT_EQ(c.Delete(("/api/v1/shares/" + id).c_str(), auth)->status, 200);  // idempotent
  auto status = c.Get(("/api/v1/shares/" + id + "/status").c_str(), auth);
  EXPECT_EQ(json::parse(status->body)["status"], "withdrawn");
  // Resending answers like any reused id: the answer does not tell a withdrawn share from another.
  auto again = post_share(c, body);
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(json::parse(again->body)["error"], "share_id_conflict");
  auto reused = post_share(c, make_share(new_uuid(), kAnswers).dump());
  ASSERT_EQ(reused->status, 201);
  json other = make_share(json::parse(reused->body)["share_id"], {1, 1, 1, 1, 1, 1, 1, 1, 0});
  auto conflict = post_share(c, other.dump());
  EXPECT_EQ(conflict->status, again->status);
  EXPECT_EQ(conflict->body, again->body);
}

TEST_F(ShareApi, UnknownShareWithValidLookingReceiptIs404) {
  // Receipts are derived from the id, so a receipt for a never-stored id can exist only if the
  // client got it from us; without it the answer is 401, never a hint about existence.
  auto c = client();
  auto res = c.Get(("/api/v1/shares/" + new_uuid() + "/status").c_str(),
                   {{"Authorization", "Bearer " + std::string(64, 'b')}});
  EXPECT_EQ(res->status, 401);
}

// --- validation: every error is JSON {error, message} with the right status -------------------

TEST_F(ShareApi, RejectsMissingRequiredFields) {
  for (const char* field :
       {"instrument", "context", "language", "shared", "result", "consent_version", "created_at"}) {
    json share = make_share(new_uuid(), kAnswers);
    share.erase(field);
    SCOPED_TRACE(field);
    expect_error(share, 400, "missing_field", std::string("/") + field);
  }
  json no_id = make_share(new_uuid(), kAnswers);
  no_id.erase("share_id");
  expect_error(no_id, 400, "missing_field", "/share_id");
  json no_org = make_share(new_uuid(), kAnswers);
  no_org.erase("organisation");
  expect_error(no_org, 400, "missing_field", "/organisation");
}

TEST_F(ShareApi, RejectsUnknownFieldsAnywhere) {
  json top = make_share(new_uuid(), kAnswers);
  top["diagnosis"] = "x";
  expect_error(top, 400, "unknown_field", "/diagnosis");
  json instrument = make_share(new_uuid(), kAnswers);
  instrument["instrument"]["extra"] = 1;
  expect_error(instrument, 400, "unknown_field", "/instrument/extra");
  json context = make_share(new_uuid(), kAnswers);
  context["context"]["postcode"] = "1234AB";
  expect_error(context, 400, "unknown_field", "/context/postcode");
  json contact = make_share(new_uuid(), kAnswers);
  contact["contact"] = {{"bsn", "123456789"}};
  expect_error(contact, 400, "unknown_field", "/contact/bsn");
}

TEST_F(ShareApi, RejectsWrongTypes) {
  struct Case {
    const char* pointer;
    json value;
  };
  for (const Case& c :
       {Case{"/share_id", 42}, Case{"/organisation", json::array()}, Case{"/instrument", "phq9"},
        Case{"/context", "mother"}, Case{"/language", 1}, Case{"/shared", true},
        Case{"/result", "12"}, Case{"/answers", "0,1"}, Case{"/message", 5}, Case{"/contact", "x"},
        Case{"/consent_version", 1}, Case{"/created_at", 0}, Case{"/context/week", "20"},
        Case{"/instrument/version", 2001}}) {
    SCOPED_TRACE(c.pointer);
    json share = make_share(new_uuid(), kAnswers);
    share[json::json_pointer(c.pointer)] = c.value;
    expect_error(share, 400, "wrong_type", c.pointer);
  }
  json answer_type = make_share(new_uuid(), kAnswers);
  answer_type["answers"][2] = "2";
  expect_error(answer_type, 400, "wrong_type", "/answers/2");
}

TEST_F(ShareApi, RejectsInvalidValues) {
  json upper = make_share(new_uuid(), kAnswers);
  upper["share_id"] = "7D4F0C4E-1B7A-4C55-9A7E-3F2A1C0D9E11";
  expect_error(upper, 400, "invalid_value", "/share_id");
  json not_uuid = make_share("x", kAnswers);
  expect_error(not_uuid, 400, "invalid_value", "/share_id");
  json shared = make_share(new_uuid(), kAnswers);
  shared["shared"] = "everything";
  expect_error(shared, 400, "invalid_value", "/shared");
  json time = make_share(new_uuid(), kAnswers);
  time["created_at"] = "22-11-2026";
  expect_error(time, 400, "invalid_value", "/created_at");
  json message = make_share(new_uuid(), kAnswers);
  message["message"] = std::string(2001, 'x');
  expect_error(message, 400, "invalid_value", "/message");
  json consent = make_share(new_uuid(), kAnswers);
  consent["consent_version"] = "";
  expect_error(consent, 400, "invalid_value", "/consent_version");
  json control = make_share(new_uuid(), kAnswers);
  control["contact"] = {{"name", std::string("a\x01") + "b"}};
  expect_error(control, 400, "invalid_value", "/contact/name");
}

TEST_F(ShareApi, AnswersOnlyWhenTheParentSharedThem) {
  json extra = make_share(new_uuid(), kAnswers, "result");
  extra["answers"] = kAnswers;
  expect_error(extra, 400, "unknown_field", "/answers");
  json missing = make_share(new_uuid(), kAnswers);
  missing.erase("answers");
  expect_error(missing, 400, "missing_field", "/answers");
}

TEST_F(ShareApi, RejectsUnknownInstrumentVersionContextAndLanguage) {
  json instrument = make_share(new_uuid(), kAnswers);
  instrument["instrument"]["id"] = "nosuch";
  expect_error(instrument, 422, "unknown_instrument", "/instrument/id");
  json version = make_share(new_uuid(), kAnswers);
  version["instrument"]["version"] = "1999";
  expect_error(version, 422, "instrument_version_mismatch", "/instrument/version");
  json role = make_share(new_uuid(), kAnswers);
  role["context"]["role"] = "grandmother";
  expect_error(role, 422, "invalid_context", "/context");
  json week = make_share(new_uuid(), kAnswers);
  week["context"]["week"] = 121;  // weeks run to 120 (past the second birthday)
  expect_error(week, 422, "invalid_context", "/context/week");
  json language = make_share(new_uuid(), kAnswers);
  language["language"] = "fr";
  expect_error(language, 422, "unknown_language", "/language");
  json organisation = make_share(new_uuid(), kAnswers);
  organisation["organisation"] = "nosuch-vsv";
  expect_error(organisation, 422, "unknown_organisation", "/organisation");
}

TEST_F(ShareApi, RejectsAnswersOutOfRangeOrOfWrongCount) {
  json range = make_share(new_uuid(), kAnswers);
  range["answers"][3] = 7;
  expect_error(range, 422, "invalid_answers", "/answers/3");
  json negative = make_share(new_uuid(), kAnswers);
  negative["answers"][0] = -1;
  expect_error(negative, 422, "invalid_answers", "/answers/0");
  json count = make_share(new_uuid(), kAnswers);
  count["answers"].erase(0);
  expect_error(count, 422, "invalid_answers", "/answers");
}

// PHQ-9's closing question ("how difficult have these problems made it...") may be left out:
// shares of 9 answers (every widget before it, and stored ones) and of 10 are both accepted.
TEST_F(ShareApi, AcceptsPhq9SharesWithAndWithoutTheClosingQuestion) {
  auto c = client();
  const std::vector<int> ten = [] {
    std::vector<int> answers = kAnswers;
    answers.push_back(2);
    return answers;
  }();
  for (const std::vector<int>* answers : {&kAnswers, &ten}) {
    for (const char* shared : {"result_and_answers", "result"}) {
      SCOPED_TRACE(std::to_string(answers->size()) + " answers, " + shared);
      json share = make_share(new_uuid(), *answers, shared);
      EXPECT_EQ(share["result"]["item_count"], answers->size());
      auto res = post_share(c, share.dump());
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 201) << res->body;
    }
  }
  // The same scores either way: only the count of items covered differs.
  json nine_result = make_share(new_uuid(), kAnswers)["result"];
  json ten_result = make_share(new_uuid(), ten)["result"];
  EXPECT_EQ(nine_result["scales"], ten_result["scales"]);
  EXPECT_EQ(nine_result["flags"], ten_result["flags"]);
  EXPECT_EQ(nine_result["positive"], ten_result["positive"]);

  json eleven = make_share(new_uuid(), ten);
  eleven["answers"].push_back(0);
  expect_error(eleven, 422, "invalid_answers",
               "/answers: expected 9 or 10 answers for phq9, found 11");
  json eight = make_share(new_uuid(), kAnswers);
  eight["answers"].erase(8);
  expect_error(eight, 422, "invalid_answers",
               "/answers: expected 9 or 10 answers for phq9, found 8");
  for (int count : {8, 11}) {
    json result_only = make_share(new_uuid(), ten, "result");
    result_only["result"]["item_count"] = count;
    expect_error(result_only, 422, "invalid_result", "/result/item_count: must be from 9 to 10");
  }
}

TEST_F(ShareApi, RejectsAResultThatDiffersFromTheEnginesScoring) {
  json score = make_share(new_uuid(), kAnswers);
  score["result"]["scales"][0]["score"] = 3;
  expect_error(score, 422, "result_mismatch", "/result/scales/0/score");
  json flags = make_share(new_uuid(), kAnswers);
  flags["result"]["flags"] = json::array();  // hiding the self-harm flag
  expect_error(flags, 422, "result_mismatch", "/result/flags");
  json positive = make_share(new_uuid(), kAnswers);
  positive["result"]["positive"] = true;
  expect_error(positive, 422, "result_mismatch", "/result/positive");
}

TEST_F(ShareApi, RejectsAResultOnlyShareThatTheEngineCouldNotHaveProduced) {
  struct Case {
    const char* pointer;
    json value;
  };
  for (const Case& c :
       {Case{"/result/instrument", "gad7"}, Case{"/result/version", "x"},
        Case{"/result/scales/0/score", 28}, Case{"/result/scales/0/id", "sum"},
        Case{"/result/scales/0/band/id", "severe"}, Case{"/result/scales/0/band/set", "nosuch"},
        Case{"/result/flags", json::array({"nosuch"})}, Case{"/result/positive", true},
        Case{"/result/item_count", 8}, Case{"/result/context/week", 21}}) {
    SCOPED_TRACE(c.pointer);
    json share = make_share(new_uuid(), kAnswers, "result");
    share[json::json_pointer(c.pointer)] = c.value;
    expect_error(share, 422, "invalid_result");
  }
}

TEST_F(ShareApi, RejectsBodiesThatAreNotJsonObjects) {
  auto c = client();
  for (const char* body :
       {"", "{", "{\"share_id\":", "[1,2,3]", "\"text\"", "null", "{}x", "\xff\xfe{}"}) {
    SCOPED_TRACE(body);
    auto res = post_share(c, body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    EXPECT_TRUE(json::parse(res->body).contains("error"));
  }
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares"), 0);
}

TEST_F(ShareApi, RejectsOtherContentTypesAndOversizedBodies) {
  auto c = client();
  auto text = c.Post("/api/v1/shares", {{"Origin", kOriginA}},
                     make_share(new_uuid(), kAnswers).dump(), "text/plain");
  EXPECT_EQ(text->status, 415);
  EXPECT_EQ(json::parse(text->body)["error"], "unsupported_media_type");
  json big = make_share(new_uuid(), kAnswers);
  big["message"] = std::string(70 * 1024, 'x');
  auto res = post_share(c, big.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["error"], "payload_too_large");
}

// Every instrument in the library, complete, incomplete and at the extremes, in two contexts: the
// engine's own results are accepted both with answers (rescored) and without (shape-checked).
TEST_F(ShareApi, AcceptsTheEnginesOwnResultsForEveryInstrument) {
  std::vector<Error> errors;
  Library library = Library::builtin(&errors);
  ASSERT_TRUE(errors.empty());
  auto c = client();
  int accepted = 0;
  for (const Instrument* instrument : library.instruments()) {
    for (int pattern = 0; pattern < 4; ++pattern) {
      Answers answers;
      for (size_t i = 0; i < instrument->items.size(); ++i) {
        int options = static_cast<int>(instrument->items[i].options.size());
        int choice = pattern == 0 ? 0 : pattern == 1 ? options - 1 : static_cast<int>(i) % options;
        if (pattern == 3 && i % 3 == 1) choice = kMissing;
        answers.push_back(choice);
      }
      for (const char* role : {"mother", "partner"}) {
        Context context;
        std::string text = std::string("role=") + role +
                           (pattern % 2 ? ",stage=postpartum,week=6" : ",stage=pregnancy,week=12");
        ASSERT_TRUE(parse_context(text, &context, nullptr));
        Result result;
        Error error;
        ASSERT_TRUE(score_instrument(*instrument, answers, context, &result, &error))
            << error.to_string();
        json context_json = {
            {"role", context.role}, {"stage", context.stage}, {"week", context.week}};
        for (const char* shared : {"result", "result_and_answers"}) {
          json share = {{"share_id", new_uuid()},
                        {"organisation", "vsv-a"},
                        {"instrument", {{"id", instrument->id}, {"version", instrument->version}}},
                        {"context", context_json},
                        {"language", "en"},
                        {"shared", shared},
                        {"result", json::parse(to_json(result))},
                        {"consent_version", "v1"},
                        {"created_at", "2026-11-22T21:00:00.123Z"}};
          if (std::string(shared) == "result_and_answers") {
            json list = json::array();
            for (int a : answers) list.push_back(a == kMissing ? json(nullptr) : json(a));
            share["answers"] = list;
          }
          auto res = post_share(c, share.dump());
          ASSERT_TRUE(res);
          EXPECT_EQ(res->status, 201) << instrument->id << " pattern " << pattern << " " << role
                                      << " " << shared << ": " << res->body;
          ++accepted;
        }
      }
    }
  }
  EXPECT_GE(accepted, 16 * static_cast<int>(library.instruments().size()) - 1);
}

// --- CORS ----------------------------------------------------------------------------------------

TEST_F(ShareApi, AcceptsSharesOnlyFromTheOrganisationsOwnOrigins) {
  std::string body = make_share(new_uuid(), kAnswers).dump();
  auto c = client();
  for (const std::string& origin :
       {std::string(kOriginB), std::string("null"), std::string(""),
        std::string("https://a.example.evil.com"), std::string("http://a.example")}) {
    SCOPED_TRACE(origin);
    auto res = post_share(c, body, origin);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << res->body;
    EXPECT_EQ(json::parse(res->body)["error"], "origin_not_allowed");
    EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin"));
  }
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares"), 0);
  // Case and a default port do not matter: origins are compared normalised.
  auto ok = post_share(c, body, "HTTPS://A.example:443");
  EXPECT_EQ(ok->status, 201) << ok->body;
}

TEST_F(ShareApi, AnswersPreflightOnlyForAllowedOrigins) {
  auto c = client();
  auto allowed = c.Options("/api/v1/shares", {{"Origin", kOriginA},
                                              {"Access-Control-Request-Method", "POST"},
                                              {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 204);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), kOriginA);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Methods"), "POST");
  // Authorization carries a family's key for shares linked to a family (docs/care-network.md).
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Headers"),
            "Content-Type, Authorization");
  EXPECT_EQ(allowed->get_header_value("Vary"), "Origin");
  for (const char* origin : {"https://evil.example", "null"}) {
    auto denied = c.Options("/api/v1/shares",
                            {{"Origin", origin}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(denied->status, 403);
    EXPECT_FALSE(denied->has_header("Access-Control-Allow-Origin"));
  }
}

TEST_F(ShareApi, StatusAndWithdrawalPreflightDoNotRevealWhetherAShareExists) {
  std::string id = new_uuid();
  auto c = client();
  ASSERT_EQ(post_share(c, make_share(id, kAnswers).dump())->status, 201);
  // The same answer for a stored share and for any other id: the receipt, not the preflight,
  // decides (and the request itself checks the origin against the share's organisation).
  for (const std::string& any : {id, new_uuid()}) {
    auto own = c.Options(("/api/v1/shares/" + any).c_str(),
                         {{"Origin", kOriginA}, {"Access-Control-Request-Method", "DELETE"}});
    EXPECT_EQ(own->status, 204);
    EXPECT_EQ(own->get_header_value("Access-Control-Allow-Headers"), "Authorization");
    auto other = c.Options(("/api/v1/shares/" + any + "/status").c_str(),
                           {{"Origin", kOriginB}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(other->status, 204);
    auto stranger =
        c.Options(("/api/v1/shares/" + any + "/status").c_str(),
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(stranger->status, 403);
  }
}

TEST_F(ShareApi, StatusFromAnotherOrganisationsOriginIsRefused) {
  std::string id = new_uuid();
  auto c = client();
  std::string receipt =
      json::parse(post_share(c, make_share(id, kAnswers).dump())->body)["receipt"];
  auto res = c.Get(("/api/v1/shares/" + id + "/status").c_str(),
                   {{"Authorization", "Bearer " + receipt}, {"Origin", kOriginB}});
  EXPECT_EQ(res->status, 403);
  auto own = c.Get(("/api/v1/shares/" + id + "/status").c_str(),
                   {{"Authorization", "Bearer " + receipt}, {"Origin", kOriginA}});
  EXPECT_EQ(own->status, 200);
  EXPECT_EQ(own->get_header_value("Access-Control-Allow-Origin"), kOriginA);
}

TEST_F(ShareApi, SendsSecurityHeadersOnEveryResponse) {
  auto c = client();
  for (const char* path : {"/healthz", "/no-such-page", "/api/v1/inbox"}) {
    SCOPED_TRACE(path);
    auto res = c.Get(path);
    ASSERT_TRUE(res);
    std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp.find("'wasm-unsafe-eval'"), std::string::npos);
    EXPECT_EQ(csp.find("'unsafe-inline'"), std::string::npos);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
  }
  auto unknown = c.Get("/no-such-page");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body)["error"], "not_found");
}

}  // namespace
}  // namespace kindband::test::share_api_tests

namespace kindband::test::share_api_tests {
namespace {

TEST(StaticFilesCrossOrigin, PublicFilesAreReadableCrossOriginTheInboxIsNot) {
  ServerFixture fixture;
  std::string web = fixture.dir.file("web");
  std::filesystem::create_directories(web);
  std::ofstream(web + "/kindband-screen.js") << "export {};\n";
  std::ofstream(web + "/kindband-engine.wasm") << "\0asm";
  fixture.start(false, {"--static", "/kindband/=" + web});
  auto c = fixture.server.client();
  auto script = c.Get("/kindband/kindband-screen.js");
  ASSERT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type").rfind("text/javascript", 0), 0u);
  EXPECT_EQ(script->get_header_value("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(c.Get("/kindband/kindband-engine.wasm")->get_header_value("Content-Type"),
            "application/wasm");
  auto inbox = c.Get("/inbox/");
  ASSERT_EQ(inbox->status, 200);
  EXPECT_FALSE(inbox->has_header("Access-Control-Allow-Origin"));
  EXPECT_NE(inbox->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(c.Get("/inbox")->status, 302);
  // No way out of a static folder.
  for (const char* path :
       {"/kindband/../kindband.db", "/kindband/%2e%2e/kindband.db", "/kindband/..%2fkindband.db"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find("SQLite"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace kindband::test::share_api_tests
