// Small pieces every route file uses: JSON answers and errors, and reading requests.
#ifndef KINDBAND_SERVER_HTTP_HTTP_UTIL_H_
#define KINDBAND_SERVER_HTTP_HTTP_UTIL_H_

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace kindband::server {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
// Every error is {"error": code, "message": where and what}.
void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message);
// The error code for an HTTP status answered by cpp-httplib itself (e.g. 404 for no route).
const char* default_error_code(int status);
bool is_json_request(const httplib::Request& req);
std::string cookie_value(const httplib::Request& req, const std::string& name);
// The token of "Authorization: Bearer <token>", "" when absent.
std::string bearer_token(const httplib::Request& req);
// The body as a JSON object, or a 400 answer (then returns false).
bool parse_json_object(const httplib::Request& req, httplib::Response& res, nlohmann::json* body);

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_HTTP_UTIL_H_
