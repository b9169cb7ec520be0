// Crashes and failover on PostgreSQL (issue 27): two kindband-server instances on one database,
// clients that share (and send messages and agreements with an Idempotency-Key) through both and
// retry what was not acknowledged, as a real client does; meanwhile an instance, the postmaster, or
// the whole primary (then a synchronous standby is promoted) is killed with SIGKILL at a moment
// picked at random. Afterwards every acknowledged share, message and agreement is stored exactly
// once, the audit chain verifies and its seq is contiguous. Also: a commit is not acknowledged
// before the synchronous standby has it.
//
// Runs in the PostgreSQL stage (scripts/test-postgres.sh, KINDBAND_TEST_POSTGRES set) and there
// fails when PostgreSQL's programs are missing; the tests that kill or promote PostgreSQL start
// clusters of their own (postgres_cluster.h). Everything waits for events (a port file, pg_ctl -w,
// an acknowledgement count, a wait event), each with a generous ceiling.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "postgres_cluster.h"
#include "sealing.h"
#include "server_harness.h"

namespace kindband::test::failover_tests {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kOnlyOnPostgres =
    "runs in the PostgreSQL stage (scripts/test-postgres.sh sets KINDBAND_TEST_POSTGRES)";
// Ceilings for events on a busy 2-core machine, never the expected durations.
constexpr auto kCeiling = std::chrono::seconds(180);

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Polls until done() (every 10 ms); false when the ceiling passed first.
bool wait_until(const std::function<bool()>& done) {
  const auto deadline = Clock::now() + kCeiling;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// One kindband-server instance on a fixed port, so that a restarted instance is found again.
struct Instance {
  explicit Instance(std::string instance_name) : name(std::move(instance_name)) {}
  std::string name;
  int port = free_port();
  ServerProcess process;
  bool start(const std::string& db) {
    return process.start(db, {"--listen", "127.0.0.1:" + std::to_string(port)}, name);
  }
};

// What the clients sent and what was acknowledged to them.
struct Ledger {
  std::mutex mutex;
  std::map<std::string, json> shares_sent;      // share id -> body
  std::map<std::string, std::string> receipts;  // acknowledged share id -> receipt
  std::map<std::string, int64_t> messages;      // acknowledged Idempotency-Key -> message id
  std::map<std::string, int64_t> agreements;    // acknowledged Idempotency-Key -> agreement id
  std::vector<std::string> wrong;               // answers that are neither ack nor "again"
  std::atomic<int> acknowledged{0};
  std::atomic<int> retries{0};
  std::atomic<int64_t> last_acknowledged_ns{0};  // Clock time of the latest acknowledgement
};

// A client as the widget and the inbox page are: a request that got no answer or 503 is sent
// again, unchanged (same share id, same Idempotency-Key), to the next instance (as a load
// balancer would), until it is acknowledged (200 or 201). Anything else is recorded as wrong.
bool send_until_acknowledged(const std::vector<const Instance*>& instances, int first,
                             const std::string& path, const httplib::Headers& headers,
                             const std::string& body, const std::atomic<bool>& abandon,
                             Ledger* ledger, json* reply) {
  const auto deadline = Clock::now() + kCeiling;
  for (int attempt = 0; Clock::now() < deadline && !abandon; ++attempt) {
    const Instance* instance = instances[(first + attempt) % instances.size()];
    httplib::Client client("127.0.0.1", instance->port);
    client.set_connection_timeout(2);
    client.set_read_timeout(kCeiling.count());
    auto res = client.Post(path.c_str(), headers, body, "application/json");
    if (res && (res->status == 200 || res->status == 201)) {
      *reply = json::parse(res->body, nullptr, false);
      ++ledger->acknowledged;
      ledger->last_acknowledged_ns = Clock::now().time_since_epoch().count();
      return true;
    }
    if (res && res->status != 503) {
      std::lock_guard<std::mutex> lock(ledger->mutex);
      ledger->wrong.push_back(path + ": " + std::to_string(res->status) + " " + res->body);
      return false;
    }
    ++ledger->retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::lock_guard<std::mutex> lock(ledger->mutex);
  ledger->wrong.push_back(path + (abandon ? ": abandoned" : ": never acknowledged"));
  return false;
}

// Where the professional's messages and agreements go (empty: shares only).
struct CareTarget {
  std::string family_id;
  std::string cookie;  // anna's session (vsv-a), made before the load: sessions are in the database
};

// Clients that keep sending until stopped (at least kMinimum operations each).
class Load {
 public:
  static constexpr int kClients = 6;
  static constexpr int kMinimum = 10;

  Load(std::vector<const Instance*> instances, CareTarget care)
      : instances_(std::move(instances)), care_(std::move(care)) {
    for (int t = 0; t < kClients; ++t) clients_.emplace_back([this, t] { run(t); });
  }
  // After a failed assertion: the clients give up instead of waiting for the ceiling.
  ~Load() {
    abandon_ = true;
    finish();
  }
  // Waits until `more` further acknowledgements arrived; false at the ceiling.
  bool wait_for_acknowledgements(int more) {
    const int target = ledger.acknowledged + more;
    return wait_until([&] { return ledger.acknowledged >= target; });
  }
  void finish() {
    stop_ = true;
    for (auto& client : clients_) {
      if (client.joinable()) client.join();
    }
  }

  Ledger ledger;
  const Clock::time_point started = Clock::now();

 private:
  void run(int t) {
    std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1u);
    for (int i = 0; i < kMinimum || !stop_; ++i) {
      const int kind = care_.family_id.empty() ? 0 : i % 3;
      json reply;
      if (kind == 0) {
        std::vector<int> answers(9);
        for (int& answer : answers) answer = static_cast<int>(random() % 4);
        const std::string id = new_uuid();
        const json body = make_share(id, answers);
        {
          std::lock_guard<std::mutex> lock(ledger.mutex);
          ledger.shares_sent[id] = body;
        }
        if (send_until_acknowledged(instances_, t, "/api/v1/shares", {{"Origin", kOriginA}},
                                    body.dump(), abandon_, &ledger, &reply)) {
          std::lock_guard<std::mutex> lock(ledger.mutex);
          ledger.receipts[id] = reply.value("receipt", "");
        }
        continue;
      }
      const std::string key = (kind == 1 ? "message-" : "agreement-") + new_uuid();
      const std::string path =
          "/api/v1/inbox/families/" + care_.family_id + (kind == 1 ? "/messages" : "/agreements");
      const json body = kind == 1 ? json{{"text", "Ik bel je morgen (" + key + ")."}}
                                  : json{{"what", "Kraamzorg regelen (" + key + ")"},
                                         {"owner_organisation", "vsv-a"}};
      httplib::Headers headers = session_headers(care_.cookie);
      headers.emplace("Idempotency-Key", key);
      if (send_until_acknowledged(instances_, t, path, headers, body.dump(), abandon_, &ledger,
                                  &reply)) {
        std::lock_guard<std::mutex> lock(ledger.mutex);
        (kind == 1 ? ledger.messages : ledger.agreements)[key] = reply.value("id", int64_t{-1});
      }
    }
  }

  std::vector<const Instance*> instances_;
  CareTarget care_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> abandon_{false};
  std::vector<std::thread> clients_;
};

// Every row of sql on db, each as its columns' text (one connection: a busy machine takes a
// noticeable time for each new PostgreSQL connection).
std::vector<std::vector<std::string>> rows(const std::string& db, const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  PGconn* conn = PQconnectdb(database_location(db).c_str());
  PGresult* result = PQexec(conn, sql.c_str());
  if (PQresultStatus(result) == PGRES_TUPLES_OK) {
    for (int row = 0; row < PQntuples(result); ++row) {
      std::vector<std::string> values;
      for (int column = 0; column < PQnfields(result); ++column) {
        values.emplace_back(PQgetvalue(result, row, column));
      }
      out.push_back(std::move(values));
    }
  } else {
    ADD_FAILURE() << sql << ": " << PQerrorMessage(conn);
  }
  PQclear(result);
  PQfinish(conn);
  return out;
}

// How many rows of sql (first column: a key) there are for each key.
std::map<std::string, int> counted(const std::string& db, const std::string& sql) {
  std::map<std::string, int> counts;
  for (const auto& row : rows(db, sql)) ++counts[row[0]];
  return counts;
}

// Every acknowledged share is stored once with the body that was sent and its receipt works;
// every acknowledged message and agreement once; nothing else was stored; the audit chain has one
// row per acknowledged creation, a contiguous seq, and verifies.
void expect_exactly_what_was_acknowledged(const std::string& db, Ledger& ledger,
                                          const Instance& instance) {
  std::lock_guard<std::mutex> lock(ledger.mutex);
  EXPECT_TRUE(ledger.wrong.empty()) << ledger.wrong.front();
  EXPECT_EQ(ledger.receipts.size(), ledger.shares_sent.size()) << "every share was acknowledged";
  ASSERT_TRUE(install_content_keys_of(db + ".keys"));
  std::map<std::string, std::string> payloads;
  for (const auto& row : rows(db, "SELECT share_id, payload FROM shares")) {
    EXPECT_TRUE(payloads.emplace(row[0], row[1]).second) << "twice: " << row[0];
  }
  EXPECT_EQ(payloads.size(), ledger.receipts.size()) << "no share that was never acknowledged";
  const std::map<std::string, int> received =
      counted(db, "SELECT share_id FROM audit_log WHERE action = 'share_received'");
  int checked = 0;
  for (const auto& [id, receipt] : ledger.receipts) {
    auto stored = payloads.find(id);
    ASSERT_NE(stored, payloads.end()) << "acknowledged, not stored: " << id;
    const auto opened = server::try_open_sealed("shares", "payload", id, stored->second);
    ASSERT_TRUE(opened.has_value()) << id;
    EXPECT_EQ(json::parse(*opened, nullptr, false), ledger.shares_sent[id]) << id;
    auto audited = received.find(id);
    EXPECT_EQ(audited == received.end() ? 0 : audited->second, 1) << id;
    // Every 10th receipt still opens its status (all of them would only repeat the same path).
    if (checked++ % 10 == 0) {
      auto c = instance.process.client();
      auto status = c.Get(("/api/v1/shares/" + id + "/status").c_str(),
                          {{"Authorization", "Bearer " + receipt}});
      ASSERT_TRUE(status);
      EXPECT_EQ(status->status, 200) << id;
    }
  }
  EXPECT_EQ(received.size(), payloads.size());
  for (const auto& [table, action, acknowledged] :
       {std::tuple{"messages", "message_sent", &ledger.messages},
        std::tuple{"agreements", "agreement_created", &ledger.agreements}}) {
    const std::map<std::string, int> stored = counted(db, std::string("SELECT id FROM ") + table);
    for (const auto& [key, id] : *acknowledged) {
      auto found = stored.find(std::to_string(id));
      EXPECT_EQ(found == stored.end() ? 0 : found->second, 1) << key;
    }
    EXPECT_EQ(stored.size(), acknowledged->size()) << table << ": one row per Idempotency-Key";
    EXPECT_EQ(query_int(db, std::string("SELECT COUNT(*) FROM audit_log WHERE action = '") +
                                action + "'"),
              static_cast<long long>(acknowledged->size()))
        << action;
  }
  EXPECT_EQ(query_int(db, "SELECT MAX(seq) - COUNT(*) FROM audit_log"), 0) << "seq is contiguous";
  auto verify = run_admin(db, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
}

// Organisation vsv-a (and with care: coalition ks, professional anna) in db.
void set_up_organisations(const std::string& db, bool care) {
  auto admin = [&](const std::vector<std::string>& args, const std::string& input = "") {
    const CommandResult result = run_admin(db, args, input);
    ASSERT_EQ(result.exit_code, 0) << result.output;
  };
  admin({"create-organisation", "vsv-a", "--origin", kOriginA});
  if (!care) return;
  admin({"create-coalition", "ks", "--name", "Kansrijke Start"});
  admin({"add-organisation-to-coalition", "vsv-a", "ks", "--type", "verloskunde"});
  admin({"create-professional", "anna", "--organisation", "vsv-a", "--role", "verloskundige"},
        std::string(kPassword) + "\n");
}

// A family (through the parents' API) with vsv-a in its network, and anna's session.
CareTarget make_care_target(const Instance& instance) {
  CareTarget target;
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char key[64];
  sodium_bin2base64(key, sizeof key, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  const httplib::Headers parent = {{"Authorization", std::string("Bearer ") + key},
                                   {"Origin", kOriginA}};
  auto c = instance.process.client();
  const std::string family_id = new_uuid();
  auto created =
      c.Post("/api/v1/families", parent, json{{"family_id", family_id}, {"role", "mother"}}.dump(),
             "application/json");
  EXPECT_TRUE(created && created->status == 201) << (created ? created->body : "no answer");
  auto member = c.Post("/api/v1/family/memberships", parent,
                       json{{"organisation", "vsv-a"}, {"consent_version", "2026-11-v1"}}.dump(),
                       "application/json");
  EXPECT_TRUE(member && member->status == 201) << (member ? member->body : "no answer");
  target.family_id = family_id;
  target.cookie = login(c, "anna", kPassword);
  EXPECT_FALSE(target.cookie.empty());
  return target;
}

bool ready(const Instance& instance) {
  auto c = instance.process.client();
  auto res = c.Get("/readyz");
  return res && res->status == 200;
}

// The first of settings for a primary whose commits wait for the standby named kb_standby.
const std::vector<std::string> kSynchronousPrimary = {"synchronous_standby_names=kb_standby"};

bool standby_is_synchronous(const PostgresCluster& primary) {
  return primary.query(
             "SELECT COUNT(*) FROM pg_stat_replication WHERE application_name = "
             "'kb_standby' AND sync_state = 'sync' AND state = 'streaming'",
             nullptr, "postgres") == "1";
}

TEST(Failover, KillNineOfEitherInstanceDuringWrites_EveryAcknowledgedShareStoredOnce) {
  if (!on_postgres()) GTEST_SKIP() << kOnlyOnPostgres;
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  set_up_organisations(db, false);
  Instance a("a"), b("b");
  ASSERT_TRUE(a.start(db)) << a.process.log();
  ASSERT_TRUE(b.start(db)) << b.process.log();
  std::mt19937 random(std::random_device{}());
  Load load({&a, &b}, {});
  for (Instance* victim : {&a, &b}) {
    ASSERT_TRUE(load.wait_for_acknowledgements(20 + static_cast<int>(random() % 60)));
    victim->process.kill_hard();
    ASSERT_TRUE(victim->start(db)) << victim->process.log();
  }
  ASSERT_TRUE(load.wait_for_acknowledgements(40)) << "the instances work after the kills";
  load.finish();
  const double load_seconds = seconds_since(load.started);
  EXPECT_GT(load.ledger.retries.load(), 0) << "no kill interrupted a request: proves nothing";
  expect_exactly_what_was_acknowledged(db, load.ledger, a);
  std::printf(
      "kill -9 of each instance: %zu shares acknowledged and found once, %d retries, "
      "load %.1f s\n",
      load.ledger.receipts.size(), load.ledger.retries.load(), load_seconds);
}

TEST(Failover, KillNineOfThePostmasterDuringWrites_EveryAcknowledgedShareStoredOnce) {
  if (!on_postgres()) GTEST_SKIP() << kOnlyOnPostgres;
  ClusterFolder folder;
  PostgresCluster cluster(folder, "primary", 5432);
  std::string error;
  ASSERT_TRUE(cluster.create(&error)) << error;
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  use_location(db, cluster.url());
  set_up_organisations(db, false);
  Instance a("a"), b("b");
  ASSERT_TRUE(a.start(db)) << a.process.log();
  ASSERT_TRUE(b.start(db)) << b.process.log();
  std::mt19937 random(std::random_device{}());
  Load load({&a, &b}, {});
  std::vector<double> outages;
  for (int kill = 0; kill < 2; ++kill) {
    ASSERT_TRUE(load.wait_for_acknowledgements(20 + static_cast<int>(random() % 60)));
    const auto killed = Clock::now();
    ASSERT_TRUE(cluster.kill_postmaster(&error)) << error;
    // Crash recovery from the WAL; the instances are not restarted: they connect again.
    ASSERT_TRUE(cluster.start(&error)) << error;
    ASSERT_TRUE(load.wait_for_acknowledgements(1));
    outages.push_back(seconds_since(killed));
  }
  ASSERT_TRUE(load.wait_for_acknowledgements(40));
  load.finish();
  EXPECT_GT(load.ledger.retries.load(), 0) << "no kill interrupted a request: proves nothing";
  EXPECT_TRUE(ready(a));
  EXPECT_TRUE(ready(b));
  expect_exactly_what_was_acknowledged(db, load.ledger, a);
  std::printf(
      "kill -9 of the postmaster (twice): %zu shares acknowledged and found once, %d retries; "
      "from the kill to the next acknowledgement %.1f s and %.1f s\n",
      load.ledger.receipts.size(), load.ledger.retries.load(), outages[0], outages[1]);
}

TEST(Failover, PrimaryKilledStandbyPromoted_NothingAcknowledgedIsLostOrDoubled) {
  if (!on_postgres()) GTEST_SKIP() << kOnlyOnPostgres;
  ClusterFolder folder;
  PostgresCluster primary(folder, "primary", 5432, kSynchronousPrimary);
  PostgresCluster standby(folder, "kb_standby", 5433);
  std::string error;
  ASSERT_TRUE(primary.create(&error)) << error;
  ASSERT_TRUE(standby.create_standby_of(primary, &error)) << error;
  ASSERT_TRUE(wait_until([&] { return standby_is_synchronous(primary); })) << standby.log();
  // Both hosts in one connection string: libpq takes the one that accepts writes, so after the
  // promotion the instances find the new primary themselves, without a restart.
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  use_location(db, "postgresql://kb@" + primary.url_host() + "," + standby.url_host() +
                       "/kindband?target_session_attrs=read-write");
  set_up_organisations(db, true);
  Instance a("a"), b("b");
  ASSERT_TRUE(a.start(db)) << a.process.log();
  ASSERT_TRUE(b.start(db)) << b.process.log();
  const CareTarget care = make_care_target(a);
  ASSERT_FALSE(care.cookie.empty());

  std::mt19937 random(std::random_device{}());
  Load load({&a, &b}, care);
  ASSERT_TRUE(load.wait_for_acknowledgements(30 + static_cast<int>(random() % 90)));
  const int before = load.ledger.acknowledged;
  const auto killed = Clock::now();
  ASSERT_TRUE(primary.kill_postmaster(&error)) << error;
  const double primary_gone = seconds_since(killed);
  ASSERT_TRUE(standby.promote(&error)) << error;
  const double promoted = seconds_since(killed);
  ASSERT_TRUE(load.wait_for_acknowledgements(1)) << a.process.log();
  const double first_acknowledgement = seconds_since(killed);
  ASSERT_TRUE(wait_until([&] { return ready(a) && ready(b); }));
  ASSERT_TRUE(load.wait_for_acknowledgements(60));
  load.finish();

  EXPECT_GT(load.ledger.retries.load(), 0) << "the failover interrupted no request: proves nothing";
  EXPECT_EQ(standby.query("SELECT pg_is_in_recovery()::text"), "false");
  expect_exactly_what_was_acknowledged(db, load.ledger, b);
  std::printf(
      "failover: %zu shares, %zu messages, %zu agreements acknowledged (%d before the kill), "
      "each found once on the promoted standby, %d retries; primary's processes gone after "
      "%.2f s, standby promoted after %.2f s, first acknowledgement after %.2f s\n",
      load.ledger.receipts.size(), load.ledger.messages.size(), load.ledger.agreements.size(),
      before, load.ledger.retries.load(), primary_gone, promoted, first_acknowledgement);
}

TEST(Failover, ACommitIsNotAcknowledgedBeforeTheSynchronousStandbyHasIt) {
  if (!on_postgres()) GTEST_SKIP() << kOnlyOnPostgres;
  ClusterFolder folder;
  PostgresCluster primary(folder, "primary", 5432, kSynchronousPrimary);
  PostgresCluster standby(folder, "kb_standby", 5433);
  std::string error;
  ASSERT_TRUE(primary.create(&error)) << error;
  ASSERT_TRUE(standby.create_standby_of(primary, &error)) << error;
  ASSERT_TRUE(wait_until([&] { return standby_is_synchronous(primary); })) << standby.log();
  TempDir dir;
  const std::string db = dir.file("kindband.db");
  use_location(db, primary.url());
  set_up_organisations(db, false);
  Instance a("a");
  ASSERT_TRUE(a.start(db)) << a.process.log();

  // The standby goes away; a share sent now waits in the primary's commit.
  ASSERT_TRUE(standby.kill_postmaster(&error)) << error;
  const std::string id = new_uuid();
  std::atomic<int> status{-1};
  std::thread parent([&] {
    httplib::Client client("127.0.0.1", a.port);
    client.set_read_timeout(kCeiling.count() * 2);
    auto res = post_share(client, make_share(id, {0, 1, 0, 1, 0, 1, 0, 1, 0}).dump());
    status = res ? res->status : 0;
  });
  const bool waits_for_standby = wait_until([&] {
    return primary.query("SELECT COUNT(*) > 0 FROM pg_stat_activity WHERE wait_event = 'SyncRep'",
                         nullptr, "postgres") == "t";
  });
  EXPECT_TRUE(waits_for_standby) << "the commit did not wait for the synchronous standby";
  EXPECT_EQ(status, -1) << "acknowledged while only the primary had it";
  // Meanwhile no other request can see it either (and so none answers "already stored"):
  // PostgreSQL shows a commit to others only after the standby confirmed it.
  EXPECT_EQ(primary.query("SELECT COUNT(*) FROM shares WHERE share_id = '" + id + "'"), "0");
  // Back: the standby catches up, confirms, and only then the parent hears 201.
  ASSERT_TRUE(standby.start(&error)) << error;
  parent.join();
  EXPECT_EQ(status, 201);
  // Flushed there before the 201; replayed (visible) a moment later.
  EXPECT_TRUE(wait_until([&] {
    return standby.query("SELECT COUNT(*) FROM shares WHERE share_id = '" + id + "'") == "1";
  })) << "the acknowledged share is on the standby";
}

}  // namespace
}  // namespace kindband::test::failover_tests
