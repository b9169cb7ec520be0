// A share's audience is its own parent's decision (docs/care-network.md, issue 21): the parent who
// sent a share sees who can see it now and widens it (one organisation, organisations added later,
// the other parent); a parent gives an organisation all their own earlier shares at once; before a
// referral is accepted the parent sees exactly which of their shares the new organisation gets.
#ifndef KINDBAND_SERVER_NETWORK_AUDIENCE_H_
#define KINDBAND_SERVER_NETWORK_AUDIENCE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "database.h"
#include "family_store.h"

namespace kindband::server {

// Who can see a share now: [{"organisation","name","since"}].
nlohmann::json share_audience_json(Tx* db, const std::string& share_id);

// One share as a parent with `role` sees it: the sender sees its audience, later_members and case;
// the other parent (when shown to the family) only instrument, context, date and state.
nlohmann::json share_for_parent_json(Tx* db, const std::string& share_id, const std::string& role);

struct AudienceChange {
  std::vector<std::string> add;  // organisation slugs (each there for this parent)
  std::optional<bool> later_members;
  std::optional<bool> show_to_family;
};

class AudienceStore {
 public:
  AudienceStore(Database* database) : database_(database) {}

  // Widens one of the parent's own shares. kNotFound (not this parent's share, or withdrawn),
  // kNotMember (problem names the organisation that is not there for this parent). out is the
  // share as its parent sees it.
  FamilyOutcome change_share(const ParentDevice& parent, const std::string& share_id,
                             const AudienceChange& change, const std::string& address,
                             nlohmann::json* out, std::string* problem);
  // Gives an organisation every earlier share of this parent (not withdrawn).
  FamilyOutcome add_to_all(const ParentDevice& parent, const std::string& organisation_slug,
                           const std::string& address, nlohmann::json* out);
  // Links one-off shares this parent sent before the family existed (issue 24) to the family, as
  // this parent's own shares: share_ids are proven theirs by their receipts (checked by the
  // caller, in order: problems name "/shares/N"). The audience stays exactly what it was (the one
  // organisation the share went to, which must be there for this parent: kNotMember); nothing else
  // about the share changes. kNotFound (no such share), kConflict with *code "share_withdrawn" or
  // "linked_elsewhere" (another family's or the other parent's). All or nothing; a share linked
  // before (a retry) is not linked or audited again. out: {"linked":[ids],"already_linked":[ids]}.
  FamilyOutcome link_one_off(const ParentDevice& parent, const std::vector<std::string>& share_ids,
                             const std::string& address, nlohmann::json* out, std::string* code,
                             std::string* problem);
  // The proposal with what the organisation would see on "yes" (kNotFound).
  FamilyOutcome referral_preview(const ParentDevice& parent, int64_t proposal_id,
                                 nlohmann::json* out);

 private:
  Database* database_;
};

// The parent's own shares among share_ids (not withdrawn) added to the organisation's audience,
// audited; inside the caller's transaction. false on a database error.
bool add_own_shares(Tx* db, const ParentDevice& parent, int64_t organisation_id,
                    const std::string& organisation_slug, const std::vector<std::string>& share_ids,
                    const std::string& address, int* added);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_AUDIENCE_H_
