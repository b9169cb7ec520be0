#include "directory.h"

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
    "description_en, page FROM organisations ";

void read_organisation(const Statement& row, NetworkOrganisation* out) {
  out->id = row.integer(0);
  out->slug = row.text(1);
  out->name = row.text(2);
  out->coalition_id = row.integer(3);
  out->type = row.text(4);
  out->description_nl = row.text(5);
  out->description_en = row.text(6);
  out->page = row.text(7);
}

size_t utf8_chars(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

bool has_control_characters(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

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

bool find_network_organisation(sqlite3* db, std::string_view slug, NetworkOrganisation* out) {
  Statement row(db, std::string(kSelectOrganisation) + "WHERE slug = ?");
  row.bind(1, slug);
  if (!row.step()) return false;
  read_organisation(row, out);
  return true;
}

bool find_network_organisation_by_id(sqlite3* db, int64_t id, NetworkOrganisation* out) {
  Statement row(db, std::string(kSelectOrganisation) + "WHERE id = ?");
  row.bind(1, id);
  if (!row.step()) return false;
  read_organisation(row, out);
  return true;
}

json coalition_json(sqlite3* db, int64_t coalition_id) {
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
      {"description", {{"nl", organisation.description_nl}, {"en", organisation.description_en}}}};
}

bool directory_json(sqlite3* db, std::string_view slug, json* out) {
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

bool create_coalition(sqlite3* db, std::string_view slug, std::string_view name,
                      std::string* error) {
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
    *error = sqlite3_errmsg(db);
    return false;
  }
  return true;
}

bool add_organisation_to_coalition(sqlite3* db, std::string_view organisation_slug,
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
    *error = sqlite3_errmsg(db);
    return false;
  }
  return true;
}

}  // namespace kindband::server
