// Each parent's own space in the family (docs/care-network.md, issue 21): an organisation in the
// network is there for each parent separately, a share reaches only the audience its own parent
// chose, and nothing is stranded when an organisation stops receiving what it owned. These are the
// rules the family, share and collaboration stores apply inside their write transactions.
#ifndef KINDBAND_SERVER_NETWORK_PARENT_SPACE_H_
#define KINDBAND_SERVER_NETWORK_PARENT_SPACE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "database.h"

namespace kindband::server {

// SQL (a condition over the memberships row `m`): the organisation is an active member and there
// for the parent role bound at the next placeholder `?` (that parent did not remove it).
constexpr const char* kThereForRoleSql =
    "m.state = 'active' AND NOT EXISTS(SELECT 1 FROM membership_withdrawals w WHERE w.family_id "
    "= m.family_id AND w.organisation_id = m.organisation_id AND w.role = ?)";

// The organisation is an active member of the family and there for this parent role.
bool there_for(Tx* db, const std::string& family_id, int64_t organisation_id,
               const std::string& role);
// The id of the organisation `slug` when it is an active member there for this parent role; 0 when
// it is not, -1 on a database error.
int64_t organisation_there_for(Tx* db, const std::string& family_id, const std::string& slug,
                               const std::string& role);
// The parent roles (of the family's current devices) the organisation is there for.
nlohmann::json there_for_roles(Tx* db, const std::string& family_id, int64_t organisation_id);

// A notice for the devices of one parent role (no content: a kind, an organisation, who did it).
bool add_notice(Tx* db, const std::string& family_id, const std::string& for_role,
                const std::string& kind, const std::string& organisation = "",
                const std::string& by_role = "");
// The other parent role than `role`, when the family has a device of it; "" otherwise.
std::string other_parent_role(Tx* db, const std::string& family_id, const std::string& role);
// The notices for a parent role, newest first.
nlohmann::json notices_json(Tx* db, const std::string& family_id, const std::string& role);

// Gives an organisation that (re)joins the family the shares whose own parent allowed later members
// and is not one who removed the organisation. Returns false on a database error.
bool give_later_shares(Tx* db, const std::string& family_id, int64_t organisation_id);
// Adds one share to an organisation's audience (no-op when it is already a recipient).
bool add_recipient(Tx* db, const std::string& share_id, int64_t organisation_id,
                   const std::string& family_id);

// The parent with `role` removes the organisation: it loses that parent's shares at once, and
// leaves the family (state removed, its agreements need a new owner) when it is there for no parent
// any more. Open cases it owned on shares it no longer receives go back to "new". *left is set when
// the organisation left the family.
bool withdraw_for_parent(Tx* db, const std::string& family_id, int64_t organisation_id,
                         const std::string& organisation_slug, const std::string& role, bool* left);

// Open cases of the family owned by an organisation that no longer receives the share go back to
// "new" for the remaining recipients (reason in the case history), and the organisation's day view
// is told (without content).
bool return_stranded_cases(Tx* db, const std::string& family_id, const std::string& reason);
// Open cases owned by a professional who was disabled go back to "new"; the agreements they owned
// keep their organisation and need a new owner. Inside the caller's transaction.
bool release_professional(Tx* db, int64_t professional_id);
// Records, for the day view, an open case or agreement that ended because of the parents.
bool record_ended(Tx* db, int64_t organisation_id, int64_t professional_id, const std::string& kind,
                  const std::string& reason);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_PARENT_SPACE_H_
