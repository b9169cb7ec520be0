// kindband-server: receives what parents share and shows it to their organisation's professionals.
// Settings: see config.h or `kindband-server --help`.
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <thread>

#include "config.h"
#include "http_server.h"
#include "kindband/engine.h"

using kindband::server::KindbandServer;
using kindband::server::ServerConfig;

int main(int argc, char** argv) {
  // Everything this process creates (database, WAL, key file, backups) is for its user only.
  umask(077);
  ServerConfig config;
  std::string error;
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::fputs(kindband::server::server_usage().c_str(), stdout);
    return 0;
  }
  if (!kindband::server::parse_server_config(argc, argv, &config, &error)) {
    std::fprintf(stderr, "kindband-server: %s\n%s", error.c_str(),
                 kindband::server::server_usage().c_str());
    return 2;
  }
  bool has_inbox = false;
  for (const auto& entry : config.static_dirs) has_inbox = has_inbox || entry.first == "/inbox/";
  if (!has_inbox) config.static_dirs.emplace_back("/inbox/", KINDBAND_DEFAULT_INBOX_DIR);

  if (sodium_init() < 0) {
    std::fprintf(stderr, "kindband-server: libsodium could not be initialised\n");
    return 1;
  }
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin(&errors);
  if (!errors.empty()) {
    for (const auto& e : errors)
      std::fprintf(stderr, "kindband-server: %s\n", e.to_string().c_str());
    return 1;
  }

  // Signals are taken by one thread that stops the server cleanly; a peer closing a socket must
  // not kill the process (SIGPIPE).
  signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  KindbandServer server(config, &library);
  if (!server.start(&error)) {
    std::fprintf(stderr, "kindband-server: %s\n", error.c_str());
    return 1;
  }
  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
  });
  std::printf("kindband-server: listening on http://%s:%d (database %s)\n", config.host.c_str(),
              server.port(), config.database.c_str());
  std::fflush(stdout);
  bool ok = server.run();
  // run() also returns when listening failed: wake the signal thread so it can finish.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  server.stop();
  return ok ? 0 : 1;
}
