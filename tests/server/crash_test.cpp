// Crash safety: clients share concurrently and retry while the server is killed with SIGKILL and
// restarted several times. Afterwards every share that was acknowledged (201 or 200) is stored
// exactly once with the body that was sent, and the audit chain is intact.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "server_harness.h"

namespace kindband::test::crash_tests {
namespace {

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

TEST(Crash, EveryAcknowledgedShareSurvivesSigkillExactlyOnce) {
  ServerFixture fixture;
  const int port = free_port();
  const std::vector<std::string> args = {"--listen", "127.0.0.1:" + std::to_string(port)};
  fixture.start(false, args);
  ASSERT_EQ(fixture.server.port(), port);

  constexpr int kClients = 8;
  constexpr int kMinSharesPerClient = 20;
  constexpr int kKills = 5;
  std::mutex mutex;
  std::map<std::string, std::string> acknowledged;  // share id -> receipt
  std::map<std::string, json> sent;                 // share id -> body
  std::atomic<int> retries{0};
  std::atomic<bool> kills_done{false};
  std::atomic<int> acknowledged_count{0};

  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      // Keep sharing until all kills are done, so every kill lands in the middle of traffic.
      for (int i = 0; i < kMinSharesPerClient || !kills_done; ++i) {
        std::vector<int> answers(9);
        for (int& answer : answers) answer = static_cast<int>(random() % 4);
        std::string id = new_uuid();
        json body = make_share(id, answers);
        {
          std::lock_guard<std::mutex> lock(mutex);
          sent[id] = body;
        }
        for (int attempt = 0; attempt < 500; ++attempt) {
          httplib::Client client("127.0.0.1", port);
          client.set_connection_timeout(2);
          client.set_read_timeout(10);
          auto res = post_share(client, body.dump());
          if (res && (res->status == 201 || res->status == 200)) {
            std::lock_guard<std::mutex> lock(mutex);
            std::string receipt = json::parse(res->body)["receipt"];
            auto [it, inserted] = acknowledged.emplace(id, receipt);
            EXPECT_TRUE(inserted) << "acknowledged twice: " << id;
            ++acknowledged_count;
            break;
          }
          // Only "no answer" (server down) and 503 may be retried; anything else is a bug.
          if (res) {
            EXPECT_EQ(res->status, 503) << res->body;
          }
          ++retries;
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
    });
  }

  auto kill_and_restart = [&] {
    std::mt19937 random(42);
    for (int k = 0; k < kKills; ++k) {
      int before = acknowledged_count;
      // Let traffic flow: wait for some acknowledgements (the first kill comes mid-stream).
      while (acknowledged_count < before + 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 30));
      fixture.server.kill_hard();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ASSERT_TRUE(fixture.server.start(fixture.db, args)) << fixture.server.log();
    }
  };
  std::thread killer([&] {
    kill_and_restart();
    kills_done = true;  // also when a restart failed, so the clients stop
  });
  killer.join();
  for (auto& client : clients) client.join();

  EXPECT_EQ(acknowledged.size(), sent.size()) << "every share was eventually acknowledged";
  EXPECT_GT(retries.load(), 0) << "the kills did not interrupt any request: test proves nothing";

  // Restart once more from what is on disk, then check every acknowledged share.
  fixture.server.kill_hard();
  ASSERT_TRUE(fixture.server.start(fixture.db, args)) << fixture.server.log();
  for (const auto& [id, receipt] : acknowledged) {
    ASSERT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares WHERE share_id = '" + id + "'"), 1)
        << id;
    // Stored sealed (docs/envelope.md): opened with the server's content key.
    const std::vector<std::string> payloads =
        opened_values(fixture.db, "shares", "payload", "share_id = '" + id + "'");
    ASSERT_EQ(payloads.size(), 1u) << id;
    json stored = json::parse(payloads[0]);
    EXPECT_EQ(stored, sent[id]) << id;
    EXPECT_EQ(query_int(fixture.db,
                        "SELECT COUNT(*) FROM audit_log WHERE action = "
                        "'share_received' AND share_id = '" +
                            id + "'"),
              1);
    // The receipt still works after the crashes.
    auto c = fixture.server.client();
    auto status = c.Get(("/api/v1/shares/" + id + "/status").c_str(),
                        {{"Authorization", "Bearer " + receipt}});
    ASSERT_TRUE(status);
    EXPECT_EQ(status->status, 200);
  }
  EXPECT_EQ(query_int(fixture.db, "SELECT COUNT(*) FROM shares"),
            static_cast<long long>(acknowledged.size()));
  auto verify = run_admin(fixture.db, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  std::printf("crash test: %zu shares acknowledged, %d retries across %d SIGKILLs\n",
              acknowledged.size(), retries.load(), kKills);
}

}  // namespace
}  // namespace kindband::test::crash_tests
