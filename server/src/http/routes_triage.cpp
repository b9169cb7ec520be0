// Routes of the triage at intake (docs/care-network.md, issue 15), for both audiences: the public
// conversation file, the professionals' records (inbox) and the parents' decision (widget).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "server_impl.h"
#include "triages.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr const char* kDefaultConversation = "triage_parent_child";
constexpr size_t kMaxReferenceChars = 40;
constexpr size_t kMaxMeldcodeReasonChars = 500;
constexpr size_t kMaxMeldcodeOrganisations = 10;

// Checks a record body (without the keys the route takes itself) against its conversation and
// fills `record`; answers 400 with where and what otherwise.
bool read_record(const std::vector<conversation::Conversation>& conversations, json body,
                 httplib::Response& res, TriageRecord* record) {
  std::string id = kDefaultConversation;
  // The parent the conversation was held with: it is theirs (docs/care-network.md, issue 21).
  record->parent_role = "mother";
  if (body.contains("parent")) {
    if (body["parent"] != "mother" && body["parent"] != "partner") {
      send_error(res, 400, "invalid_value",
                 "/parent: the parent the conversation was held with: mother or partner");
      return false;
    }
    record->parent_role = body["parent"].get<std::string>();
    body.erase("parent");
  }
  if (body.contains("conversation")) {
    if (!body["conversation"].is_string()) {
      send_error(res, 400, "invalid_value", "/conversation: the id of a conversation");
      return false;
    }
    id = body["conversation"].get<std::string>();
    body.erase("conversation");
  }
  const conversation::Conversation* found = conversation::find_conversation(conversations, id);
  if (!found) {
    send_error(res, 400, "invalid_value",
               "/conversation: no conversation '" + id.substr(0, 64) + "' here");
    return false;
  }
  std::string problem = conversation::check_record(*found, body.dump(), &record->canonical_json);
  if (!problem.empty()) {
    send_error(res, 400, "invalid_value", problem);
    return false;
  }
  record->conversation = found->id;
  record->conversation_version = found->version;
  return true;
}

// The organisation's own file number for a record without a family: 1-40 printable characters.
std::string check_reference(const json& value) {
  if (!value.is_string())
    return "/reference: your organisation's own file number (1-40 characters)";
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty() || text.size() > kMaxReferenceChars ||
      std::any_of(text.begin(), text.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    return "/reference: your organisation's own file number (1-40 characters, no control "
           "characters); never a name";
  }
  return "";
}

std::string trimmed_text(const json& value) {
  const std::string& text = value.get_ref<const std::string&>();
  const size_t start = text.find_first_not_of(" \t\r\n");
  const size_t end = text.find_last_not_of(" \t\r\n");
  return start == std::string::npos ? "" : text.substr(start, end - start + 1);
}

// Why the part held alone is shared under the Meldcode: required, 1-500 characters, newlines but
// no other control characters.
std::string check_meldcode_reason(const json& value) {
  const std::string what =
      "/reason: why you share the part held alone under the Meldcode (1-500 characters)";
  if (!value.is_string() || trimmed_text(value).empty()) return what;
  const std::string& text = value.get_ref<const std::string&>();
  size_t characters = 0;
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return what + ", no control characters";
    characters += (c & 0xC0) != 0x80;
  }
  return characters > kMaxMeldcodeReasonChars ? what : "";
}

}  // namespace

void KindbandServer::Impl::install_triage_routes() {
  // Public: the conversation is content, not health data; the inbox and the widget build on it.
  http.Get(R"(/api/v1/conversations/([a-z0-9_]{1,64}))", [this](const httplib::Request& req,
                                                                httplib::Response& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    const conversation::Conversation* found =
        conversation::find_conversation(conversations, req.matches[1].str());
    if (!found) {
      send_error(res, 404, "not_found", "no conversation '" + req.matches[1].str() + "' here");
      return;
    }
    res.set_header("Cache-Control", "public, max-age=300");
    res.status = 200;
    res.set_content(found->json, "application/json");
  });

  const std::string family = "/api/v1/inbox/families/([0-9a-f-]{36})/triages";
  http.Post(family, [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    TriageRecord record;
    if (!read_record(conversations, body, res, &record)) return;
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, professional_scope(*session), req.matches[1], &idempotency)) {
      return;
    }
    json triage;
    FamilyOutcome outcome = triages->record(*session, req.matches[1], "", record,
                                            client_address(req), idempotency, &triage);
    send_family_outcome(res, outcome, triage, 201);
  });

  http.Patch(family + R"(/(\d{1,12}))", [this](const httplib::Request& req,
                                               httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    TriageRecord record;
    if (!read_record(conversations, body, res, &record)) return;
    json triage;
    std::string problem;
    FamilyOutcome outcome = triages->change(*session, req.matches[1], std::stoll(req.matches[2]),
                                            record, client_address(req), &triage, &problem);
    if (outcome == FamilyOutcome::kConflict) {
      send_error(res, 409, "not_editable", problem);
      return;
    }
    if (outcome == FamilyOutcome::kNotFound && !problem.empty()) {
      send_error(res, 404, "not_found", problem);
      return;
    }
    send_family_outcome(res, outcome, triage);
  });

  // The Meldcode (issue 25): the recording professional shares the part held alone with named
  // organisations of the network, without the parent's decision, with the reason.
  http.Post(family + R"(/(\d{1,12})/meldcode)", [this](const httplib::Request& req,
                                                       httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"reason", "organisations"}, res)) {
      return;
    }
    std::string problem = check_meldcode_reason(body.value("reason", json()));
    std::vector<std::string> organisations;
    const json list = body.value("organisations", json());
    if (problem.empty() &&
        (!list.is_array() || list.empty() || list.size() > kMaxMeldcodeOrganisations)) {
      problem =
          "/organisations: the organisations of this family's network to share the part "
          "held alone with (1-10 ids)";
    }
    for (size_t i = 0; problem.empty() && i < list.size(); ++i) {
      if (!list[i].is_string() || list[i].get_ref<const std::string&>().empty() ||
          list[i].get_ref<const std::string&>().size() > 64) {
        problem = "/organisations/" + std::to_string(i) + ": an organisation id";
      } else {
        organisations.push_back(list[i].get<std::string>());
      }
    }
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    json triage;
    FamilyOutcome outcome = triages->share_under_meldcode(
        *session, req.matches[1], std::stoll(req.matches[2]), trimmed_text(body["reason"]),
        organisations, client_address(req), &triage, &problem);
    if (outcome == FamilyOutcome::kConflict) {
      send_error(res, 409, "nothing_alone", problem);
      return;
    }
    if (outcome == FamilyOutcome::kInvalid) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    if (outcome == FamilyOutcome::kNotFound && !problem.empty()) {
      send_error(res, 404, "not_found", problem);
      return;
    }
    send_family_outcome(res, outcome, triage);
  });

  // Without a family in Kindband the record stays in the organisation, under its own reference.
  http.Post("/api/v1/inbox/triages", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    json body;
    if (!session || !same_site_json(req, res) || !parse_json_object(req, res, &body)) return;
    std::string problem = check_reference(body.value("reference", json()));
    if (!problem.empty()) {
      send_error(res, 400, "invalid_value", problem);
      return;
    }
    const std::string reference = body["reference"].get<std::string>();
    body.erase("reference");
    TriageRecord record;
    if (!read_record(conversations, body, res, &record)) return;
    IdempotencyKey idempotency;
    if (!idempotency_key(req, res, professional_scope(*session), "", &idempotency)) return;
    json triage;
    FamilyOutcome outcome =
        triages->record(*session, "", reference, record, client_address(req), idempotency, &triage);
    send_family_outcome(res, outcome, triage, 201);
  });

  http.Get("/api/v1/inbox/triages", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(req, res);
    if (!session) return;
    const std::string reference = req.get_param_value("reference");
    if (!reference.empty() && !check_reference(json(reference)).empty()) {
      send_error(res, 400, "invalid_value", check_reference(json(reference)));
      return;
    }
    json list;
    FamilyOutcome outcome =
        triages->list_organisation_only(*session, reference, client_address(req), &list);
    send_family_outcome(res, outcome, list);
  });

  http.Post(R"(/api/v1/family/triages/(\d{1,12})/decision)", [this](const httplib::Request& req,
                                                                    httplib::Response& res) {
    auto parent = require_parent(req, res);
    json body;
    if (!parent || !parse_json_object(req, res, &body) ||
        !only_keys(body, {"decision", "consent_version", "part"}, res)) {
      return;
    }
    // "part": "alone" decides on the part held alone only (issue 25).
    const json part = body.value("part", json("all"));
    if (part != "all" && part != "alone") {
      send_error(res, 400, "invalid_value",
                 "/part: all (the conversation) or alone (the part held with you "
                 "alone)");
      return;
    }
    const json decision = body.value("decision", json());
    if (decision != "share" && decision != "keep") {
      send_error(res, 400, "invalid_value",
                 "/decision: share (our network sees it) or keep (only the "
                 "organisation that recorded it)");
      return;
    }
    std::string consent;
    if (decision == "share" && !read_consent_version(config, body, res, &consent)) return;
    json triage;
    FamilyOutcome outcome =
        triages->decide(*parent, std::stoll(req.matches[1]), decision == "share", part == "alone",
                        consent, client_address(req), &triage);
    if (outcome == FamilyOutcome::kNotFound) {
      send_error(res, 404, "not_found", "no such triage for this family");
      return;
    }
    if (outcome == FamilyOutcome::kConflict) {
      send_error(res, 409, "nothing_alone", "this conversation has no part held with you alone");
      return;
    }
    if (outcome != FamilyOutcome::kOk) return send_family_error(res, outcome);
    send_json(res, 200, triage);
  });
}

}  // namespace kindband::server
