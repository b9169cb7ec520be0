// The stored share for the FHIR export (GET /api/v1/inbox/shares/{id}/fhir, routes_fhir.cpp):
// the same access rules as ShareStore::read, its own audit action.
#include "sealing.h"
#include "share_store.h"

namespace kindband::server {

ShareStore::InboxOutcome ShareStore::read_for_fhir_export(const Session& session,
                                                          const std::string& share_id,
                                                          const std::string& address,
                                                          std::string* payload) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  AuditEvent event;
  {
    // Read on a read connection; only the audit row goes through the writer (issue 22).
    auto lease = database_->read();
    Tx* db = lease.tx();
    if (!db) return InboxOutcome::kFailed;
    std::string status, family_id;
    // A denial is audited as share_fhir_export_denied (with the reason).
    outcome = access_state(db, session, share_id, "share_fhir_export", address, &status, &family_id,
                           &event);
    if (outcome == InboxOutcome::kOk && status == "withdrawn") {
      event = professional_event(session, "share_fhir_export_withdrawn", share_id, address);
      event.family_id = family_id;
      outcome = InboxOutcome::kWithdrawn;
    } else if (outcome == InboxOutcome::kOk) {
      Statement row(db, "SELECT payload FROM shares WHERE share_id = ?");
      row.bind(1, share_id);
      if (!row.step() || row.is_null(0)) return InboxOutcome::kFailed;
      *payload = open_sealed("shares", "payload", share_id, row.text(0));
      event = professional_event(session, "share_fhir_export", share_id, address);
      event.family_id = family_id;
    } else if (outcome != InboxOutcome::kForbidden && outcome != InboxOutcome::kRemoved) {
      return outcome;
    }
  }
  if (!commit_audit({event})) {
    payload->clear();
    return InboxOutcome::kFailed;
  }
  return outcome;
}

}  // namespace kindband::server
