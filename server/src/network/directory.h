// Coalitions and the organisations in them: the public directory the widget shows parents, and the
// administrator's calls that fill it (docs/care-network.md).
#ifndef KINDBAND_SERVER_NETWORK_DIRECTORY_H_
#define KINDBAND_SERVER_NETWORK_DIRECTORY_H_

#include <sqlite3.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kindband::server {

// The kinds of organisation a coalition holds (Dutch sector names, as the professionals use them).
constexpr const char* kOrganisationTypes[] = {"verloskunde", "kraamzorg", "jgz", "huisarts",
                                              "wijkteam",    "imh",       "ggz", "ziekenhuis"};

// An organisation as the care network sees it.
struct NetworkOrganisation {
  int64_t id = 0;
  std::string slug;
  std::string name;
  int64_t coalition_id = 0;  // 0 when in no coalition
  std::string type;          // one of kOrganisationTypes, "" when not in a coalition
  std::string description_nl;
  std::string description_en;
  std::string page;  // the page on the organisation's site with the widget ("" when unknown)
};

// "" when type is one of kOrganisationTypes, else what is wrong.
std::string check_organisation_type(std::string_view type);

bool find_network_organisation(sqlite3* db, std::string_view slug, NetworkOrganisation* out);
bool find_network_organisation_by_id(sqlite3* db, int64_t id, NetworkOrganisation* out);
// The coalition's public JSON {"slug","name"}, or null when id is 0 or unknown.
nlohmann::json coalition_json(sqlite3* db, int64_t coalition_id);
// The public entry of an organisation: {"slug","name","type","description":{"nl","en"}}.
nlohmann::json directory_entry(const NetworkOrganisation& organisation);

// The public directory for a coalition or an organisation slug; false when neither exists.
bool directory_json(sqlite3* db, std::string_view slug, nlohmann::json* out);

// Administrator's calls; each runs inside the caller's transaction and says what is wrong on
// failure.
bool create_coalition(sqlite3* db, std::string_view slug, std::string_view name,
                      std::string* error);
bool add_organisation_to_coalition(sqlite3* db, std::string_view organisation_slug,
                                   std::string_view coalition_slug, std::string_view type,
                                   std::string_view description_nl, std::string_view description_en,
                                   std::string_view page, std::string* error);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_DIRECTORY_H_
