// Where notification mail goes (issue 23): a professional's own settings (from the inbox) and a
// parent's own address (from the widget); and a care agreement with a date as an .ics file. A
// parent's address is answered only to that parent's own devices; no professional route reads it.
// The audit rows say that an address was set or removed, never the address.
#include <nlohmann/json.hpp>

#include "email_address.h"
#include "server_impl.h"

namespace kindband::server {

using nlohmann::json;

namespace {

json professional_settings_json(const ProfessionalNotifications& settings) {
  return json{{"email", settings.email.empty() ? json(nullptr) : json(settings.email)},
              {"digest", settings.daily ? "daily" : "immediate"},
              {"on_duty", settings.on_duty}};
}

}  // namespace

void KindbandServer::Impl::install_notification_routes() {
  const char* mine = "/api/v1/inbox/me/notifications";
  http.Get(mine, [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    ProfessionalNotifications settings;
    if (!notification_settings->read_professional(session->professional_id, &settings)) {
      send_error(res, 503, "unavailable", "please try again");
      return;
    }
    send_json(res, 200, professional_settings_json(settings));
  });
  http.Patch(mine, [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"email", "digest", "on_duty"}, res)) {
      return;
    }
    ProfessionalNotificationsChange change;
    std::string detail;
    if (body.contains("email")) {
      const json& email = body["email"];
      if (!email.is_null() && !email.is_string()) {
        send_error(res, 400, "invalid_value", "/email: an e-mail address, or null for none");
        return;
      }
      change.email = email.is_null() ? "" : email.get<std::string>();
      if (!change.email->empty()) {
        const std::string problem = check_email_address(*change.email);
        if (!problem.empty()) {
          send_error(res, 422, "invalid_email", "/email: " + problem);
          return;
        }
      }
      detail += change.email->empty() ? " email=removed" : " email=set";
    }
    if (body.contains("digest")) {
      const json& digest = body["digest"];
      if (digest != "immediate" && digest != "daily") {
        send_error(res, 400, "invalid_value", "/digest: \"immediate\" or \"daily\"");
        return;
      }
      change.daily = digest == "daily";
      detail += " digest=" + digest.get<std::string>();
    }
    if (body.contains("on_duty")) {
      if (!body["on_duty"].is_boolean()) {
        send_error(res, 400, "invalid_value", "/on_duty: true or false");
        return;
      }
      change.on_duty = body["on_duty"].get<bool>();
      detail += *change.on_duty ? " on_duty=yes" : " on_duty=no";
    }
    const AuditEvent event =
        professional_event(*session, "notifications_changed", "", client_address(req),
                           detail.substr(1 * !detail.empty()));
    ProfessionalNotifications settings;
    if (!notification_settings->change_professional(session->professional_id, change, event) ||
        !notification_settings->read_professional(session->professional_id, &settings)) {
      send_error(res, 503, "unavailable", "please try again");
      return;
    }
    send_json(res, 200, professional_settings_json(settings));
  });

  // A care agreement for the calendar (RFC 5545): "afspraak met ...", nothing of what was agreed.
  auto send_ics = [](httplib::Response& res, const std::string& ics) {
    res.set_header("Content-Disposition", "attachment; filename=\"kindband-afspraak.ics\"");
    res.set_content(ics, "text/calendar; charset=utf-8");
  };
  http.Get(R"(/api/v1/family/agreements/(\d{1,12})/calendar\.ics)",
           [this, send_ics](const httplib::Request& req, httplib::Response& res) {
             auto parent = require_parent(req, res);
             if (!parent) return;
             std::string ics;
             FamilyOutcome outcome = calendar->for_parent(
                 *parent, std::stoll(req.matches[1]), req.get_param_value("lang") == "en", &ics);
             if (outcome == FamilyOutcome::kNotFound) {
               send_error(res, 404, "not_found", "no agreement with a date with this id");
               return;
             }
             if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
             send_ics(res, ics);
           });
  http.Get(R"(/api/v1/inbox/families/([0-9a-f-]{36})/agreements/(\d{1,12})/calendar\.ics)",
           [this, send_ics](const httplib::Request& req, httplib::Response& res) {
             auto session = require_session(req, res);
             if (!session) return;
             std::string ics;
             FamilyOutcome outcome = calendar->for_professional(
                 *session, req.matches[1], std::stoll(req.matches[2]), client_address(req), &ics);
             if (outcome != FamilyOutcome::kOk) {
               return send_family_outcome(res, outcome, json(nullptr));
             }
             send_ics(res, ics);
           });

  const char* family = "/api/v1/family/notifications";
  auto parent_answer = [](bool found, const ParentNotificationAddress& address) {
    return json{{"email", found ? json(address.email) : json(nullptr)},
                {"page", found ? json(address.link) : json(nullptr)}};
  };
  http.Get(family, [this, parent_answer](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    if (!parent) return;
    bool found = false;
    ParentNotificationAddress address;
    if (!notification_settings->read_parent(parent->family_id, parent->role, &found, &address)) {
      send_error(res, 503, "unavailable", "please try again");
      return;
    }
    send_json(res, 200, parent_answer(found, address));
  });
  http.Put(family, [this, parent_answer](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"email", "page"}, res)) {
      return;
    }
    if (!body.value("email", json()).is_string() || !body.value("page", json()).is_string()) {
      send_error(res, 400, "invalid_value",
                 "expected {\"email\": \"...\", \"page\": \"the page with Kindband\"}");
      return;
    }
    ParentNotificationAddress address{body["email"].get<std::string>(),
                                      body["page"].get<std::string>()};
    std::string problem = check_email_address(address.email);
    if (!problem.empty()) {
      send_error(res, 422, "invalid_email", "/email: " + problem);
      return;
    }
    // The link in the mail goes to a website allowed to embed Kindband, nowhere else.
    const size_t path = address.link.find('/', address.link.find("://") + 3);
    std::string origin, origin_error;
    if (address.link.size() > 500 || has_hidden_characters(address.link, false) ||
        address.link.find_first_of(" \"<>\\") != std::string::npos ||
        address.link.find("://") == std::string::npos ||
        !normalise_origin(address.link.substr(0, path), &origin, &origin_error) ||
        !origin_allowed_anywhere(origin)) {
      send_error(res, 422, "invalid_page",
                 "/page: the address of a page of a website that embeds Kindband");
      return;
    }
    AuditEvent event{"parent:" + parent->role, "parent",   "", "parent_notifications_set", "",
                     client_address(req),      "email=set"};
    event.family_id = parent->family_id;
    if (!notification_settings->change_parent(*parent, address, event)) {
      send_error(res, 503, "unavailable", "please try again");
      return;
    }
    send_json(res, 200, parent_answer(true, address));
  });
  http.Delete(family, [this, parent_answer](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    if (!parent) return;
    AuditEvent event{
        "parent:" + parent->role, "parent",       "", "parent_notifications_removed", "",
        client_address(req),      "email=removed"};
    event.family_id = parent->family_id;
    if (!notification_settings->change_parent(*parent, {}, event)) {
      send_error(res, 503, "unavailable", "please try again");
      return;
    }
    send_json(res, 200, parent_answer(false, {}));
  });
}

}  // namespace kindband::server
