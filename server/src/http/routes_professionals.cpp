// Routes for professionals (the inbox page): login, the inbox, shares, families and invitations
// (docs/share-api.md, docs/care-network.md). Every read and change is audited in its transaction.
#include <nlohmann/json.hpp>

#include "audit_log.h"
#include "email_address.h"
#include "qr_code.h"
#include "server_impl.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

// Who is logged in (login and GET /api/v1/me): the organisation also by its display name, as the
// directory and the parents show it, so that no screen needs its slug; the professional by their
// display name (the username when none was set), so that no screen needs the username.
json me_json(DirectoryStore* directory, AccountStore* accounts, const Session& session) {
  Organisation organisation;
  const bool named =
      directory->organisation(session.organisation_slug, &organisation) == Lookup::kFound;
  Professional professional;
  const bool found = accounts->professional(session.username, &professional) == Lookup::kFound;
  return json{{"username", session.username},
              {"name", found && !professional.display_name.empty() ? professional.display_name
                                                                   : session.username},
              {"role", session.role},
              {"organisation", session.organisation_slug},
              {"organisation_name", named ? organisation.name : session.organisation_slug}};
}

constexpr size_t kMaxNoteChars = 500;
constexpr int kMaxInboxPage = 200;

// The inbox list's query string: status, flag, positive, family, instrument, cursor, limit.
bool read_inbox_query(const httplib::Request& req, httplib::Response& res, InboxQuery* query) {
  auto bad = [&](const std::string& what) {
    send_error(res, 400, "invalid_value", what);
    return false;
  };
  query->status = req.get_param_value("status");
  if (query->status == "all") query->status.clear();
  if (!query->status.empty() && query->status != "received" && query->status != "seen" &&
      query->status != "withdrawn") {
    return bad("status: must be all, received, seen or withdrawn, got '" +
               query->status.substr(0, 40) + "'");
  }
  for (auto [name, target] :
       {std::pair{"flag", &query->flagged_only}, std::pair{"positive", &query->positive_only}}) {
    std::string value = req.get_param_value(name);
    if (!value.empty() && value != "0" && value != "1") {
      return bad(std::string(name) + ": must be 0 or 1");
    }
    *target = value == "1";
  }
  query->family_id = req.get_param_value("family");
  if (!query->family_id.empty() && !is_canonical_uuid(query->family_id)) {
    return bad("family: a family id (UUID in lower case)");
  }
  query->instrument = req.get_param_value("instrument");
  if (query->instrument.size() > 64 ||
      query->instrument.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") !=
          std::string::npos) {
    return bad("instrument: an instrument id such as phq9");
  }
  query->case_state = req.get_param_value("case");
  if (!query->case_state.empty() && query->case_state != "new" &&
      query->case_state != "in_progress" && query->case_state != "contacted" &&
      query->case_state != "closed") {
    return bad("case: new, in_progress, contacted or closed");
  }
  const std::string junk = req.get_param_value("junk");
  if (!junk.empty() && junk != "0" && junk != "1") return bad("junk: must be 0 or 1");
  query->junk = junk == "1";
  query->cursor = req.get_param_value("cursor");
  if (!valid_inbox_cursor(query->cursor)) {
    return bad("cursor: use the next_cursor of the previous page");
  }
  std::string limit = req.get_param_value("limit");
  if (!limit.empty()) {
    if (limit.size() > 3 || limit.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(limit) < 1 || std::stoi(limit) > kMaxInboxPage) {
      return bad("limit: 1-" + std::to_string(kMaxInboxPage));
    }
    query->limit = std::stoi(limit);
  }
  return true;
}

}  // namespace

// How a family call's outcome is answered to a professional.
void send_family_outcome(httplib::Response& res, FamilyOutcome outcome, const json& body,
                         int status) {
  switch (outcome) {
    case FamilyOutcome::kOk:
    case FamilyOutcome::kCreated:
      send_json(res, status, body);
      return;
    case FamilyOutcome::kNotFound:
      send_error(res, 404, "not_found", "no such family (or professional) here");
      return;
    case FamilyOutcome::kNotMember:
      send_error(res, 403, "not_a_member",
                 "your organisation is not in this family's care network");
      return;
    case FamilyOutcome::kRemoved:
      send_error(res, 403, "removed_by_parents",
                 "the parents removed your organisation from their care network");
      return;
    case FamilyOutcome::kErased:
      send_error(res, 410, "family_erased", "the parents removed their family and its data");
      return;
    case FamilyOutcome::kNoCoalition:
      send_error(res, 422, "no_coalition",
                 "your organisation is not in a coalition: ask the administrator "
                 "(kindband-admin add-organisation-to-coalition)");
      return;
    case FamilyOutcome::kKeyReused:
      send_error(res, 422, "idempotency_key_reused", kKeyReusedMessage);
      return;
    case FamilyOutcome::kInvalidCode:
      send_error(res, 404, "invalid_code",
                 "no open invitation of your organisation with this code (used or expired?)");
      return;
    default:
      send_error(res, 503, "unavailable", "please try again");
      return;
  }
}

void KindbandServer::Impl::install_network_routes() {
  http.Post(R"(/api/v1/inbox/shares/([0-9a-f-]{36})/case)", [this](const httplib::Request& req,
                                                                   httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    ShareStore::CaseAction action;
    for (const auto& [key, value] : body.items()) {
      std::string* target = key == "action"     ? &action.action
                            : key == "reason"   ? &action.reason
                            : key == "note"     ? &action.note
                            : key == "username" ? &action.username
                            : key == "sign_as"  ? &action.sign_as
                                                : nullptr;
      if (!target || !(value.is_string() || (key == "sign_as" && value.is_null()))) {
        send_error(res, 400, "invalid_value",
                   "/" + key.substr(0, 40) + ": not a field of a case step, or not text");
        return;
      }
      if (value.is_string()) *target = value.get<std::string>();
    }
    std::string problem = check_case_action(action);
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    std::string body_text, conflict;
    const ShareStore::InboxOutcome outcome = shares->change_case(
        *session, req.matches[1], action, client_address(req), &body_text, &conflict);
    if (outcome == ShareStore::InboxOutcome::kConflict) {
      size_t colon = conflict.find(": ");
      bool coded = colon != std::string::npos && conflict.find(' ') > colon;
      send_error(res, 409, coded ? conflict.substr(0, colon) : "illegal_transition", conflict);
      return;
    }
    if (!inbox_outcome_ok(res, outcome, "the parent withdrew this share; its case is closed")) {
      return;
    }
    res.status = 200;
    res.set_content(body_text, "application/json");
  });

  // The families we are a member of (issue 24): search by name, filters, paged; audited per family.
  http.Get("/api/v1/inbox/families", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    FamilyStore::FamilyListQuery query;
    query.search = req.get_param_value("q");
    query.case_state = req.get_param_value("state");
    const std::string needs = req.get_param_value("needs_action");
    query.date_from = req.get_param_value("from");
    query.date_to = req.get_param_value("to");
    auto is_date = [](const std::string& text) {
      return text.size() == 10 && text[4] == '-' && text[7] == '-' &&
             text.find_first_not_of("0123456789-") == std::string::npos &&
             text.substr(5, 2) >= "01" && text.substr(5, 2) <= "12" && text.substr(8, 2) >= "01" &&
             text.substr(8, 2) <= "31";
    };
    const std::string offset = req.get_param_value("offset");
    std::string problem;
    if (query.search.size() > 80 || has_hidden_characters(query.search, false)) {
      problem = "q: up to 80 characters of a family's name";
    } else if (!query.case_state.empty() && query.case_state != "new" &&
               query.case_state != "in_progress" && query.case_state != "contacted" &&
               query.case_state != "closed") {
      problem = "state: new, in_progress, contacted or closed";
    } else if ((!query.date_from.empty() && !is_date(query.date_from)) ||
               (!query.date_to.empty() && !is_date(query.date_to))) {
      problem = "from, to: a date as YYYY-MM-DD";
    } else if (!query.date_from.empty() && !query.date_to.empty() &&
               query.date_from > query.date_to) {
      problem = "from: on or before to";
    } else if (!needs.empty() && needs != "1" && needs != "0") {
      problem = "needs_action: 1 or 0";
    } else if (!offset.empty() &&
               (offset.size() > 9 || offset.find_first_not_of("0123456789") != std::string::npos)) {
      problem = "offset: the next_offset of the previous page";
    }
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    query.needs_action = needs == "1";
    query.offset = offset.empty() ? 0 : std::stoll(offset);
    read_workers.run([&] {
      json list;
      FamilyOutcome outcome = families->list_families(*session, query, client_address(req), &list);
      send_family_outcome(res, outcome, list);
    });
  });

  const std::string family = "/api/v1/inbox/families/([0-9a-f-]{36})";
  http.Get(family, [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    // ?messages_before=ID pages the messages (the newest 50 first).
    int64_t before = 0;
    const std::string paging = req.get_param_value("messages_before");
    if (!paging.empty()) {
      if (paging.size() > 12 || paging.find_first_not_of("0123456789") != std::string::npos) {
        send_error(res, 400, "invalid_value", "messages_before: a message id");
        return;
      }
      before = std::stoll(paging);
    }
    read_workers.run([&] {
      json page;
      FamilyOutcome outcome = families->family_for_professional(*session, req.matches[1], before,
                                                                client_address(req), &page);
      send_family_outcome(res, outcome, page);
    });
  });

  http.Post(family + "/assignment", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    const json& username = body.contains("username") ? body["username"] : json();
    if (!(username.is_null() || username.is_string()) || body.size() != 1) {
      send_error(res, 400, "invalid_value",
                 "expected {\"username\": \"...\"} (a colleague or yourself) or "
                 "{\"username\": null}");
      return;
    }
    json entry;
    FamilyOutcome outcome = families->assign(*session, req.matches[1],
                                             username.is_null() ? "" : username.get<std::string>(),
                                             client_address(req), &entry);
    send_family_outcome(res, outcome, entry);
  });

  http.Post(family + R"(/agreements)", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    AgreementChange change;
    std::string problem = parse_agreement_change(body, true, &change);
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, professional_scope(*session), req.matches[1], &idempotency)) {
      return;
    }
    json agreement;
    FamilyOutcome outcome = collaboration->create_agreement(
        *session, req.matches[1], change, client_address(req), idempotency, &agreement, &problem);
    if (outcome == FamilyOutcome::kInvalid) {
      send_error(res, 422, "invalid_value", problem);
      return;
    }
    if (outcome == FamilyOutcome::kNotFound && !problem.empty()) {
      send_error(res, 404, "not_found", problem);
      return;
    }
    send_family_outcome(res, outcome, agreement, 201);
  });

  http.Patch(family + R"(/agreements/(\d{1,12}))",
             [this](const httplib::Request& req, httplib::Response& res) {
               auto session = require_session(req, res);
               json body;
               if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body))
                 return;
               AgreementChange change;
               std::string problem = parse_agreement_change(body, false, &change);
               if (!problem.empty()) {
                 send_error(res, 400, "invalid_value", problem);
                 return;
               }
               json agreement;
               FamilyOutcome outcome = collaboration->change_agreement(
                   *session, req.matches[1], std::stoll(req.matches[2]), change,
                   client_address(req), &agreement, &problem);
               if (outcome == FamilyOutcome::kInvalid) {
                 send_error(res, 422, "invalid_value", problem);
                 return;
               }
               if (outcome == FamilyOutcome::kConflict) {
                 send_error(res, 409, "illegal_transition", problem);
                 return;
               }
               send_family_outcome(res, outcome, agreement);
             });

  http.Post(family + R"(/agreements/(\d{1,12})/comments)", [this](const httplib::Request& req,
                                                                  httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    std::string problem = check_short_text(body.value("text", json()), "/text", 500);
    if (!problem.empty() || body.size() != 1) {
      send_error(res, 400, "invalid_value",
                 problem.empty() ? "expected {\"text\": \"...\"}" : problem);
      return;
    }
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, professional_scope(*session), req.matches[1], &idempotency)) {
      return;
    }
    json agreement;
    FamilyOutcome outcome = collaboration->comment_agreement(
        *session, req.matches[1], std::stoll(req.matches[2]), body["text"].get<std::string>(),
        client_address(req), idempotency, &agreement);
    send_family_outcome(res, outcome, agreement, 201);
  });

  http.Post(family + "/referrals", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    const json organisation = body.value("organisation", json());
    std::string problem = check_short_text(body.value("reason", json()), "/reason", 500);
    if (!organisation.is_string() || organisation.get_ref<const std::string&>().size() > 64) {
      problem = "/organisation: the id of an organisation of the coalition";
    }
    std::optional<int64_t> triage_id;
    if (problem.empty() && body.contains("triage_id")) {
      if (!body["triage_id"].is_number_integer() || body["triage_id"].get<int64_t>() < 1) {
        problem = "/triage_id: the id of a triage of this family whose judgement this carries out";
      } else {
        triage_id = body["triage_id"].get<int64_t>();
      }
    }
    if (!problem.empty() || body.size() != (triage_id ? 3u : 2u)) {
      send_error(
          res, 400, "invalid_value",
          problem.empty() ? "expected {\"organisation\", \"reason\", \"triage_id\"?}" : problem);
      return;
    }
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, professional_scope(*session), req.matches[1], &idempotency)) {
      return;
    }
    json proposal;
    FamilyOutcome outcome =
        collaboration->propose(*session, req.matches[1], organisation.get<std::string>(),
                               body["reason"].get<std::string>(), triage_id, client_address(req),
                               idempotency, &proposal, &problem);
    if (outcome == FamilyOutcome::kNotFound && !problem.empty()) {
      send_error(res, 404, "not_found", problem);
      return;
    }
    if (outcome == FamilyOutcome::kUnknownOrganisation) {
      send_error(res, 422, "other_coalition", problem);
      return;
    }
    if (outcome == FamilyOutcome::kConflict) {
      send_error(res, 409, problem.substr(0, problem.find(':')), problem);
      return;
    }
    send_family_outcome(res, outcome, proposal, 201);
  });

  http.Post(family + "/messages", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    std::string problem = check_short_text(body.value("text", json()), "/text", 1000);
    std::string sign_as;
    if (problem.empty() && body.contains("sign_as") && !body["sign_as"].is_null()) {
      problem = check_short_text(body["sign_as"], "/sign_as", 60, false);
      if (problem.empty()) sign_as = body["sign_as"].get<std::string>();
    }
    // A reply to one parent (e.g. to a private message) stays on that parent's devices.
    std::string to_parent;
    if (problem.empty() && body.contains("to_parent") && !body["to_parent"].is_null()) {
      if (body["to_parent"] != "mother" && body["to_parent"] != "partner") {
        problem = "/to_parent: mother, partner or null (both parents)";
      } else {
        to_parent = body["to_parent"].get<std::string>();
      }
    }
    for (const auto& [key, value] : body.items()) {
      if (key != "text" && key != "sign_as" && key != "to_parent") {
        problem = "/" + key.substr(0, 40) + ": not a field";
      }
    }
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, professional_scope(*session), req.matches[1], &idempotency)) {
      return;
    }
    json message;
    FamilyOutcome outcome =
        collaboration->send_message(*session, req.matches[1], body["text"].get<std::string>(),
                                    sign_as, to_parent, client_address(req), idempotency, &message);
    send_family_outcome(res, outcome, message, 201);
  });

  // A flood of (forged) shares: the professionals mark them as junk in bulk; each is audited.
  http.Post("/api/v1/inbox/junk", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    const json ids = body.value("share_ids", json());
    const json junk = body.value("junk", json(true));
    bool ok = ids.is_array() && !ids.empty() && ids.size() <= 200 && junk.is_boolean() &&
              body.size() <= 2;
    std::vector<std::string> share_ids;
    for (const json& id : ok ? ids : json::array()) {
      ok = ok && id.is_string() && is_canonical_uuid(id.get<std::string>());
      if (ok) share_ids.push_back(id.get<std::string>());
    }
    if (!ok) {
      send_error(res, 400, "invalid_value",
                 "expected {\"share_ids\": [1-200 share ids], \"junk\": true|false}");
      return;
    }
    int updated = 0;
    if (shares->mark_junk(*session, share_ids, junk.get<bool>(), client_address(req), &updated) !=
        ShareStore::InboxOutcome::kOk) {
      send_error(res, 503, "unavailable", "nothing was changed; please try again");
      return;
    }
    send_json(res, 200, json{{"updated", updated}, {"junk", junk}});
  });

  // Who a case or an agreement can be handed to: the active professionals of my organisation.
  http.Get("/api/v1/inbox/colleagues", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    std::vector<Professional> rows;
    if (!accounts->colleagues(session->organisation_id, &rows)) {
      send_error(res, 503, "unavailable", "please try again");
      return;
    }
    json colleagues = json::array();
    for (const Professional& colleague : rows) {
      colleagues.push_back({{"username", colleague.username},
                            {"name", colleague.display_name},
                            {"role", colleague.role},
                            {"me", colleague.username == session->username}});
    }
    send_json(res, 200, json{{"colleagues", std::move(colleagues)}});
  });

  http.Get("/api/v1/inbox/day", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    read_workers.run([&] {
      json day;
      FamilyOutcome outcome = collaboration->day(*session, client_address(req), &day);
      send_family_outcome(res, outcome, day);
    });
  });

  http.Post(
      "/api/v1/inbox/invitations", [this](const httplib::Request& req, httplib::Response& res) {
        auto session = require_session(req, res);
        json body;
        if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
        IdempotencyKey idempotency;
        if (!idempotency_key(req, res, professional_scope(*session), "", &idempotency)) return;
        json invitation;
        FamilyOutcome outcome =
            families->create_invitation(*session, client_address(req), idempotency, &invitation);
        // The link as a QR code a phone can scan (the inbox draws it; issue 24).
        if (outcome == FamilyOutcome::kCreated && invitation["link"].is_string()) {
          invitation["qr"] = qr_matrix(invitation["link"].get<std::string>());
        }
        send_family_outcome(res, outcome, invitation, 201);
      });

  // An open invitation sent to the parent by e-mail (issue 24): {"code": ..., "email": ...}. The
  // mail carries the link and who invites, nothing else; 202 once the mail waits, durably, for the
  // sender (it is not sent when the server has no mail server configured).
  http.Post("/api/v1/inbox/invitations/email", [this](const httplib::Request& req,
                                                      httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) {
      return;
    }
    const json code = body.value("code", json());
    const json email = body.value("email", json());
    if (!code.is_string() || code.get<std::string>().size() > 64) {
      send_error(res, 400, "invalid_value", "/code: the invitation's code");
      return;
    }
    const std::string problem = email.is_string() ? check_email_address(email.get<std::string>())
                                                  : std::string("expected a string");
    if (!problem.empty()) {
      send_error(res, 400, "invalid_email", "/email: " + problem);
      return;
    }
    const FamilyOutcome outcome = families->mail_invitation(
        *session, code.get<std::string>(), email.get<std::string>(), client_address(req));
    if (outcome == FamilyOutcome::kCreated) {
      send_json(res, 202, json{{"status", "queued"}});
      return;
    }
    send_family_outcome(res, outcome, json());
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
    const std::string address = client_address(req);
    Professional professional;
    const Lookup lookup = accounts->professional(username, &professional);
    if (lookup == Lookup::kUnavailable) {
      send_error(res, 503, "unavailable", "the database is not available");
      return;
    }
    const bool found = lookup == Lookup::kFound;
    // What was typed as a username may be a password or a name: only known usernames are kept.
    AuditEvent event{found ? username : "unknown user", "", "", "login_failed", "", address, ""};
    if (found) {
      event.role = professional.role;
      event.organisation = professional.organisation_slug;
    }
    // Throttling, not locking: failures count per (account, address), per address and per account
    // from all addresses; a browser that logged in to this account before (its device cookie)
    // counts on its own instead of with the account, so guesses from many addresses cannot keep
    // the professional out. Each attempt is counted before its password is checked and taken back
    // when it was right: parallel guesses cannot slip between count and check, and no request
    // waits for another (no lock). An unknown username is answered exactly like a known one.
    const std::string device = known_login_device(req, username);
    ReservedAttempt attempt;
    int wait = 0;
    if (!attempt.reserve(login_attempts, username + "\n" + address, &wait) ||
        !attempt.reserve(address_login_attempts, address, &wait) ||
        !(device.empty() ? attempt.reserve(account_login_attempts, username, &wait)
                         : attempt.reserve(device_login_attempts, device, &wait))) {
      // One audit row per address and window, however many throttled requests it sends.
      if (throttled_login_audits.reserve(address) == 0) {
        event.action = "login_throttled";
        shares->audit(event);
      }
      res.set_header("Retry-After", std::to_string(wait));
      send_error(res, 429, "too_many_attempts",
                 "too many failed logins: try again in " + std::to_string((wait + 59) / 60) +
                     " minute(s)");
      return;
    }
    const bool good =
        verify_password(found ? professional.password_hash : dummy_password_hash(), password) &&
        found && !professional.disabled;
    if (!good) {
      event.detail = !found                  ? "unknown user"
                     : professional.disabled ? "account disabled"
                                             : "wrong password";
      // The failure counter (for the administrator) and its audit row commit together.
      accounts->record_failed_login(found ? professional.id : 0, event);
      send_error(res, 401, "login_failed", failure);
      return;
    }
    event.action = "login";
    const bool recorded = accounts->record_login(professional.id, event);
    attempt.succeeded();
    if (!recorded) {
      send_error(res, 503, "unavailable", "the login could not be recorded; please try again");
      return;
    }
    Session session{professional.id,
                    professional.username,
                    professional.role,
                    professional.organisation_id,
                    professional.organisation_slug,
                    unix_now_millis()};
    std::string token = sessions.create(session);
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                     "; Path=/; HttpOnly; Secure; SameSite=Strict");
    // This browser is known for this account from now on (docs/share-api.md, login).
    res.set_header("Set-Cookie", std::string(kDeviceCookie) + "=" +
                                     new_login_device(professional.username) +
                                     "; Path=/api/v1/login; HttpOnly; Secure; SameSite=Strict; "
                                     "Max-Age=15552000");
    send_json(res, 200, me_json(directory.get(), accounts.get(), session));
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
    send_json(res, 200, me_json(directory.get(), accounts.get(), *session));
  });

  http.Get("/api/v1/inbox", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    InboxQuery query;
    if (!read_inbox_query(req, res, &query)) return;
    query.alarm_per_hour = config.inbox_alarm_per_hour;
    read_workers.run([&] {
      std::string page;
      if (shares->list(*session, query, client_address(req), &page) !=
          ShareStore::InboxOutcome::kOk) {
        send_error(res, 503, "unavailable", "the inbox could not be read; please try again");
        return;
      }
      res.status = 200;
      res.set_content(page, "application/json");
    });
  });

  const std::string id = "([0-9a-zA-Z-]{1,64})";
  http.Get("/api/v1/inbox/shares/" + id,
           [this](const httplib::Request& req, httplib::Response& res) {
             auto session = require_session(req, res);
             if (!session) return;
             std::string body;
             if (!inbox_outcome_ok(
                     res, shares->read(*session, req.matches[1], client_address(req), &body))) {
               return;
             }
             res.status = 200;
             res.set_content(body, "application/json");
           });

  http.Post("/api/v1/inbox/shares/" + id + "/seen", [this](const httplib::Request& req,
                                                           httplib::Response& res) {
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
    if (has_hidden_characters(note, true)) {
      send_error(res, 400, "invalid_value", "/note: no control or text-direction characters");
      return;
    }
    if (!inbox_outcome_ok(res,
                          shares->mark_seen(*session, req.matches[1], note, client_address(req)))) {
      return;
    }
    send_json(res, 200,
              json{{"share_id", std::string(req.matches[1])},
                   {"status", "seen"},
                   {"seen_by_role", session->role}});
  });
}

}  // namespace kindband::server
