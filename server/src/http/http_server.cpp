#include "http_server.h"

#include <httplib.h>
#include <sodium.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "key_check.h"
#include "key_file.h"
#include "sealed_content.h"
#include "server_impl.h"
#include "static_files.h"
#include "text_util.h"

namespace kindband::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxHeaders = 64;
constexpr int kListenBacklog = 512;

// The server's own pages (inbox, example site) run under this policy. 'wasm-unsafe-eval' is needed
// to instantiate the engine's wasm; nothing else may run inline or be framed.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A fixed set of request threads and a bounded queue of accepted connections. When the queue is
// full the accepting thread waits, so excess clients wait in the kernel's listen backlog instead of
// growing our memory (httplib's own ThreadPool queues without bound).
class BoundedThreadPool : public httplib::TaskQueue {
 public:
  // `threads` workers always; when all are busy (e.g. slow clients hold them), more are started,
  // up to `max_threads`, and those leave again after a while without work. So a few dozen slow
  // connections cannot stop the service, and memory stays bounded.
  BoundedThreadPool(size_t threads, size_t max_threads, size_t max_queued)
      : max_threads_(std::max(threads, max_threads)), max_queued_(max_queued) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(false); });
    live_ = threads;
  }
  ~BoundedThreadPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return jobs_.size() < max_queued_ || shutdown_; });
    if (shutdown_) return;
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && live_ < max_threads_) {
      ++live_;
      std::thread([this] { work(true); }).detach();
    }
    ready_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutdown_ = true;
    }
    ready_.notify_all();
    space_.notify_all();
    for (auto& worker : workers_) worker.join();
    std::unique_lock<std::mutex> lock(mutex_);
    all_gone_.wait(lock, [&] { return live_ == 0; });
  }

 private:
  void work(bool extra) {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ++idle_;
        bool got = true;
        if (extra) {
          got = ready_.wait_for(lock, std::chrono::seconds(10),
                                [&] { return !jobs_.empty() || shutdown_; });
        } else {
          ready_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        }
        --idle_;
        if (!got || jobs_.empty()) {
          if (--live_ == 0) all_gone_.notify_all();
          return;
        }
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        space_.notify_one();
      }
      fn();
    }
  }

  size_t max_threads_;
  size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::condition_variable all_gone_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  size_t idle_ = 0;  // workers waiting for a job
  size_t live_ = 0;  // workers running (fixed and extra)
  bool shutdown_ = false;
};

}  // namespace

void KindbandServer::Impl::install_routes() {
  http.set_payload_max_length(kMaxShareBodyBytes);
  // Small JSON answers must not wait for delayed ACKs (Nagle would add ~40 ms per response).
  http.set_tcp_nodelay(true);
  http.set_read_timeout(config.read_timeout_seconds, 0);
  http.set_write_timeout(config.write_timeout_seconds, 0);
  http.set_keep_alive_max_count(100);
  // An idle keep-alive connection holds a request thread: never longer than the read timeout.
  http.set_keep_alive_timeout(std::min(2, config.read_timeout_seconds));
  const size_t threads = static_cast<size_t>(config.threads);
  const size_t max_threads = static_cast<size_t>(config.max_threads);
  http.new_task_queue = [threads, max_threads] {
    return new BoundedThreadPool(threads, max_threads, threads * 16);
  };
  http.set_default_headers({
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
  });
  http.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  http.set_file_extension_and_mimetype_mapping("js", "text/javascript");
  http.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
  http.set_file_extension_and_mimetype_mapping("json", "application/json");

  // Before the body is read: refuse what we will not handle anyway.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.headers.size() > kMaxHeaders) {
      res.set_header("Connection", "close");
      send_error(res, 431, "headers_too_large",
                 "at most " + std::to_string(kMaxHeaders) + " request headers");
      return httplib::Server::HandlerResponse::Handled;
    }
    // One way to frame a body: a Content-Length we read up to a limit. A chunked body would be
    // read whole before any limit applies, and two framings could be read differently by a proxy.
    if (req.has_header("Transfer-Encoding")) {
      res.set_header("Connection", "close");
      send_error(res, req.has_header("Content-Length") ? 400 : 411,
                 req.has_header("Content-Length") ? "conflicting_framing" : "length_required",
                 "send the body with a Content-Length, not Transfer-Encoding");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.get_header_value_count("Content-Length") > 1 ||
        (req.has_header("Content-Length") &&
         req.get_header_value("Content-Length").find_first_not_of("0123456789") !=
             std::string::npos)) {
      res.set_header("Connection", "close");
      send_error(res, 400, "conflicting_framing", "one Content-Length with a number, please");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Content-Length") && req.get_header_value("Content-Length").size() > 0 &&
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) >
            kMaxShareBodyBytes) {
      // Answer from the header alone and close: the unread body must not be taken for the next
      // request on this connection.
      res.set_header("Connection", "close");
      send_error(res, 413, "payload_too_large", "the body is larger than 64 KB");
      return httplib::Server::HandlerResponse::Handled;
    }
    // API answers are private and fresh, except the public directory (routes_public.cpp).
    if (req.path.rfind("/api/", 0) == 0 && req.path.rfind("/api/v1/directory/", 0) != 0) {
      res.set_header("Cache-Control", "no-store");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty())
      send_error(res, res.status, default_error_code(res.status),
                 "HTTP " + std::to_string(res.status));
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        std::fprintf(stderr, "kindband-server: request failed: %s\n", what.c_str());
        send_error(res, 500, "server_error", "the request could not be handled");
      });

  http.Get("/inbox",
           [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/inbox/"); });
  // cpp-httplib 0.11.4 listens with a backlog of 5, so a burst of new connections overflows the
  // kernel's accept queue and clients stall or fail. Remember the listening socket and widen the
  // backlog after binding (listen() on a listening socket only updates the backlog).
  http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listening_socket = sock;
  });
  install_public_routes();
  install_share_routes();
  install_family_routes();
  install_professional_routes();
  install_network_routes();
  install_fhir_routes();
  install_triage_routes();
  install_notification_routes();
}

KindbandServer::KindbandServer(ServerConfig config, const Library* library)
    : impl_(std::make_unique<Impl>(std::move(config), library)) {}

KindbandServer::~KindbandServer() { stop(); }

bool KindbandServer::start(std::string* error) {
  Impl& s = *impl_;
  s.database = open_database(s.config.database, error);
  if (!s.database) return false;
  ServerKeys keys;
  // With PostgreSQL, several instances share one database: the key file is provisioned once
  // (docs/deployment.md) and copied to each, never made by whichever instance starts first.
  const bool shared_database = is_database_url(s.config.database);
  if (shared_database && s.config.key_file.empty()) {
    *error = "--key-file is needed with a PostgreSQL database (the same file on every instance)";
    s.database->stop();
    return false;
  }
  const std::string key_file =
      s.config.key_file.empty() ? s.config.database + ".keys" : s.config.key_file;
  if (shared_database && access(key_file.c_str(), R_OK) != 0) {
    *error = key_file +
             ": no key file; with PostgreSQL it is made once (kindband-admin create-key-file) "
             "and given to every instance";
    s.database->stop();
    return false;
  }
  std::string setup_error;
  const bool set_up = s.database->write([&](Tx* db) {
    for (const Organisation& organisation : s.config.organisations) {
      if (!upsert_organisation(db, organisation, &setup_error)) {
        setup_error = "organisation " + organisation.slug + ": " + setup_error;
        return false;
      }
    }
    return load_server_keys(key_file, db, &keys, &setup_error) &&
           (!shared_database || check_same_keys(db, keys, &setup_error));
  }) == Database::Outcome::kCommitted;
  if (!set_up) {
    *error = setup_error.empty() ? "the database could not be set up" : setup_error;
    s.database->stop();
    return false;
  }
  // Keys an older version kept in the database are erased now: not even in the WAL.
  s.database->purge_logs();
  // Schema 10: what an older database kept in clear is sealed before anything is served.
  int64_t sealed = 0;
  if (!seal_clear_content(s.database.get(), &sealed, &setup_error)) {
    *error = s.config.database + ": " + setup_error;
    s.database->stop();
    return false;
  }
  if (sealed > 0) {
    std::fprintf(stderr, "kindband-server: sealed %lld values kept in clear by an older version\n",
                 static_cast<long long>(sealed));
  }
  s.request_key = keys.body_key;
  // Nothing a request needs is kept in one process (issue 27): sessions and the limiters of
  // passwords and codes live in the database, and a browser's device cookie made by one instance
  // is recognised by every other (a key derived from the shared key file).
  s.sessions.attach(s.database.get());
  s.attempt_store = std::make_unique<AttemptStore>(s.database.get());
  s.code_attempts.share_through(s.attempt_store.get(), "code");
  s.server_code_attempts.share_through(s.attempt_store.get(), "code_server");
  s.login_attempts.share_through(s.attempt_store.get(), "login");
  s.address_login_attempts.share_through(s.attempt_store.get(), "login_address");
  s.account_login_attempts.share_through(s.attempt_store.get(), "login_account");
  s.device_login_attempts.share_through(s.attempt_store.get(), "login_device");
  s.throttled_login_audits.share_through(s.attempt_store.get(), "login_throttled_audit");
  s.login_device_key = hmac_sha256_hex(keys.body_key, "kindband login device cookies");
  s.accounts = std::make_unique<AccountStore>(s.database.get());
  s.directory = std::make_unique<DirectoryStore>(s.database.get());
  s.shares = std::make_unique<ShareStore>(s.database.get(), keys);
  s.families = std::make_unique<FamilyStore>(s.database.get());
  s.collaboration = std::make_unique<CollaborationStore>(s.database.get());
  s.triages = std::make_unique<TriageStore>(s.database.get());
  s.devices = std::make_unique<DeviceStore>(s.database.get());
  s.audience = std::make_unique<AudienceStore>(s.database.get());
  s.erasures = std::make_unique<ErasureStore>(s.database.get());
  s.outbox = std::make_unique<OutboxStore>(s.database.get());
  s.notification_settings = std::make_unique<NotificationSettingsStore>(s.database.get());
  {
    // The calendar events' UIDs name this server (its public host, else "kindband.invalid").
    const std::string& url = s.config.public_url;
    const size_t scheme = url.find("://");
    std::string host = scheme == std::string::npos ? "" : url.substr(scheme + 3);
    host = host.substr(0, host.find('/'));
    s.calendar =
        std::make_unique<CalendarStore>(s.database.get(), host.empty() ? "kindband.invalid" : host);
  }
  if (!s.config.smtp_url.empty()) {
    NotificationSender::Settings mail;
    mail.smtp.url = s.config.smtp_url;
    mail.smtp.from = s.config.smtp_from;
    mail.smtp.allow_plain = s.config.smtp_allow_plain;
    mail.smtp.ca_file = s.config.smtp_ca_file;
    if (!mail.smtp.ca_file.empty() && access(mail.smtp.ca_file.c_str(), R_OK) != 0) {
      *error = "--smtp-ca-file: " + mail.smtp.ca_file + ": cannot be read";
      return false;
    }
    if (!s.config.smtp_credentials.empty() &&
        !read_smtp_credentials(s.config.smtp_credentials, &mail.smtp, error)) {
      return false;
    }
    mail.public_url = s.config.public_url;
    while (!mail.public_url.empty() && mail.public_url.back() == '/') mail.public_url.pop_back();
    mail.interval_seconds = s.config.mail_interval_seconds;
    mail.retry_max_seconds = s.config.mail_retry_max_seconds;
    s.sender = std::make_unique<NotificationSender>(s.outbox.get(), std::move(mail));
  }
  {
    std::vector<Error> problems;
    s.conversations = conversation::builtin_conversations(*s.library, &problems);
    if (!problems.empty()) {
      *error = "built-in conversation: " + problems.front().to_string();
      return false;
    }
  }
  for (const auto& [prefix, dir] : s.config.static_dirs) {
    // The widget, the engine and the example site are public files that other websites load
    // (module scripts and fetch() use CORS): anyone may read them. The inbox page is ours alone.
    httplib::Headers headers;
    if (prefix == "/inbox/") {
      headers.emplace("Cross-Origin-Resource-Policy", "same-origin");
    } else {
      headers.emplace("Access-Control-Allow-Origin", "*");
      headers.emplace("Cross-Origin-Resource-Policy", "cross-origin");
    }
    if (!s.http.set_mount_point(prefix, dir, headers)) {
      *error = "--static " + prefix + "=" + dir + ": not a folder";
      return false;
    }
  }
  install_static_files(s.http, s.config.static_dirs);  // precompressed, cache lifetimes
  s.install_routes();
  if (s.config.port == 0) {
    s.bound_port = s.http.bind_to_any_port(s.config.host);
  } else if (s.http.bind_to_port(s.config.host, s.config.port)) {
    s.bound_port = s.config.port;
  }
  if (s.bound_port > 0 && s.listening_socket != INVALID_SOCKET) {
    ::listen(s.listening_socket, kListenBacklog);
  }
  if (s.bound_port <= 0) {
    *error = "cannot listen on " + s.config.host + ":" + std::to_string(s.config.port);
    s.database->stop();
    return false;
  }
  dummy_password_hash();  // computed once now, not during the first login
  if (s.sender) s.sender->start();
  s.sweeper = std::thread([&s] {
    std::unique_lock<std::mutex> lock(s.sweeper_mutex);
    while (!s.sweeper_stop) {
      lock.unlock();
      s.erasures->erase_due_families();
      s.outbox->announce_due_agreements();  // agreements due today or overdue (issue 23)
      lock.lock();
      s.sweeper_wake.wait_for(lock, std::chrono::minutes(1), [&s] { return s.sweeper_stop; });
    }
  });
  return true;
}

int KindbandServer::port() const { return impl_->bound_port; }

bool KindbandServer::run() {
  if (!impl_->config.port_file.empty()) {
    std::string tmp = impl_->config.port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << impl_->bound_port << "\n";
    }
    std::rename(tmp.c_str(), impl_->config.port_file.c_str());
  }
  return impl_->http.listen_after_bind();
}

void KindbandServer::stop() {
  if (!impl_) return;
  if (impl_->http.is_running()) impl_->http.stop();
  if (impl_->sweeper.joinable()) {
    {
      std::lock_guard<std::mutex> lock(impl_->sweeper_mutex);
      impl_->sweeper_stop = true;
    }
    impl_->sweeper_wake.notify_all();
    impl_->sweeper.join();
  }
  if (!impl_->database) return;
  if (impl_->sender) impl_->sender->stop();  // before the database: it records through it
  impl_->database->stop();
  const Database::WriterStats stats = impl_->database->stats();
  if (stats.commits > 0 && !impl_->stopped_reported) {
    impl_->stopped_reported = true;
    // One line for the benchmark: where the writer's time went, per commit and per job.
    const double commits = static_cast<double>(stats.commits);
    const double jobs = static_cast<double>(stats.jobs);
    std::printf(
        "kindband-server: stopped; %llu write jobs in %llu group commits (%.1f jobs/commit, "
        "largest %llu); per commit: COMMIT+fsync %.3f ms (slowest %.1f ms), jobs %.3f ms; "
        "per job: SQL %.1f us wall, %.1f us CPU, waited %.2f ms from queue to commit; "
        "WAL checkpoints: %llu in the background, %llu by the writer\n",
        static_cast<unsigned long long>(stats.jobs), static_cast<unsigned long long>(stats.commits),
        jobs / commits, static_cast<unsigned long long>(stats.largest_batch),
        stats.commit_seconds * 1e3 / commits, stats.slowest_commit_seconds * 1e3,
        stats.job_seconds * 1e3 / commits, stats.job_seconds * 1e6 / jobs,
        stats.job_cpu_seconds * 1e6 / jobs, stats.wait_seconds * 1e3 / jobs,
        static_cast<unsigned long long>(stats.background_checkpoints),
        static_cast<unsigned long long>(stats.writer_checkpoints));
    std::fflush(stdout);
  }
}

}  // namespace kindband::server
