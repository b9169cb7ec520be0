#include "smtp_client.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <mutex>

namespace kindband::server {
namespace {

struct Upload {
  const std::string* text;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t left = upload->text->size() - upload->offset;
  const size_t n = std::min(left, size * count);
  std::memcpy(buffer, upload->text->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

bool read_smtp_credentials(const std::string& path, SmtpSettings* settings, std::string* error) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    *error = path + ": cannot read the SMTP credentials file";
    return false;
  }
  if ((info.st_mode & 077) != 0) {
    *error = path + ": others may read this file; make it readable by its owner only (chmod 600)";
    return false;
  }
  std::ifstream in(path);
  std::string username, password;
  if (!std::getline(in, username) || !std::getline(in, password) || username.empty()) {
    *error = path + ": expected the user name on the first line and the password on the second";
    return false;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (!username.empty() && username.back() == '\r') username.pop_back();
  settings->username = username;
  settings->password = password;
  return true;
}

SmtpResult send_mail(const SmtpSettings& settings, const std::string& to,
                     const std::string& message) {
  init_curl_once();
  SmtpResult result;
  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = "libcurl could not start";
    return result;
  }
  Upload upload{&message};
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  const std::string from = "<" + settings.from + ">";
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS is required on smtp:// unless a local relay is allowed to speak plain SMTP.
  curl_easy_setopt(
      curl, CURLOPT_USE_SSL,
      settings.allow_plain ? static_cast<long>(CURLUSESSL_TRY) : static_cast<long>(CURLUSESSL_ALL));
  if (!settings.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings.password.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  if (code == CURLE_OK) {
    result.sent = true;
  } else {
    result.error = std::string(curl_easy_strerror(code)) +
                   (error_buffer[0] ? std::string(": ") + error_buffer : std::string()) +
                   (response ? " (SMTP " + std::to_string(response) + ")" : std::string());
    // 5xx is the server's final word on this mail (RFC 5321 4.2.1); anything else may pass.
    // A refused login (535) is the server's configuration, not this mail: keep trying.
    result.permanent = response >= 500 && response < 600 && code != CURLE_LOGIN_DENIED;
  }
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace kindband::server
