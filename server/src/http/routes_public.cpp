// Routes for anyone: the health check, the coalition directory the widget shows parents, and the
// embedding check.
#include <nlohmann/json.hpp>

#include "directory.h"
#include "server_impl.h"

namespace kindband::server {

using nlohmann::json;

void KindbandServer::Impl::install_public_routes() {
  // Liveness, plus whether notification mail gets out (in memory: no database read here).
  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const char* mail = !sender ? "off" : sender->health().failing ? "failing" : "ok";
    res.set_content(std::string("{\"status\":\"ok\",\"mail\":\"") + mail + "\"}",
                    "application/json");
  });
  // For a load balancer: 200 while this instance can reach a database it may write to (with
  // PostgreSQL: the primary, which may have moved after a failover), else 503.
  http.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    if (!database->writable_primary_reachable()) {
      send_error(res, 503, "unavailable", "no writable database can be reached");
      return;
    }
    res.set_content("{\"status\":\"ready\"}", "application/json");
  });
  // For monitoring: 503 while mail cannot be delivered or mails wait longer than they should.
  http.Get("/healthz/mail", [this](const httplib::Request&, httplib::Response& res) {
    const int64_t now = unix_now_millis();
    OutboxCounts counts;
    if (!outbox->counts(now, &counts)) {
      send_error(res, 503, "unavailable", "the database is not available");
      return;
    }
    const NotificationSender::Health health =
        sender ? sender->health() : NotificationSender::Health{};
    // A due mail still waiting after two minutes: the sender is behind or stuck.
    const bool late = sender && counts.oldest_due_ms > 0 && now - counts.oldest_due_ms > 120000;
    const std::string state = !sender ? "off" : health.failing ? "failing" : late ? "late" : "ok";
    json body = {{"mail", state},
                 {"pending", counts.pending},
                 {"failed", counts.failed},
                 {"failing_since", health.failing_since_ms
                                       ? json(utc_timestamp_at(health.failing_since_ms / 1000))
                                       : json(nullptr)},
                 {"last_delivered", health.last_delivered_ms
                                        ? json(utc_timestamp_at(health.last_delivered_ms / 1000))
                                        : json(nullptr)}};
    send_json(res, state == "ok" || state == "off" ? 200 : 503, body);
  });

  // Public and cacheable: names, types and descriptions only, never who is in which family.
  http.Get(R"(/api/v1/directory/([0-9a-z-]{1,64}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             json entries;
             const Lookup found = directory->directory(req.matches[1].str(), &entries);
             if (found == Lookup::kUnavailable) {
               send_error(res, 503, "unavailable", "the database is not available");
               return;
             }
             res.set_header("Access-Control-Allow-Origin", "*");
             if (found == Lookup::kNotFound) {
               send_error(res, 404, "not_found",
                          "no coalition or organisation '" + req.matches[1].str() + "' here");
               return;
             }
             res.set_header("Cache-Control", "public, max-age=300");
             send_json(res, 200, entries);
           });

  // Embedding check (issue 14): may the asking page share with `org`? Answered for any origin, so
  // that the widget can tell a web editor before a parent shares. The browser's Origin header
  // counts; a same-origin GET carries none, so then the page names itself in `origin`.
  http.Get("/api/v1/embed-check", [this](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    std::string slug = req.get_param_value("org");
    if (slug.empty() || slug.size() > 64 ||
        slug.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz-") != std::string::npos) {
      send_error(res, 400, "invalid_value",
                 "org: the organisation's or coalition's id (a-z, 0-9, -)");
      return;
    }
    std::string origin =
        req.has_header("Origin") ? req.get_header_value("Origin") : req.get_param_value("origin");
    EmbedCheck check;
    if (!directory->check_embed(slug, origin.substr(0, 300), &check)) {
      send_error(res, 503, "unavailable", "the database is not available");
      return;
    }
    if (!check.allowed && !origin.empty()) {
      log_refused_origin(check.origin.empty() ? origin : check.origin, slug, check.reason);
    }
    res.set_header("Cache-Control", "no-store");
    send_json(res, 200,
              json{{"allowed", check.allowed},
                   {"reason", check.reason},
                   {"message", check.message},
                   {"organisation", slug},
                   {"origin", check.origin.empty() ? json(nullptr) : json(check.origin)}});
  });
}

}  // namespace kindband::server
