// Notifications by e-mail (issue 23) against a real SMTP server on loopback: Debian's aiosmtpd,
// started and stopped by each test (scripts/mail-catcher.py keeps each received mail as JSON).
// The real kindband-server sends through libcurl; nothing is mocked.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "care_network_fixture.h"
#include "email_address.h"
#include "ics_writer.h"
#include "mail_composer.h"
#include "notification_events.h"

namespace kindband::test::notify_tests {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFrom = "kindband@zorg.example";
constexpr const char* kPublicUrl = "https://kindband.zorg.example";
constexpr const char* kTeam = "team@verloskunde-a.example";
constexpr int kIntervalSeconds = 3;

// A loopback port nobody listens on right now.
int free_port() {
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(sock, reinterpret_cast<sockaddr*>(&address), &size);
  close(sock);
  return ntohs(address.sin_port);
}

bool port_accepts(int port) {
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(sock);
  return ok;
}

// Waits for an event with a generous ceiling (never the expected duration): true once it holds.
bool eventually(const std::function<bool()>& holds, std::chrono::seconds ceiling = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + ceiling;
  while (std::chrono::steady_clock::now() < deadline) {
    if (holds()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return holds();
}

// The SMTP server: aiosmtpd in its own process on a fixed port (so it can go down and come back).
class MailCatcher {
 public:
  MailCatcher(std::string folder, int port) : folder_(std::move(folder)), port_(port) {}
  ~MailCatcher() { stop(); }
  // From the next start on: scripts/mail-catcher.py's options (e.g. STARTTLS and AUTH required).
  void set_options(std::vector<std::string> options) { options_ = std::move(options); }

  bool start() {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string port = std::to_string(port_);
      const std::string log = folder_ + ".log";
      freopen(log.c_str(), "a", stdout);
      freopen(log.c_str(), "a", stderr);
      std::vector<std::string> args = {
          "/usr/bin/python3", KINDBAND_MAIL_CATCHER, "--port", port, "--dir", folder_};
      args.insert(args.end(), options_.begin(), options_.end());
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return eventually([&] { return port_accepts(port_); }, 30s);
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  int port() const { return port_; }

  // Every mail received so far, in order.
  std::vector<json> mails() const {
    std::vector<std::string> names;
    if (std::filesystem::exists(folder_)) {
      for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 5 && name[0] != '.' && name.substr(name.size() - 5) == ".json") {
          names.push_back(entry.path().string());
        }
      }
    }
    std::sort(names.begin(), names.end());
    std::vector<json> mails;
    for (const std::string& name : names) mails.push_back(json::parse(read_file(name)));
    return mails;
  }
  std::vector<json> mails_to(const std::string& address) const {
    std::vector<json> found;
    for (const json& mail : mails()) {
      for (const json& to : mail["rcpt_tos"]) {
        if (to == address) found.push_back(mail);
      }
    }
    return found;
  }

 private:
  std::string folder_;
  int port_;
  std::vector<std::string> options_;
  pid_t pid_ = -1;
};

// The bytes are in the database file or its WAL (as the erasure tests check).
bool on_disk(const std::string& db, const std::string& text) {
  return read_file(db).find(text) != std::string::npos ||
         read_file(db + "-wal").find(text) != std::string::npos;
}

// Every text of a JSON value of at least min_length characters (what a share carries).
void texts_of(const json& value, std::vector<std::string>* out, size_t min_length = 4) {
  if (value.is_string() && value.get<std::string>().size() >= min_length) {
    out->push_back(value.get<std::string>());
  } else if (value.is_object() || value.is_array()) {
    for (const auto& item : value) texts_of(item, out, min_length);
  }
}

class Notifications : public CareNetwork {
 protected:
  Notifications() : catcher(fixture.dir.file("mails"), free_port()) {
    EXPECT_TRUE(catcher.start());
  }

  std::vector<std::string> server_args() const override { return mail_args(); }
  std::vector<std::string> mail_args() const {
    return {"--smtp-url",         "smtp://127.0.0.1:" + std::to_string(catcher.port()),
            "--smtp-from",        kFrom,
            "--smtp-allow-plain", "yes",
            "--public-url",       kPublicUrl,
            "--mail-interval",    std::to_string(kIntervalSeconds),
            "--mail-retry-max",   "1"};
  }
  void admin(const std::vector<std::string>& args, const std::string& input = "") {
    auto result = run_admin(fixture.db, args, input);
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  // A one-off share for vsv-a that a reader of the mailbox must learn nothing from.
  json marked_share(const std::vector<int>& answers) {
    json share = make_share(new_uuid(), answers);
    share["message"] = "MAIL-MARKER-5c1e please call me";
    share["contact"] = {{"name", "Marker Moeder"}, {"phone", "0612345678"}};
    return share;
  }
  Answer send(const json& share) { return call("POST", "/api/v1/shares", "", share); }
  long long outbox(const std::string& where) {
    return count("SELECT COUNT(*) FROM outbox WHERE " + where);
  }

  MailCatcher catcher;
};

TEST_F(Notifications, SafetyShare_OneMailToTeamAndOnDutyWithinSeconds_WithoutContent) {
  admin({"set-organisation-email", "vsv-a", kTeam});
  admin({"set-professional-notifications", "anna", "--email", "anna@verloskunde-a.example",
         "--on-duty", "yes"});
  admin({"create-professional", "dirk", "--organisation", "vsv-a", "--role", "verloskundige",
         "--email", "dirk@verloskunde-a.example"},
        std::string(kPassword) + "\n");
  admin({"set-professional-notifications", "carla", "--email", "carla@jgz.example", "--on-duty",
         "yes"});
  const json share = marked_share(kFlagged);
  Answer created = send(share);
  ASSERT_EQ(created.status, 201) << created.body.dump();

  ASSERT_TRUE(eventually([&] { return catcher.mails().size() >= 2; })) << fixture.server.log();
  // Nothing else is on its way: both rows are sent, none waits.
  ASSERT_TRUE(eventually([&] { return outbox("status = 'pending'") == 0; }));
  const std::vector<json> mails = catcher.mails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(catcher.mails_to(kTeam).size(), 1u);
  EXPECT_EQ(catcher.mails_to("anna@verloskunde-a.example").size(), 1u);
  EXPECT_TRUE(catcher.mails_to("dirk@verloskunde-a.example").empty()) << "not on duty";
  EXPECT_TRUE(catcher.mails_to("carla@jgz.example").empty()) << "another organisation";

  std::vector<std::string> content;
  texts_of(share, &content);
  content.push_back(created.body["share_id"].get<std::string>());
  content.push_back(created.body["receipt"].get<std::string>());
  content.push_back("PHQ");
  for (const json& mail : mails) {
    EXPECT_EQ(mail["mail_from"], kFrom);
    const std::string subject = mail["subject"];
    const std::string body = mail["body"];
    EXPECT_NE(subject.find("Verloskunde A"), std::string::npos) << subject;
    EXPECT_NE(body.find("Er is een nieuwe melding."), std::string::npos) << body;
    EXPECT_NE(body.find(std::string(kPublicUrl) + "/inbox/"), std::string::npos) << body;
    for (const std::string& text : content) {
      EXPECT_EQ(subject.find(text), std::string::npos) << "subject carries '" << text << "'";
      EXPECT_EQ(body.find(text), std::string::npos) << "body carries '" << text << "'";
    }
    // Not even that it is a safety share.
    for (const char* word : {"veilig", "safety", "flag", "urgent", "spoed", "dringend"}) {
      EXPECT_EQ(body.find(word), std::string::npos) << word;
    }
  }
}

TEST_F(Notifications, SmtpServerDown_MailArrivesOnceWhenItIsBack) {
  catcher.stop();
  admin({"set-organisation-email", "vsv-a", kTeam});
  ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  // The share is stored and answered at once; the mail waits and is tried again and again.
  ASSERT_TRUE(eventually([&] { return outbox("status = 'pending' AND attempts >= 2") == 1; }))
      << fixture.server.log();
  auto c = fixture.server.client();
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["mail"], "failing");
  auto status = c.Get("/healthz/mail");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 503);
  EXPECT_EQ(json::parse(status->body)["mail"], "failing");
  auto listing = run_admin(fixture.db, {"outbox"});
  EXPECT_NE(listing.output.find("pending"), std::string::npos) << listing.output;
  EXPECT_NE(listing.output.find("last error"), std::string::npos) << listing.output;

  ASSERT_TRUE(catcher.start());
  ASSERT_TRUE(eventually([&] { return catcher.mails_to(kTeam).size() == 1; }))
      << fixture.server.log();
  ASSERT_TRUE(eventually([&] { return outbox("status = 'sent'") == 1; }));
  std::this_thread::sleep_for(2s);  // a second copy would have left by now
  EXPECT_EQ(catcher.mails().size(), 1u);
  EXPECT_TRUE(eventually([&] {
    auto again = c.Get("/healthz/mail");
    return again && again->status == 200;
  }));
}

// The organisation's mail server as it usually is: STARTTLS and AUTH required. The server verifies
// the mail server's certificate (here a self-signed one, given with --smtp-ca-file), never falls
// back to plain text, and a mail that cannot go safely waits in the outbox until it can.
TEST_F(Notifications, StartTlsAndAuth_CertificateVerified_NeverPlainText_NothingLost) {
  const std::string cert = fixture.dir.file("mail-cert.pem");
  const std::string key = fixture.dir.file("mail-key.pem");
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      key + "' -out '" + cert + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl (Debian's package) makes the certificate";
  const std::string users = fixture.dir.file("mail-users");
  const std::string credentials = fixture.dir.file("smtp-credentials");
  for (const std::string& path : {users, credentials}) {
    std::ofstream(path) << "kindband-mailer\nlang-en-geheim-wachtwoord\n";
  }
  ASSERT_EQ(chmod(credentials.c_str(), 0600), 0);
  catcher.stop();
  catcher.set_options({"--tls-cert", cert, "--tls-key", key, "--auth-file", users});
  ASSERT_TRUE(catcher.start());
  const std::vector<std::string> secure = {
      "--smtp-url",         "smtp://localhost:" + std::to_string(catcher.port()),
      "--smtp-from",        kFrom,
      "--public-url",       kPublicUrl,
      "--mail-retry-max",   "1",
      "--smtp-credentials", credentials};
  std::vector<std::string> verified = secure;
  verified.insert(verified.end(), {"--smtp-ca-file", cert});

  // First without the organisation's CA: the certificate is not trusted, so nothing is sent at
  // all (not in plain text either); the mail waits.
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(fixture.db, secure)) << fixture.server.log();
  admin({"set-organisation-email", "vsv-a", kTeam});
  ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  ASSERT_TRUE(eventually([&] { return outbox("status = 'pending' AND attempts >= 2") == 1; }))
      << fixture.server.log();
  EXPECT_TRUE(catcher.mails().empty());
  auto listing = run_admin(fixture.db, {"outbox"});
  EXPECT_NE(listing.output.find("certificate"), std::string::npos) << listing.output;

  // With the CA: the waiting mail goes once, over TLS, signed in.
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(fixture.db, verified)) << fixture.server.log();
  ASSERT_TRUE(eventually([&] { return catcher.mails_to(kTeam).size() == 1; }))
      << fixture.server.log();
  ASSERT_TRUE(eventually([&] { return outbox("status = 'sent'") == 1; }));
  const json mail = catcher.mails_to(kTeam)[0];
  EXPECT_EQ(mail["tls"], true);
  EXPECT_EQ(mail["authenticated_as"], "kindband-mailer");
  EXPECT_EQ(catcher.mails().size(), 1u);

  // A CA file that cannot be read stops the start with a clear error.
  fixture.server.stop();
  std::vector<std::string> missing = secure;
  missing.insert(missing.end(), {"--smtp-ca-file", fixture.dir.file("no-such-ca.pem")});
  EXPECT_FALSE(fixture.server.start(fixture.db, missing));
  EXPECT_NE(fixture.server.log().find("--smtp-ca-file"), std::string::npos) << fixture.server.log();
}

TEST_F(Notifications, ServerKilledWithPendingOutbox_DeliversOnceAfterRestart) {
  // First a server that has no mail server configured: the mail waits in the outbox.
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(fixture.db, {})) << fixture.server.log();
  admin({"set-organisation-email", "vsv-a", kTeam});
  ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  EXPECT_EQ(outbox("status = 'pending'"), 1);
  fixture.server.kill_hard();
  EXPECT_TRUE(catcher.mails().empty());

  ASSERT_TRUE(fixture.server.start(fixture.db, mail_args())) << fixture.server.log();
  ASSERT_TRUE(eventually([&] { return catcher.mails_to(kTeam).size() == 1; }))
      << fixture.server.log();
  ASSERT_TRUE(eventually([&] { return outbox("status = 'sent'") == 1; }));
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(fixture.db, mail_args())) << fixture.server.log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(catcher.mails().size(), 1u) << "a sent mail is not sent again after a restart";
}

TEST_F(Notifications, Flood_GivesOneMailPerIntervalNotOnePerShare) {
  admin({"set-organisation-email", "vsv-a", kTeam});
  constexpr int kShares = 40;
  // A first burst; once its mail is out, a second burst within the interval.
  for (int i = 0; i < kShares / 2; ++i) ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  ASSERT_TRUE(eventually([&] { return catcher.mails_to(kTeam).size() == 1; }))
      << fixture.server.log();
  for (int i = 0; i < kShares / 2; ++i) ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  ASSERT_TRUE(eventually([&] { return catcher.mails_to(kTeam).size() == 2; }))
      << fixture.server.log();
  ASSERT_TRUE(eventually([&] { return outbox("status = 'pending'") == 0; }));
  std::this_thread::sleep_for(std::chrono::seconds(kIntervalSeconds + 1));
  const std::vector<json> mails = catcher.mails_to(kTeam);
  EXPECT_EQ(mails.size(), 2u) << "one mail per interval, not one per share";
  // Every share is one event for the team, all in those two mails.
  EXPECT_EQ(count("SELECT SUM(events) FROM outbox WHERE recipient_kind = 'team'"), kShares);
  ASSERT_EQ(mails.size(), 2u);
  const double apart =
      mails[1]["received_at"].get<double>() - mails[0]["received_at"].get<double>();
  EXPECT_GE(apart, kIntervalSeconds - 0.5) << "the second mail waited for the interval";
  std::printf("flood: %d safety shares in two bursts gave %zu mails to the team, %.1f s apart\n",
              kShares, mails.size(), apart);
}

TEST_F(Notifications, ParentAddress_OwnOnly_MailWithoutContent_ErasedWithTheFamily) {
  const std::string key = new_key();
  const std::string family_id = make_family(key);
  const std::string address = "ouder-marker-91c2@example.org";
  Answer bad = call("PUT", "/api/v1/family/notifications", key,
                    json{{"email", "not an address"}, {"page", "https://a.example/zwanger"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["error"], "invalid_email");
  Answer elsewhere = call("PUT", "/api/v1/family/notifications", key,
                          json{{"email", address}, {"page", "https://evil.example/login"}});
  EXPECT_EQ(elsewhere.status, 422) << "a mail links only to a site that embeds Kindband";
  Answer set = call("PUT", "/api/v1/family/notifications", key,
                    json{{"email", address}, {"page", "https://a.example/zwanger"}});
  ASSERT_EQ(set.status, 200) << set.body.dump();
  EXPECT_EQ(call("GET", "/api/v1/family/notifications", key).body["email"], address);

  // A professional writes; the parent hears there is news, not what.
  const std::string anna = login_as("anna");
  const std::string text = "PARENT-MARKER-7d2a ik bel je morgen";
  Answer written = professional("POST", "/api/v1/inbox/families/" + family_id + "/messages", anna,
                                json{{"text", text}});
  ASSERT_EQ(written.status, 201) << written.body.dump();
  ASSERT_TRUE(eventually([&] { return catcher.mails_to(address).size() == 1; }))
      << fixture.server.log();
  const json mail = catcher.mails_to(address).front();
  const std::string body = mail["body"];
  EXPECT_NE(body.find("Er is nieuws van jullie zorgnetwerk"), std::string::npos) << body;
  EXPECT_NE(body.find("https://a.example/zwanger"), std::string::npos) << body;
  for (const std::string& secret :
       {text, family_id, std::string("Verloskunde"), std::string("anna")}) {
    EXPECT_EQ(body.find(secret), std::string::npos) << secret;
    EXPECT_EQ(mail["subject"].get<std::string>().find(secret), std::string::npos) << secret;
  }
  // No professional sees the address.
  Answer page = professional("GET", "/api/v1/inbox/families/" + family_id, anna);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.dump().find(address), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%" + address + "%'"), 0);

  // Sealed at rest: the address is in no file; the erasure removes its sealed bytes.
  EXPECT_FALSE(on_disk(fixture.db, address));
  const std::string sealed = query_text(fixture.db, "SELECT email FROM notify_parents");
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(on_disk(fixture.db, sealed));
  Answer erased = call("DELETE", "/api/v1/family", key);
  ASSERT_EQ(erased.status, 200) << erased.body.dump();
  EXPECT_FALSE(on_disk(fixture.db, sealed)) << "while the server runs";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notify_parents"), 0);
  EXPECT_EQ(outbox("recipient_kind = 'parent'"), 0);
  fixture.server.stop();
  EXPECT_FALSE(on_disk(fixture.db, sealed)) << "after the server stopped";
}

TEST_F(Notifications, ParentRemovesAddress_BytesGoneAndNoMore) {
  const std::string key = new_key();
  const std::string family_id = make_family(key);
  const std::string address = "weg-marker-3e8f@example.org";
  ASSERT_EQ(call("PUT", "/api/v1/family/notifications", key,
                 json{{"email", address}, {"page", "https://a.example/"}})
                .status,
            200);
  EXPECT_FALSE(on_disk(fixture.db, address));
  const std::string sealed = query_text(fixture.db, "SELECT email FROM notify_parents");
  ASSERT_FALSE(sealed.empty());
  ASSERT_TRUE(on_disk(fixture.db, sealed));
  EXPECT_EQ(call("GET", "/api/v1/family/notifications", key).body["page"], "https://a.example/");
  Answer removed = call("DELETE", "/api/v1/family/notifications", key);
  ASSERT_EQ(removed.status, 200);
  EXPECT_TRUE(removed.body["email"].is_null());
  EXPECT_TRUE(eventually([&] { return !on_disk(fixture.db, sealed); }));
  const std::string anna = login_as("anna");
  ASSERT_EQ(professional("POST", "/api/v1/inbox/families/" + family_id + "/messages", anna,
                         json{{"text", "hallo"}})
                .status,
            201);
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(catcher.mails_to(address).empty());
}

TEST_F(Notifications, InvitationByEmail_CarriesTheLinkAndNoHealthData_AddressNotKept) {
  // The practice holds a share with content; none of it may reach the invitation mail.
  const json share = marked_share(kFlagged);
  ASSERT_EQ(send(share).status, 201);
  const std::string anna = login_as("anna");
  Answer invitation = professional("POST", "/api/v1/inbox/invitations", anna, json::object());
  ASSERT_EQ(invitation.status, 201) << invitation.body.dump();
  const std::string code = invitation.body["code"];
  const std::string link = invitation.body["link"];
  const std::string address = "ouder-uitnodiging-3e8f@example.org";
  EXPECT_EQ(professional("POST", "/api/v1/inbox/invitations/email", anna,
                         json{{"code", code}, {"email", "geen adres"}})
                .status,
            400);
  EXPECT_EQ(professional("POST", "/api/v1/inbox/invitations/email", anna,
                         json{{"code", "ZZZZZZZZ"}, {"email", address}})
                .status,
            404);
  // Another organisation cannot send our invitation.
  const std::string carla = login_as("carla");
  EXPECT_EQ(professional("POST", "/api/v1/inbox/invitations/email", carla,
                         json{{"code", code}, {"email", address}})
                .status,
            404);
  Answer mailed = professional("POST", "/api/v1/inbox/invitations/email", anna,
                               json{{"code", code}, {"email", address}});
  ASSERT_EQ(mailed.status, 202) << mailed.body.dump();
  // The address is sealed from the start: never in a file in clear.
  EXPECT_FALSE(on_disk(fixture.db, address));

  ASSERT_TRUE(eventually([&] { return catcher.mails_to(address).size() == 1; }))
      << fixture.server.log();
  const json mail = catcher.mails_to(address).front();
  const std::string subject = mail["subject"];
  const std::string body = mail["body"];
  EXPECT_NE(subject.find("Verloskunde A"), std::string::npos) << subject;
  EXPECT_NE(body.find(link), std::string::npos) << body;
  EXPECT_NE(body.find("nodigt je uit"), std::string::npos) << body;
  std::vector<std::string> content;
  texts_of(share, &content);
  content.push_back("PHQ");
  for (const std::string& text : content) {
    EXPECT_EQ(subject.find(text), std::string::npos) << "subject carries '" << text << "'";
    EXPECT_EQ(body.find(text), std::string::npos) << "body carries '" << text << "'";
  }
  // Once sent, neither the address nor the link is kept; the audit says it went, not to whom.
  ASSERT_TRUE(eventually([&] { return count("SELECT COUNT(*) FROM invitation_mails") == 0; }));
  EXPECT_FALSE(on_disk(fixture.db, address));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'invitation_mailed' AND actor = "
                  "'anna'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%" + address + "%'"), 0);
  // The link in the mail works: the invitation opens for the parent.
  const std::string key = new_key();
  Answer lookup = call("POST", "/api/v1/invitations/lookup", key, json{{"code", code}});
  EXPECT_EQ(lookup.status, 200) << lookup.body.dump();
}

TEST_F(Notifications, RecipientRefusedForGood_FailedInOutboxNotRetried) {
  admin({"set-professional-notifications", "anna", "--email", "anna@refuse.example", "--on-duty",
         "yes"});
  ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  ASSERT_TRUE(eventually([&] { return outbox("status = 'failed'") == 1; })) << fixture.server.log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(count("SELECT attempts FROM outbox WHERE status = 'failed'"), 1);
  auto listing = run_admin(fixture.db, {"outbox"});
  EXPECT_NE(listing.output.find("failed"), std::string::npos) << listing.output;
  EXPECT_NE(listing.output.find("550"), std::string::npos) << listing.output;
  auto health = fixture.server.client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["mail"], "ok") << "the mail server itself works";
}

TEST_F(Notifications, DailyDigest_WaitsButASafetyShareGoesAtOnceWithIt) {
  admin({"set-professional-notifications", "anna", "--email", "anna@verloskunde-a.example",
         "--digest", "daily", "--on-duty", "yes"});
  ASSERT_EQ(send(make_share(new_uuid(), kLow)).status, 201);
  const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const long long due = count("SELECT next_attempt_at FROM outbox WHERE status = 'pending'");
  EXPECT_EQ(due, server::next_digest_at(now_ms)) << "the next 07:00 UTC";
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(catcher.mails().empty());
  ASSERT_EQ(send(marked_share(kFlagged)).status, 201);
  ASSERT_TRUE(eventually([&] { return catcher.mails().size() == 1; })) << fixture.server.log();
  EXPECT_EQ(count("SELECT events FROM outbox WHERE status = 'sent'"), 2) << "one mail, both";
}

TEST_F(Notifications, Addresses_ClearErrorsForWhatIsNoAddress) {
  const std::string anna = login_as("anna");
  Answer bad = professional("PATCH", "/api/v1/inbox/me/notifications", anna,
                            json{{"email", "anna at home"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["error"], "invalid_email");
  Answer good = professional("PATCH", "/api/v1/inbox/me/notifications", anna,
                             json{{"email", "anna@verloskunde-a.example"}, {"digest", "daily"}});
  ASSERT_EQ(good.status, 200) << good.body.dump();
  EXPECT_EQ(good.body["email"], "anna@verloskunde-a.example");
  EXPECT_EQ(good.body["digest"], "daily");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'notifications_changed'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%anna@%'"), 0);
  auto refused = run_admin(fixture.db, {"set-professional-notifications", "anna", "--email", "x@"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("expected an e-mail address"), std::string::npos) << refused.output;
  auto team = run_admin(fixture.db, {"set-organisation-email", "vsv-a", "team"});
  EXPECT_EQ(team.exit_code, 1);
  auto created = run_admin(fixture.db,
                           {"create-professional", "erik", "--organisation", "vsv-a", "--role",
                            "verloskundige", "--email", "erik@@x.example"},
                           std::string(kPassword) + "\n");
  EXPECT_EQ(created.exit_code, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM professionals WHERE username = 'erik'"), 0);
}

TEST_F(Notifications, AgreementWithADate_AsCalendarFile_OnlyAfspraakMet) {
  const std::string key = new_key();
  const std::string family_id = make_family(key);
  const std::string anna = login_as("anna");
  const std::string what = "AGREEMENT-MARKER-4b1d gesprek over slapen";
  Answer created = professional(
      "POST", "/api/v1/inbox/families/" + family_id + "/agreements", anna,
      json{{"what", what}, {"owner_organisation", "vsv-a"}, {"due_date", "2026-12-31"}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const std::string path =
      "/agreements/" + std::to_string(created.body["id"].get<int64_t>()) + "/calendar.ics";

  auto c = fixture.server.client();
  httplib::Headers headers = {{"Authorization", "Bearer " + key}, {"Origin", kOriginA}};
  auto parent = c.Get(("/api/v1/family" + path).c_str(), headers);
  ASSERT_TRUE(parent);
  ASSERT_EQ(parent->status, 200) << parent->body;
  EXPECT_EQ(parent->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_NE(parent->body.find("DTSTART;VALUE=DATE:20261231\r\n"), std::string::npos);
  EXPECT_NE(parent->body.find("SUMMARY:Afspraak met Verloskunde A\r\n"), std::string::npos)
      << parent->body;
  EXPECT_EQ(parent->body.find("MARKER"), std::string::npos) << "nothing of what was agreed";
  EXPECT_EQ(c.Get(("/api/v1/family/agreements/999999/calendar.ics"), headers)->status, 404);
  EXPECT_EQ(c.Get(("/api/v1/family" + path).c_str())->status, 401) << "the family key is needed";

  auto mine = c.Get(("/api/v1/inbox/families/" + family_id + path).c_str(), session_headers(anna));
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->status, 200) << mine->body;
  EXPECT_NE(mine->body.find("SUMMARY:Kindband: afspraak met een gezin\r\n"), std::string::npos);
  EXPECT_EQ(mine->body.find("MARKER"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'agreement_calendar' AND "
                  "family_id = '" +
                  family_id + "'"),
            1);
  auto other = c.Get(("/api/v1/inbox/families/" + family_id + path).c_str(),
                     session_headers(login_as("bert")));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403) << "not a member of the family's network";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'agreement_calendar_denied'"), 1);
}

// YYYY-MM-DD in UTC, days from today.
std::string utc_date(int days) {
  const std::time_t when = std::time(nullptr) + days * 24 * 3600;
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

TEST_F(Notifications, AgreementDueOrOverdue_AnnouncedOnceToOwnerOrOrganisation) {
  admin({"set-organisation-email", "vsv-a", kTeam});
  admin({"set-professional-notifications", "anna", "--email", "anna@verloskunde-a.example"});
  const std::string key = new_key();
  const std::string family_id = make_family(key);
  const std::string anna = login_as("anna");
  const std::string path = "/api/v1/inbox/families/" + family_id + "/agreements";
  ASSERT_EQ(professional("POST", path, anna,
                         json{{"what", "Huisbezoek"},
                              {"owner_organisation", "vsv-a"},
                              {"owner_username", "anna"},
                              {"due_date", utc_date(0)}})
                .status,
            201);
  ASSERT_EQ(
      professional(
          "POST", path, anna,
          json{{"what", "Bellen"}, {"owner_organisation", "vsv-a"}, {"due_date", utc_date(-1)}})
          .status,
      201);
  ASSERT_EQ(professional(
                "POST", path, anna,
                json{{"what", "Later"}, {"owner_organisation", "vsv-a"}, {"due_date", utc_date(7)}})
                .status,
            201);
  // The sweep runs at start and once a minute: a restart makes it run now.
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(fixture.db, mail_args())) << fixture.server.log();
  ASSERT_TRUE(eventually([&] {
    return catcher.mails_to("anna@verloskunde-a.example").size() == 1 &&
           catcher.mails_to(kTeam).size() == 1;
  })) << fixture.server.log();
  const std::string to_anna = catcher.mails_to("anna@verloskunde-a.example")[0]["body"];
  const std::string to_team = catcher.mails_to(kTeam)[0]["body"];
  EXPECT_NE(to_anna.find("Er is een afspraak voor vandaag."), std::string::npos) << to_anna;
  EXPECT_NE(to_team.find("Er is een afspraak over de datum."), std::string::npos) << to_team;
  for (const char* what : {"Huisbezoek", "Bellen", "Later"}) {
    EXPECT_EQ(to_anna.find(what), std::string::npos);
    EXPECT_EQ(to_team.find(what), std::string::npos);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM notify_agreement_reminders"), 2);
  fixture.server.stop();
  ASSERT_TRUE(fixture.server.start(fixture.db, mail_args())) << fixture.server.log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(catcher.mails().size(), 2u) << "each agreement is announced once";
}

TEST(EmailAddress, AcceptsMailboxesAndRefusesWhatWouldChangeTheMail) {
  EXPECT_EQ(server::check_email_address("anna.de-vries+kb@zorg.example.nl"), "");
  for (const char* bad :
       {"", "anna", "anna@", "@zorg.nl", "anna@zorg", "a b@zorg.nl", "anna@zorg.nl\r\nBcc: x@y.nl",
        "<anna@zorg.nl>", "anna@@zorg.nl", "anna@zorg..nl", ".anna@zorg.nl"}) {
    EXPECT_NE(server::check_email_address(bad), "") << bad;
  }
}

TEST(IcsWriter, WritesOneAllDayEventPerRfc5545) {
  server::CalendarEvent event{"agreement-12-ab@kb.example", "2026-12-31",
                              "Afspraak met JGZ Voorbeeldstad, team Zuid; één", 1796630400};
  const std::string ics = server::write_ics(event);
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0u) << ics;
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20261231\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND;VALUE=DATE:20270101\r\n"), std::string::npos) << "the next day";
  EXPECT_NE(ics.find("DTSTAMP:20261207T080000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:Afspraak met JGZ Voorbeeldstad\\, team Zuid\\; één"),
            std::string::npos)
      << ics;
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  // Long lines fold at 75 octets, never inside a UTF-8 character.
  event.summary = std::string(70, 'a') + "ééééé";
  const std::string folded = server::write_ics(event);
  size_t begin = 0;
  for (size_t end; (end = folded.find("\r\n", begin)) != std::string::npos; begin = end + 2) {
    EXPECT_LE(end - begin, 75u);
    EXPECT_NE(static_cast<unsigned char>(folded[end - 1]), 0xc3) << "split inside a character";
  }
  EXPECT_NE(folded.find("\r\n "), std::string::npos);
  EXPECT_EQ(server::write_ics({"x", "2026-02-30", "y", 0}), "") << "no such date";
  EXPECT_TRUE(server::is_calendar_date("2028-02-29"));
  EXPECT_FALSE(server::is_calendar_date("2027-02-29"));
}

TEST(MailComposer, SaysThereIsNewsAndForWhomWithALink) {
  const auto text = server::professional_mail_text({"safety_share", "new_share", "case_assigned"},
                                                   "Kraamzorg Café De Zon", "https://kb.example");
  EXPECT_EQ(text.body.find("Er is een nieuwe melding.\n- Er is een nieuwe melding."),
            std::string::npos)
      << "one line for both kinds of share";
  EXPECT_NE(text.body.find("Er is een melding aan jou toegewezen."), std::string::npos);
  EXPECT_NE(text.body.find("https://kb.example/inbox/"), std::string::npos);
  const std::string mail = server::compose_mail("kb@zorg.example", "team@zorg.example", text,
                                                "kindband-1-2@zorg.example", 1796630400);
  EXPECT_NE(mail.find("Message-ID: <kindband-1-2@zorg.example>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Date: Mon, 07 Dec 2026 08:00:00 +0000\r\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos) << "non-ASCII is encoded";
  EXPECT_EQ(mail.find("\n\n"), std::string::npos) << "CRLF line ends only";
}

}  // namespace
}  // namespace kindband::test::notify_tests
