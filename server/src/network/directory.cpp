#include "directory.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "accounts.h"
#include "database.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr size_t kMaxDescriptionChars = 300;
constexpr size_t kMaxNameChars = 120;

constexpr const char* kSelectOrganisation =
    "SELECT id, slug, name, COALESCE(coalition_id, 0), COALESCE(type, ''), description_nl, "
    "description_en, page, "
    "COALESCE((SELECT text_nl FROM organisation_response_times WHERE organisation_id = id), ''), "
    "COALESCE((SELECT text_en FROM organisation_response_times WHERE organisation_id = id), '') "
    "FROM organisations ";
constexpr size_t kMaxResponseTimeChars = 200;

void read_organisation(const Statement& row, NetworkOrganisation* out) {
  out->id = row.integer(0);
  out->slug = row.text(1);
  out->name = row.text(2);
  out->coalition_id = row.integer(3);
  out->type = row.text(4);
  out->description_nl = row.text(5);
  out->description_en = row.text(6);
  out->page = row.text(7);
  out->response_time_nl = row.text(8);
  out->response_time_en = row.text(9);
}

size_t utf8_chars(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

bool has_control_characters(std::string_view text) { return has_hidden_characters(text, false); }

}  // namespace

std::string check_organisation_type(std::string_view type) {
  for (const char* known : kOrganisationTypes) {
    if (type == known) return "";
  }
  std::string list;
  for (const char* known : kOrganisationTypes)
    list += std::string(list.empty() ? "" : ", ") + known;
  return "type '" + std::string(type.substr(0, 40)) + "': must be one of " + list;
}

bool find_network_organisation(Tx* db, std::string_view slug, NetworkOrganisation* out) {
  Statement row(db, std::string(kSelectOrganisation) + "WHERE slug = ?");
  row.bind(1, slug);
  if (!row.step()) return false;
  read_organisation(row, out);
  return true;
}

bool find_network_organisation_by_id(Tx* db, int64_t id, NetworkOrganisation* out) {
  Statement row(db, std::string(kSelectOrganisation) + "WHERE id = ?");
  row.bind(1, id);
  if (!row.step()) return false;
  read_organisation(row, out);
  return true;
}

json coalition_json(Tx* db, int64_t coalition_id) {
  if (coalition_id == 0) return nullptr;
  Statement row(db, "SELECT slug, name FROM coalitions WHERE id = ?");
  row.bind(1, coalition_id);
  if (!row.step()) return nullptr;
  return json{{"slug", row.text(0)}, {"name", row.text(1)}};
}

json directory_entry(const NetworkOrganisation& organisation) {
  return json{
      {"slug", organisation.slug},
      {"name", organisation.name},
      {"type", organisation.type.empty() ? json(nullptr) : json(organisation.type)},
      {"description", {{"nl", organisation.description_nl}, {"en", organisation.description_en}}},
      {"response_time",
       organisation.response_time_nl.empty() && organisation.response_time_en.empty()
           ? json(nullptr)
           : json{{"nl", organisation.response_time_nl}, {"en", organisation.response_time_en}}}};
}

bool directory_json(Tx* db, std::string_view slug, json* out) {
  int64_t coalition_id = 0;
  {
    Statement coalition(db, "SELECT id FROM coalitions WHERE slug = ?");
    coalition.bind(1, slug);
    if (coalition.step()) coalition_id = coalition.integer(0);
  }
  if (coalition_id != 0) {
    json organisations = json::array();
    Statement rows(
        db, std::string(kSelectOrganisation) + "WHERE coalition_id = ? ORDER BY type, name, slug");
    rows.bind(1, coalition_id);
    while (rows.step()) {
      NetworkOrganisation organisation;
      read_organisation(rows, &organisation);
      organisations.push_back(directory_entry(organisation));
    }
    *out = json{{"kind", "coalition"},
                {"coalition", coalition_json(db, coalition_id)},
                {"organisations", std::move(organisations)}};
    return true;
  }
  NetworkOrganisation organisation;
  if (!find_network_organisation(db, slug, &organisation)) return false;
  *out = json{{"kind", "organisation"},
              {"coalition", coalition_json(db, organisation.coalition_id)},
              {"organisations", json::array({directory_entry(organisation)})}};
  return true;
}

bool create_coalition(Tx* db, std::string_view slug, std::string_view name, std::string* error) {
  std::string problem = check_organisation_slug(slug);
  if (!problem.empty()) {
    *error = "coalition " + problem;
    return false;
  }
  if (name.empty() || utf8_chars(name) > kMaxNameChars || has_control_characters(name)) {
    *error = "--name: 1-" + std::to_string(kMaxNameChars) + " characters, no control characters";
    return false;
  }
  Statement taken(db,
                  "SELECT 1 FROM coalitions WHERE slug = ? UNION SELECT 1 FROM "
                  "organisations WHERE slug = ?");
  taken.bind(1, slug).bind(2, slug);
  if (taken.step()) {
    // One namespace: the widget's org attribute may name either.
    *error = "'" + std::string(slug) + "' is already a coalition or an organisation";
    return false;
  }
  Statement insert(db, "INSERT INTO coalitions(slug, name, created_at) VALUES(?, ?, ?)");
  insert.bind(1, slug).bind(2, name).bind(3, utc_timestamp_now());
  if (!insert.run()) {
    *error = db->last_error();
    return false;
  }
  return true;
}

bool add_organisation_to_coalition(Tx* db, std::string_view organisation_slug,
                                   std::string_view coalition_slug, std::string_view type,
                                   std::string_view description_nl, std::string_view description_en,
                                   std::string_view page, std::string* error) {
  std::string problem = check_organisation_type(type);
  if (!problem.empty()) {
    *error = "--" + problem;
    return false;
  }
  for (auto [flag, text] : {std::pair{"--description-nl", description_nl},
                            std::pair{"--description-en", description_en}}) {
    if (utf8_chars(text) > kMaxDescriptionChars || has_control_characters(text)) {
      *error = std::string(flag) + ": at most " + std::to_string(kMaxDescriptionChars) +
               " characters, no control characters";
      return false;
    }
  }
  if (!page.empty() && page.rfind("https://", 0) != 0 && page.rfind("http://", 0) != 0) {
    *error = "--page: must be an http(s) URL, e.g. https://www.example.nl/kindband";
    return false;
  }
  if (page.find_first_of(" \"'<>#") != std::string_view::npos || page.size() > 300) {
    *error = "--page: no spaces, quotes, angle brackets or '#', at most 300 characters";
    return false;
  }
  Statement coalition(db, "SELECT id FROM coalitions WHERE slug = ?");
  coalition.bind(1, coalition_slug);
  if (!coalition.step()) {
    *error = "unknown coalition '" + std::string(coalition_slug) + "'";
    return false;
  }
  NetworkOrganisation organisation;
  if (!find_network_organisation(db, organisation_slug, &organisation)) {
    *error = "unknown organisation '" + std::string(organisation_slug) + "'";
    return false;
  }
  Statement update(db,
                   "UPDATE organisations SET coalition_id = ?, type = ?, description_nl = ?, "
                   "description_en = ?, page = ? WHERE id = ?");
  update.bind(1, coalition.integer(0))
      .bind(2, type)
      .bind(3, description_nl)
      .bind(4, description_en)
      .bind(5, page)
      .bind(6, organisation.id);
  if (!update.run()) {
    *error = db->last_error();
    return false;
  }
  return true;
}

// ---- response time and embedding check (issue 14) ----

bool set_organisation_response_time(Tx* db, std::string_view organisation_slug,
                                    std::string_view text_nl, std::string_view text_en,
                                    std::string* error) {
  for (auto [flag, text] : {std::pair{"--nl", text_nl}, std::pair{"--en", text_en}}) {
    if (utf8_chars(text) > kMaxResponseTimeChars || has_control_characters(text)) {
      *error = std::string(flag) + ": at most " + std::to_string(kMaxResponseTimeChars) +
               " characters, no control characters";
      return false;
    }
  }
  if (text_nl.empty() != text_en.empty()) {
    *error = "give the response time in both languages (--nl and --en), or both empty to remove it";
    return false;
  }
  NetworkOrganisation organisation;
  if (!find_network_organisation(db, organisation_slug, &organisation)) {
    *error = "unknown organisation '" + std::string(organisation_slug) + "'";
    return false;
  }
  Statement change(db, text_nl.empty()
                           ? "DELETE FROM organisation_response_times WHERE organisation_id = ?1"
                           : "INSERT INTO organisation_response_times(organisation_id, text_nl, "
                             "text_en) VALUES(?1, ?2, ?3) ON CONFLICT(organisation_id) DO UPDATE "
                             "SET text_nl = excluded.text_nl, text_en = excluded.text_en");
  change.bind(1, organisation.id);
  if (!text_nl.empty()) change.bind(2, text_nl).bind(3, text_en);
  if (!change.run()) {
    *error = db->last_error();
    return false;
  }
  return true;
}

EmbedCheck check_embed(Tx* db, std::string_view slug, std::string_view origin) {
  EmbedCheck check;
  std::string normalised, problem;
  if (origin.empty()) {
    check.reason = "no_origin";
    check.message = "no website origin: ask from the page that embeds the widget";
  } else if (!normalise_origin(origin, &normalised, &problem)) {
    check.reason = "invalid_origin";
    check.message = problem;
  }
  check.origin = normalised;
  int64_t coalition_id = 0;
  {
    Statement coalition(db, "SELECT id FROM coalitions WHERE slug = ?");
    coalition.bind(1, slug);
    if (coalition.step()) coalition_id = coalition.integer(0);
  }
  NetworkOrganisation organisation;
  if (coalition_id != 0) {
    check.kind = "coalition";
  } else if (find_network_organisation(db, slug, &organisation)) {
    check.kind = "organisation";
  } else {
    check.reason = "unknown_organisation";
    check.message = "no organisation or coalition '" + std::string(slug.substr(0, 64)) +
                    "' on this Kindband server: check the widget's org attribute";
    return check;
  }
  Statement origins(db, coalition_id != 0
                            ? "SELECT DISTINCT oo.origin FROM organisation_origins oo JOIN "
                              "organisations o ON o.id = oo.organisation_id WHERE o.coalition_id "
                              "= ? ORDER BY oo.origin"
                            : "SELECT origin FROM organisation_origins WHERE organisation_id = ? "
                              "ORDER BY origin");
  origins.bind(1, coalition_id != 0 ? coalition_id : organisation.id);
  while (origins.step()) check.allowed_origins.push_back(origins.text(0));
  if (!check.reason.empty()) return check;  // no or an invalid origin
  for (const std::string& allowed : check.allowed_origins) check.allowed |= allowed == normalised;
  check.reason = check.allowed ? "allowed" : "origin_not_allowed";
  check.message = check.allowed ? "this website may share with '" + std::string(slug) + "'"
                                : "website " + normalised + " is not set up to share with '" +
                                      std::string(slug) + "'";
  return check;
}

void log_refused_origin(std::string_view origin, std::string_view slug, std::string_view reason) {
  using Clock = std::chrono::steady_clock;
  static std::mutex mutex;
  static std::map<std::string, Clock::time_point> last_logged;  // origin + slug -> when
  static Clock::time_point minute_start;
  static int lines_this_minute = 0;
  const auto now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex);
  if (now - minute_start >= std::chrono::minutes(1)) {
    minute_start = now;
    lines_this_minute = 0;
    if (last_logged.size() > 10000) last_logged.clear();  // bounded memory
  }
  auto printable = [](std::string_view text, size_t limit) {
    std::string out(text.substr(0, limit));
    for (char& c : out) c = (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    return out;
  };
  const std::string site = printable(origin, 200), organisation = printable(slug, 64);
  const std::string key = site + " " + organisation;
  auto found = last_logged.find(key);
  if (found != last_logged.end() && now - found->second < std::chrono::minutes(10)) return;
  if (lines_this_minute >= 20) return;
  ++lines_this_minute;
  last_logged[key] = now;
  const std::string whom = organisation == "*" ? "any organisation" : "'" + organisation + "'";
  std::fprintf(stderr,
               "kindband-server: website %s may not share with %s (%s); "
               "kindband-admin check-embed ORGANISATION URL says what to change\n",
               site.c_str(), whom.c_str(), printable(reason, 40).c_str());
}

Lookup DirectoryStore::organisation(std::string_view slug, Organisation* out) {
  auto lease = database_->read();
  if (!lease.tx()) return Lookup::kUnavailable;
  if (find_organisation(lease.tx(), slug, out)) return Lookup::kFound;
  return lease.tx()->connection_lost() ? Lookup::kUnavailable : Lookup::kNotFound;
}

bool DirectoryStore::origin_allowed_near(int64_t organisation_id, const std::string& origin) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  Statement row(lease.tx(),
                "SELECT 1 FROM organisation_origins oo JOIN organisations o ON o.id = "
                "oo.organisation_id WHERE oo.origin = ?1 AND (o.id = ?2 OR o.coalition_id = "
                "(SELECT coalition_id FROM organisations WHERE id = ?2))");
  row.bind(1, origin).bind(2, organisation_id);
  return row.step();
}

bool DirectoryStore::origin_allowed_for_family(const std::string& family_id,
                                               const std::string& origin) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  Statement row(lease.tx(),
                "SELECT 1 FROM organisation_origins oo JOIN organisations o ON o.id = "
                "oo.organisation_id WHERE oo.origin = ? AND o.coalition_id = (SELECT "
                "coalition_id FROM families WHERE id = ?)");
  row.bind(1, origin).bind(2, family_id);
  return row.step();
}

bool DirectoryStore::origin_allowed_anywhere(const std::string& origin) {
  auto lease = database_->read();
  return lease.tx() && origin_allowed_for_any_organisation(lease.tx(), origin);
}

Lookup DirectoryStore::directory(std::string_view slug, nlohmann::json* out) {
  auto lease = database_->read();
  if (!lease.tx()) return Lookup::kUnavailable;
  return directory_json(lease.tx(), slug, out) ? Lookup::kFound : Lookup::kNotFound;
}

bool DirectoryStore::check_embed(std::string_view slug, std::string_view origin, EmbedCheck* out) {
  auto lease = database_->read();
  if (!lease.tx()) return false;
  *out = kindband::server::check_embed(lease.tx(), slug, origin);
  return true;
}

}  // namespace kindband::server
