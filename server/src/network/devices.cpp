#include "devices.h"

#include "parent_space.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {

using nlohmann::json;

namespace {

constexpr int64_t kTouchSeconds = 60 * 60;

json optional_text(const Statement& row, int column) {
  return row.is_null(column) ? json(nullptr) : json(row.text(column));
}

// kOk when the device is one of the parent's own; else kNotYours or kNotFound.
FamilyOutcome own_device(Tx* db, const ParentDevice& parent, const std::string& device_id) {
  Statement row(db, "SELECT role FROM family_parents WHERE id = ? AND family_id = ?");
  row.bind(1, device_id).bind(2, parent.family_id);
  if (!row.step()) return row.failed() ? FamilyOutcome::kFailed : FamilyOutcome::kNotFound;
  return row.text(0) == parent.role ? FamilyOutcome::kOk : FamilyOutcome::kNotYours;
}

}  // namespace

json devices_json(Tx* db, const ParentDevice& parent) {
  json list = json::array();
  Statement rows(db,
                 "SELECT id, role, name, joined_at, last_used_at, joined_via FROM family_parents "
                 "WHERE family_id = ? ORDER BY joined_at, id");
  rows.bind(1, parent.family_id);
  while (rows.step()) {
    list.push_back({{"id", rows.text(0)},
                    {"role", rows.text(1)},
                    {"name", rows.is_null(2) ? json(nullptr)
                                             : json(open_sealed("family_parents", "name",
                                                                rows.text(0), rows.text(2)))},
                    {"added_at", rows.text(3)},
                    {"last_used_at", optional_text(rows, 4)},
                    {"added_via", rows.text(5)},
                    {"me", rows.text(0) == parent.id},
                    {"mine", rows.text(1) == parent.role}});
  }
  return list;
}

FamilyOutcome DeviceStore::list(const ParentDevice& parent, json* out) {
  auto lease = database_->read();
  if (!lease.tx()) return FamilyOutcome::kFailed;
  *out = json{{"devices", devices_json(lease.tx(), parent)}};
  return FamilyOutcome::kOk;
}

FamilyOutcome DeviceStore::rename(const ParentDevice& parent, const std::string& device_id,
                                  const std::string& name, const std::string& address, json* out) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    outcome = own_device(db, parent, device_id);
    if (outcome != FamilyOutcome::kOk) return false;
    Statement update(db, "UPDATE family_parents SET name = ? WHERE id = ?");
    update.bind(1, seal("family_parents", "name", device_id, name)).bind(2, device_id);
    if (!update.run() || !audit(db, parent_event(parent, "device_named", address))) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    for (json& device : devices_json(db, parent)) {
      if (device["id"] == device_id) *out = std::move(device);
    }
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

FamilyOutcome DeviceStore::revoke(const ParentDevice& parent, const std::string& device_id,
                                  const std::string& address) {
  FamilyOutcome outcome = FamilyOutcome::kFailed;
  auto result = database_->write([&](Tx* db) {
    if (!parent_is_current(db, parent)) {
      outcome = FamilyOutcome::kInvalidKey;
      return false;
    }
    outcome = own_device(db, parent, device_id);
    if (outcome != FamilyOutcome::kOk) return false;
    // The key hash goes with the row: the device's next request is 401.
    Statement remove(db, "DELETE FROM family_parents WHERE id = ?");
    remove.bind(1, device_id);
    if (!remove.run() ||
        !add_notice(db, parent.family_id, parent.role, "device_revoked", "", parent.role) ||
        !audit(db, parent_event(parent, "device_revoked", address, "", "device=" + device_id))) {
      outcome = FamilyOutcome::kFailed;
      return false;
    }
    return true;
  });
  return Database::settle(result, outcome, FamilyOutcome::kFailed, {FamilyOutcome::kOk});
}

void DeviceStore::touch(const ParentDevice& parent) {
  {
    auto lease = database_->read();
    if (!lease.tx()) return;
    Statement row(lease.tx(), "SELECT last_used_at FROM family_parents WHERE id = ?");
    row.bind(1, parent.id);
    if (!row.step()) return;
    if (!row.is_null(0) && row.text(0) >= utc_timestamp_at(unix_now() - kTouchSeconds)) return;
  }
  database_->write([&](Tx* db) {
    Statement update(db, "UPDATE family_parents SET last_used_at = ? WHERE id = ?");
    update.bind(1, utc_timestamp_now()).bind(2, parent.id);
    return update.run();
  });
}

}  // namespace kindband::server
