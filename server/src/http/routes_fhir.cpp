// FHIR export for professionals (docs/fhir.md): GET /api/v1/inbox/shares/{id}/fhir gives a share
// as a FHIR R4 Bundle (QuestionnaireResponse + Observations), with the access rules of reading the
// share (GET /api/v1/inbox/shares/{id}), audited as share_fhir_export.
#include "kindband/fhir.h"
#include "server_impl.h"

namespace kindband::server {

void KindbandServer::Impl::install_fhir_routes() {
  http.Get(R"(/api/v1/inbox/shares/([0-9a-zA-Z-]{1,64})/fhir)",
           [this](const httplib::Request& req, httplib::Response& res) {
             auto session = require_session(req, res);
             if (!session) return;
             const std::string share_id = req.matches[1];
             std::string payload;
             if (!inbox_outcome_ok(res, shares->read_for_fhir_export(
                                            *session, share_id, client_address(req), &payload))) {
               return;
             }
             std::string bundle;
             Error error;
             if (!fhir::share_bundle_json(*library, payload, &bundle, &error)) {
               // Stored shares were checked against this library when they arrived.
               send_error(res, 500, "server_error", "the share could not be exported as FHIR");
               return;
             }
             res.status = 200;
             res.set_header("Content-Disposition",
                            "attachment; filename=\"kindband-" + share_id + ".fhir.json\"");
             res.set_content(bundle, "application/fhir+json");
           });
}

}  // namespace kindband::server
