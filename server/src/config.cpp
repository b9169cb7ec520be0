#include "config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "email_address.h"

namespace kindband::server {
namespace {

using nlohmann::json;

bool parse_int(const std::string& text, int min, int max, int* out) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int value = std::stoi(text);
  if (value < min || value > max) return false;
  *out = value;
  return true;
}

bool parse_listen(const std::string& text, ServerConfig* config) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  int port = 0;
  if (!parse_int(text.substr(colon + 1), 0, 65535, &port)) return false;
  config->host = text.substr(0, colon);
  config->port = port;
  return true;
}

bool parse_static(const std::string& text, ServerConfig* config) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text[0] != '/' || eq + 1 == text.size()) return false;
  config->static_dirs.emplace_back(text.substr(0, eq), text.substr(eq + 1));
  return true;
}

bool add_organisation(const std::string& slug, const std::string& name,
                      const std::vector<std::string>& origins, ServerConfig* config,
                      std::string* error) {
  Organisation organisation;
  organisation.slug = slug;
  organisation.name = name.empty() ? slug : name;
  std::string problem = check_organisation_slug(slug);
  if (!problem.empty()) {
    *error = problem;
    return false;
  }
  for (const std::string& origin : origins) {
    std::string normalised;
    if (!normalise_origin(origin, &normalised, error)) return false;
    organisation.origins.push_back(normalised);
  }
  config->organisations.push_back(std::move(organisation));
  return true;
}

// The mail settings fit together: a URL the sender understands, a sender address, and links.
bool check_mail_settings(const ServerConfig& config, std::string* error) {
  if (config.smtp_url.empty()) return true;
  if (config.smtp_url.rfind("smtp://", 0) != 0 && config.smtp_url.rfind("smtps://", 0) != 0) {
    *error =
        "--smtp-url: expected smtp://HOST:PORT or smtps://HOST:PORT, got '" + config.smtp_url + "'";
    return false;
  }
  std::string problem = check_email_address(config.smtp_from);
  if (!problem.empty()) {
    *error = "--smtp-from: " + problem;
    return false;
  }
  if (config.public_url.rfind("https://", 0) != 0 && config.public_url.rfind("http://", 0) != 0) {
    *error = "--public-url: the address of this server for the links in mails (https://...)";
    return false;
  }
  return true;
}

}  // namespace

bool is_consent_version_name(const std::string& text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_known_consent_version(const ServerConfig& config, const std::string& version) {
  for (const char* known : kKnownConsentVersions) {
    if (version == known) return true;
  }
  for (const std::string& configured : config.consent_versions) {
    if (version == configured) return true;
  }
  return false;
}

std::string server_usage() {
  return "usage: kindband-server [--config FILE] [--listen HOST:PORT] [--database PATH]\n"
         "         [--static /PREFIX=DIR]... [--organisation SLUG=ORIGIN[,ORIGIN...]]...\n"
         "         [--threads N] [--max-threads N] [--read-timeout S] [--write-timeout S]\n"
         "         [--session-idle S] [--session-absolute S]\n"
         "         [--lockout-after N] [--lockout-seconds S] [--port-file PATH]\n"
         "         [--trusted-proxy ADDRESS] [--key-file PATH]\n"
         "         [--shares-per-address N] [--shares-per-organisation N]   (per minute, 0 = off)\n"
         "         [--anonymous-safety-shares-per-address N]   (per minute; past it: quarantined)\n"
         "         [--messages-per-family N] [--messages-per-address N]\n"
         "         [--uninvited-memberships-per-address N] [--parent-writes-per-family N]\n"
         "         [--parent-writes-per-address N] [--families-per-address N]\n"
         "         (limits are per minute, 0 = off) [--read-workers N]\n"
         "         [--inbox-alarm-per-hour N]\n"
         "         [--code-failures N]   (wrong codes per 10 minutes, server-wide; default 100)\n"
         "         [--pairing-code-failures N]   (wrong codes anywhere that retire a pairing "
         "code)\n"
         "         [--consent-version VERSION]...   (consent texts accepted besides the "
         "built-in)\n"
         "         [--smtp-url smtp://HOST:PORT | smtps://HOST:PORT] [--smtp-from ADDRESS]\n"
         "         [--smtp-credentials FILE]   (mode 0600: user name, then password, one a line)\n"
         "         [--smtp-allow-plain yes|no]   (smtp:// without STARTTLS: a local relay only)\n"
         "         [--public-url URL]   (links in mails)\n"
         "         [--mail-interval S]   (at most one mail per recipient per S; default 600)\n"
         "         [--mail-retry-max S]   (longest wait between tries; default 900)\n";
}

bool load_config_file(const std::string& path, ServerConfig* config, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot read the config file";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  json root = json::parse(text.str(), nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    *error = path + ": not a JSON object";
    return false;
  }
  auto fail = [&](const std::string& pointer, const std::string& what) {
    *error = path + ": " + pointer + ": " + what;
    return false;
  };
  struct IntSetting {
    const char* key;
    int* target;
    int min;
    int max;
  };
  const IntSetting ints[] = {
      {"threads", &config->threads, 1, 256},
      {"max_threads", &config->max_threads, 1, 4096},
      {"read_timeout_seconds", &config->read_timeout_seconds, 1, 600},
      {"write_timeout_seconds", &config->write_timeout_seconds, 1, 600},
      {"session_idle_seconds", &config->session_idle_seconds, 1, 7 * 24 * 3600},
      {"session_absolute_seconds", &config->session_absolute_seconds, 1, 30 * 24 * 3600},
      {"lockout_after_failures", &config->lockout_after_failures, 1, 1000},
      {"lockout_seconds", &config->lockout_seconds, 1, 7 * 24 * 3600},
      {"shares_per_address_per_minute", &config->shares_per_address_per_minute, 0, 1000000},
      {"shares_per_organisation_per_minute", &config->shares_per_organisation_per_minute, 0,
       1000000},
      {"inbox_alarm_per_hour", &config->inbox_alarm_per_hour, 1, 1000000},
      {"anonymous_safety_shares_per_address_per_minute",
       &config->anonymous_safety_shares_per_address_per_minute, 0, 1000000},
      {"messages_per_family_per_minute", &config->messages_per_family_per_minute, 0, 1000000},
      {"messages_per_address_per_minute", &config->messages_per_address_per_minute, 0, 1000000},
      {"uninvited_memberships_per_address_per_minute",
       &config->uninvited_memberships_per_address_per_minute, 0, 1000000},
      {"parent_writes_per_family_per_minute", &config->parent_writes_per_family_per_minute, 0,
       1000000},
      {"parent_writes_per_address_per_minute", &config->parent_writes_per_address_per_minute, 0,
       1000000},
      {"families_per_address_per_minute", &config->families_per_address_per_minute, 0, 1000000},
      {"read_workers", &config->read_workers, 1, 64},
      {"code_failures_per_10_minutes", &config->code_failures_per_10_minutes, 1, 1000000},
      {"pairing_code_failures", &config->pairing_code_failures, 1, 1000000},
      {"mail_interval_seconds", &config->mail_interval_seconds, 0, 7 * 24 * 3600},
      {"mail_retry_max_seconds", &config->mail_retry_max_seconds, 1, 7 * 24 * 3600},
  };
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    std::string pointer = "/" + key;
    bool handled = false;
    for (const IntSetting& setting : ints) {
      if (key != setting.key) continue;
      handled = true;
      if (!value.is_number_integer() || value.get<int64_t>() < setting.min ||
          value.get<int64_t>() > setting.max) {
        return fail(pointer, "expected an integer from " + std::to_string(setting.min) + " to " +
                                 std::to_string(setting.max));
      }
      *setting.target = value.get<int>();
    }
    if (handled) continue;
    if (key == "listen") {
      if (!value.is_string() || !parse_listen(value.get<std::string>(), config)) {
        return fail(pointer, "expected \"HOST:PORT\"");
      }
    } else if (key == "database") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        return fail(pointer, "expected a file path");
      }
      config->database = value.get<std::string>();
    } else if (key == "trusted_proxy") {
      if (!value.is_string()) return fail(pointer, "expected an IP address");
      config->trusted_proxy = value.get<std::string>();
    } else if (key == "consent_versions") {
      if (!value.is_array()) return fail(pointer, "expected an array of versions");
      for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string() || !is_consent_version_name(value[i].get<std::string>())) {
          return fail(pointer + "/" + std::to_string(i), kConsentVersionRule);
        }
        config->consent_versions.push_back(value[i].get<std::string>());
      }
    } else if (key == "smtp_url" || key == "smtp_from" || key == "smtp_credentials" ||
               key == "public_url") {
      if (!value.is_string()) return fail(pointer, "expected a string");
      std::string* target = key == "smtp_url"           ? &config->smtp_url
                            : key == "smtp_from"        ? &config->smtp_from
                            : key == "smtp_credentials" ? &config->smtp_credentials
                                                        : &config->public_url;
      *target = value.get<std::string>();
    } else if (key == "smtp_allow_plain") {
      if (!value.is_boolean()) return fail(pointer, "expected true or false");
      config->smtp_allow_plain = value.get<bool>();
    } else if (key == "port_file") {
      if (!value.is_string()) return fail(pointer, "expected a file path");
      config->port_file = value.get<std::string>();
    } else if (key == "key_file") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        return fail(pointer, "expected a file path");
      }
      config->key_file = value.get<std::string>();
    } else if (key == "static") {
      if (!value.is_object()) return fail(pointer, "expected {\"/prefix\": \"folder\"}");
      for (auto dir = value.begin(); dir != value.end(); ++dir) {
        if (!dir.value().is_string() ||
            !parse_static(dir.key() + "=" + dir.value().get<std::string>(), config)) {
          return fail(pointer + "/" + dir.key(), "expected a folder; the key must start with /");
        }
      }
    } else if (key == "organisations") {
      if (!value.is_array()) return fail(pointer, "expected an array");
      for (size_t i = 0; i < value.size(); ++i) {
        const json& org = value[i];
        std::string where = pointer + "/" + std::to_string(i);
        if (!org.is_object() || !org.value("id", json()).is_string() ||
            !org.value("origins", json()).is_array()) {
          return fail(where, "expected {\"id\": \"...\", \"name\": \"...\", \"origins\": [...]}");
        }
        std::vector<std::string> origins;
        for (const json& origin : org["origins"]) {
          if (!origin.is_string()) return fail(where + "/origins", "expected strings");
          origins.push_back(origin.get<std::string>());
        }
        std::string problem;
        if (!add_organisation(org["id"].get<std::string>(), org.value("name", std::string()),
                              origins, config, &problem)) {
          return fail(where, problem);
        }
      }
    } else {
      return fail(pointer, "unknown setting");
    }
  }
  return true;
}

bool parse_server_config(int argc, const char* const* argv, ServerConfig* config,
                         std::string* error) {
  // The config file first, so that flags override it.
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--config" && !load_config_file(argv[i + 1], config, error)) {
      return false;
    }
  }
  struct IntFlag {
    const char* flag;
    int* target;
    int min;
    int max;
  };
  const IntFlag ints[] = {
      {"--threads", &config->threads, 1, 256},
      {"--max-threads", &config->max_threads, 1, 4096},
      {"--read-timeout", &config->read_timeout_seconds, 1, 600},
      {"--write-timeout", &config->write_timeout_seconds, 1, 600},
      {"--session-idle", &config->session_idle_seconds, 1, 7 * 24 * 3600},
      {"--session-absolute", &config->session_absolute_seconds, 1, 30 * 24 * 3600},
      {"--lockout-after", &config->lockout_after_failures, 1, 1000},
      {"--lockout-seconds", &config->lockout_seconds, 1, 7 * 24 * 3600},
      {"--shares-per-address", &config->shares_per_address_per_minute, 0, 1000000},
      {"--shares-per-organisation", &config->shares_per_organisation_per_minute, 0, 1000000},
      {"--anonymous-safety-shares-per-address",
       &config->anonymous_safety_shares_per_address_per_minute, 0, 1000000},
      {"--messages-per-family", &config->messages_per_family_per_minute, 0, 1000000},
      {"--messages-per-address", &config->messages_per_address_per_minute, 0, 1000000},
      {"--uninvited-memberships-per-address", &config->uninvited_memberships_per_address_per_minute,
       0, 1000000},
      {"--parent-writes-per-family", &config->parent_writes_per_family_per_minute, 0, 1000000},
      {"--parent-writes-per-address", &config->parent_writes_per_address_per_minute, 0, 1000000},
      {"--families-per-address", &config->families_per_address_per_minute, 0, 1000000},
      {"--read-workers", &config->read_workers, 1, 64},
      {"--inbox-alarm-per-hour", &config->inbox_alarm_per_hour, 1, 1000000},
      {"--code-failures", &config->code_failures_per_10_minutes, 1, 1000000},
      {"--pairing-code-failures", &config->pairing_code_failures, 1, 1000000},
      {"--mail-interval", &config->mail_interval_seconds, 0, 7 * 24 * 3600},
      {"--mail-retry-max", &config->mail_retry_max_seconds, 1, 7 * 24 * 3600},
  };
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      *error = flag + ": unknown flag or missing value";
      return false;
    }
    std::string value = argv[++i];
    bool handled = false;
    for (const IntFlag& setting : ints) {
      if (flag != setting.flag) continue;
      handled = true;
      if (!parse_int(value, setting.min, setting.max, setting.target)) {
        *error = flag + ": expected a number from " + std::to_string(setting.min) + " to " +
                 std::to_string(setting.max) + ", got '" + value + "'";
        return false;
      }
    }
    if (handled || flag == "--config") continue;
    if (flag == "--listen") {
      if (!parse_listen(value, config)) {
        *error = "--listen: expected HOST:PORT, got '" + value + "'";
        return false;
      }
    } else if (flag == "--database") {
      config->database = value;
    } else if (flag == "--trusted-proxy") {
      config->trusted_proxy = value;
    } else if (flag == "--consent-version") {
      if (!is_consent_version_name(value)) {
        *error = std::string("--consent-version: ") + kConsentVersionRule + ", got '" + value + "'";
        return false;
      }
      config->consent_versions.push_back(value);
    } else if (flag == "--port-file") {
      config->port_file = value;
    } else if (flag == "--smtp-url") {
      config->smtp_url = value;
    } else if (flag == "--smtp-from") {
      config->smtp_from = value;
    } else if (flag == "--smtp-credentials") {
      config->smtp_credentials = value;
    } else if (flag == "--public-url") {
      config->public_url = value;
    } else if (flag == "--smtp-allow-plain") {
      if (value != "yes" && value != "no") {
        *error = "--smtp-allow-plain: expected yes or no, got '" + value + "'";
        return false;
      }
      config->smtp_allow_plain = value == "yes";
    } else if (flag == "--key-file") {
      config->key_file = value;
    } else if (flag == "--static") {
      if (!parse_static(value, config)) {
        *error = "--static: expected /PREFIX=DIR, got '" + value + "'";
        return false;
      }
    } else if (flag == "--organisation") {
      size_t eq = value.find('=');
      if (eq == std::string::npos) {
        *error = "--organisation: expected SLUG=ORIGIN[,ORIGIN...], got '" + value + "'";
        return false;
      }
      std::vector<std::string> origins;
      std::stringstream list(value.substr(eq + 1));
      for (std::string origin; std::getline(list, origin, ',');) origins.push_back(origin);
      std::string problem;
      if (!add_organisation(value.substr(0, eq), "", origins, config, &problem)) {
        *error = "--organisation: " + problem;
        return false;
      }
    } else {
      *error = flag + ": unknown flag";
      return false;
    }
  }
  if (config->session_absolute_seconds < config->session_idle_seconds) {
    *error = "--session-absolute must not be shorter than --session-idle";
    return false;
  }
  return check_mail_settings(*config, error);
}

}  // namespace kindband::server
