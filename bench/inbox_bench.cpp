// Inbox benchmark (issue 9: "the inbox stays usable with 10,000 shares in an organisation"): list
// and family page latency next to the same server's trivial /healthz, measured in the same run.
//
//   kindband_inbox_bench [--families N] [--requests N] [--clients N] [--dir DIR]
//   (defaults: 2,000 families x 5 linked shares = 10,000 shares, 200 requests per endpoint,
//    32 setup clients)
//
// Starts the real kindband-server on loopback with a fresh database in DIR (default: a new folder
// under the current directory, removed afterwards). Setup, through the public API as the widget
// does it: one coalition with two organisations (midwives and youth health care) and a
// professional at the youth health care; N families, each with a family key, both organisations
// in its network and 5 linked PHQ-9 shares scored by the engine (mostly low, about one in five
// positive, about 1% with the safety item answered), in pregnancy week 12-36 and postpartum week
// 1-12. Many concurrent clients send the setup so it is quick; its rate is printed.
//
// Then the professional logs in and one client, one keep-alive connection, sends sequential
// requests: after a warm-up, `requests` rounds, each round one request to every endpoint in turn
// (so noise from other work on the machine falls on all of them alike):
//   GET /healthz                          the baseline
//   GET /api/v1/inbox?limit=50            the first page
//   GET /api/v1/inbox?limit=50&cursor=C   a deep page: C is next_cursor followed ~100 pages in
//   GET /api/v1/inbox?flag=1              the safety-flagged shares
//   GET /api/v1/inbox?family=ID           one family's shares
//   GET /api/v1/inbox/families/ID         the family page
// and prints p50/p99 of each and its ratio to /healthz p50. Every inbox read writes its audit row
// in a durable transaction (docs/care-network.md), so the disk's fdatasync time is printed too.
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "kindband/engine.h"

namespace {

using kindband::bench::fdatasync_per_second;
using kindband::bench::run_command;
using kindband::bench::uuid;

using Clock = std::chrono::steady_clock;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kSharesPerFamily = 5;
constexpr int kPageSize = 50;
constexpr int kDeepPages = 100;
constexpr int kWarmUpRounds = 20;
constexpr const char* kPassword = "correct horse battery";
constexpr const char* kOriginMidwives = "https://vk.bench.example";
constexpr const char* kOriginJgz = "https://jgz.bench.example";

struct Options {
  int families = 2000;
  int requests = 200;
  int clients = 32;
  std::string dir;
};

// A device's family key: 32 random bytes, base64url without padding (as the widget makes it).
std::string family_key() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char text[64];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

// Runs kindband-admin with input on stdin; its output goes to log. Returns the exit code.
int admin(const std::string& db, const std::string& log, std::vector<std::string> args,
          const std::string& input = "") {
  args.insert(args.begin(), {KINDBAND_ADMIN_BINARY, "--database", db});
  return run_command(args, input, log);
}

// One family as its first parent's device would build it.
struct Family {
  std::string id;
  std::string key;
  std::vector<std::string> shares;  // request bodies
};

// The answers of share number n (over all families): deterministic, about 1% with PHQ-9 item 9
// answered, about one in five with a total of 10 or more, the rest low.
kindband::Answers answers_for(long n) {
  kindband::Answers answers(9, 0);
  if (n % 100 == 37) {
    for (int item = 0; item < 8; ++item) answers[item] = static_cast<int>((n / 100 + item) % 3);
    answers[8] = 1 + static_cast<int>(n % 2);
  } else if (n % 5 == 1) {
    for (int item = 0; item < 8; ++item) answers[item] = 1 + static_cast<int>((n + item) % 3 == 0);
    answers[static_cast<size_t>(n % 8)] = 3;
  } else {
    for (int item = 0; item < 8; ++item) answers[item] = static_cast<int>((n + item) % 7 == 0);
  }
  return answers;
}

// The context of a family's share j: three moments in pregnancy, two after birth.
kindband::Context context_for(long family, int j) {
  kindband::Context context;
  context.role = "mother";
  if (j < 3) {
    context.stage = "pregnancy";
    context.week = static_cast<int>(12 + 8 * j + family % 5);  // 12-16, 20-24, 28-32
  } else {
    context.stage = "postpartum";
    context.week = static_cast<int>(1 + 6 * (j - 3) + family % 6);  // 1-6, 7-12
  }
  return context;
}

struct Endpoint {
  std::string name;
  std::string path;
  std::vector<double> ms;
  size_t bytes = 0;
  long failures = 0;
  double p50 = 0;
  double p99 = 0;
};

double percentile(std::vector<double> values, int p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, values.size() * static_cast<size_t>(p) / 100)];
}

int usage() {
  std::fprintf(stderr,
               "usage: kindband_inbox_bench [--families N] [--requests N] [--clients N] "
               "[--dir DIR]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) return usage();
    if (flag == "--families")
      options.families = std::atoi(argv[i + 1]);
    else if (flag == "--requests")
      options.requests = std::atoi(argv[i + 1]);
    else if (flag == "--clients")
      options.clients = std::atoi(argv[i + 1]);
    else if (flag == "--dir")
      options.dir = argv[i + 1];
    else
      return usage();
  }
  if (options.families < 1 || options.requests < 1 || options.clients < 1) return usage();
  if (sodium_init() < 0) return 1;
  signal(SIGPIPE, SIG_IGN);
  fs::path dir = options.dir.empty()
                     ? fs::current_path() / ("kindband-inbox-bench-" + uuid().substr(0, 8))
                     : fs::path(options.dir);
  fs::create_directories(dir);
  const std::string db = (dir / "bench.db").string();
  const std::string admin_log = (dir / "admin.log").string();
  const std::string password = std::string(kPassword) + "\n";
  const std::vector<std::vector<std::string>> setup = {
      {"create-coalition", "ks-bench", "--name", "Kansrijke Start Benchstad"},
      {"create-organisation", "vk-bench", "--origin", kOriginMidwives, "--name",
       "Verloskunde Bench"},
      {"create-organisation", "jgz-bench", "--origin", kOriginJgz, "--name", "JGZ Bench"},
      {"add-organisation-to-coalition", "vk-bench", "ks-bench", "--type", "verloskunde"},
      {"add-organisation-to-coalition", "jgz-bench", "ks-bench", "--type", "jgz"},
      {"create-professional", "bench-jgz", "--organisation", "jgz-bench", "--role",
       "jeugdverpleegkundige"},
  };
  for (const auto& args : setup) {
    if (admin(db, admin_log, args, password) != 0) {
      std::fprintf(stderr, "kindband_inbox_bench: kindband-admin %s failed (see %s)\n",
                   args[0].c_str(), admin_log.c_str());
      return 1;
    }
  }

  // Families and share bodies, built before the clients start so setup measures the server.
  std::vector<kindband::Error> errors;
  const kindband::Library library = kindband::Library::builtin(&errors);
  const kindband::Instrument* phq9 = library.find("phq9");
  if (!phq9) return 1;
  std::vector<Family> families(static_cast<size_t>(options.families));
  long flagged = 0, positive = 0;
  for (long f = 0; f < options.families; ++f) {
    Family& family = families[static_cast<size_t>(f)];
    family.id = uuid();
    family.key = family_key();
    for (int j = 0; j < kSharesPerFamily; ++j) {
      const long n = f * kSharesPerFamily + j;
      const kindband::Answers answers = answers_for(n);
      const kindband::Context context = context_for(f, j);
      kindband::Result result;
      kindband::Error error;
      if (!kindband::score_instrument(*phq9, answers, context, &result, &error)) return 1;
      flagged += result.safety_flags.empty() ? 0 : 1;
      positive += result.positive() ? 1 : 0;
      json body = {
          {"share_id", uuid()},
          {"family_id", family.id},
          {"recipients", {"vk-bench", "jgz-bench"}},
          {"instrument", {{"id", "phq9"}, {"version", phq9->version}}},
          {"context", {{"role", context.role}, {"stage", context.stage}, {"week", context.week}}},
          {"language", "nl"},
          {"shared", "result_and_answers"},
          {"result", json::parse(kindband::to_json(result))},
          {"answers", answers},
          {"consent_version", "2026-11-v1"},
          {"created_at", "2026-11-22T21:00:00Z"}};
      family.shares.push_back(body.dump());
    }
  }

  const std::string port_file = (dir / "port").string();
  const std::string server_log = (dir / "server.log").string();
  pid_t server = fork();
  if (server == 0) {
    int out = open(server_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(out, 2);
    close(out);
    // One request thread per keep-alive connection: the setup clients plus a few spare.
    execl(KINDBAND_SERVER_BINARY, KINDBAND_SERVER_BINARY, "--database", db.c_str(), "--listen",
          "127.0.0.1:0", "--port-file", port_file.c_str(), "--threads",
          std::to_string(std::min(256, options.clients + 8)).c_str(), "--shares-per-address", "0",
          "--shares-per-organisation", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  int port = 0;
  for (int i = 0; i < 3000 && port == 0; ++i) {
    std::ifstream in(port_file);
    in >> port;
    if (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto stop_server = [&] {
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
  };
  if (port == 0) {
    std::fprintf(stderr, "kindband_inbox_bench: server did not start (see %s)\n",
                 server_log.c_str());
    kill(server, SIGKILL);
    waitpid(server, nullptr, 0);
    return 1;
  }

  std::printf(
      "kindband inbox benchmark: %d families x %d linked PHQ-9 shares = %ld shares, %u cores\n",
      options.families, kSharesPerFamily, static_cast<long>(options.families) * kSharesPerFamily,
      std::thread::hardware_concurrency());
  std::printf("database: %s (WAL, synchronous=FULL, group commit)\n", db.c_str());
  std::printf("shares: %ld positive, %ld safety-flagged (engine's scoring); body %zu bytes\n",
              positive, flagged, families[0].shares[0].size());
  std::fflush(stdout);

  // Setup: each client takes the next family and sends, as the widget would, the family, both
  // memberships and the five shares.
  std::atomic<long> next_family{0};
  std::atomic<long> requests{0}, failures{0};
  std::atomic<bool> reported{false};
  auto setup_start = Clock::now();
  {
    std::vector<std::thread> clients;
    for (int t = 0; t < options.clients; ++t) {
      clients.emplace_back([&] {
        httplib::Client client("127.0.0.1", port);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(60);
        auto post = [&](const std::string& key, const char* path, const std::string& body,
                        int expected) {
          httplib::Headers headers = {{"Authorization", "Bearer " + key}, {"Origin", kOriginJgz}};
          auto res = client.Post(path, headers, body, "application/json");
          ++requests;
          if (res && res->status == expected) return true;
          ++failures;
          if (!reported.exchange(true)) {
            std::fprintf(stderr, "kindband_inbox_bench: POST %s: %d %s\n", path,
                         res ? res->status : -1, res ? res->body.substr(0, 300).c_str() : "");
          }
          return false;
        };
        for (long f = next_family++; f < options.families; f = next_family++) {
          const Family& family = families[static_cast<size_t>(f)];
          if (!post(family.key, "/api/v1/families",
                    json{{"family_id", family.id}, {"role", "mother"}}.dump(), 201)) {
            continue;
          }
          for (const char* organisation : {"vk-bench", "jgz-bench"}) {
            post(family.key, "/api/v1/family/memberships",
                 json{{"organisation", organisation}, {"consent_version", "2026-11-v1"}}.dump(),
                 201);
          }
          for (const std::string& share : family.shares) {
            post(family.key, "/api/v1/shares", share, 201);
          }
        }
      });
    }
    for (auto& client : clients) client.join();
  }
  const double setup_seconds = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::printf(
      "setup: %ld requests (%d families, %ld memberships, %ld shares) in %.1f s = %.0f "
      "requests/s, %.0f shares/s, %d clients; %ld failures\n",
      requests.load(), options.families, 2L * options.families,
      static_cast<long>(options.families) * kSharesPerFamily, setup_seconds,
      requests / setup_seconds,
      static_cast<double>(options.families) * kSharesPerFamily / setup_seconds, options.clients,
      failures.load());
  std::fflush(stdout);
  if (failures > 0) {
    stop_server();
    return 1;
  }

  // The professional, one client, sequential requests.
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(60);
  auto login =
      client.Post("/api/v1/login", json{{"username", "bench-jgz"}, {"password", kPassword}}.dump(),
                  "application/json");
  std::string cookie = login ? login->get_header_value("Set-Cookie") : "";
  const size_t start = cookie.find("kb_session=");
  if (!login || login->status != 200 || start == std::string::npos) {
    std::fprintf(stderr, "kindband_inbox_bench: login failed: %d\n", login ? login->status : -1);
    stop_server();
    return 1;
  }
  cookie = cookie.substr(start, cookie.find(';', start) - start);
  const httplib::Headers session = {{"Cookie", cookie}};
  auto get = [&](const std::string& path, json* body) {
    auto res = client.Get(path.c_str(), session);
    if (!res || res->status != 200) return false;
    if (body) *body = json::parse(res->body, nullptr, false);
    return true;
  };

  json first;
  if (!get("/api/v1/inbox?limit=" + std::to_string(kPageSize), &first)) {
    std::fprintf(stderr, "kindband_inbox_bench: the inbox did not answer\n");
    stop_server();
    return 1;
  }
  // Follow next_cursor ~100 pages in (fewer when the inbox has fewer pages).
  std::string cursor;
  int depth = 0;
  {
    json page = first;
    while (depth < kDeepPages - 1 && page["next_cursor"].is_string()) {
      cursor = page["next_cursor"].get<std::string>();
      ++depth;
      if (!get("/api/v1/inbox?limit=" + std::to_string(kPageSize) + "&cursor=" + cursor, &page)) {
        break;
      }
    }
  }
  const std::string family_id = families[families.size() / 2].id;
  std::vector<Endpoint> endpoints = {
      {"GET /healthz", "/healthz", {}},
      {"inbox first page (limit=50)", "/api/v1/inbox?limit=" + std::to_string(kPageSize), {}},
      {"inbox page " + std::to_string(depth + 1) + " (cursor)",
       "/api/v1/inbox?limit=" + std::to_string(kPageSize) + "&cursor=" + cursor,
       {}},
      {"inbox ?flag=1", "/api/v1/inbox?flag=1", {}},
      {"inbox ?family=ID", "/api/v1/inbox?family=" + family_id, {}},
      {"family page", "/api/v1/inbox/families/" + family_id, {}},
  };
  if (cursor.empty()) endpoints.erase(endpoints.begin() + 2);  // one page only: no deep page
  for (int round = 0; round < kWarmUpRounds + options.requests; ++round) {
    for (Endpoint& endpoint : endpoints) {
      auto begin = Clock::now();
      auto res = client.Get(endpoint.path.c_str(), session);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
      if (!res || res->status != 200) {
        ++endpoint.failures;
        continue;
      }
      endpoint.bytes = res->body.size();
      if (round >= kWarmUpRounds) endpoint.ms.push_back(ms);
    }
  }
  stop_server();
  for (Endpoint& endpoint : endpoints) {
    endpoint.p50 = percentile(endpoint.ms, 50);
    endpoint.p99 = percentile(endpoint.ms, 99);
  }
  const double fsyncs = fdatasync_per_second(dir, 1.0);

  const json& counts = first["counts"];
  std::printf("inbox of jgz-bench: %s shares (%s flagged new); page %d reached via next_cursor\n",
              counts.value("all", json(0)).dump().c_str(),
              counts.value("flagged_new", json(0)).dump().c_str(), depth + 1);
  std::printf("%d requests per endpoint after %d warm-up rounds, one client, round-robin\n",
              options.requests, kWarmUpRounds);
  std::printf("%-30s %9s %9s %11s %11s %9s %8s\n", "endpoint", "p50 ms", "p99 ms", "p50/healthz",
              "p99/healthz", "bytes", "failures");
  const double base = endpoints[0].p50;
  for (const Endpoint& endpoint : endpoints) {
    std::printf("%-30s %9.2f %9.2f %10.1fx %10.1fx %9zu %8ld\n", endpoint.name.c_str(),
                endpoint.p50, endpoint.p99, base > 0 ? endpoint.p50 / base : 0.0,
                base > 0 ? endpoint.p99 / base : 0.0, endpoint.bytes, endpoint.failures);
  }
  std::printf(
      "disk: %.0f fdatasync/s = %.3f ms per fsync (each inbox read commits its audit row)\n",
      fsyncs, fsyncs > 0 ? 1e3 / fsyncs : 0.0);
  std::error_code ignored;
  if (options.dir.empty()) fs::remove_all(dir, ignored);
  return 0;
}
