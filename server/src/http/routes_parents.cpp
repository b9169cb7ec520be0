// Routes for parents (the widget): shares with their receipts, and the family with its network
// (docs/share-api.md, docs/care-network.md).
#include <nlohmann/json.hpp>

#include "server_impl.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

bool KindbandServer::Impl::origin_allowed_for_family(const std::string& family_id,
                                                     const std::string& origin) {
  return directory->origin_allowed_for_family(family_id, origin);
}

bool KindbandServer::Impl::parent_origin(const httplib::Request& req, httplib::Response& res) {
  // Like the share API: a browser names its site, and that site must be one of ours. (Requests
  // without Origin are not from a browser page; the key or code is what they must prove.)
  std::string origin = request_origin(req);
  if (origin == "invalid" || (!origin.empty() && !origin_allowed_anywhere(origin))) {
    send_error(res, 403, "origin_not_allowed", "this website origin is not allowed here");
    return false;
  }
  if (!origin.empty()) allow_origin(res, origin);
  return true;
}

std::optional<ParentDevice> KindbandServer::Impl::require_parent(const httplib::Request& req,
                                                                 httplib::Response& res) {
  if (!parent_origin(req, res)) return std::nullopt;
  std::optional<ParentDevice> parent = families->authenticate(bearer_token(req));
  // A family whose notice period passed is erased before anyone reads it again.
  if (parent && erasures->erase_if_due(parent->family_id)) parent.reset();
  if (!parent) {
    send_error(res, 401, "invalid_family_key", kInvalidFamilyKeyMessage);
    return parent;
  }
  devices->touch(*parent);
  // Bounded parent input (issue 22): what adds or changes something is limited per family and per
  // address. Messages have their own limits; removing things (DELETE) is never limited.
  const bool adds = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  if (adds && req.path != "/api/v1/family/messages") {
    int wait = parent_writes_per_address.take(client_address(req));
    if (wait == 0) wait = parent_writes_per_family.take(parent->family_id);
    if (wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      send_error(res, 429, "too_many_requests",
                 "too many changes in a short time: try again in " + std::to_string(wait) +
                     " second(s); nothing was changed");
      return std::nullopt;
    }
  }
  return parent;
}

void KindbandServer::Impl::create_share(const httplib::Request& req, httplib::Response& res) {
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
  // A flood from one address is refused before any work is done (the limit is per source: a
  // flood from elsewhere never refuses this parent). An organisation's own budget comes after it
  // and never refuses: past it, shares are stored quarantined, ranked below (issue 22).
  const std::string address = client_address(req);
  const int wait = shares_per_address.take(address);
  if (wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
    send_error(res, 429, "too_many_shares",
               "too many shares from here: try again in " + std::to_string(wait) +
                   " second(s); nothing was stored");
    return;
  }
  ShareRouting routing;
  if (envelope.family_id.empty()) {
    Organisation organisation;
    const Lookup found = directory->organisation(envelope.organisation, &organisation);
    if (found == Lookup::kUnavailable) {
      send_error(res, 503, "unavailable", "the database is not available");
      return;
    }
    if (found == Lookup::kNotFound) {
      send_error(res, 422, "unknown_organisation",
                 "/organisation: no organisation '" + envelope.organisation + "' here");
      return;
    }
    if (std::find(organisation.origins.begin(), organisation.origins.end(), origin) ==
        organisation.origins.end()) {
      log_refused_origin(origin, organisation.slug, "origin_not_allowed");
      send_error(res, 403, "origin_not_allowed",
                 "website " + origin + " may not share with " + organisation.slug);
      return;
    }
    routing.organisation_id = organisation.id;
  } else {
    // A share linked to a family: the key proves a parent of exactly that family, and the site
    // belongs to the family's coalition.
    std::optional<ParentDevice> parent = families->authenticate(bearer_token(req));
    if (!parent || parent->family_id != envelope.family_id) {
      send_error(res, 401, "invalid_family_key", kInvalidFamilyKeyMessage);
      return;
    }
    if (!origin_allowed_for_family(parent->family_id, origin)) {
      send_error(res, 403, "origin_not_allowed",
                 "website " + origin + " is not a site of this family's care network");
      return;
    }
    routing.family_id = parent->family_id;
    routing.parent_role = parent->role;
    routing.recipients = envelope.recipients;
    routing.later_members = envelope.later_members;
    routing.show_to_family = envelope.show_to_family;
  }
  allow_origin(res, origin);
  ValidatedShare share;
  if (!validate_share(envelope, *library, &share, &error)) {
    send_error(res, error.status, error.code, error.message);
    return;
  }
  // Counted in the share's own write job, for every instance on the database (share_budget.h).
  routing.organisation_budget_per_minute = config.shares_per_organisation_per_minute;
  // Anonymous safety shares are limited far more tightly per source (forged ones bury real ones).
  if (envelope.family_id.empty() && share.flag_count > 0 &&
      anonymous_safety_per_address.take(address) > 0) {
    routing.quarantine_all = true;
  }
  std::string not_member;
  switch (shares->create(share, routing, client_address(req), &not_member)) {
    case ShareStore::CreateOutcome::kCreated:
      send_json(res, 201, receipt_json(share.share_id));
      return;
    case ShareStore::CreateOutcome::kDuplicate:
      send_json(res, 200, receipt_json(share.share_id));
      return;
    case ShareStore::CreateOutcome::kConflict:
    case ShareStore::CreateOutcome::kWithdrawn:
      // Alike for a different share and a withdrawn one: the id tells nothing about either.
      send_error(res, 409, "share_id_conflict",
                 "/share_id: this id cannot be used (again); make a new share id");
      return;
    case ShareStore::CreateOutcome::kNotMember:
      send_error(res, 422, "not_a_member",
                 "/recipients: '" + not_member + "' is not in this family's care network");
      return;
    case ShareStore::CreateOutcome::kFailed:
      send_error(res, 503, "not_stored",
                 "the share could not be stored; nothing was saved, please try again");
      return;
  }
}

void KindbandServer::Impl::install_share_routes() {
  const std::string id = "([0-9a-zA-Z-]{1,64})";
  http.Options("/api/v1/shares", [this](const httplib::Request& req, httplib::Response& res) {
    preflight(req, res, "POST", "Content-Type, Authorization", 0);
  });
  http.Post("/api/v1/shares", [this](const httplib::Request& req, httplib::Response& res) {
    create_share(req, res);
  });
  // Alike for every id: whether a share exists is not told before its receipt is shown.
  auto share_preflight = [this](const char* methods) {
    return [this, methods](const httplib::Request& req, httplib::Response& res) {
      preflight(req, res, methods, "Authorization", 0);
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
             body["case"] = status.case_for_parent;
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

namespace {

// The role field of a body: mother or partner.
bool read_role(const json& body, httplib::Response& res, std::string* role) {
  const json& value = body.contains("role") ? body["role"] : json();
  if (!value.is_string() || (value != "mother" && value != "partner")) {
    send_error(res, 400, "invalid_value", "/role: must be \"mother\" or \"partner\"");
    return false;
  }
  *role = value.get<std::string>();
  return true;
}

// An optional name a parent gives a device: 1-40 characters on one line, no control or bidi
// characters.
bool read_device_name(const json& body, const char* key, httplib::Response& res,
                      std::string* name) {
  if (!body.contains(key) || body[key].is_null()) return true;
  std::string problem = check_short_text(body[key], std::string("/") + key, 40, false);
  if (!problem.empty()) {
    send_error(res, 400, "invalid_value", problem);
    return false;
  }
  *name = body[key].get<std::string>();
  return true;
}

// How the parents want their family shown to their network ("Anouk en Sem, uitgerekend maart"):
// 1-80 characters on one line, no control or bidi characters; null or absent = none.
bool read_family_name(const json& body, httplib::Response& res, std::string* name) {
  if (!body.contains("name") || body["name"].is_null()) return true;
  std::string problem = check_short_text(body["name"], "/name", 80, false);
  if (!problem.empty()) {
    send_error(res, 400, "invalid_value", problem);
    return false;
  }
  *name = body["name"].get<std::string>();
  return true;
}

// The one-off shares (with their receipts) a device sent before the family existed, for an
// erasure: only those whose receipt is right are erased; the others are reported as not reached.
bool read_one_off(const httplib::Request& req, httplib::Response& res, const ShareStore& shares,
                  std::vector<std::string>* verified, std::vector<std::string>* not_reached) {
  if (req.body.empty()) return true;
  json body = json::parse(req.body, nullptr, false);
  if (!body.is_object()) {
    send_error(res, 400, "invalid_json", "the body must be a JSON object (or empty)");
    return false;
  }
  if (!only_keys(body, {"one_off"}, res)) return false;
  if (!body.contains("one_off")) return true;
  const json& list = body["one_off"];
  if (!list.is_array() || list.size() > 200) {
    send_error(res, 400, "invalid_value", "/one_off: at most 200 {share_id, receipt}");
    return false;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    const std::string where = "/one_off/" + std::to_string(i);
    if (!entry.is_object() || !entry.value("share_id", json()).is_string() ||
        !entry.value("receipt", json()).is_string() ||
        !is_canonical_uuid(entry["share_id"].get<std::string>())) {
      send_error(res, 400, "invalid_value", where + ": {\"share_id\": uuid, \"receipt\": text}");
      return false;
    }
    const std::string id = entry["share_id"].get<std::string>();
    (shares.receipt_matches(id, entry["receipt"].get<std::string>()) ? verified : not_reached)
        ->push_back(id);
  }
  return true;
}

bool read_code(const json& body, const char* key, httplib::Response& res, std::string* code) {
  const json& value = body.contains(key) ? body[key] : json();
  if (!value.is_string() || value.get_ref<const std::string&>().size() > 64) {
    send_error(res, 400, "invalid_value",
               std::string("/") + key + ": the code as text, e.g. \"ABCD-EFGH\"");
    return false;
  }
  *code = value.get<std::string>();
  return true;
}

}  // namespace

// How a family call's outcome is answered (docs/care-network.md).
void send_family_error(httplib::Response& res, FamilyOutcome outcome) {
  switch (outcome) {
    case FamilyOutcome::kInvalidKey:
      send_error(res, 401, "invalid_family_key", kInvalidFamilyKeyMessage);
      return;
    case FamilyOutcome::kFamilyExists:
      send_error(res, 409, "family_exists", "/family_id: this family id is taken; make a new one");
      return;
    case FamilyOutcome::kKeyInUse:
      send_error(res, 409, "key_in_use",
                 "this device's family key already belongs to a family; make a new key");
      return;
    case FamilyOutcome::kInvalidCode:
      send_error(res, 400, "invalid_code",
                 "the code is not right, was used already or has expired");
      return;
    case FamilyOutcome::kUnknownOrganisation:
      send_error(res, 422, "unknown_organisation", "/organisation: no such organisation here");
      return;
    case FamilyOutcome::kNoCoalition:
      send_error(res, 422, "no_coalition",
                 "/organisation: this organisation is not part of a care network here");
      return;
    case FamilyOutcome::kOtherCoalition:
      send_error(res, 422, "other_coalition",
                 "/organisation: this organisation is in another coalition than the family's "
                 "network");
      return;
    case FamilyOutcome::kNotFound:
      send_error(res, 404, "not_found", "no such organisation in this family's network");
      return;
    case FamilyOutcome::kNotMember:
      send_error(res, 422, "not_a_member", "/organisation: not in your care network");
      return;
    case FamilyOutcome::kFamilyFull:
      send_error(res, 409, "family_full",
                 "this family has 4 devices already: on a parent's phone, remove a device you "
                 "no longer use (Ons zorgnetwerk, Apparaten) and try this code again");
      return;
    case FamilyOutcome::kRoleTaken:
      send_error(res, 409, "role_taken",
                 "the other parent has joined already; a code for their place can only be made "
                 "on their own phone");
      return;
    case FamilyOutcome::kNotYours:
      send_error(res, 403, "not_your_device",
                 "this device belongs to the other parent; only they can change it");
      return;
    case FamilyOutcome::kKeyReused:
      send_error(res, 422, "idempotency_key_reused", kKeyReusedMessage);
      return;
    default:
      send_error(res, 503, "unavailable", "this could not be stored or read; please try again");
      return;
  }
}

bool only_keys(const json& body, std::initializer_list<const char*> keys, httplib::Response& res) {
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* allowed : keys) known = known || key == allowed;
    if (!known) {
      send_error(res, 400, "unknown_field", "/" + key.substr(0, 40) + ": not a field here");
      return false;
    }
  }
  return true;
}

bool read_consent_version(const ServerConfig& config, const json& body, httplib::Response& res,
                          std::string* consent) {
  const json& value = body.value("consent_version", json());
  if (!value.is_string() || !is_known_consent_version(config, value.get<std::string>())) {
    send_error(res, 400, "invalid_value",
               "/consent_version: the version of a consent text this server shows (e.g. " +
                   std::string(kKnownConsentVersions[0]) + ")");
    return false;
  }
  *consent = value.get<std::string>();
  return true;
}

bool KindbandServer::Impl::reserve_code_attempt(const httplib::Request& req, httplib::Response& res,
                                                ReservedAttempt* attempt) {
  int wait = 0;
  const char* where = "from here";
  if (attempt->reserve(code_attempts, client_address(req), &wait)) {
    where = "on this server just now";
    if (attempt->reserve(server_code_attempts, "", &wait)) return true;
  }
  res.set_header("Retry-After", std::to_string(wait));
  send_error(res, 429, "too_many_attempts",
             std::string("too many wrong codes ") + where + ": try again in " +
                 std::to_string((wait + 59) / 60) + " minute(s)");
  return false;
}

void KindbandServer::Impl::install_family_routes() {
  for (const char* path :
       {"/api/v1/families", "/api/v1/family", "/api/v1/family/(.+)", "/api/v1/families/join",
        "/api/v1/families/recover", "/api/v1/invitations/lookup"}) {
    http.Options(path, [this](const httplib::Request& req, httplib::Response& res) {
      preflight(req, res, "GET, POST, PUT, PATCH, DELETE",
                "Content-Type, Authorization, Idempotency-Key", 0);
    });
  }

  http.Post("/api/v1/families", [this](const httplib::Request& req, httplib::Response& res) {
    json body;
    if (!parent_origin(req, res) || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"family_id", "role", "name"}, res)) {
      return;
    }
    std::string role, name;
    if (!read_role(body, res, &role) || !read_family_name(body, res, &name)) return;
    const json& id = body.contains("family_id") ? body["family_id"] : json();
    if (!id.is_string() || !is_canonical_uuid(id.get<std::string>())) {
      send_error(res, 400, "invalid_value", "/family_id: a UUID in lower case");
      return;
    }
    // A script making families is limited per address (a retry with the same key is not counted:
    // it is answered 200 from what exists).
    if (const int wait = families->authenticate(bearer_token(req))
                             ? 0
                             : families_per_address.take(client_address(req));
        wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      send_error(res, 429, "too_many_requests",
                 "too many new families from here: try again in " + std::to_string(wait) +
                     " second(s); nothing was stored");
      return;
    }
    ParentDevice parent;
    FamilyOutcome outcome = families->create_family(id.get<std::string>(), role, bearer_token(req),
                                                    name, client_address(req), &parent);
    if (outcome != FamilyOutcome::kCreated && outcome != FamilyOutcome::kOk) {
      return send_family_error(res, outcome);
    }
    send_json(res, outcome == FamilyOutcome::kCreated ? 201 : 200,
              json{{"family_id", parent.family_id},
                   {"parent", {{"id", parent.id}, {"role", parent.role}}}});
  });

  // Either parent names the family for their network, or clears the name (null).
  http.Patch("/api/v1/family", [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    std::string name;
    if (!parent || !parse_json_object(req, res, &body) || !only_keys(body, {"name"}, res)) return;
    if (!body.contains("name")) {
      send_error(res, 400, "invalid_value", "/name: the family's name, or null");
      return;
    }
    if (!read_family_name(body, res, &name)) return;
    FamilyOutcome outcome = families->rename_family(*parent, name, client_address(req));
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200,
              json{{"family_id", parent->family_id},
                   {"name", name.empty() ? json(nullptr) : json(name)}});
  });

  http.Get("/api/v1/family", [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    if (!parent) return;
    json family;
    FamilyOutcome outcome = families->family_for_parent(*parent, &family);
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, family);
  });

  // Erasure (issue 21): the whole family (at once for one parent, or when both asked; else after a
  // notice period), or one parent's own data at once; with the device's one-off shares.
  auto erase_route = [this](bool whole_family) {
    return [this, whole_family](const httplib::Request& req, httplib::Response& res) {
      auto parent = require_parent(req, res);
      if (!parent) return;
      std::vector<std::string> one_off, not_reached;
      if (!read_one_off(req, res, *shares, &one_off, &not_reached)) return;
      ErasureReport report;
      FamilyOutcome outcome =
          whole_family ? erasures->erase_family(*parent, one_off, client_address(req), &report)
                       : erasures->erase_my_data(*parent, one_off, client_address(req), &report);
      if (outcome != FamilyOutcome::kOk && outcome != FamilyOutcome::kAccepted) {
        return send_family_error(res, outcome);
      }
      report.not_reached.insert(report.not_reached.end(), not_reached.begin(), not_reached.end());
      json answer = report.to_json(outcome == FamilyOutcome::kOk ? "erased" : "erase_requested");
      answer["family_id"] = parent->family_id;
      send_json(res, outcome == FamilyOutcome::kOk ? 200 : 202, answer);
    };
  };
  http.Delete("/api/v1/family", erase_route(true));
  http.Delete("/api/v1/family/me", erase_route(false));
  http.Delete("/api/v1/family/erase-request",
              [this](const httplib::Request& req, httplib::Response& res) {
                auto parent = require_parent(req, res);
                if (!parent) return;
                FamilyOutcome outcome = erasures->cancel_request(*parent, client_address(req));
                if (outcome == FamilyOutcome::kNotFound) {
                  send_error(res, 404, "not_found", "you did not ask to erase the family");
                  return;
                }
                if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
                send_json(res, 200, json{{"status", "cancelled"}});
              });

  http.Get("/api/v1/family/devices", [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    if (!parent) return;
    json list;
    FamilyOutcome outcome = devices->list(*parent, &list);
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, list);
  });
  const std::string device = R"(/api/v1/family/devices/([0-9a-zA-Z_-]{1,64}))";
  http.Patch(device, [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    std::string name;
    if (!parent || !parse_json_object(req, res, &body) || !only_keys(body, {"name"}, res) ||
        !read_device_name(body, "name", res, &name)) {
      return;
    }
    json entry;
    FamilyOutcome outcome =
        devices->rename(*parent, req.matches[1], name, client_address(req), &entry);
    if (outcome == FamilyOutcome::kNotFound) {
      send_error(res, 404, "not_found", "no such device in this family");
      return;
    }
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, entry);
  });
  http.Delete(device, [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    if (!parent) return;
    FamilyOutcome outcome = devices->revoke(*parent, req.matches[1], client_address(req));
    if (outcome == FamilyOutcome::kNotFound) {
      send_error(res, 404, "not_found", "no such device in this family");
      return;
    }
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, json{{"id", req.matches[1]}, {"status", "revoked"}});
  });

  // A share's audience is its own parent's to widen (issue 21).
  http.Post(R"(/api/v1/family/shares/([0-9a-f-]{36})/audience)", [this](const httplib::Request& req,
                                                                        httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"add", "later_members", "show_to_family"}, res)) {
      return;
    }
    AudienceChange change;
    std::string problem;
    if (body.contains("add")) {
      const json& add = body["add"];
      if (!add.is_array() || add.size() > 20) problem = "/add: a list of organisations";
      for (size_t i = 0; problem.empty() && i < add.size(); ++i) {
        if (!add[i].is_string() || add[i].get_ref<const std::string&>().empty() ||
            add[i].get_ref<const std::string&>().size() > 64) {
          problem = "/add/" + std::to_string(i) + ": an organisation id";
        } else {
          change.add.push_back(add[i].get<std::string>());
        }
      }
    }
    for (const char* name : {"later_members", "show_to_family"}) {
      if (!problem.empty() || !body.contains(name)) continue;
      if (!body[name].is_boolean()) {
        problem = std::string("/") + name + ": true or false";
      } else {
        (std::string(name) == "later_members" ? change.later_members : change.show_to_family) =
            body[name].get<bool>();
      }
    }
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    json share;
    FamilyOutcome outcome = audience->change_share(*parent, req.matches[1], change,
                                                   client_address(req), &share, &problem);
    if (outcome == FamilyOutcome::kNotFound) {
      send_error(res, 404, "not_found", problem);
      return;
    }
    if (outcome == FamilyOutcome::kNotMember) {
      send_error(res, 422, "not_a_member", problem);
      return;
    }
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, share);
  });
  // One-off shares this device sent before the family existed, linked to the family with the
  // parent's consent (issue 24): each proven hers by its receipt; the audience stays as it was.
  http.Post("/api/v1/family/shares/link", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) || !only_keys(body, {"shares"}, res)) {
      return;
    }
    const json& list = body.contains("shares") ? body["shares"] : json();
    if (!list.is_array() || list.empty() || list.size() > 200) {
      send_error(res, 400, "invalid_value", "/shares: 1 to 200 {\"share_id\", \"receipt\"}");
      return;
    }
    std::vector<std::string> share_ids;
    for (size_t i = 0; i < list.size(); ++i) {
      const json& entry = list[i];
      const std::string where = "/shares/" + std::to_string(i);
      if (!entry.is_object() || entry.size() != 2 || !entry.value("share_id", json()).is_string() ||
          !entry.value("receipt", json()).is_string() ||
          !is_canonical_uuid(entry["share_id"].get<std::string>())) {
        send_error(res, 400, "invalid_value", where + ": {\"share_id\": uuid, \"receipt\": text}");
        return;
      }
      const std::string id = entry["share_id"].get<std::string>();
      // The receipt is the proof that the share is hers; a wrong one links nothing at all.
      if (!shares->receipt_matches(id, entry["receipt"].get<std::string>())) {
        send_error(res, 404, "not_found",
                   where + ": no share of yours with this id and receipt; nothing was linked");
        return;
      }
      if (std::find(share_ids.begin(), share_ids.end(), id) == share_ids.end()) {
        share_ids.push_back(id);
      }
    }
    json answer;
    std::string code, problem;
    FamilyOutcome outcome =
        audience->link_one_off(*parent, share_ids, client_address(req), &answer, &code, &problem);
    if (outcome == FamilyOutcome::kNotFound) {
      send_error(res, 404, "not_found", problem + "; nothing was linked");
      return;
    }
    if (outcome == FamilyOutcome::kConflict) {
      send_error(res, 409, code, problem + "; nothing was linked");
      return;
    }
    if (outcome == FamilyOutcome::kNotMember) {
      send_error(res, 422, "not_a_member", problem + "; nothing was linked");
      return;
    }
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    answer["family_id"] = parent->family_id;
    send_json(res, 200, answer);
  });
  http.Post("/api/v1/family/audience", [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) || !only_keys(body, {"add"}, res)) return;
    const json& add = body.contains("add") ? body["add"] : json();
    if (!add.is_string() || add.get_ref<const std::string&>().empty() ||
        add.get_ref<const std::string&>().size() > 64) {
      send_error(res, 400, "invalid_value", "/add: an organisation id (1-64 characters)");
      return;
    }
    json answer;
    FamilyOutcome outcome =
        audience->add_to_all(*parent, add.get<std::string>(), client_address(req), &answer);
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, answer);
  });

  http.Post(
      "/api/v1/family/pairing-code", [this](const httplib::Request& req, httplib::Response& res) {
        auto parent = require_parent(req, res);
        json body;
        if (!parent || !parse_json_object(req, res, &body) || !only_keys(body, {"role"}, res)) {
          return;
        }
        // Who joins with the code is decided here, by the parent who makes it.
        std::string role;
        if (body.contains("role") && !read_role(body, res, &role)) return;
        std::string code, made_for, expires_at;
        FamilyOutcome outcome = families->create_pairing_code(*parent, role, client_address(req),
                                                              &code, &made_for, &expires_at);
        if (outcome != FamilyOutcome::kCreated) return send_family_error(res, outcome);
        send_json(res, 201, json{{"code", code}, {"role", made_for}, {"expires_at", expires_at}});
      });

  http.Post(
      "/api/v1/family/recovery-code", [this](const httplib::Request& req, httplib::Response& res) {
        auto parent = require_parent(req, res);
        json body;
        if (!parent || !parse_json_object(req, res, &body) || !only_keys(body, {}, res)) {
          return;
        }
        std::string code;
        FamilyOutcome outcome = families->create_recovery_code(*parent, client_address(req), &code);
        if (outcome != FamilyOutcome::kCreated) return send_family_error(res, outcome);
        send_json(res, 201, json{{"recovery_code", code}});
      });

  // Join, recover, invitations: a person types a short code. Each attempt is counted (per address
  // and server-wide) before the code is checked, and taken back when the code was right.
  http.Post("/api/v1/families/join", [this](const httplib::Request& req, httplib::Response& res) {
    json body;
    if (!parent_origin(req, res) || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"pairing_code", "role", "device_name"}, res)) {
      return;
    }
    // A role in the body is ignored: the code names it (set by the parent who made it).
    std::string code, device_name;
    ReservedAttempt attempt;
    if (!read_code(body, "pairing_code", res, &code) ||
        !read_device_name(body, "device_name", res, &device_name) ||
        !reserve_code_attempt(req, res, &attempt)) {
      return;
    }
    ParentDevice parent;
    FamilyOutcome outcome =
        families->join(code, bearer_token(req), device_name, client_address(req),
                       config.pairing_code_failures, &parent);
    if (outcome != FamilyOutcome::kInvalidCode) attempt.succeeded();
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200,
              json{{"family_id", parent.family_id},
                   {"parent", {{"id", parent.id}, {"role", parent.role}}}});
  });

  http.Post("/api/v1/families/recover",
            [this](const httplib::Request& req, httplib::Response& res) {
              json body;
              if (!parent_origin(req, res) || !parse_json_object(req, res, &body) ||
                  !only_keys(body, {"recovery_code"}, res)) {
                return;
              }
              std::string code;
              ReservedAttempt attempt;
              if (!read_code(body, "recovery_code", res, &code) ||
                  !reserve_code_attempt(req, res, &attempt)) {
                return;
              }
              ParentDevice parent;
              FamilyOutcome outcome =
                  families->recover(code, bearer_token(req), client_address(req), &parent);
              if (outcome != FamilyOutcome::kInvalidCode) attempt.succeeded();
              if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
              send_json(res, 200,
                        json{{"family_id", parent.family_id},
                             {"parent", {{"id", parent.id}, {"role", parent.role}}}});
            });

  http.Post(
      "/api/v1/invitations/lookup", [this](const httplib::Request& req, httplib::Response& res) {
        json body;
        if (!parent_origin(req, res) || !parse_json_object(req, res, &body) ||
            !only_keys(body, {"code"}, res)) {
          return;
        }
        std::string code;
        ReservedAttempt attempt;
        if (!read_code(body, "code", res, &code) || !reserve_code_attempt(req, res, &attempt)) {
          return;
        }
        json invitation;
        FamilyOutcome outcome = families->lookup_invitation(code, &invitation);
        if (outcome != FamilyOutcome::kInvalidCode) attempt.succeeded();
        if (outcome == FamilyOutcome::kInvalidCode) {
          send_error(res, 404, "invalid_code",
                     "this invitation code is not right, was used already or has expired");
          return;
        }
        if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
        send_json(res, 200, invitation);
      });

  http.Post("/api/v1/family/memberships", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"organisation", "consent_version", "invitation_code"}, res)) {
      return;
    }
    const json& organisation = body.contains("organisation") ? body["organisation"] : json();
    if (!organisation.is_string() || organisation.get_ref<const std::string&>().empty() ||
        organisation.get_ref<const std::string&>().size() > 64) {
      send_error(res, 400, "invalid_value", "/organisation: an organisation id (1-64 characters)");
      return;
    }
    std::string consent;
    if (!read_consent_version(config, body, res, &consent)) return;
    std::string code;
    ReservedAttempt attempt;
    if (body.contains("invitation_code") && (!read_code(body, "invitation_code", res, &code) ||
                                             !reserve_code_attempt(req, res, &attempt))) {
      return;
    }
    if (!body.contains("invitation_code")) {
      if (int wait = uninvited_memberships_per_address.take(client_address(req)); wait > 0) {
        // Without an invitation (a family a script made can add anyone): limited per address; the
        // organisation sees such a membership as "via parent", not vouched for by a professional.
        res.set_header("Retry-After", std::to_string(wait));
        send_error(res, 429, "too_many_memberships",
                   "too many organisations added from here: try again in " + std::to_string(wait) +
                       " second(s)");
        return;
      }
    }
    json entry;
    FamilyOutcome outcome = families->add_membership(*parent, organisation.get<std::string>(),
                                                     consent, code, client_address(req), &entry);
    if (outcome != FamilyOutcome::kInvalidCode) attempt.succeeded();
    if (outcome != FamilyOutcome::kCreated && outcome != FamilyOutcome::kOk) {
      return send_family_error(res, outcome);
    }
    send_json(res, outcome == FamilyOutcome::kCreated ? 201 : 200, entry);
  });

  http.Delete(R"(/api/v1/family/memberships/([0-9a-z-]{1,64}))",
              [this](const httplib::Request& req, httplib::Response& res) {
                auto parent = require_parent(req, res);
                if (!parent) return;
                json entry;
                FamilyOutcome outcome = families->remove_membership(*parent, req.matches[1],
                                                                    client_address(req), &entry);
                if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
                send_json(res, 200, entry);
              });

  http.Post(R"(/api/v1/family/agreements/(\d{1,12})/response)",
            [this](const httplib::Request& req, httplib::Response& res) {
              auto parent = require_parent(req, res);
              json body;
              if (!parent || !parse_json_object(req, res, &body) ||
                  !only_keys(body, {"suits", "comment"}, res)) {
                return;
              }
              if (!body.contains("suits") || !body["suits"].is_boolean()) {
                send_error(res, 400, "invalid_value", "/suits: true or false");
                return;
              }
              std::string comment;
              if (body.contains("comment")) {
                std::string problem = check_short_text(body["comment"], "/comment", 500);
                if (!problem.empty()) {
                  send_error(res, 400, "invalid_value", problem);
                  return;
                }
                comment = body["comment"].get<std::string>();
              }
              json agreement;
              FamilyOutcome outcome = collaboration->respond_to_agreement(
                  *parent, std::stoll(req.matches[1]), body["suits"].get<bool>(), comment,
                  client_address(req), &agreement);
              if (outcome == FamilyOutcome::kNotFound) {
                send_error(res, 404, "not_found", "no such agreement for this family");
                return;
              }
              if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
              send_json(res, 200, agreement);
            });

  http.Get(R"(/api/v1/family/referrals/(\d{1,12}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             auto parent = require_parent(req, res);
             if (!parent) return;
             json proposal;
             FamilyOutcome outcome =
                 audience->referral_preview(*parent, std::stoll(req.matches[1]), &proposal);
             if (outcome == FamilyOutcome::kNotFound) {
               send_error(res, 404, "not_found", "no such proposal for this family");
               return;
             }
             if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
             send_json(res, 200, proposal);
           });

  http.Post(R"(/api/v1/family/referrals/(\d{1,12}))",
            [this](const httplib::Request& req, httplib::Response& res) {
              auto parent = require_parent(req, res);
              json body;
              if (!parent || !parse_json_object(req, res, &body) ||
                  !only_keys(body, {"decision", "consent_version", "add_shares"}, res)) {
                return;
              }
              std::vector<std::string> add_shares;
              if (body.contains("add_shares")) {
                const json& list = body["add_shares"];
                bool ok = list.is_array() && list.size() <= 200;
                for (const json& id : ok ? list : json::array()) {
                  ok = ok && id.is_string() && is_canonical_uuid(id.get<std::string>());
                  if (ok) add_shares.push_back(id.get<std::string>());
                }
                if (!ok) {
                  send_error(res, 400, "invalid_value", "/add_shares: a list of your share ids");
                  return;
                }
              }
              const json decision = body.value("decision", json());
              if (decision != "accept" && decision != "decline") {
                send_error(res, 400, "invalid_value", "/decision: accept or decline");
                return;
              }
              std::string consent;
              if (decision == "accept" && !read_consent_version(config, body, res, &consent))
                return;
              json proposal;
              std::string problem;
              FamilyOutcome outcome = collaboration->decide_proposal(
                  *parent, std::stoll(req.matches[1]), decision == "accept", consent, add_shares,
                  client_address(req), &proposal, &problem);
              if (outcome == FamilyOutcome::kNotFound) {
                send_error(res, 404, "not_found", problem);
                return;
              }
              if (outcome == FamilyOutcome::kConflict) {
                send_error(res, 409, "already_decided", problem);
                return;
              }
              if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
              send_json(res, 200, proposal);
            });

  http.Post("/api/v1/family/messages", [this](const httplib::Request& req, httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"text", "organisation", "show_to_family"}, res)) {
      return;
    }
    std::string problem = check_short_text(body.value("text", json()), "/text", 1000);
    std::string organisation;
    if (problem.empty() && body.contains("organisation") && !body["organisation"].is_null()) {
      const json& value = body["organisation"];
      if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
          value.get_ref<const std::string&>().size() > 64) {
        problem = "/organisation: the one organisation this message is for, or null";
      } else {
        organisation = value.get<std::string>();
      }
    }
    const json show = body.value("show_to_family", json(false));
    if (problem.empty() && !show.is_boolean()) problem = "/show_to_family: true or false";
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    // Bounded per family and per address: a script cannot bury the network in messages.
    int wait = messages_per_address.take(client_address(req));
    if (wait == 0) wait = messages_per_family.take(parent->family_id);
    if (wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      send_error(
          res, 429, "too_many_messages",
          "too many messages in a short time: try again in " + std::to_string(wait) + " second(s)");
      return;
    }
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, parent_scope(*parent), parent->family_id, &idempotency)) return;
    json message;
    FamilyOutcome outcome =
        collaboration->parent_message(*parent, body["text"].get<std::string>(), organisation,
                                      show.get<bool>(), client_address(req), idempotency, &message);
    if (outcome == FamilyOutcome::kConflict) {
      send_error(res, 409, "message_limit",
                 "your family has stored as many messages as it may (500, or 256 KB); the oldest "
                 "stay readable, call or visit for more");
      return;
    }
    if (outcome != FamilyOutcome::kCreated) return send_family_error(res, outcome);
    send_json(res, 201, message);
  });

  http.Get(
      "/api/v1/family/access-log", [this](const httplib::Request& req, httplib::Response& res) {
        auto parent = require_parent(req, res);
        if (!parent) return;
        // ?cursor= (the answer's next_cursor) pages on.
        int64_t before = 0;
        const std::string cursor = req.get_param_value("cursor");
        if (!cursor.empty()) {
          if (cursor.size() > 18 || cursor.find_first_not_of("0123456789") != std::string::npos) {
            send_error(res, 400, "invalid_value", "cursor: the next_cursor of a page");
            return;
          }
          before = std::stoll(cursor);
        }
        json log;
        FamilyOutcome outcome = families->access_log(*parent, before, &log);
        if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
        send_json(res, 200, log);
      });
}

}  // namespace kindband::server
