// A server with a care network for the care-network and collaboration tests: coalition "ks" with
// vsv-a (midwives, professional anna) and jgz-c (youth health care, carla); vsv-b (bert) is in no
// coalition. Helpers call the parent routes with a family key and the professional routes with a
// session, and make families and linked PHQ-9 shares.
#ifndef KINDBAND_TESTS_SERVER_CARE_NETWORK_FIXTURE_H_
#define KINDBAND_TESTS_SERVER_CARE_NETWORK_FIXTURE_H_

#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server_harness.h"

namespace kindband::test {

inline constexpr const char* kOriginC = "https://c.example";  // the JGZ's website

inline const std::vector<int> kLow = {0, 0, 0, 0, 0, 0, 0, 0, 0};
inline const std::vector<int> kModerate = {2, 2, 2, 2, 2, 0, 0, 0, 0};  // total 10
inline const std::vector<int> kFlagged = {0, 0, 0, 0, 0, 0, 0, 0, 1};   // item 9 > 0

// A new device's family key: 32 random bytes, base64url (as the widget makes it).
inline std::string new_key() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char text[64];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

// Runs SQL on the database from outside the server (e.g. to age a code).
inline void exec_sql(const std::string& db, const std::string& sql) {
  std::string message;
  EXPECT_TRUE(execute_sql(db, sql, &message)) << sql << ": " << message;
}

inline std::string header(const httplib::Headers& headers, const std::string& name, int,
                          const char*) {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

struct Answer {
  int status = 0;
  json body;
  httplib::Headers headers;
};

class CareNetwork : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sodium_init() >= 0, true);
    const std::string db = fixture.dir.file("kindband.db");
    // vsv-a (midwives) and jgz-c (youth health care) form coalition ks; vsv-b is in none.
    // One kindband-admin process for the whole set-up (run_admin_script).
    const std::string password_line = std::string(kPassword) + "\n";
    const CommandResult made = run_admin_script(
        db,
        {{"create-organisation", "jgz-c", "--origin", kOriginC, "--name", "JGZ Voorbeeldstad"},
         {"create-coalition", "ks", "--name", "Kansrijke Start Voorbeeldstad"},
         {"create-organisation", "vsv-a", "--origin", kOriginA, "--name", "Verloskunde A"},
         {"create-organisation", "vsv-b", "--origin", kOriginB},
         {"add-organisation-to-coalition", "vsv-a", "ks", "--type", "verloskunde",
          "--description-nl", "Verloskundigen in het centrum", "--description-en",
          "Midwives in the centre", "--page", "https://a.example/zwanger"},
         {"add-organisation-to-coalition", "jgz-c", "ks", "--type", "jgz"},
         {"create-professional", "anna", "--organisation", "vsv-a", "--role", "verloskundige"},
         {"create-professional", "bert", "--organisation", "vsv-b", "--role", "huisarts"},
         {"create-professional", "carla", "--organisation", "jgz-c", "--role",
          "jeugdverpleegkundige"}},
        password_line + password_line + password_line);
    ASSERT_EQ(made.exit_code, 0) << made.output;
    fixture.db = db;
    ASSERT_TRUE(fixture.server.start(db, server_args())) << fixture.server.log();
  }
  // Extra kindband-server flags for a suite (e.g. a trusted proxy to rotate client addresses).
  virtual std::vector<std::string> server_args() const { return {}; }

  Answer call(const std::string& method, const std::string& path, const std::string& key,
              const json& body = nullptr, const std::string& origin = kOriginA,
              const std::string& cookie = "") {
    auto c = fixture.server.client();
    httplib::Headers headers;
    if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
    if (!origin.empty()) headers.emplace("Origin", origin);
    if (!cookie.empty()) headers.emplace("Cookie", "kb_session=" + cookie);
    headers.insert(extra_headers.begin(), extra_headers.end());
    const std::string text = body.is_null() ? "{}" : body.dump();
    httplib::Result res =
        method == "GET"     ? c.Get(path.c_str(), headers)
        : method == "POST"  ? c.Post(path.c_str(), headers, text, "application/json")
        : method == "PATCH" ? c.Patch(path.c_str(), headers, text, "application/json")
        : method == "PUT"   ? c.Put(path.c_str(), headers, text, "application/json")
        : body.is_null()    ? c.Delete(path.c_str(), headers)
                            : c.Delete(path.c_str(), headers, text, "application/json");
    Answer answer;
    if (!res) return answer;
    answer.status = res->status;
    answer.headers = res->headers;
    answer.body = json::parse(res->body, nullptr, false);
    return answer;
  }
  // Sent with every call (e.g. an Idempotency-Key).
  httplib::Headers extra_headers;
  // A professional's request (same-site: no Origin from another site).
  Answer professional(const std::string& method, const std::string& path, const std::string& cookie,
                      const json& body = nullptr) {
    return call(method, path, "", body, "", cookie);
  }
  std::string login_as(const std::string& username) {
    auto c = fixture.server.client();
    std::string cookie = login(c, username, kPassword);
    EXPECT_FALSE(cookie.empty());
    return cookie;
  }

  // A family of one mother with vsv-a and jgz-c in its network.
  std::string make_family(const std::string& key, bool with_members = true) {
    std::string family_id = new_uuid();
    Answer created =
        call("POST", "/api/v1/families", key, json{{"family_id", family_id}, {"role", "mother"}});
    EXPECT_EQ(created.status, 201) << created.body.dump();
    if (with_members) {
      for (const char* organisation : {"vsv-a", "jgz-c"}) {
        Answer added =
            call("POST", "/api/v1/family/memberships", key,
                 json{{"organisation", organisation}, {"consent_version", "2026-11-v1"}});
        EXPECT_EQ(added.status, 201) << added.body.dump();
      }
    }
    return family_id;
  }
  // A PHQ-9 share linked to the family, sent to the given recipients.
  // later_members: the parent allows organisations added to the network later to see it too.
  Answer linked_share(const std::string& key, const std::string& family_id,
                      const std::vector<int>& answers, json recipients, json context,
                      const std::string& share_id = new_uuid(), bool later_members = false) {
    json share = make_share(share_id, answers);
    share.erase("organisation");
    share["family_id"] = family_id;
    share["recipients"] = std::move(recipients);
    if (later_members) share["later_members"] = true;
    // The result carries the context it was scored in; score again with it.
    if (!context.empty()) {
      share["context"] = context;
      share["result"]["context"] = context;
    }
    return call("POST", "/api/v1/shares", key, share);
  }
  long long count(const std::string& sql) { return query_int(fixture.db, sql); }

  ServerFixture fixture;
};

}  // namespace kindband::test

#endif  // KINDBAND_TESTS_SERVER_CARE_NETWORK_FIXTURE_H_
