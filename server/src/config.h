// kindband-server settings: command-line flags, optionally on top of a JSON config file.
//
//   kindband-server [--config FILE] [--listen HOST:PORT] [--database PATH]
//                   [--static /PREFIX=DIR]... [--organisation SLUG=ORIGIN[,ORIGIN...]]...
//                   [--threads N] [--read-timeout SECONDS] [--write-timeout SECONDS]
//                   [--session-idle SECONDS] [--session-absolute SECONDS]
//                   [--lockout-after N] [--lockout-seconds SECONDS] [--port-file PATH]
//                   [--trusted-proxy ADDRESS] [--code-failures N] [--pairing-code-failures N]
//                   [--consent-version VERSION]...
//                   [--smtp-url URL] [--smtp-from ADDRESS] [--smtp-credentials FILE]
//                   [--public-url URL] [--mail-interval SECONDS] [--mail-retry-max SECONDS]
//
// The config file is a JSON object with the same settings:
//   {"listen": "127.0.0.1:8080", "database": "kindband.db",
//    "static": {"/": "examples/site", "/engine/": "build/wasm/dist"},
//    "organisations": [{"id": "demo-vsv", "name": "Demo VSV", "origins": ["https://..."]}],
//    "threads": 32, "read_timeout_seconds": 10, "write_timeout_seconds": 10,
//    "session_idle_seconds": 1800, "session_absolute_seconds": 43200,
//    "lockout_after_failures": 5, "lockout_seconds": 900, "trusted_proxy": "127.0.0.1",
//    "code_failures_per_10_minutes": 100, "pairing_code_failures": 50,
//    "consent_versions": ["2027-01-v2"]}
// Flags given on the command line win over the file.
#ifndef KINDBAND_SERVER_CONFIG_H_
#define KINDBAND_SERVER_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "accounts.h"

namespace kindband::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port (see port_file)
  std::string database = "kindband.db";
  std::vector<std::pair<std::string, std::string>> static_dirs;  // URL prefix -> folder
  std::vector<Organisation> organisations;                       // created or updated at start
  // Request threads (each holds one keep-alive connection). Enough that many shares can wait for
  // the same commit (group commit: batches are as large as the number of waiting requests).
  int threads = 32;
  // When all request threads are busy (slow clients hold them), up to this many run; the extra
  // ones leave again after 10 s without work.
  int max_threads = 512;
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  int session_idle_seconds = 30 * 60;
  int session_absolute_seconds = 12 * 60 * 60;
  int lockout_after_failures = 5;
  int lockout_seconds = 15 * 60;
  // Wrong pairing, recovery and invitation codes the whole server takes in 10 minutes, from all
  // addresses together (the code routes are not the safety channel: past it they answer 429).
  int code_failures_per_10_minutes = 100;
  // A live pairing code is retired after this many wrong pairing codes anywhere on the server.
  int pairing_code_failures = 50;
  // Consent text versions accepted besides the built-in ones (kKnownConsentVersions).
  std::vector<std::string> consent_versions;
  // Shares accepted per minute from one client address and for one organisation (0 = no limit):
  // a script flooding the share API is refused (429) instead of burying real shares.
  int shares_per_address_per_minute = 120;
  int shares_per_organisation_per_minute = 600;  // past it: stored quarantined, never refused
  // One-off (anonymous) shares with a safety flag from one address: past it, quarantined.
  int anonymous_safety_shares_per_address_per_minute = 3;
  // Parents' messages a minute per family and per address (past it: 429 too_many_messages), and
  // organisations added to a network without an invitation a minute per address.
  int messages_per_family_per_minute = 10;
  int messages_per_address_per_minute = 30;
  int uninvited_memberships_per_address_per_minute = 10;
  // Every other write a parent's device makes (audience, devices, codes, memberships, answers to
  // proposals, triages) a minute per family and per address, and families created a minute per
  // address (past it: 429 too_many_requests). Removing things (erasure, withdrawal, revoking a
  // device, leaving an organisation) is never limited.
  int parent_writes_per_family_per_minute = 60;
  int parent_writes_per_address_per_minute = 120;
  int families_per_address_per_minute = 30;
  // Threads for large professional reads (day view, family page, inbox list, exports), at a lower
  // CPU priority than request threads so that shares are never slowed by them.
  int read_workers = 2;
  // The inbox shows an alarm when an organisation received more shares than this in the last hour.
  int inbox_alarm_per_hour = 200;
  std::string port_file;  // when set, the bound port is written here once listening
  // The server's secret keys (store/key_file.h); "" = the database path + ".keys".
  std::string key_file;
  // The reverse proxy's address: only requests from it may name the client address (X-Real-IP).
  std::string trusted_proxy;
  // Notifications by e-mail (server/src/notify, docs/deployment.md). No smtp_url: none are sent
  // (they still wait in the outbox). smtp_credentials names a file (mode 0600) holding the user
  // name on its first line and the password on its second.
  std::string smtp_url;  // smtp://host:port (STARTTLS when offered) or smtps://host:port
  std::string smtp_from;
  std::string smtp_credentials;
  // Where the links in mails point (the inbox is public_url + "/inbox/").
  std::string public_url;
  // At most one mail per recipient in this many seconds (later news waits and goes together).
  int mail_interval_seconds = 600;
  // A mail server that is down is retried after 5 s, 10 s, 20 s ... up to this many seconds.
  int mail_retry_max_seconds = 900;
  // Allow smtp:// without STARTTLS (a mail server on this machine or in tests only).
  bool smtp_allow_plain = false;
};

// The consent texts the widget shows (widget/lib/sharing.js, widget/screens/family-calls.js,
// network-together.js, network-triage.js). A parent's consent must name one of these or one given
// with --consent-version: the version goes into the append-only audit log, so it never carries
// free text.
inline constexpr const char* kKnownConsentVersions[] = {"2026-11-v1", "2026-11-referral-v1",
                                                        "2026-12-triage-v1"};
inline constexpr const char* kConsentVersionRule =
    "expected a version name: 1-64 letters, digits, '.', '-' or '_'";
// True for text that can name a consent version (kConsentVersionRule).
bool is_consent_version_name(const std::string& text);
// True when version is built in or configured.
bool is_known_consent_version(const ServerConfig& config, const std::string& version);

// Parses flags (and the config file they name). On error returns false with a message naming the
// flag or the file and JSON pointer.
bool parse_server_config(int argc, const char* const* argv, ServerConfig* config,
                         std::string* error);

// Applies a JSON config file's settings (flags are applied afterwards by parse_server_config).
bool load_config_file(const std::string& path, ServerConfig* config, std::string* error);

std::string server_usage();

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_CONFIG_H_
