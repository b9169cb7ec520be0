// Erasure that says what it did (docs/care-network.md, issue 21): each parent erases their own data
// at once; the whole family is erased when both parents asked, or after a notice period with a
// message to the other parent's devices. One-off shares a device sent before the family existed
// (its receipts) go in the same transaction. Erased means the bytes are gone: content is deleted
// with secure_delete and the WAL truncated; the audit log keeps the events (ids only).
#ifndef KINDBAND_SERVER_NETWORK_ERASURE_H_
#define KINDBAND_SERVER_NETWORK_ERASURE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit_log.h"
#include "database.h"
#include "family_store.h"

namespace kindband::server {

// How long the other parent has before a family erasure asked by one parent happens.
constexpr int64_t kEraseNoticeSeconds = 7 * 24 * 60 * 60;

// Erases the whole family (shares' content and recipients, memberships, parents, codes, messages,
// agreements, intake) and appends `event`. Professionals whose open case or agreement ended are
// told in their day view, without content. Inside the caller's transaction.
bool erase_family_in_tx(Tx* db, const std::string& family_id, const AuditEvent& event);
// Erases one parent's own shares, messages, intake, devices and place in the network and tells
// the other parent; the last parent's erasure erases the family. Appends `event`. Inside the
// caller's transaction.
bool erase_parent_in_tx(Tx* db, const std::string& family_id, const std::string& role,
                        const AuditEvent& event);
// The family's erasure is due (asked by one parent and the notice period passed).
bool erasure_due(Tx* db, const std::string& family_id);
// Erases the family when its erasure is due (*erased says whether it did); false on a database
// error. Inside the caller's transaction.
bool erase_family_if_due(Tx* db, const std::string& family_id, bool* erased = nullptr);

struct ErasureReport {
  std::vector<std::string> erased;       // one-off share ids erased (or already withdrawn)
  std::vector<std::string> not_reached;  // one-off share ids that could not be reached
  std::string erase_after;               // kAccepted: when the family will be erased
  nlohmann::json to_json(const std::string& status) const;
};

class ErasureStore {
 public:
  ErasureStore(Database* database) : database_(database) {}

  // The whole family: kOk (erased now: one parent, or both asked) or kAccepted (asked; erased
  // after the notice period unless the asking parent cancels). one_off: share ids whose receipts
  // the caller checked; they are erased now in either case.
  FamilyOutcome erase_family(const ParentDevice& parent, const std::vector<std::string>& one_off,
                             const std::string& address, ErasureReport* report);
  // This parent's own shares, messages, intake, devices and place in the network, now. The last
  // parent's erasure erases the family.
  FamilyOutcome erase_my_data(const ParentDevice& parent, const std::vector<std::string>& one_off,
                              const std::string& address, ErasureReport* report);
  // The asking parent takes the request back (kNotFound when there is none of theirs).
  FamilyOutcome cancel_request(const ParentDevice& parent, const std::string& address);
  // Erases every family whose notice period has passed; returns how many.
  int erase_due_families();
  // Erases this family if its notice period has passed (true: it is erased now).
  bool erase_if_due(const std::string& family_id);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_ERASURE_H_
