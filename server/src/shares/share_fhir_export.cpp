// The stored share for the FHIR export (GET /api/v1/inbox/shares/{id}/fhir, routes_fhir.cpp):
// the same access rules as ShareStore::read, its own audit action.
#include "share_store.h"

namespace kindband::server {

ShareStore::InboxOutcome ShareStore::read_for_fhir_export(const Session& session,
                                                          const std::string& share_id,
                                                          const std::string& address,
                                                          std::string* payload) {
  InboxOutcome outcome = InboxOutcome::kFailed;
  auto result = writer_->run([&](sqlite3* db) {
    std::string status, family_id;
    // A denial is audited as share_fhir_export_denied (with the reason) and kept.
    outcome =
        check_access(db, session, share_id, "share_fhir_export", address, &status, &family_id);
    if (outcome == InboxOutcome::kForbidden || outcome == InboxOutcome::kRemoved) return true;
    if (outcome != InboxOutcome::kOk) return false;
    std::string error;
    if (status == "withdrawn") {
      AuditEvent event =
          professional_event(session, "share_fhir_export_withdrawn", share_id, address);
      event.family_id = family_id;
      append_audit(db, event, &error);
      outcome = InboxOutcome::kWithdrawn;
      return true;
    }
    Statement row(db, "SELECT payload FROM shares WHERE share_id = ?");
    row.bind(1, share_id);
    if (!row.step() || row.is_null(0)) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    *payload = row.text(0);
    AuditEvent event = professional_event(session, "share_fhir_export", share_id, address);
    event.family_id = family_id;
    if (!append_audit(db, event, &error)) {
      outcome = InboxOutcome::kFailed;
      return false;
    }
    return true;
  });
  return GroupCommitWriter::settle(result, outcome, InboxOutcome::kFailed, {InboxOutcome::kOk});
}

}  // namespace kindband::server
