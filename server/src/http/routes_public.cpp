// Routes for anyone: the health check and the coalition directory the widget shows parents.
#include <nlohmann/json.hpp>

#include "directory.h"
#include "server_impl.h"

namespace kindband::server {

using nlohmann::json;

void KindbandServer::Impl::install_public_routes() {
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });

  // Public and cacheable: names, types and descriptions only, never who is in which family.
  http.Get(R"(/api/v1/directory/([0-9a-z-]{1,64}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             json directory;
             bool found = false;
             {
               auto lease = reads->acquire();
               if (!lease.db()) {
                 send_error(res, 503, "unavailable", "the database is not available");
                 return;
               }
               found = directory_json(lease.db(), req.matches[1].str(), &directory);
             }
             res.set_header("Access-Control-Allow-Origin", "*");
             if (!found) {
               send_error(res, 404, "not_found",
                          "no coalition or organisation '" + req.matches[1].str() + "' here");
               return;
             }
             res.set_header("Cache-Control", "public, max-age=300");
             send_json(res, 200, directory);
           });
}

}  // namespace kindband::server
