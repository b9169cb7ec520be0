// The server's insides, shared by the route files: one file per audience (routes_parents.cpp for
// the widget, routes_professionals.cpp for the inbox, routes_public.cpp for anyone), the setup in
// http_server.cpp. Not part of the public API (http_server.h).
#ifndef KINDBAND_SERVER_HTTP_SERVER_IMPL_H_
#define KINDBAND_SERVER_HTTP_SERVER_IMPL_H_

#include <httplib.h>

#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "accounts.h"
#include "attempt_limiter.h"
#include "attempt_store.h"
#include "audience.h"
#include "calendar_store.h"
#include "collaboration.h"
#include "config.h"
#include "database.h"
#include "devices.h"
#include "directory.h"
#include "erasure.h"
#include "family_store.h"
#include "http_server.h"
#include "http_util.h"
#include "idempotency.h"
#include "kindband/conversation.h"
#include "notification_sender.h"
#include "notification_settings.h"
#include "outbox_store.h"
#include "rate_limiter.h"
#include "read_workers.h"
#include "sessions.h"
#include "share_store.h"
#include "share_validation.h"
#include "text_util.h"
#include "triages.h"

namespace kindband::server {

constexpr const char* kSessionCookie = "kb_session";
// Marks a browser that logged in to an account before: its guesses are not the crowd's.
constexpr const char* kDeviceCookie = "kb_device";
// The same answer for a missing, malformed, unknown or other family's key: it never reveals whether
// a family exists.
constexpr const char* kInvalidFamilyKeyMessage =
    "send this device's family key as 'Authorization: Bearer <key>'; this key is not valid";

constexpr const char* kKeyReusedMessage =
    "Idempotency-Key: this key was sent before with a different request; use a new key for a new "
    "request";

// Answers an inbox call that did not succeed (true when it did: nothing sent). One wording for
// every share route; `withdrawn` says what happened to a withdrawn share's content or case.
inline bool inbox_outcome_ok(httplib::Response& res, ShareStore::InboxOutcome outcome,
                             const char* withdrawn =
                                 "the parent withdrew this share; its content "
                                 "is erased") {
  switch (outcome) {
    case ShareStore::InboxOutcome::kOk:
      return true;
    case ShareStore::InboxOutcome::kNotFound:
      send_error(res, 404, "not_found", "no share with this id");
      break;
    case ShareStore::InboxOutcome::kForbidden:
      send_error(res, 403, "forbidden", "this share was not shared with your organisation");
      break;
    case ShareStore::InboxOutcome::kRemoved:
      send_error(res, 403, "removed_by_parents",
                 "the parents removed your organisation from their care network");
      break;
    case ShareStore::InboxOutcome::kWithdrawn:
      send_error(res, 410, "withdrawn", withdrawn);
      break;
    case ShareStore::InboxOutcome::kConflict:
    case ShareStore::InboxOutcome::kFailed:
      send_error(res, 503, "unavailable", "please try again");
      break;
  }
  return false;
}

// How a family call's outcome is answered to a professional (the inbox): body with status on
// kOk/kCreated, else the access or failure answer.
void send_family_outcome(httplib::Response& res, FamilyOutcome outcome, const nlohmann::json& body,
                         int status = 200);
// How a family call that did not succeed is answered to a parent (the widget).
void send_family_error(httplib::Response& res, FamilyOutcome outcome);
// False, after a 400 unknown_field answer, when body has a key not in keys.
bool only_keys(const nlohmann::json& body, std::initializer_list<const char*> keys,
               httplib::Response& res);
// The consent_version of a parent's consent (the version of the text they read: one the server
// knows, config.h kKnownConsentVersions or --consent-version), or false after a 400 answer.
bool read_consent_version(const ServerConfig& config, const nlohmann::json& body,
                          httplib::Response& res, std::string* consent);

struct KindbandServer::Impl {
  ServerConfig config;
  const Library* library;
  httplib::Server http;
  std::unique_ptr<Database> database;
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<DirectoryStore> directory;
  std::unique_ptr<ShareStore> shares;
  std::unique_ptr<FamilyStore> families;
  std::unique_ptr<CollaborationStore> collaboration;
  std::unique_ptr<TriageStore> triages;
  std::unique_ptr<DeviceStore> devices;
  std::unique_ptr<AudienceStore> audience;
  std::unique_ptr<ErasureStore> erasures;
  // Notifications by e-mail (server/src/notify): the outbox, its sender (only with --smtp-url)
  // and who wants mail where.
  std::unique_ptr<OutboxStore> outbox;
  std::unique_ptr<NotificationSender> sender;
  std::unique_ptr<NotificationSettingsStore> notification_settings;
  std::unique_ptr<CalendarStore> calendar;  // agreements as .ics files
  // Erases families whose notice period passed, once a minute (also checked on each access).
  std::thread sweeper;
  std::mutex sweeper_mutex;
  std::condition_variable sweeper_wake;
  bool sweeper_stop = false;
  // The structured conversations professionals record (engine/conversations, issue 15).
  std::vector<conversation::Conversation> conversations;
  // Wrong pairing, recovery and invitation codes per client address and server-wide (config:
  // code_failures_per_10_minutes), counted before each code is checked.
  AttemptLimiter code_attempts;
  AttemptLimiter server_code_attempts{config.code_failures_per_10_minutes, std::chrono::minutes(10),
                                      1};
  // Failed logins per (account, address), per address, per account from all addresses and per
  // known browser of an account (docs/share-api.md): throttled, never locked for everyone.
  AttemptLimiter login_attempts{config.lockout_after_failures,
                                std::chrono::seconds(config.lockout_seconds)};
  AttemptLimiter address_login_attempts{config.lockout_after_failures * 6,
                                        std::chrono::seconds(config.lockout_seconds)};
  AttemptLimiter account_login_attempts{config.lockout_after_failures * 4,
                                        std::chrono::seconds(config.lockout_seconds)};
  AttemptLimiter device_login_attempts{config.lockout_after_failures,
                                       std::chrono::seconds(config.lockout_seconds)};
  // Addresses whose throttled logins were audited in this window (one row each).
  AttemptLimiter throttled_login_audits{1, std::chrono::seconds(config.lockout_seconds)};
  // Signs the device cookies of browsers that logged in (new at each start: after a restart every
  // browser is unknown again until its next login).
  std::string login_device_key = random_token(32);
  // Hashes requests that carry an Idempotency-Key (the key file's body_key; set at start).
  std::string request_key;
  // Shares per client address and per organisation (config: shares_per_*_per_minute).
  RateLimiter shares_per_address{config.shares_per_address_per_minute};
  RateLimiter anonymous_safety_per_address{config.anonymous_safety_shares_per_address_per_minute};
  // Parent input that a script could flood (issue 22): messages per family and per address, and
  // organisations added without an invitation per address.
  RateLimiter messages_per_family{config.messages_per_family_per_minute};
  RateLimiter messages_per_address{config.messages_per_address_per_minute};
  RateLimiter uninvited_memberships_per_address{
      config.uninvited_memberships_per_address_per_minute};
  // Every other write of a parent's device, per family and per address; families per address.
  RateLimiter parent_writes_per_family{config.parent_writes_per_family_per_minute};
  RateLimiter parent_writes_per_address{config.parent_writes_per_address_per_minute};
  RateLimiter families_per_address{config.families_per_address_per_minute};
  SessionStore sessions;
  // Where the login and code limiters count: the database, for all instances (issue 27).
  std::unique_ptr<AttemptStore> attempt_store;
  int bound_port = 0;
  socket_t listening_socket = INVALID_SOCKET;
  bool stopped_reported = false;
  // Large professional reads run here, below the request threads' CPU priority (issue 22). Last
  // member: stopped first, before the stores its jobs use.
  ReadWorkers read_workers{config.read_workers};

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

  bool origin_allowed_near(int64_t organisation_id, const std::string& origin) {
    return directory->origin_allowed_near(organisation_id, origin);
  }

  bool origin_allowed_anywhere(const std::string& origin) {
    return directory->origin_allowed_anywhere(origin);
  }

  void preflight(const httplib::Request& req, httplib::Response& res, const char* methods,
                 const char* headers, int64_t organisation_id) {
    std::string origin = request_origin(req);
    bool allowed = !origin.empty() && origin != "invalid" &&
                   (organisation_id ? origin_allowed_near(organisation_id, origin)
                                    : origin_allowed_anywhere(origin));
    if (!allowed) {
      // A web editor's mistake shows in the log (rate-limited), not only in the parent's browser.
      if (!origin.empty()) {
        log_refused_origin(req.get_header_value("Origin"), "*", "origin_not_allowed");
      }
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

  void create_share(const httplib::Request& req, httplib::Response& res);

  nlohmann::json receipt_json(const std::string& share_id) {
    // A fresh share's case is new: nobody has taken it yet (docs/care-network.md).
    return nlohmann::json{{"share_id", share_id},
                          {"receipt", shares->receipt_for(share_id)},
                          {"status", "received"},
                          {"case", {{"state", "new"}}}};
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
      if (!origin_allowed_near(status->organisation_id, origin)) {
        send_error(res, 403, "origin_not_allowed", "this website origin is not allowed");
        return false;
      }
      allow_origin(res, origin);
    }
    return true;
  }

  // --- helpers for professionals --------------------------------------------------------------

  // A device cookie for a browser that just logged in as username: a random id and its signature.
  std::string new_login_device(const std::string& username) const {
    const std::string id = random_token(16);
    return id + "." + hmac_sha256_hex(login_device_key, username + "\n" + id).substr(0, 32);
  }

  // The id of this browser's device cookie when it was made by a login to username, else "".
  std::string known_login_device(const httplib::Request& req, const std::string& username) const {
    const std::string cookie = cookie_value(req, kDeviceCookie);
    const size_t dot = cookie.find('.');
    if (dot != 32 || cookie.size() != 65) return "";
    const std::string id = cookie.substr(0, dot);
    const std::string expected =
        hmac_sha256_hex(login_device_key, username + "\n" + id).substr(0, 32);
    return constant_time_equal(cookie.substr(dot + 1), expected) ? id : "";
  }

  std::optional<Session> require_session(const httplib::Request& req, httplib::Response& res) {
    std::string token = cookie_value(req, kSessionCookie);
    bool unavailable = false;
    std::optional<Session> session =
        token.empty() ? std::nullopt : sessions.touch(token, &unavailable);
    if (session) {
      // A disabled account, or a password reset since this login, ends the session at once.
      // A database that cannot answer now (a failover) ends nothing: the client tries again.
      const Lookup valid =
          accounts->session_still_valid(session->professional_id, session->created_unix_ms);
      unavailable = valid == Lookup::kUnavailable;
      if (valid == Lookup::kNotFound) sessions.remove_professional(session->professional_id);
      if (valid != Lookup::kFound) session.reset();
    }
    if (unavailable) {
      send_error(res, 503, "unavailable", "the database is not available; please try again");
      return std::nullopt;
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

  // --- helpers for parents (family key) ---------------------------------------------------------

  // The parent proven by "Authorization: Bearer <family key>", or a 401 answer that never says
  // whether the family exists. Checks the Origin (when sent) like the share API and sets CORS.
  bool origin_allowed_for_family(const std::string& family_id, const std::string& origin);
  std::optional<ParentDevice> require_parent(const httplib::Request& req, httplib::Response& res);
  // For parent routes without a key (join, recover, invitations): Origin check and CORS.
  bool parent_origin(const httplib::Request& req, httplib::Response& res);
  // Counts a code attempt per address and server-wide before the code is checked (the caller
  // calls attempt->succeeded() unless the code was wrong), or answers 429 and returns false.
  bool reserve_code_attempt(const httplib::Request& req, httplib::Response& res,
                            ReservedAttempt* attempt);

  // The request's Idempotency-Key for a creating POST (network/idempotency.h), scoped to who
  // sends it; an empty key when none was sent. False after a 400 answer for a malformed key.
  bool idempotency_key(const httplib::Request& req, httplib::Response& res, std::string scope,
                       std::string family_id, IdempotencyKey* key) const {
    *key = IdempotencyKey{};
    if (!req.has_header("Idempotency-Key")) return true;
    const std::string value = req.get_header_value("Idempotency-Key");
    const std::string problem = check_idempotency_key(value);
    if (!problem.empty()) {
      send_error(res, 400, "invalid_idempotency_key", problem);
      return false;
    }
    key->key = value;
    key->request_hash =
        hmac_sha256_hex(request_key, "request:" + req.method + " " + req.path + "\n" + req.body);
    key->seed = hmac_sha256_hex(request_key, "seed:" + scope + "\n" + value);
    key->scope = std::move(scope);
    key->family_id = std::move(family_id);
    return true;
  }
  static std::string professional_scope(const Session& session) {
    return "professional:" + std::to_string(session.professional_id);
  }
  static std::string parent_scope(const ParentDevice& parent) {
    return "parent:" + parent.family_id + ":" + parent.role;
  }

  void install_routes();
  void install_share_routes();
  void install_family_routes();
  void install_professional_routes();
  void install_network_routes();
  void install_public_routes();
  void install_fhir_routes();          // routes_fhir.cpp
  void install_triage_routes();        // routes_triage.cpp
  void install_notification_routes();  // routes_notifications.cpp
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_SERVER_IMPL_H_
