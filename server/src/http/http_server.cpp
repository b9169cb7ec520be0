#include "http_server.h"

#include <httplib.h>
#include <sodium.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "accounts.h"
#include "audit_log.h"
#include "database.h"
#include "group_commit_writer.h"
#include "sessions.h"
#include "share_store.h"
#include "share_validation.h"
#include "text_util.h"

namespace kindband::server {
namespace {

using nlohmann::json;

constexpr const char* kSessionCookie = "kb_session";
constexpr size_t kMaxHeaders = 64;
constexpr size_t kMaxNoteChars = 500;
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
  BoundedThreadPool(size_t threads, size_t max_queued) : max_queued_(max_queued) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~BoundedThreadPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return jobs_.size() < max_queued_ || shutdown_; });
    if (shutdown_) return;
    jobs_.push_back(std::move(fn));
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
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        space_.notify_one();
      }
      fn();
    }
  }

  size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  bool shutdown_ = false;
};

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message) {
  send_json(res, status, json{{"error", code}, {"message", message}});
}

const char* default_error_code(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 416:
      return "range_not_satisfiable";
    case 431:
      return "headers_too_large";
    default:
      return status >= 500 ? "server_error" : "error";
  }
}

bool is_json_request(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  return type == "application/json" || type == "application/json;charset=utf-8";
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

std::string bearer_token(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0) return "";
  return header.substr(prefix.size());
}

}  // namespace

struct KindbandServer::Impl {
  ServerConfig config;
  const Library* library;
  httplib::Server http;
  GroupCommitWriter writer;
  std::unique_ptr<ReadPool> reads;
  std::unique_ptr<ShareStore> shares;
  SessionStore sessions;
  int bound_port = 0;
  socket_t listening_socket = INVALID_SOCKET;
  bool stopped_reported = false;

  Impl(ServerConfig c, const Library* l)
      : config(std::move(c)),
        library(l),
        sessions(std::chrono::seconds(config.session_idle_seconds),
                 std::chrono::seconds(config.session_absolute_seconds)) {}

  // The address for the audit log: the peer, or, when the peer is the trusted reverse proxy, the
  // client address that proxy reports in X-Real-IP (examples/nginx/kindband.conf sets it).
  std::string client_address(const httplib::Request& req) const {
    if (!config.trusted_proxy.empty() && req.remote_addr == config.trusted_proxy &&
        req.has_header("X-Real-IP")) {
      std::string real = req.get_header_value("X-Real-IP");
      if (real.size() <= 45 &&
          real.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos) {
        return real;
      }
    }
    return req.remote_addr;
  }

  // --- share API (widget) -------------------------------------------------------------------

  // The normalised Origin header, "" when absent. "null" and malformed origins come back as
  // "invalid" so they never match an allowlist.
  static std::string request_origin(const httplib::Request& req) {
    if (!req.has_header("Origin")) return "";
    std::string origin, error;
    if (!normalise_origin(req.get_header_value("Origin"), &origin, &error)) return "invalid";
    return origin;
  }

  static void allow_origin(httplib::Response& res, const std::string& origin) {
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Vary", "Origin");
  }

  bool origin_allowed_for(int64_t organisation_id, const std::string& origin) {
    auto lease = reads->acquire();
    if (!lease.db()) return false;
    Statement row(lease.db(),
                  "SELECT 1 FROM organisation_origins WHERE organisation_id = ? AND origin = ?");
    row.bind(1, organisation_id).bind(2, origin);
    return row.step();
  }

  bool origin_allowed_anywhere(const std::string& origin) {
    auto lease = reads->acquire();
    return lease.db() && origin_allowed_for_any_organisation(lease.db(), origin);
  }

  void preflight(const httplib::Request& req, httplib::Response& res, const char* methods,
                 const char* headers, int64_t organisation_id) {
    std::string origin = request_origin(req);
    bool allowed = !origin.empty() && origin != "invalid" &&
                   (organisation_id ? origin_allowed_for(organisation_id, origin)
                                    : origin_allowed_anywhere(origin));
    if (!allowed) {
      send_error(res, 403, "origin_not_allowed",
                 "this website origin may not share with any organisation here");
      return;
    }
    allow_origin(res, origin);
    res.set_header("Access-Control-Allow-Methods", methods);
    res.set_header("Access-Control-Allow-Headers", headers);
    res.set_header("Access-Control-Max-Age", "600");
    res.status = 204;
  }

  void create_share(const httplib::Request& req, httplib::Response& res) {
    std::string origin = request_origin(req);
    if (origin.empty() || origin == "invalid") {
      send_error(res, 403, "origin_not_allowed",
                 "shares are accepted only from an organisation's own website (Origin header)");
      return;
    }
    if (!is_json_request(req)) {
      send_error(res, 415, "unsupported_media_type", "Content-Type must be application/json");
      return;
    }
    ShareEnvelope envelope;
    ShareError error;
    if (!parse_share_envelope(req.body, &envelope, &error)) {
      // The organisation is unknown, so no origin can be confirmed: answer without CORS headers.
      send_error(res, error.status, error.code, error.message);
      return;
    }
    Organisation organisation;
    {
      auto lease = reads->acquire();
      if (!lease.db()) {
        send_error(res, 503, "unavailable", "the database is not available");
        return;
      }
      if (!find_organisation(lease.db(), envelope.organisation, &organisation)) {
        send_error(res, 422, "unknown_organisation",
                   "/organisation: no organisation '" + envelope.organisation + "' here");
        return;
      }
    }
    if (std::find(organisation.origins.begin(), organisation.origins.end(), origin) ==
        organisation.origins.end()) {
      send_error(res, 403, "origin_not_allowed",
                 "website " + origin + " may not share with " + organisation.slug);
      return;
    }
    allow_origin(res, origin);
    ValidatedShare share;
    if (!validate_share(envelope, *library, &share, &error)) {
      send_error(res, error.status, error.code, error.message);
      return;
    }
    switch (shares->create(share, organisation.id, client_address(req))) {
      case ShareStore::CreateOutcome::kCreated:
        send_json(res, 201, receipt_json(share.share_id));
        return;
      case ShareStore::CreateOutcome::kDuplicate:
        send_json(res, 200, receipt_json(share.share_id));
        return;
      case ShareStore::CreateOutcome::kConflict:
        send_error(res, 409, "share_id_conflict",
                   "/share_id: a different share with this id was already received");
        return;
      case ShareStore::CreateOutcome::kWithdrawn:
        send_error(res, 410, "withdrawn", "/share_id: this share was withdrawn by the parent");
        return;
      case ShareStore::CreateOutcome::kFailed:
        send_error(res, 503, "not_stored",
                   "the share could not be stored; nothing was saved, please try again");
        return;
    }
  }

  json receipt_json(const std::string& share_id) {
    return json{
        {"share_id", share_id}, {"receipt", shares->receipt_for(share_id)}, {"status", "received"}};
  }

  // For the status and withdrawal routes: the share id is well formed, the receipt matches, the
  // share exists and (when the browser names an origin) the origin belongs to its organisation.
  bool check_receipt(const httplib::Request& req, httplib::Response& res,
                     const std::string& share_id, ShareStore::Status* status) {
    if (!is_canonical_uuid(share_id)) {
      send_error(res, 400, "invalid_value", "share id must be a UUID in lower case");
      return false;
    }
    std::string origin = request_origin(req);
    if (origin == "invalid") {
      send_error(res, 403, "origin_not_allowed", "this website origin is not allowed");
      return false;
    }
    std::string token = bearer_token(req);
    if (token.empty() || !shares->receipt_matches(share_id, token)) {
      send_error(res, 401, "invalid_receipt",
                 "send the share's receipt as 'Authorization: Bearer <receipt>'");
      return false;
    }
    if (!shares->status(share_id, status)) {
      send_error(res, 404, "not_found", "no share with this id was received");
      return false;
    }
    if (!origin.empty()) {
      if (!origin_allowed_for(status->organisation_id, origin)) {
        send_error(res, 403, "origin_not_allowed", "this website origin is not allowed");
        return false;
      }
      allow_origin(res, origin);
    }
    return true;
  }

  // --- helpers for professionals --------------------------------------------------------------

  std::optional<Session> require_session(const httplib::Request& req, httplib::Response& res) {
    std::string token = cookie_value(req, kSessionCookie);
    std::optional<Session> session = token.empty() ? std::nullopt : sessions.touch(token);
    if (session) {
      // A disabled account loses its sessions at once.
      auto lease = reads->acquire();
      Professional professional;
      if (!lease.db() ||
          !find_professional_by_id(lease.db(), session->professional_id, &professional) ||
          professional.disabled) {
        sessions.remove_professional(session->professional_id);
        session.reset();
      }
    }
    if (!session) {
      send_error(res, 401, "not_logged_in", "log in first (the session may have expired)");
    }
    return session;
  }

  // State-changing requests from the inbox page: JSON only (a cross-site form cannot send it
  // without a CORS preflight, which we refuse) and, when the browser says where it comes from,
  // from this very host. Together with SameSite=Strict this keeps cross-site requests out.
  bool same_site_json(const httplib::Request& req, httplib::Response& res) {
    if (!is_json_request(req)) {
      send_error(res, 415, "unsupported_media_type", "Content-Type must be application/json");
      return false;
    }
    if (req.has_header("Origin")) {
      std::string origin = req.get_header_value("Origin");
      std::string host = req.get_header_value("Host");
      size_t scheme_end = origin.find("://");
      if (host.empty() || scheme_end == std::string::npos ||
          origin.substr(scheme_end + 3) != host) {
        send_error(res, 403, "cross_site_request", "this request must come from the inbox page");
        return false;
      }
    }
    return true;
  }

  void install_routes();
  void install_share_routes();
  void install_professional_routes();
};

void KindbandServer::Impl::install_share_routes() {
  const std::string id = "([0-9a-zA-Z-]{1,64})";
  http.Options("/api/v1/shares", [this](const httplib::Request& req, httplib::Response& res) {
    preflight(req, res, "POST", "Content-Type", 0);
  });
  http.Post("/api/v1/shares", [this](const httplib::Request& req, httplib::Response& res) {
    create_share(req, res);
  });
  auto share_preflight = [this](const char* methods) {
    return [this, methods](const httplib::Request& req, httplib::Response& res) {
      ShareStore::Status status;
      std::string share_id = req.matches[1];
      int64_t organisation_id = shares->status(share_id, &status) ? status.organisation_id : 0;
      preflight(req, res, methods, "Authorization", organisation_id);
    };
  };
  http.Options("/api/v1/shares/" + id + "/status", share_preflight("GET"));
  http.Options("/api/v1/shares/" + id, share_preflight("DELETE"));
  http.Get("/api/v1/shares/" + id + "/status",
           [this](const httplib::Request& req, httplib::Response& res) {
             std::string share_id = req.matches[1];
             ShareStore::Status status;
             if (!check_receipt(req, res, share_id, &status)) return;
             json body = {{"share_id", share_id}, {"status", status.status}};
             if (status.seen_by_role) body["seen_by_role"] = *status.seen_by_role;
             send_json(res, 200, body);
           });
  http.Delete("/api/v1/shares/" + id, [this](const httplib::Request& req, httplib::Response& res) {
    std::string share_id = req.matches[1];
    ShareStore::Status status;
    if (!check_receipt(req, res, share_id, &status)) return;
    switch (shares->withdraw(share_id, client_address(req))) {
      case ShareStore::WithdrawOutcome::kWithdrawn:
        send_json(res, 200, json{{"share_id", share_id}, {"status", "withdrawn"}});
        return;
      case ShareStore::WithdrawOutcome::kNotFound:
        send_error(res, 404, "not_found", "no share with this id was received");
        return;
      case ShareStore::WithdrawOutcome::kFailed:
        send_error(res, 503, "not_stored", "the withdrawal could not be stored; please try again");
        return;
    }
  });
}

void KindbandServer::Impl::install_professional_routes() {
  http.Post("/api/v1/login", [this](const httplib::Request& req, httplib::Response& res) {
    if (!same_site_json(req, res)) return;
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.value("username", json()).is_string() ||
        !body.value("password", json()).is_string()) {
      send_error(res, 400, "invalid_login",
                 "expected {\"username\": \"...\", \"password\": \"...\"}");
      return;
    }
    const std::string username = body["username"].get<std::string>().substr(0, 64);
    const std::string password = body["password"].get<std::string>();
    const std::string failure = "wrong username or password";
    Professional professional;
    bool found = false;
    {
      auto lease = reads->acquire();
      if (!lease.db()) {
        send_error(res, 503, "unavailable", "the database is not available");
        return;
      }
      found = find_professional(lease.db(), username, &professional);
    }
    AuditEvent event{username,
                     found ? professional.role : "",
                     found ? professional.organisation_slug : "",
                     "login_failed",
                     "",
                     client_address(req),
                     ""};
    if (!found) {
      verify_password(dummy_password_hash(), password);  // same time as a real check
      event.detail = "unknown user";
      shares->audit(event);
      send_error(res, 401, "login_failed", failure);
      return;
    }
    int64_t now = unix_now();
    if (professional.locked_until > now) {
      event.action = "login_locked";
      shares->audit(event);
      res.set_header("Retry-After", std::to_string(professional.locked_until - now));
      send_error(res, 429, "locked",
                 "too many failed logins: try again in " +
                     std::to_string((professional.locked_until - now + 59) / 60) + " minute(s)");
      return;
    }
    bool good = verify_password(professional.password_hash, password) && !professional.disabled;
    if (!good) {
      event.detail = professional.disabled ? "account disabled" : "wrong password";
      const int64_t limit = config.lockout_after_failures;
      const int64_t lock_until = now + config.lockout_seconds;
      // The failure counter and its audit row commit together.
      writer.run([&](sqlite3* db) {
        Statement update(db,
                         "UPDATE professionals SET failed_logins = failed_logins + 1, "
                         "locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE "
                         "locked_until END WHERE id = ?");
        update.bind(1, limit).bind(2, lock_until).bind(3, professional.id);
        std::string error;
        return update.run() && append_audit(db, event, &error);
      });
      send_error(res, 401, "login_failed", failure);
      return;
    }
    event.action = "login";
    bool recorded = writer.run([&](sqlite3* db) {
      Statement reset(db,
                      "UPDATE professionals SET failed_logins = 0, locked_until = 0 WHERE id = ?");
      reset.bind(1, professional.id);
      std::string error;
      return reset.run() && append_audit(db, event, &error);
    }) == GroupCommitWriter::Outcome::kCommitted;
    if (!recorded) {
      send_error(res, 503, "unavailable", "the login could not be recorded; please try again");
      return;
    }
    Session session{professional.id, professional.username, professional.role,
                    professional.organisation_id, professional.organisation_slug};
    std::string token = sessions.create(session);
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                     "; Path=/; HttpOnly; Secure; SameSite=Strict");
    send_json(res, 200,
              json{{"username", session.username},
                   {"role", session.role},
                   {"organisation", session.organisation_slug}});
  });

  http.Post("/api/v1/logout", [this](const httplib::Request& req, httplib::Response& res) {
    if (!same_site_json(req, res)) return;
    std::string token = cookie_value(req, kSessionCookie);
    if (auto session = token.empty() ? std::nullopt : sessions.touch(token)) {
      shares->audit(professional_event(*session, "logout", "", client_address(req)));
    }
    if (!token.empty()) sessions.remove(token);
    res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                     "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    send_json(res, 200, json{{"status", "logged_out"}});
  });

  http.Get("/api/v1/me", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    send_json(res, 200,
              json{{"username", session->username},
                   {"role", session->role},
                   {"organisation", session->organisation_slug}});
  });

  http.Get("/api/v1/inbox", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    std::string filter = req.get_param_value("status");
    if (filter == "all") filter.clear();
    if (!filter.empty() && filter != "received" && filter != "seen" && filter != "withdrawn") {
      send_error(
          res, 400, "invalid_value",
          "status: must be all, received, seen or withdrawn, got '" + filter.substr(0, 40) + "'");
      return;
    }
    std::string list;
    if (shares->list(*session, filter, client_address(req), &list) !=
        ShareStore::InboxOutcome::kOk) {
      send_error(res, 503, "unavailable", "the inbox could not be read; please try again");
      return;
    }
    res.status = 200;
    res.set_content("{\"shares\":" + list + "}", "application/json");
  });

  auto inbox_outcome = [](httplib::Response& res, ShareStore::InboxOutcome outcome) {
    switch (outcome) {
      case ShareStore::InboxOutcome::kOk:
        return true;
      case ShareStore::InboxOutcome::kNotFound:
        send_error(res, 404, "not_found", "no share with this id");
        break;
      case ShareStore::InboxOutcome::kForbidden:
        send_error(res, 403, "forbidden", "this share belongs to another organisation");
        break;
      case ShareStore::InboxOutcome::kWithdrawn:
        send_error(res, 410, "withdrawn", "the parent withdrew this share; its content is erased");
        break;
      case ShareStore::InboxOutcome::kFailed:
        send_error(res, 503, "unavailable", "please try again");
        break;
    }
    return false;
  };

  const std::string id = "([0-9a-zA-Z-]{1,64})";
  http.Get("/api/v1/inbox/shares/" + id, [this, inbox_outcome](const httplib::Request& req,
                                                               httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    std::string body;
    if (!inbox_outcome(res, shares->read(*session, req.matches[1], client_address(req), &body))) {
      return;
    }
    res.status = 200;
    res.set_content(body, "application/json");
  });

  http.Post(
      "/api/v1/inbox/shares/" + id + "/seen",
      [this, inbox_outcome](const httplib::Request& req, httplib::Response& res) {
        auto session = require_session(req, res);
        if (!session || !same_site_json(req, res)) return;
        json body = json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.value("note", json("")).is_string()) {
          send_error(res, 400, "invalid_value", "expected {\"note\": \"...\"}");
          return;
        }
        std::string note = body.value("note", std::string());
        size_t chars = std::count_if(note.begin(), note.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        });
        if (chars > kMaxNoteChars) {
          send_error(res, 400, "invalid_value",
                     "/note: at most " + std::to_string(kMaxNoteChars) + " characters");
          return;
        }
        if (!inbox_outcome(
                res, shares->mark_seen(*session, req.matches[1], note, client_address(req)))) {
          return;
        }
        send_json(res, 200,
                  json{{"share_id", std::string(req.matches[1])},
                       {"status", "seen"},
                       {"seen_by_role", session->role}});
      });
}

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
  http.new_task_queue = [threads] { return new BoundedThreadPool(threads, threads * 16); };
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
    if (req.has_header("Content-Length") && req.get_header_value("Content-Length").size() > 0 &&
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) >
            kMaxShareBodyBytes) {
      // Answer from the header alone and close: the unread body must not be taken for the next
      // request on this connection.
      res.set_header("Connection", "close");
      send_error(res, 413, "payload_too_large", "the body is larger than 64 KB");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.path.rfind("/api/", 0) == 0) res.set_header("Cache-Control", "no-store");
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

  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
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
  install_share_routes();
  install_professional_routes();
}

KindbandServer::KindbandServer(ServerConfig config, const Library* library)
    : impl_(std::make_unique<Impl>(std::move(config), library)) {}

KindbandServer::~KindbandServer() { stop(); }

bool KindbandServer::start(std::string* error) {
  Impl& s = *impl_;
  Connection setup;
  if (!setup.open(s.config.database, error)) return false;
  std::string receipt_key, body_key;
  if (!setup.exec("BEGIN IMMEDIATE", error)) return false;
  for (const Organisation& organisation : s.config.organisations) {
    if (!upsert_organisation(setup.handle(), organisation, error)) {
      setup.exec("ROLLBACK");
      *error = "organisation " + organisation.slug + ": " + *error;
      return false;
    }
  }
  if (!load_or_create_key(setup.handle(), "receipt_key", &receipt_key, error) ||
      !load_or_create_key(setup.handle(), "body_key", &body_key, error) ||
      !setup.exec("COMMIT", error)) {
    setup.exec("ROLLBACK");
    return false;
  }
  s.reads = std::make_unique<ReadPool>(s.config.database);
  s.shares = std::make_unique<ShareStore>(&s.writer, s.reads.get(), receipt_key, body_key);
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
  s.install_routes();
  if (!s.writer.start(s.config.database, error)) return false;
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
    s.writer.stop();
    return false;
  }
  dummy_password_hash();  // computed once now, not during the first login
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
  impl_->writer.stop();
  const GroupCommitWriter::Stats stats = impl_->writer.stats();
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
