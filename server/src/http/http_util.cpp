#include "http_util.h"

#include <algorithm>
#include <cctype>

#include "strict_json.h"

namespace kindband::server {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code,
                const std::string& message) {
  send_json(res, status, json{{"error", code}, {"message", message}});
}

const char* default_error_code(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 416:
      return "range_not_satisfiable";
    case 431:
      return "headers_too_large";
    default:
      return status >= 500 ? "server_error" : "error";
  }
}

bool is_json_request(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  return type == "application/json" || type == "application/json;charset=utf-8";
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

std::string bearer_token(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0) return "";
  return header.substr(prefix.size());
}

bool parse_json_object(const httplib::Request& req, httplib::Response& res, json* body) {
  if (!is_json_request(req)) {
    send_error(res, 415, "unsupported_media_type", "Content-Type must be application/json");
    return false;
  }
  std::string problem;
  if (req.body.size() > 64 * 1024 ||
      !parse_strict_json(req.body.empty() ? std::string_view("{}") : std::string_view(req.body),
                         body, &problem)) {
    send_error(res, 400, "invalid_json",
               problem.empty() ? std::string("the body is larger than 64 KB") : problem);
    return false;
  }
  if (!body->is_object()) {
    send_error(res, 400, "invalid_json", "the body must be a JSON object");
    return false;
  }
  return true;
}

}  // namespace kindband::server
