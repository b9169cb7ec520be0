// A family's devices (docs/care-network.md, issue 21): each parent sees the family's devices and
// names or revokes their own. A revoked device's key stops working with the commit.
#ifndef KINDBAND_SERVER_NETWORK_DEVICES_H_
#define KINDBAND_SERVER_NETWORK_DEVICES_H_

#include <nlohmann/json.hpp>
#include <string>

#include "database.h"
#include "family_store.h"

namespace kindband::server {

// The family's devices as `parent` sees them: id, role, name, added, last used, me, mine; no keys.
nlohmann::json devices_json(Tx* db, const ParentDevice& parent);

class DeviceStore {
 public:
  DeviceStore(Database* database) : database_(database) {}

  FamilyOutcome list(const ParentDevice& parent, nlohmann::json* out);
  // Names one of the parent's own devices (kNotYours for the other parent's, kNotFound).
  FamilyOutcome rename(const ParentDevice& parent, const std::string& device_id,
                       const std::string& name, const std::string& address, nlohmann::json* out);
  // Revokes one of the parent's own devices at once (kNotYours, kNotFound), with a notice to the
  // parent's devices and an audit row.
  FamilyOutcome revoke(const ParentDevice& parent, const std::string& device_id,
                       const std::string& address);
  // Records that a device was used (at most once an hour: a write per request would cost a commit).
  void touch(const ParentDevice& parent);

 private:
  Database* database_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_NETWORK_DEVICES_H_
