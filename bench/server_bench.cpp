// Server benchmark: shares per second with durable commits (WAL, synchronous=FULL, group commit)
// against the same server's trivial /healthz in the same run, with p50/p99 latency for both.
//
//   kindband_server_bench [--seconds N] [--clients N] [--threads N] [--dir DIR]
//                         [--postgres URL]
//   (defaults: 5 s per phase, 64 clients, 64 server request threads)
// With --postgres URL (an empty database; scripts/bench-server.sh starts a throw-away cluster) it
// measures only the two engines side by side: /healthz, share ingest and inbox reads on SQLite and
// on PostgreSQL, each as a ratio to the same server's /healthz in the same run (issue 27).
//
// Starts the real kindband-server on loopback with a fresh database in DIR (default: a new folder
// under the current directory, i.e. on a real disk, not tmpfs, so fsync costs what it costs).
// Clients keep one keep-alive connection each and send requests back to back. Both endpoints are
// measured with the same clients and server threads, one after the other, in the same run.
//
// To show where the time of a share goes it also prints, measured in the same run:
//   - the disk's own limit: fdatasync calls per second on a file in DIR (4 KB rewrite + sync);
//   - CPU per share on one core, in process, for each step of the request path (parse, validate
//     with the engine, canonical hash, receipt, sealing the payload and summary at rest);
//   - the server's own accounting of its single writer (printed when it stops): jobs per commit,
//     time in COMMIT (WAL write + fsync), SQL time per share, wait from queue to acknowledgement.
// Then the same shares with notification addresses set (each share also writes outbox rows,
// issue 23), and the abuse scenarios, each on its own fresh database: a flood from one address
// (issue 12), a flood of forged safety shares from rotating addresses with a genuine keyed safety
// share of a known family in the middle (issue 22), and a genuine safety share's ingest latency
// idle vs while large day views and family pages are read (issue 22, p50/p99 and their ratio).
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "kindband/engine.h"
#include "sealing.h"
#include "share_validation.h"
#include "text_util.h"

namespace {

using kindband::bench::fdatasync_per_second;
using kindband::bench::run_command;
using kindband::bench::uuid;

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  int seconds = 5;
  // 64 concurrent clients (and as many request threads, as each keep-alive connection holds one):
  // enough waiting shares to fill a group commit. /healthz gets exactly the same load.
  int clients = 64;
  int threads = 64;
  std::string dir;
  // "reads": only the scenario of a safety share's latency while large reads run.
  std::string only;
  // --postgres URL: only the two engines side by side (SQLite file, PostgreSQL at URL).
  std::string postgres;
};

struct Phase {
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  long failures = 0;
  long requests = 0;
};

// Runs `clients` threads for `seconds`, each calling send(client, thread, i) back to back.
template <typename Send>
Phase measure(int port, const Options& options, Send send) {
  std::vector<std::vector<double>> latencies(options.clients);
  std::atomic<long> failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int t = 0; t < options.clients; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30);
      for (long i = 0; !stop; ++i) {
        auto begin = Clock::now();
        bool ok = send(client, t, i);
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
        if (!ok) ++failures;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(options.seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& list : latencies) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  Phase phase;
  phase.requests = static_cast<long>(all.size());
  phase.requests_per_second = all.size() / elapsed;
  if (!all.empty()) {
    phase.p50_ms = all[all.size() / 2];
    phase.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  phase.failures = failures;
  return phase;
}

// Microseconds of CPU per call of step over bodies, on this thread.
template <typename Step>
double cpu_us_per_call(const std::vector<std::string>& bodies, Step step) {
  timespec a{}, b{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  long calls = 0;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& body : bodies) {
      step(body);
      ++calls;
    }
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
  double us = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) * 1e-3;
  return us / calls;
}

}  // namespace

// The server's peak resident memory (VmHWM), in MB; 0 when unknown.
double peak_memory_mb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return 0;
}

// Starts kindband-server on a fresh database in dir with extra arguments; returns its pid and
// fills port (0 when it did not start).
pid_t start_server(const std::filesystem::path& dir, const std::string& db,
                   const std::vector<std::string>& extra, int* port) {
  std::string port_file = (dir / "flood.port").string();
  std::filesystem::remove(port_file);  // a previous scenario's server wrote its port there
  std::vector<std::string> args = {KINDBAND_SERVER_BINARY, "--database",  db,       "--listen",
                                   "127.0.0.1:0",          "--port-file", port_file};
  args.insert(args.end(), extra.begin(), extra.end());
  std::fflush(stdout);  // the child's freopen would print what is buffered here a second time
  pid_t pid = fork();
  if (pid == 0) {
    std::string log = (dir / "flood-server.log").string();
    FILE* out = std::freopen(log.c_str(), "w", stdout);
    (void)out;
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  *port = 0;
  for (int i = 0; i < 500 && *port == 0; ++i) {
    std::ifstream in(port_file);
    in >> *port;
    if (*port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pid;
}

// The flood scenario (issue 12): a script floods the share API from one address with the server's
// default limits, and one genuine safety share arrives from a parent elsewhere in the middle of it.
// Prints how much of the flood got in, where the genuine share stands in the inbox, and the
// server's peak memory.
void flood_scenario(const std::filesystem::path& dir, const Options& options,
                    const std::vector<json>& flood_templates, const json& genuine_template) {
  const std::string db = (dir / "flood.db").string();
  const std::string password = "bench password 123";
  run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-organisation", "bench-vsv",
               "--origin", "https://bench.example"},
              "");
  run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-professional", "bench.pro",
               "--organisation", "bench-vsv", "--role", "verloskundige"},
              password + "\n");
  int port = 0;
  pid_t server = start_server(dir, db, {"--trusted-proxy", "127.0.0.1", "--threads", "64"}, &port);
  if (port == 0) {
    std::printf("flood scenario: the server did not start\n");
    kill(server, SIGKILL);
    waitpid(server, nullptr, 0);
    return;
  }
  std::atomic<long> accepted{0}, refused{0}, other{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> flooders;
  for (int t = 0; t < options.clients; ++t) {
    flooders.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      httplib::Headers headers = {{"Origin", "https://bench.example"}, {"X-Real-IP", "10.6.6.6"}};
      for (long i = 0; !stop; ++i) {
        json share = flood_templates[static_cast<size_t>(t + i) % flood_templates.size()];
        share["share_id"] = uuid();
        auto res = client.Post("/api/v1/shares", headers, share.dump(), "application/json");
        if (res && res->status == 201) {
          ++accepted;
        } else if (res && res->status == 429) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(options.seconds * 500));
  json genuine = genuine_template;
  const std::string genuine_id = uuid();
  genuine["share_id"] = genuine_id;
  httplib::Client parent("127.0.0.1", port);
  auto sent = parent.Post("/api/v1/shares",
                          {{"Origin", "https://bench.example"}, {"X-Real-IP", "10.1.2.3"}},
                          genuine.dump(), "application/json");
  std::this_thread::sleep_for(std::chrono::milliseconds(options.seconds * 500));
  stop = true;
  for (auto& flooder : flooders) flooder.join();
  httplib::Client professional("127.0.0.1", port);
  auto login = professional.Post("/api/v1/login",
                                 json{{"username", "bench.pro"}, {"password", password}}.dump(),
                                 "application/json");
  std::string cookie;
  if (login && login->status == 200) {
    std::string header = login->get_header_value("Set-Cookie");
    cookie = header.substr(0, header.find(';'));
  }
  auto inbox = professional.Get("/api/v1/inbox?limit=200", {{"Cookie", cookie}});
  long position = -1;
  bool alarm = false;
  if (inbox && inbox->status == 200) {
    json page = json::parse(inbox->body);
    alarm = !page["alarm"].is_null();
    for (size_t i = 0; i < page["shares"].size(); ++i) {
      if (page["shares"][i]["share_id"] == genuine_id) position = static_cast<long>(i) + 1;
    }
  }
  const double peak = peak_memory_mb(server);
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::printf(
      "flood scenario (default limits, %d clients from one address, %d s, no safety answers in "
      "the flood):\n  flood accepted %ld, refused 429 %ld, other %ld; genuine safety share from "
      "another address: HTTP %d, position in the inbox %ld (1 = first); inbox alarm %s; server "
      "peak memory %.1f MB\n",
      options.clients, options.seconds, accepted.load(), refused.load(), other.load(),
      sent ? sent->status : 0, position, alarm ? "on" : "off", peak);
}

// A coalition with bench-vsv, a professional, and a family the midwife invited (known to
// bench-vsv): returns the family id and its key, and the professional's cookie in *cookie.
struct KnownFamily {
  std::string family_id, key, cookie;
};
KnownFamily make_known_family(int port, const std::string& password) {
  KnownFamily family;
  httplib::Client client("127.0.0.1", port);
  auto login =
      client.Post("/api/v1/login", json{{"username", "bench.pro"}, {"password", password}}.dump(),
                  "application/json");
  if (!login || login->status != 200) return family;
  std::string header = login->get_header_value("Set-Cookie");
  family.cookie = header.substr(0, header.find(';'));
  auto invitation = client.Post("/api/v1/inbox/invitations", {{"Cookie", family.cookie}}, "{}",
                                "application/json");
  if (!invitation || invitation->status != 201) return family;
  const std::string code = json::parse(invitation->body)["code"];
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char text[64];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  family.key = text;
  const std::string id = uuid();
  httplib::Headers parent = {{"Origin", "https://bench.example"},
                             {"Authorization", "Bearer " + family.key}};
  auto created =
      client.Post("/api/v1/families", parent, json{{"family_id", id}, {"role", "mother"}}.dump(),
                  "application/json");
  auto joined = client.Post("/api/v1/family/memberships", parent,
                            json{{"organisation", "bench-vsv"},
                                 {"consent_version", "2026-11-v1"},
                                 {"invitation_code", code}}
                                .dump(),
                            "application/json");
  if (created && created->status == 201 && joined && joined->status == 201) family.family_id = id;
  return family;
}

json keyed_share(const json& one_off, const KnownFamily& family) {
  json share = one_off;
  share.erase("organisation");
  share["family_id"] = family.family_id;
  share["recipients"] = {"bench-vsv"};
  share["share_id"] = uuid();
  return share;
}

// A database for the scenarios below: bench-vsv in a coalition, its professional.
void make_network(const std::string& db, const std::string& password) {
  run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-organisation", "bench-vsv",
               "--origin", "https://bench.example"},
              "");
  run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-coalition", "bench-ks", "--name",
               "Bench coalition"},
              "");
  run_command({KINDBAND_ADMIN_BINARY, "--database", db, "add-organisation-to-coalition",
               "bench-vsv", "bench-ks", "--type", "verloskunde"},
              "");
  run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-professional", "bench.pro",
               "--organisation", "bench-vsv", "--role", "verloskundige"},
              password + "\n");
}

// Issue 22: forged safety shares from many rotating addresses (each under the per-address limit,
// default limits otherwise), and in the middle a genuine safety share of a family the midwife
// invited. Prints what got in, where the genuine one stands in the inbox, and its latency.
void rotating_flood_scenario(const std::filesystem::path& dir, const Options& options,
                             const json& safety_template) {
  const std::string db = (dir / "rotating.db").string();
  const std::string password = "bench password 123";
  make_network(db, password);
  int port = 0;
  pid_t server = start_server(dir, db, {"--trusted-proxy", "127.0.0.1", "--threads", "64"}, &port);
  if (port == 0) {
    std::printf("rotating flood: the server did not start\n");
    kill(server, SIGKILL);
    waitpid(server, nullptr, 0);
    return;
  }
  KnownFamily family = make_known_family(port, password);
  std::atomic<long> accepted{0}, refused{0}, other{0}, next_address{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> flooders;
  for (int t = 0; t < options.clients; ++t) {
    flooders.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      while (!stop) {
        // A new address every 3 shares: always under every per-address limit.
        const long n = next_address++ / 3;
        const std::string address = "10." + std::to_string((n >> 16) & 255) + "." +
                                    std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255);
        json share = safety_template;
        share["share_id"] = uuid();
        auto res = client.Post("/api/v1/shares",
                               {{"Origin", "https://bench.example"}, {"X-Real-IP", address}},
                               share.dump(), "application/json");
        if (res && res->status == 201) {
          ++accepted;
        } else if (res && res->status == 429) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(options.seconds * 500));
  httplib::Client parent("127.0.0.1", port);
  const json genuine = keyed_share(safety_template, family);
  const auto sent_at = Clock::now();
  auto sent = parent.Post("/api/v1/shares",
                          {{"Origin", "https://bench.example"},
                           {"Authorization", "Bearer " + family.key},
                           {"X-Real-IP", "10.250.1.2"}},
                          genuine.dump(), "application/json");
  const double genuine_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - sent_at).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(options.seconds * 500));
  stop = true;
  for (auto& flooder : flooders) flooder.join();
  httplib::Client professional("127.0.0.1", port);
  auto inbox = professional.Get("/api/v1/inbox?limit=50", {{"Cookie", family.cookie}});
  long position = -1;
  json not_shown = nullptr;
  if (inbox && inbox->status == 200) {
    json page = json::parse(inbox->body);
    not_shown = page["safety_not_shown"];
    for (size_t i = 0; i < page["shares"].size(); ++i) {
      if (page["shares"][i]["share_id"] == genuine["share_id"]) position = long(i) + 1;
    }
  }
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::printf(
      "rotating-address flood (issue 22; default limits, %d clients, a new address every 3 "
      "shares, every forged share a safety share, %d s):\n  flood accepted %ld (stored, "
      "quarantined past the budget), refused 429 %ld, other %ld; genuine keyed safety share of "
      "a known family: HTTP %d in %.1f ms, position in the inbox %ld (1 = first); untaken safety "
      "shares not on the first page: %s\n",
      options.clients, options.seconds, accepted.load(), refused.load(), other.load(),
      sent ? sent->status : 0, genuine_ms, position, not_shown.dump().c_str());
}

// Issue 22: a genuine safety share's ingest latency, idle and while large day views and family
// pages are read (they run on read connections; only their audit rows go through the writer).
void latency_under_reads_scenario(const std::filesystem::path& dir, const json& safety_template) {
  const std::string db = (dir / "reads.db").string();
  const std::string password = "bench password 123";
  make_network(db, password);
  int port = 0;
  // The bench makes its 100 families from one address: the per-address limits for parents are off.
  const std::vector<std::string> flags = {"--threads",
                                          "64",
                                          "--families-per-address",
                                          "0",
                                          "--parent-writes-per-address",
                                          "0",
                                          "--parent-writes-per-family",
                                          "0"};
  pid_t server = start_server(dir, db, flags, &port);
  if (port == 0) {
    std::printf("latency under reads: the server did not start\n");
    kill(server, SIGKILL);
    waitpid(server, nullptr, 0);
    return;
  }
  // 100 families, each with 20 shares and 500 messages from parents (their cap): the midwife's
  // day view lists all of them.
  KnownFamily family = make_known_family(port, password);
  std::vector<std::string> families;
  for (int i = 0; i < 100; ++i) {
    KnownFamily other = make_known_family(port, password);
    if (other.family_id.empty()) continue;
    families.push_back(other.family_id);
    httplib::Client client("127.0.0.1", port);
    for (int s = 0; s < 20; ++s) {
      client.Post("/api/v1/shares",
                  {{"Origin", "https://bench.example"}, {"Authorization", "Bearer " + other.key}},
                  keyed_share(safety_template, other).dump(), "application/json");
    }
  }
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  if (families.empty() || family.key.empty()) {
    std::printf("latency under reads: could not make the families (see %s)\n",
                (dir / "flood-server.log").c_str());
    return;
  }
  std::string insert =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO "
      "messages(family_id, author, role, text, at) SELECT f.id, 'parent', 'mother', 'Een "
      "bericht van een ouder, nummer ' || n.i, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM "
      "families f, n;"
      // Written in clear, as in a database from before sealing (issue 26): the server seals
      // them when it starts again.
      "DELETE FROM meta WHERE key = 'content_sealed';";
  run_command({"/usr/bin/sqlite3", db, insert}, "");
  server = start_server(dir, db, flags, &port);
  // Sessions live in the server's memory: log in again after the restart.
  std::string cookie;
  {
    httplib::Client client("127.0.0.1", port);
    auto login =
        client.Post("/api/v1/login", json{{"username", "bench.pro"}, {"password", password}}.dump(),
                    "application/json");
    if (login && login->status == 200) {
      const std::string header = login->get_header_value("Set-Cookie");
      cookie = header.substr(0, header.find(';'));
    }
  }
  // Idle and loaded phases alternate (5 rounds of each), so that whatever else the machine does
  // falls on both alike; the latencies of all idle and of all loaded phases are pooled.
  std::vector<double> idle_ms, loaded_ms;
  auto ingest = [&](int count, std::vector<double>* latencies) {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    for (int i = 0; i < count; ++i) {
      const auto begin = Clock::now();
      auto res = client.Post(
          "/api/v1/shares",
          {{"Origin", "https://bench.example"}, {"Authorization", "Bearer " + family.key}},
          keyed_share(safety_template, family).dump(), "application/json");
      if (res && res->status == 201) {
        latencies->push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    }
  };
  auto quantiles = [](std::vector<double> latencies) {
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
      return latencies.empty() ? 0.0 : latencies[size_t(q * (latencies.size() - 1))];
    };
    return std::pair<double, double>{at(0.5), at(0.99)};
  };
  const int rounds = 5;
  const int per_phase = 40;
  const int samples = rounds * per_phase;
  std::atomic<bool> stop{false};
  std::atomic<bool> reading{false};
  std::atomic<int> busy{0};     // readers in the middle of a read
  std::atomic<int> started{0};  // reads started in this loaded phase
  std::atomic<long> reads{0};
  std::atomic<long> bytes{0};
  std::mutex gate_mutex;
  std::condition_variable gate;
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_read_timeout(60);
      client.set_tcp_nodelay(true);
      for (long i = 0;; ++i) {
        {
          std::unique_lock<std::mutex> lock(gate_mutex);
          gate.wait(lock, [&] { return stop.load() || reading.load(); });
          if (stop) return;
          ++busy;
          ++started;
        }
        gate.notify_all();
        auto res =
            (t % 2 == 0)
                ? client.Get("/api/v1/inbox/day", {{"Cookie", cookie}})
                : client.Get("/api/v1/inbox/families/" + families[size_t(i) % families.size()],
                             {{"Cookie", cookie}});
        if (res && res->status == 200) {
          ++reads;
          bytes += static_cast<long>(res->body.size());
        }
        {
          std::lock_guard<std::mutex> lock(gate_mutex);
          --busy;
        }
        gate.notify_all();
      }
    });
  }
  for (int round = 0; round < rounds; ++round) {
    // Idle: no reader is in a read.
    {
      std::unique_lock<std::mutex> lock(gate_mutex);
      reading = false;
      gate.wait(lock, [&] { return busy.load() == 0; });
    }
    ingest(per_phase, &idle_ms);
    {
      std::lock_guard<std::mutex> lock(gate_mutex);
      started = 0;
      reading = true;
    }
    gate.notify_all();
    // Loaded: every reader has started a read before the first share is sent.
    {
      std::unique_lock<std::mutex> lock(gate_mutex);
      gate.wait(lock, [&] { return started.load() >= 4; });
    }
    ingest(per_phase, &loaded_ms);
  }
  {
    std::lock_guard<std::mutex> lock(gate_mutex);
    stop = true;
  }
  gate.notify_all();
  for (auto& reader : readers) reader.join();
  const auto idle = quantiles(idle_ms);
  const auto loaded = quantiles(loaded_ms);
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::printf(
      "safety-share ingest while large reads run (issue 22; %zu families x 20 shares x 500 "
      "messages, 4 readers of the day view and family pages, %d shares each, idle and loaded "
      "phases alternating):\n"
      "  idle    p50 %.2f ms  p99 %.2f ms\n  loaded  p50 %.2f ms  p99 %.2f ms  (%ld reads, "
      "%.1f MB read)\n  ratio loaded/idle: p50 %.1fx, p99 %.1fx (target: within 3x)\n",
      families.size(), samples, idle.first, idle.second, loaded.first, loaded.second, reads.load(),
      bytes.load() / 1e6, idle.first > 0 ? loaded.first / idle.first : 0.0,
      idle.second > 0 ? loaded.second / idle.second : 0.0);
  std::fflush(stdout);
}

// One engine's figures in the engines comparison, each phase against the same server's /healthz.
struct EngineFigures {
  bool started = false;
  Phase health, shares, inbox;
  int inbox_shares = 0;  // shares in the inbox while it was read
};

// Issue 27: the same server on SQLite (a file in dir) and on PostgreSQL (postgres_url, an empty
// database), one after the other in one run: /healthz (the baseline), durable share ingest, and a
// professional's inbox reads (each one audited, so each is a write job too), with the same clients.
void engines_scenario(const std::filesystem::path& dir, const Options& options,
                      const std::vector<json>& templates, const std::string& postgres_url) {
  const std::string password = "bench password 123";
  const std::string origin = "https://bench.example";
  auto one_engine = [&](const std::string& name, const std::string& location) {
    EngineFigures figures;
    std::vector<std::string> extra = {
        "--threads", std::to_string(options.threads), "--shares-per-address",
        "0",         "--shares-per-organisation",     "0"};
    const std::string log = (dir / (name + "-admin.log")).string();
    if (location.rfind("postgresql://", 0) == 0) {
      // PostgreSQL: the key file is made once, by kindband-admin (never by the server).
      const std::string keys = (dir / (name + ".keys")).string();
      if (run_command({KINDBAND_ADMIN_BINARY, "--database", location, "create-key-file", keys}, "",
                      log) != 0) {
        return figures;
      }
      extra.insert(extra.end(), {"--key-file", keys});
    }
    if (run_command({KINDBAND_ADMIN_BINARY, "--database", location, "create-organisation",
                     "bench-vsv", "--origin", origin},
                    "", log) != 0 ||
        run_command({KINDBAND_ADMIN_BINARY, "--database", location, "create-professional",
                     "bench.pro", "--organisation", "bench-vsv", "--role", "verloskundige"},
                    password + "\n", log) != 0) {
      return figures;
    }
    int port = 0;
    pid_t server = start_server(dir, location, extra, &port);
    if (port == 0) {
      kill(server, SIGKILL);
      waitpid(server, nullptr, 0);
      return figures;
    }
    figures.started = true;
    std::vector<std::vector<std::string>> bodies(options.clients);
    for (int t = 0; t < options.clients; ++t) {
      for (int i = 0; i < 5000; ++i) {
        json share = templates[static_cast<size_t>(t + i) % templates.size()];
        share["share_id"] = uuid();
        bodies[t].push_back(share.dump());
      }
    }
    const httplib::Headers headers = {{"Origin", origin}};
    figures.health = measure(port, options, [&](httplib::Client& client, int, long) {
      auto res = client.Get("/healthz");
      return res && res->status == 200;
    });
    // The inbox holds the same shares on both engines when it is read: kInboxShares, sent before
    // (untimed, 8 clients), then the share phase adds what each engine can take.
    constexpr int kInboxShares = 1000;
    std::atomic<int> seeded{0};
    std::vector<std::thread> seeders;
    for (int t = 0; t < 8; ++t) {
      seeders.emplace_back([&, t] {
        httplib::Client client("127.0.0.1", port);
        client.set_keep_alive(true);
        for (int i = t; i < kInboxShares; i += 8) {
          json share = templates[static_cast<size_t>(i) % templates.size()];
          share["share_id"] = uuid();
          auto res = client.Post("/api/v1/shares", headers, share.dump(), "application/json");
          if (res && res->status == 201) ++seeded;
        }
      });
    }
    for (auto& seeder : seeders) seeder.join();
    httplib::Client professional("127.0.0.1", port);
    auto login = professional.Post("/api/v1/login",
                                   json{{"username", "bench.pro"}, {"password", password}}.dump(),
                                   "application/json");
    std::string cookie;
    if (login && login->status == 200) {
      const std::string header = login->get_header_value("Set-Cookie");
      cookie = header.substr(0, header.find(';'));
    }
    figures.inbox_shares = seeded;
    figures.inbox = measure(port, options, [&](httplib::Client& client, int, long) {
      auto res = client.Get("/api/v1/inbox?limit=50", {{"Cookie", cookie}});
      return res && res->status == 200;
    });
    figures.shares = measure(port, options, [&](httplib::Client& client, int t, long i) {
      const auto& list = bodies[t];
      auto res = client.Post("/api/v1/shares", headers, list[static_cast<size_t>(i) % list.size()],
                             "application/json");
      return res && (res->status == 201 || res->status == 200);
    });
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
    std::ifstream server_log(dir / "flood-server.log");
    for (std::string line; std::getline(server_log, line);) {
      if (line.find("group commits") != std::string::npos) {
        std::printf("  %s writer: %s\n", name.c_str(), line.c_str());
      }
    }
    return figures;
  };

  std::printf(
      "engines side by side (issue 27): %d clients, %d server threads, %d s per phase; each "
      "phase's throughput as a ratio to the same server's GET /healthz in this run\n",
      options.clients, options.threads, options.seconds);
  std::fflush(stdout);
  const EngineFigures sqlite = one_engine("sqlite", (dir / "engines.db").string());
  const EngineFigures postgres = one_engine("postgresql", postgres_url);
  std::printf("%-12s %-24s %10s %8s %10s %10s %9s\n", "engine", "endpoint", "req/s", "/healthz",
              "p50 ms", "p99 ms", "failures");
  auto row = [](const char* engine, const char* endpoint, const Phase& phase, const Phase& base) {
    std::printf(
        "%-12s %-24s %10.0f %8.3f %10.2f %10.2f %9ld\n", engine, endpoint,
        phase.requests_per_second,
        base.requests_per_second > 0 ? phase.requests_per_second / base.requests_per_second : 0.0,
        phase.p50_ms, phase.p99_ms, phase.failures);
  };
  for (const auto& [engine, figures] :
       {std::pair<const char*, const EngineFigures*>{"SQLite", &sqlite},
        std::pair<const char*, const EngineFigures*>{"PostgreSQL", &postgres}}) {
    if (!figures->started) {
      std::printf("%-12s the server did not start (logs in %s)\n", engine, dir.c_str());
      continue;
    }
    row(engine, "GET /healthz", figures->health, figures->health);
    row(engine, "POST /api/v1/shares", figures->shares, figures->health);
    row(engine, "GET /api/v1/inbox", figures->inbox, figures->health);
    std::printf("%-12s (the inbox held %d shares; each read of 50 is audited: a write too)\n", "",
                figures->inbox_shares);
  }
  if (sqlite.started && postgres.started) {
    auto ratio = [](const Phase& a, const Phase& b) {
      return b.requests_per_second > 0 ? a.requests_per_second / b.requests_per_second : 0.0;
    };
    std::printf(
        "PostgreSQL / SQLite throughput: /healthz %.2f, shares %.2f, inbox reads %.2f; as "
        "ratios to each engine's /healthz: shares %.3f vs %.3f, inbox %.3f vs %.3f\n",
        ratio(postgres.health, sqlite.health), ratio(postgres.shares, sqlite.shares),
        ratio(postgres.inbox, sqlite.inbox), ratio(postgres.shares, postgres.health),
        ratio(sqlite.shares, sqlite.health), ratio(postgres.inbox, postgres.health),
        ratio(sqlite.inbox, sqlite.health));
  }
  std::fflush(stdout);
}

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds")
      options.seconds = std::atoi(argv[i + 1]);
    else if (flag == "--clients")
      options.clients = std::atoi(argv[i + 1]);
    else if (flag == "--threads")
      options.threads = std::atoi(argv[i + 1]);
    else if (flag == "--dir")
      options.dir = argv[i + 1];
    else if (flag == "--only" && std::string(argv[i + 1]) == "reads")
      options.only = argv[i + 1];
    else if (flag == "--postgres")
      options.postgres = argv[i + 1];
    else {
      std::fprintf(stderr,
                   "usage: kindband_server_bench [--seconds N] [--clients N] "
                   "[--threads N] [--dir DIR] [--only reads] [--postgres URL]\n");
      return 2;
    }
  }
  if (sodium_init() < 0) return 1;
  signal(SIGPIPE, SIG_IGN);
  namespace fs = std::filesystem;
  fs::path dir = options.dir.empty()
                     ? fs::current_path() / ("kindband-bench-" + uuid().substr(0, 8))
                     : fs::path(options.dir);
  fs::create_directories(dir);
  std::string db = (dir / "bench.db").string();
  const std::string origin = "https://bench.example";
  if (options.postgres.empty() &&
      run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-organisation", "bench-vsv",
                   "--origin", origin},
                  "") != 0) {
    std::fprintf(stderr, "kindband_server_bench: could not create the organisation\n");
    return 1;
  }

  // Valid shares: PHQ-9 answers scored by the engine, as the widget would send them.
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin(&errors);
  const kindband::Instrument* phq9 = library.find("phq9");
  if (!phq9) return 1;
  kindband::Context context;
  context.role = "mother";
  context.stage = "pregnancy";
  context.week = 20;
  std::vector<json> templates;
  for (int variant = 0; variant < 16; ++variant) {
    kindband::Answers answers(9);
    for (int item = 0; item < 9; ++item) answers[item] = (variant + item) % 4;
    kindband::Result result;
    kindband::Error error;
    kindband::score_instrument(*phq9, answers, context, &result, &error);
    templates.push_back({{"organisation", "bench-vsv"},
                         {"instrument", {{"id", "phq9"}, {"version", phq9->version}}},
                         {"context", {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 20}}},
                         {"language", "nl"},
                         {"shared", "result_and_answers"},
                         {"result", json::parse(kindband::to_json(result))},
                         {"answers", answers},
                         {"message", "Benchmark share"},
                         {"consent_version", "2026-11-v1"},
                         {"created_at", "2026-11-22T21:00:00Z"}});
  }

  if (!options.postgres.empty()) {
    engines_scenario(dir, options, templates, options.postgres);
    std::error_code ignored;
    if (options.dir.empty()) fs::remove_all(dir, ignored);
    return 0;
  }
  if (options.only == "reads") {
    for (const json& share : templates) {
      if (share["result"]["flags"].empty()) continue;
      latency_under_reads_scenario(dir, share);
      break;
    }
    std::error_code ignored;
    if (options.dir.empty()) fs::remove_all(dir, ignored);
    return 0;
  }
  std::string port_file = (dir / "port").string();
  pid_t server = fork();
  if (server == 0) {
    std::string log = (dir / "server.log").string();
    FILE* out = std::freopen(log.c_str(), "w", stdout);
    (void)out;
    execl(KINDBAND_SERVER_BINARY, KINDBAND_SERVER_BINARY, "--database", db.c_str(), "--listen",
          "127.0.0.1:0", "--port-file", port_file.c_str(), "--threads",
          std::to_string(options.threads).c_str(), "--shares-per-address", "0",
          "--shares-per-organisation", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  int port = 0;
  for (int i = 0; i < 500 && port == 0; ++i) {
    std::ifstream in(port_file);
    in >> port;
    if (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port == 0) {
    std::fprintf(stderr, "kindband_server_bench: server did not start (see %s)\n",
                 (dir / "server.log").c_str());
    kill(server, SIGKILL);
    return 1;
  }

  // Pre-build the bodies so the clients measure the server, not JSON building.
  std::vector<std::vector<std::string>> bodies(options.clients);
  for (int t = 0; t < options.clients; ++t) {
    for (int i = 0; i < 20000; ++i) {
      json share = templates[(t + i) % templates.size()];
      share["share_id"] = uuid();
      bodies[t].push_back(share.dump());
    }
  }
  httplib::Headers headers = {{"Origin", origin}};

  std::printf(
      "kindband-server benchmark: %d clients, %d server threads, %d s per phase, %u cores\n",
      options.clients, options.threads, options.seconds, std::thread::hardware_concurrency());
  std::printf("database: %s (WAL, synchronous=FULL, group commit)\n", db.c_str());
  std::printf("share body: %zu bytes\n", bodies[0][0].size());
  std::fflush(stdout);

  // CPU of the request path's steps, one thread, no contention (the server is idle here).
  {
    namespace srv = kindband::server;
    std::vector<std::string> sample(bodies[0].begin(), bodies[0].begin() + 2000);
    std::vector<srv::ShareEnvelope> envelopes(sample.size());
    srv::ShareError error;
    size_t next = 0;
    double parse_us = cpu_us_per_call(sample, [&](const std::string& body) {
      srv::parse_share_envelope(body, &envelopes[next++ % envelopes.size()], &error);
    });
    std::vector<srv::ValidatedShare> validated(sample.size());
    next = 0;
    double validate_us = cpu_us_per_call(sample, [&](const std::string&) {
      size_t i = next++ % envelopes.size();
      srv::validate_share(envelopes[i], library, &validated[i], &error);
    });
    const std::string key(64, 'a');
    next = 0;
    double hash_us = cpu_us_per_call(sample, [&](const std::string&) {
      srv::hmac_sha256_hex(key, "body:" + validated[next++ % validated.size()].canonical_json);
    });
    double receipt_us = cpu_us_per_call(sample, [&](const std::string& body) {
      srv::hmac_sha256_hex(key, "receipt:" + body.substr(0, 36));
    });
    // Sealing at rest (issue 26, docs/envelope.md): the payload and the summary, each with its
    // own data key, wrapped by a content key (a fresh one here; the server's is in its key file).
    srv::install_content_keys({std::string(32, 'k'), {}});
    next = 0;
    double seal_us = cpu_us_per_call(sample, [&](const std::string& body) {
      const srv::ValidatedShare& share = validated[next++ % validated.size()];
      srv::seal("shares", "payload", body.substr(0, 36), share.canonical_json);
      srv::seal("shares", "summary", body.substr(0, 36), share.summary_json);
    });
    const std::string sealed =
        srv::seal("shares", "payload", sample[0].substr(0, 36), validated[0].canonical_json);
    const std::string record = sample[0].substr(0, 36);
    bool opened = true;
    double open_us = cpu_us_per_call(sample, [&](const std::string&) {
      opened = srv::try_open_sealed("shares", "payload", record, sealed).has_value() && opened;
    });
    if (!opened) std::fprintf(stderr, "kindband_server_bench: a sealed payload did not open\n");
    std::printf(
        "CPU per share, one core: parse %.1f us, validate+rescore %.1f us, body hash %.1f us, "
        "receipt %.1f us, seal payload+summary %.1f us (open a payload: %.1f us)\n",
        parse_us, validate_us, hash_us, receipt_us, seal_us, open_us);
  }
  const double fsyncs = fdatasync_per_second(dir, 2.0);
  std::printf("disk: %.0f fdatasync/s (4 KB rewrite, 2 s) = %.3f ms per fsync\n", fsyncs,
              fsyncs > 0 ? 1e3 / fsyncs : 0.0);
  std::fflush(stdout);
  Phase health = measure(port, options, [&](httplib::Client& client, int, long) {
    auto res = client.Get("/healthz");
    return res && res->status == 200;
  });
  Phase shares = measure(port, options, [&](httplib::Client& client, int t, long i) {
    const auto& list = bodies[t];
    auto res = client.Post("/api/v1/shares", headers, list[static_cast<size_t>(i) % list.size()],
                           "application/json");
    return res && (res->status == 201 || res->status == 200);
  });
  // The same shares once the organisation has a team address and three professionals with an
  // address (issue 23): each share then also writes its notifications into the outbox, in the
  // same transaction (no mail server here: they wait, one row per recipient that each share joins).
  bool addresses = run_command({KINDBAND_ADMIN_BINARY, "--database", db, "set-organisation-email",
                                "bench-vsv", "team@bench.example"},
                               "") == 0;
  for (int i = 0; i < 3 && addresses; ++i) {
    const std::string name = "bench-pro-" + std::to_string(i);
    addresses = run_command({KINDBAND_ADMIN_BINARY, "--database", db, "create-professional", name,
                             "--organisation", "bench-vsv", "--role", "verloskundige", "--email",
                             name + "@bench.example"},
                            "correct horse battery\n") == 0 &&
                run_command({KINDBAND_ADMIN_BINARY, "--database", db,
                             "set-professional-notifications", name, "--on-duty", "yes"},
                            "") == 0;
  }
  Phase notified = measure(port, options, [&](httplib::Client& client, int t, long i) {
    const auto& list = bodies[t];
    // Fresh ids: the first phase's ids would be answered as duplicates without a write.
    const std::string& body = list[(static_cast<size_t>(i) + list.size() / 2) % list.size()];
    auto res = client.Post("/api/v1/shares", headers, body, "application/json");
    return res && (res->status == 201 || res->status == 200);
  });
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);

  std::printf("%-28s %10s %10s %10s %9s\n", "endpoint", "req/s", "p50 ms", "p99 ms", "failures");
  std::printf("%-28s %10.0f %10.2f %10.2f %9ld\n", "GET /healthz", health.requests_per_second,
              health.p50_ms, health.p99_ms, health.failures);
  std::printf("%-28s %10.0f %10.2f %10.2f %9ld\n", "POST /api/v1/shares (durable)",
              shares.requests_per_second, shares.p50_ms, shares.p99_ms, shares.failures);
  std::printf("ratio shares/healthz throughput: %.2f   p50 latency ratio: %.1fx\n",
              shares.requests_per_second / health.requests_per_second,
              health.p50_ms > 0 ? shares.p50_ms / health.p50_ms : 0.0);
  if (addresses) {
    std::printf("%-28s %10.0f %10.2f %10.2f %9ld\n", "shares + outbox (4 addr.)",
                notified.requests_per_second, notified.p50_ms, notified.p99_ms, notified.failures);
    std::printf("ratio shares with outbox rows / without: %.2f   p50 latency ratio: %.2fx\n",
                notified.requests_per_second / shares.requests_per_second,
                shares.p50_ms > 0 ? notified.p50_ms / shares.p50_ms : 0.0);
  } else {
    std::printf("shares + outbox: the addresses could not be set up\n");
  }
  std::printf("settings: %d clients, %d server threads, %d s per phase (both endpoints)\n",
              options.clients, options.threads, options.seconds);
  std::ifstream log(dir / "server.log");
  for (std::string line; std::getline(log, line);) {
    if (line.find("group commits") != std::string::npos) std::printf("%s\n", line.c_str());
  }
  const double fsyncs_after = fdatasync_per_second(dir, 2.0);
  std::printf("disk after the run: %.0f fdatasync/s\n", fsyncs_after);
  // The flood: shares a script could forge (no safety answer), and one genuine safety share.
  std::vector<json> flood_templates;
  json genuine_template;
  for (const json& share : templates) {
    if (share["result"]["flags"].empty()) flood_templates.push_back(share);
    if (!share["result"]["flags"].empty() && genuine_template.is_null()) genuine_template = share;
  }
  if (!flood_templates.empty() && !genuine_template.is_null()) {
    flood_scenario(dir, options, flood_templates, genuine_template);
    rotating_flood_scenario(dir, options, genuine_template);
    latency_under_reads_scenario(dir, genuine_template);
  }
  std::error_code ignored;
  if (options.dir.empty()) fs::remove_all(dir, ignored);
  return shares.failures == 0 ? 0 : 1;
}
