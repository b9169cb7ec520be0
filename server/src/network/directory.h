// Coalitions and the organisations in them: the public directory the widget shows parents, and the
// administrator's calls that fill it (docs/care-network.md).
#ifndef KINDBAND_SERVER_NETWORK_DIRECTORY_H_
#define KINDBAND_SERVER_NETWORK_DIRECTORY_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "accounts.h"
#include "database.h"

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
  // When someone looks at a share, in the parents' words ("" when the organisation did not say).
  std::string response_time_nl;
  std::string response_time_en;
};

// "" when type is one of kOrganisationTypes, else what is wrong.
std::string check_organisation_type(std::string_view type);

bool find_network_organisation(Tx* db, std::string_view slug, NetworkOrganisation* out);
bool find_network_organisation_by_id(Tx* db, int64_t id, NetworkOrganisation* out);
// The coalition's public JSON {"slug","name"}, or null when id is 0 or unknown.
nlohmann::json coalition_json(Tx* db, int64_t coalition_id);
// The public entry of an organisation: {"slug","name","type","description":{"nl","en"},
// "response_time":{"nl","en"} or null}.
nlohmann::json directory_entry(const NetworkOrganisation& organisation);

// The public directory for a coalition or an organisation slug; false when neither exists.
bool directory_json(Tx* db, std::string_view slug, nlohmann::json* out);

// Administrator's calls; each runs inside the caller's transaction and says what is wrong on
// failure.
bool create_coalition(Tx* db, std::string_view slug, std::string_view name, std::string* error);
bool add_organisation_to_coalition(Tx* db, std::string_view organisation_slug,
                                   std::string_view coalition_slug, std::string_view type,
                                   std::string_view description_nl, std::string_view description_en,
                                   std::string_view page, std::string* error);
// Sets (or, with both texts empty, removes) the organisation's response time: when someone looks
// at a share, as parents read it before sharing and on their receipt (issue 14).
bool set_organisation_response_time(Tx* db, std::string_view organisation_slug,
                                    std::string_view text_nl, std::string_view text_en,
                                    std::string* error);

// Embedding check (issue 14): may a page on `origin` share with `slug` (an organisation: the origin
// is one of its own; a coalition: the origin is one of a member's)? `reason` is "allowed",
// "no_origin", "invalid_origin", "unknown_organisation" or "origin_not_allowed"; `message` says it
// in a sentence for a web editor. `allowed_origins` is for kindband-admin only (never sent).
struct EmbedCheck {
  bool allowed = false;
  std::string reason;
  std::string message;
  std::string origin;  // normalised, "" when none or invalid
  std::string kind;    // "organisation", "coalition" or "" when unknown
  std::vector<std::string> allowed_origins;
};
EmbedCheck check_embed(Tx* db, std::string_view slug, std::string_view origin);

// The directory and the websites allowed to embed the widget, for the route files (one snapshot
// each call).
class DirectoryStore {
 public:
  explicit DirectoryStore(Database* database) : database_(database) {}
  Lookup organisation(std::string_view slug, Organisation* out);
  // The origin belongs to the organisation or to another organisation of its coalition (a
  // coalition's widget may run on any member's site).
  bool origin_allowed_near(int64_t organisation_id, const std::string& origin);
  // The origin belongs to an organisation of the family's coalition.
  bool origin_allowed_for_family(const std::string& family_id, const std::string& origin);
  // The origin belongs to any organisation here.
  bool origin_allowed_anywhere(const std::string& origin);
  Lookup directory(std::string_view slug, nlohmann::json* out);
  // False when the database could not be read.
  bool check_embed(std::string_view slug, std::string_view origin, EmbedCheck* out);

 private:
  Database* database_;
};

// Logs a refused website origin to stderr, at most once per origin and organisation every ten
// minutes and at most 20 lines a minute in all, so a misconfigured site is noticed without a flood.
// `slug` "*": the origin may share with no organisation at all (a CORS preflight).
void log_refused_origin(std::string_view origin, std::string_view slug, std::string_view reason);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_DIRECTORY_H_
