// Server benchmark: shares per second with durable commits (WAL, synchronous=FULL, group commit)
// against the same server's trivial /healthz in the same run, with p50/p99 latency for both.
//
//   kindband_server_bench [--seconds N] [--clients N] [--threads N] [--dir DIR]
//
// Starts the real kindband-server on loopback with a fresh database in DIR (default: a new folder
// under the current directory, i.e. on a real disk, not tmpfs, so fsync costs what it costs).
// Clients keep one keep-alive connection each and send requests back to back.
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
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kindband/engine.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  int seconds = 5;
  int clients = 16;
  int threads = 16;
  std::string dir;
};

std::string uuid() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

int run_and_wait(const std::vector<std::string>& argv, const std::string& input) {
  int in[2];
  if (pipe(in) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    close(in[0]);
    close(in[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  ssize_t ignored = write(in[1], input.data(), input.size());
  (void)ignored;
  close(in[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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

}  // namespace

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
    else {
      std::fprintf(stderr,
                   "usage: kindband_server_bench [--seconds N] [--clients N] "
                   "[--threads N] [--dir DIR]\n");
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
  if (run_and_wait({KINDBAND_ADMIN_BINARY, "--database", db, "create-organisation", "bench-vsv",
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

  std::string port_file = (dir / "port").string();
  pid_t server = fork();
  if (server == 0) {
    std::string log = (dir / "server.log").string();
    FILE* out = std::freopen(log.c_str(), "w", stdout);
    (void)out;
    execl(KINDBAND_SERVER_BINARY, KINDBAND_SERVER_BINARY, "--database", db.c_str(), "--listen",
          "127.0.0.1:0", "--port-file", port_file.c_str(), "--threads",
          std::to_string(options.threads).c_str(), static_cast<char*>(nullptr));
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
  std::ifstream log(dir / "server.log");
  for (std::string line; std::getline(log, line);) {
    if (line.find("group commits") != std::string::npos) std::printf("%s\n", line.c_str());
  }
  std::error_code ignored;
  if (options.dir.empty()) fs::remove_all(dir, ignored);
  return shares.failures == 0 ? 0 : 1;
}
