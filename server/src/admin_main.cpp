// kindband-admin: organisations, professional accounts, the audit log and backups.
// Works on the database file directly (also while kindband-server runs: SQLite serialises writers).
// Every change is recorded in the audit log as actor "admin:<os user>".
#include <sodium.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "accounts.h"
#include "audit_log.h"
#include "database.h"
#include "directory.h"
#include "email_address.h"
#include "erasure_list.h"
#include "key_file.h"
#include "notification_settings.h"
#include "outbox_store.h"
#include "parent_space.h"
#include "schema.h"
#include "sealed_content.h"
#include "sealing.h"
#include "text_util.h"

namespace kindband::server {
namespace {

constexpr const char* kUsage =
    "usage: kindband-admin --database PATH|postgresql://... [--key-file FILE] COMMAND ...\n"
    "  (--key-file: the server's key file, default PATH.keys; commands that store content need\n"
    "  it: addresses, restore, rotate-content-key, and backup of a database not yet sealed)\n"
    "commands:\n"
    "  create-organisation SLUG --origin ORIGIN [--origin ORIGIN]... [--name NAME]\n"
    "  create-professional USERNAME --organisation SLUG --role ROLE [--name NAME]\n"
    "      [--email ADDRESS]   (password on stdin; NAME: how colleagues and parents see them,\n"
    "      e.g. \"Eva de Vries\"; without it they see the username)\n"
    "  set-professional-name USERNAME NAME\n"
    "  set-professional-notifications USERNAME [--email ADDRESS] [--digest immediate|daily]\n"
    "      [--on-duty yes|no]      where notification mail goes (--email \"\": none)\n"
    "  set-organisation-email ORGANISATION ADDRESS   the team address (\"\": none)\n"
    "  outbox [--all yes]                  mails waiting or failed (--all yes: also those sent)\n"
    "  create-coalition SLUG --name NAME\n"
    "  add-organisation-to-coalition ORGANISATION COALITION --type TYPE\n"
    "      [--description-nl TEXT] [--description-en TEXT] [--page URL]\n"
    "      TYPE: verloskunde, kraamzorg, jgz, huisarts, wijkteam, imh, ggz, ziekenhuis\n"
    "  set-organisation-response ORGANISATION --nl TEXT --en TEXT\n"
    "      when someone looks at a share, as parents read it (both empty: removed)\n"
    "  check-embed ORGANISATION-OR-COALITION URL\n"
    "      may the page at URL share with it? says what to change when not\n"
    "  disable-professional USERNAME\n"
    "  enable-professional USERNAME\n"
    "  reset-password USERNAME                                          (password on stdin)\n"
    "  audit export [--output FILE]        (JSON Lines; default stdout)\n"
    "  audit verify\n"
    "  migrate [--application-role ROLE]   creates or brings the schema up to date, then stops;\n"
    "      PostgreSQL, run as the owner: ROLE (made when missing) may read and write every table\n"
    "      but not change audit rows; the servers connect as ROLE\n"
    "  export-to-postgres URL              (server stopped) copies this SQLite database into the\n"
    "      empty PostgreSQL database at URL in one transaction; the audit head hash stays the "
    "same\n"
    "  create-key-file PATH                a new key file for the server (0600); with PostgreSQL\n"
    "      made once and copied to every instance\n"
    "  backup DEST_FILE                    (online backup, SQLite backup API)\n"
    "  restore BACKUP_FILE [--erasure-list FILE]\n"
    "      replaces the database (server stopped) with the backup, after re-applying every\n"
    "      erasure since (default list: DATABASE.erasures)\n"
    "  run-script FILE                     the commands in FILE, one per line (words as in a "
    "shell,\n"
    "      # for comments), each as if run on its own, in one process; passwords on stdin, one "
    "line\n"
    "      each in order; stops at the first that fails and names its line\n"
    "  rotate-content-key                  (server stopped) a new content key in the key file;\n"
    "      every sealed value's data key is wrapped again under it, the old key is dropped\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "kindband-admin: %s\n%s", message.c_str(), kUsage);
  return 2;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "kindband-admin: %s\n", message.c_str());
  return 1;
}

std::string admin_actor() {
  const char* user = std::getenv("SUDO_USER");
  if (!user) user = std::getenv("USER");
  return std::string("admin:") + (user ? user : "unknown");
}

AuditEvent admin_event(std::string action, std::string organisation, std::string detail) {
  return AuditEvent{admin_actor(),    "admin", std::move(organisation), std::move(action), "", "",
                    std::move(detail)};
}

// Reads one line from stdin; without echo when stdin is a terminal.
std::string read_password(const char* prompt) {
  bool tty = isatty(STDIN_FILENO);
  termios old_attributes{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &old_attributes);
    termios quiet = old_attributes;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old_attributes);
    std::fprintf(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Runs body inside one write transaction; commits when it returns true.
template <typename Body>
bool in_transaction(Database& database, std::string* error, Body body) {
  std::string failure;
  if (database.write([&](Tx* tx) { return body(tx, &failure); }) == Database::Outcome::kCommitted) {
    return true;
  }
  *error = failure.empty() ? "the change could not be stored; nothing was changed" : failure;
  return false;
}

// Splits "--flag value" pairs from positional arguments. Flags may repeat.
bool split_args(const std::vector<std::string>& args, std::vector<std::string>* positional,
                std::multimap<std::string, std::string>* flags, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) == 0) {
      if (i + 1 >= args.size()) {
        *error = args[i] + ": missing value";
        return false;
      }
      flags->emplace(args[i], args[i + 1]);
      ++i;
    } else {
      positional->push_back(args[i]);
    }
  }
  return true;
}

// check-embed: what an IT person needs to know when the widget on a page cannot share (issue 14).
int check_embed_command(Tx* db, const std::string& slug, const std::string& url) {
  // The origin is the URL's scheme://host[:port]: the path of the page does not matter.
  size_t host_start = url.find("://");
  size_t path_start = host_start == std::string::npos ? std::string::npos
                                                      : url.find_first_of("/?#", host_start + 3);
  std::string origin = url.substr(0, path_start);
  EmbedCheck check = check_embed(db, slug, origin);
  std::printf("page:      %s\nwebsite:   %s\n", url.c_str(),
              check.origin.empty() ? "(not a valid http(s) address)" : check.origin.c_str());
  if (check.reason == "unknown_organisation") {
    std::printf("NOT OK:    %s\n", check.message.c_str());
    std::printf(
        "fix:       use the id of an existing organisation or coalition in the widget's "
        "org=\"...\" (create one with create-organisation or create-coalition)\n");
    return 1;
  }
  std::printf("%s %s\n", check.kind == "coalition" ? "coalition:" : "org:      ", slug.c_str());
  std::printf("websites that may share with it:%s\n",
              check.allowed_origins.empty() ? " none yet" : "");
  for (const auto& allowed : check.allowed_origins) std::printf("           %s\n", allowed.c_str());
  if (check.reason == "invalid_origin" || check.reason == "no_origin") {
    std::printf(
        "NOT OK:    %s\nfix:       give the page's full address, e.g. "
        "https://www.gemeente.nl/zwanger\n",
        check.message.c_str());
    return 1;
  }
  if (!check.allowed) {
    std::printf("NOT OK:    %s\n", check.message.c_str());
    std::printf(
        "fix:       add the website to %s: start kindband-server with --organisation "
        "%s=%s (or add it to the organisation's \"origins\" in the config file)%s\n",
        check.kind == "coalition" ? "one of the coalition's organisations" : slug.c_str(),
        check.kind == "coalition" ? "ORGANISATION" : slug.c_str(), check.origin.c_str(),
        check.kind == "coalition" ? "; a coalition's pages may share with the organisation "
                                    "whose website it is"
                                  : "");
    for (const auto& allowed : check.allowed_origins) {
      // A near miss is the usual mistake: www or not, http or https, a port.
      auto bare = [](std::string o) {
        o = o.substr(o.find("://") + 3);
        return o.rfind("www.", 0) == 0 ? o.substr(4) : o;
      };
      if (bare(allowed) == bare(check.origin)) {
        std::printf("note:      %s is allowed; browsers treat %s as a different website\n",
                    allowed.c_str(), check.origin.c_str());
      }
    }
    return 1;
  }
  std::printf("OK:        %s\n", check.message.c_str());
  if (check.origin.rfind("http://", 0) == 0 &&
      check.origin.find("://localhost") == std::string::npos &&
      check.origin.find("://127.0.0.1") == std::string::npos) {
    std::printf(
        "warning:   the page is not served over https; parents' browsers may warn or "
        "refuse\n");
  }
  std::printf(
      "also:      the page's Content-Security-Policy must allow the widget (docs/widget.md):"
      " script-src with 'wasm-unsafe-eval', connect-src with this server\n");
  return 0;
}

void remove_database_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) unlink((path + suffix).c_str());
  unlink(erasure_list_path(path).c_str());
}

// restore: the backup is copied beside the database, brought to the current schema, every entry
// of the erasure list is re-applied to it, and only then it replaces the database. A restore
// therefore never brings back what parents erased after the backup was made.
// Loads the key file for database (creating it or adding a content key where the database
// allows, key_file.h) and seals what the database still holds in clear (schema 10).
bool open_keys(Database& database, const std::string& key_path, ServerKeys* keys,
               std::string* error) {
  std::string failure;
  if (database.write([&](Tx* tx) { return load_server_keys(key_path, tx, keys, &failure); }) !=
      Database::Outcome::kCommitted) {
    *error = failure.empty() ? key_path + ": the keys could not be loaded" : failure;
    return false;
  }
  int64_t sealed = 0;
  if (!seal_clear_content(&database, &sealed, error)) return false;
  if (sealed > 0) {
    std::fprintf(stderr, "kindband-admin: sealed %lld values kept in clear by an older version\n",
                 static_cast<long long>(sealed));
  }
  return true;
}

int restore(const std::string& backup_path, const std::string& database_path,
            const std::string& list_path, const std::string& key_path) {
  if (access(backup_path.c_str(), R_OK) != 0) return fail(backup_path + ": cannot read the backup");
  const std::string building = database_path + ".restoring";
  remove_database_files(building);
  std::string error;
  if (!copy_backup(backup_path, building, &error)) {
    remove_database_files(building);
    return fail(error);
  }
  ErasureReplay replay;
  {
    std::unique_ptr<Database> restored = open_database(building, &error);
    ServerKeys keys;
    // The restored copy is sealed under this server's content key before it replaces anything.
    if (!restored || !open_keys(*restored, key_path, &keys, &error) ||
        !reapply_erasures(restored.get(), list_path, &replay, &error) ||
        !in_transaction(
            *restored, &error,
            [&](Tx* tx, std::string* e) {
              return append_audit(
                  tx,
                  admin_event("restore", "",
                              "from=" + backup_path + " erasures_reapplied=" +
                                  std::to_string(replay.families + replay.parents + replay.shares)),
                  e);
            }) ||
        !restored->purge_logs()) {
      restored.reset();
      remove_database_files(building);
      return fail(error.empty() ? building + ": the WAL could not be emptied" : error);
    }
  }
  // The re-applied erasures were listed again beside the copy; the real list has them already.
  unlink(erasure_list_path(building).c_str());
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    unlink((database_path + suffix).c_str());
    unlink((building + suffix).c_str());
  }
  if (rename(building.c_str(), database_path.c_str()) != 0) {
    return fail(database_path + ": cannot be replaced; the restored copy is " + building);
  }
  std::printf(
      "restored %s from %s; re-applied from %s: %d families, %d parents' data, %d shares "
      "(%d entries)\n",
      database_path.c_str(), backup_path.c_str(), list_path.c_str(), replay.families,
      replay.parents, replay.shares, replay.entries);
  return 0;
}

// One command (command_line[0]) and its arguments, on the database at `path`.
int run_command(const std::string& path, const std::string& key_path, bool key_file_given,
                const std::vector<std::string>& command_line) {
  const std::string command = command_line[0];
  std::vector<std::string> positional;
  std::multimap<std::string, std::string> flags;
  std::string error;
  if (!split_args(std::vector<std::string>(command_line.begin() + 1, command_line.end()),
                  &positional, &flags, &error)) {
    return usage_error(error);
  }
  auto flag = [&](const std::string& name) {
    auto it = flags.find(name);
    return it == flags.end() ? std::string() : it->second;
  };
  auto allow_flags = [&](std::initializer_list<const char*> allowed) {
    for (const auto& [name, value] : flags) {
      bool known = false;
      for (const char* a : allowed) known = known || name == a;
      if (!known) {
        error = name + ": not an option of " + command;
        return false;
      }
    }
    return true;
  };

  if (command == "restore") {
    if (positional.size() != 1 || !allow_flags({"--erasure-list"})) {
      return usage_error(error.empty() ? "restore needs one BACKUP_FILE" : error);
    }
    const std::string list =
        flags.count("--erasure-list") ? flag("--erasure-list") : erasure_list_path(path);
    return restore(positional[0], path, list, key_path);
  }

  std::unique_ptr<Database> database = open_database(path, &error);
  if (!database) return fail(error);
  ServerKeys keys;
  // Content (addresses) is sealed under the server's content key; a backup holds sealed content.
  // With PostgreSQL there is no database file to put the key file beside: it is named, the same
  // file every instance is given (docs/deployment.md).
  auto need_keys = [&] {
    if (is_database_url(path) && !key_file_given) {
      error = command + ": --key-file is needed with a PostgreSQL database (the file every " +
              "instance is given)";
      return false;
    }
    return open_keys(*database, key_path, &keys, &error);
  };

  if (command == "rotate-content-key") {
    if (!positional.empty() || !allow_flags({})) {
      return usage_error(error.empty() ? "rotate-content-key takes no arguments" : error);
    }
    if (!need_keys()) return fail(error);
    const std::string old_id = current_content_key_id();
    // The new key is in the file (durably) before any value is wrapped under it.
    keys.previous_content_keys.insert(keys.previous_content_keys.begin(), keys.content_key);
    keys.content_key = random_token(32);
    if (!write_server_keys(key_path, keys, &error)) return fail(error);
    int64_t rewrapped = 0;
    if (!need_keys() || !rewrap_content(database.get(), &rewrapped, &error)) {
      return fail(error + " (the key file keeps the old key as previous_content_keys: run again)");
    }
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return append_audit(tx,
                              admin_event("content_key_rotated", "",
                                          "from=" + old_id + " to=" + current_content_key_id() +
                                              " values=" + std::to_string(rewrapped)),
                              e);
        })) {
      return fail(error);
    }
    keys.previous_content_keys.clear();
    if (!write_server_keys(key_path, keys, &error)) return fail(error);
    std::printf("content key %s replaced by %s: %lld values rewrapped; %s holds only the new key\n",
                old_id.c_str(), current_content_key_id().c_str(), static_cast<long long>(rewrapped),
                key_path.c_str());
    return 0;
  }

  if (command == "create-organisation") {
    if (positional.size() != 1 || !allow_flags({"--origin", "--name"})) {
      return usage_error(error.empty() ? "create-organisation needs one SLUG" : error);
    }
    Organisation organisation;
    organisation.slug = positional[0];
    organisation.name = flag("--name").empty() ? organisation.slug : flag("--name");
    auto range = flags.equal_range("--origin");
    for (auto it = range.first; it != range.second; ++it) {
      std::string origin;
      if (!normalise_origin(it->second, &origin, &error)) return fail(error);
      organisation.origins.push_back(origin);
    }
    if (organisation.origins.empty()) {
      return usage_error(
          "create-organisation needs at least one --origin (the website that "
          "embeds the widget)");
    }
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return create_organisation(tx, organisation, e) &&
                 append_audit(tx, admin_event("organisation_created", organisation.slug, ""), e);
        })) {
      return fail(error);
    }
    std::printf("created organisation %s (origins:", organisation.slug.c_str());
    for (const auto& origin : organisation.origins) std::printf(" %s", origin.c_str());
    std::printf(")\n");
    return 0;
  }

  if (command == "create-coalition") {
    if (positional.size() != 1 || !allow_flags({"--name"}) || flag("--name").empty()) {
      return usage_error(error.empty() ? "create-coalition needs one SLUG and --name NAME" : error);
    }
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return create_coalition(tx, positional[0], flag("--name"), e) &&
                 append_audit(
                     tx, admin_event("coalition_created", "", "coalition=" + positional[0]), e);
        })) {
      return fail(error);
    }
    std::printf("created coalition %s\n", positional[0].c_str());
    return 0;
  }

  if (command == "add-organisation-to-coalition") {
    if (positional.size() != 2 ||
        !allow_flags({"--type", "--description-nl", "--description-en", "--page"}) ||
        flag("--type").empty()) {
      return usage_error(
          error.empty() ? "add-organisation-to-coalition needs ORGANISATION COALITION --type TYPE"
                        : error);
    }
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return add_organisation_to_coalition(tx, positional[0], positional[1], flag("--type"),
                                               flag("--description-nl"), flag("--description-en"),
                                               flag("--page"), e) &&
                 append_audit(tx,
                              admin_event("organisation_added_to_coalition", positional[0],
                                          "coalition=" + positional[1] + " type=" + flag("--type")),
                              e);
        })) {
      return fail(error);
    }
    std::printf("organisation %s is in coalition %s as %s\n", positional[0].c_str(),
                positional[1].c_str(), flag("--type").c_str());
    return 0;
  }

  if (command == "set-organisation-response") {
    if (positional.size() != 1 || !allow_flags({"--nl", "--en"}) || !flags.count("--nl") ||
        !flags.count("--en")) {
      return usage_error(error.empty() ? "set-organisation-response needs ORGANISATION --nl TEXT "
                                         "--en TEXT"
                                       : error);
    }
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return set_organisation_response_time(tx, positional[0], flag("--nl"), flag("--en"), e) &&
                 append_audit(tx, admin_event("organisation_response_time_set", positional[0], ""),
                              e);
        })) {
      return fail(error);
    }
    std::printf("response time of %s: %s / %s\n", positional[0].c_str(),
                flag("--nl").empty() ? "(none)" : flag("--nl").c_str(),
                flag("--en").empty() ? "(none)" : flag("--en").c_str());
    return 0;
  }

  if (command == "check-embed") {
    if (positional.size() != 2 || !allow_flags({})) {
      return usage_error("check-embed needs ORGANISATION-OR-COALITION and the page's URL");
    }
    auto snapshot = database->read();
    if (!snapshot.tx()) return fail(path + ": cannot be read");
    return check_embed_command(snapshot.tx(), positional[0], positional[1]);
  }

  if (command == "create-professional" || command == "reset-password") {
    bool create = command == "create-professional";
    if (positional.size() != 1 ||
        !(create ? allow_flags({"--organisation", "--role", "--email", "--name"})
                 : allow_flags({}))) {
      return usage_error(error.empty() ? command + " needs one USERNAME" : error);
    }
    if (create && (flag("--organisation").empty() || flag("--role").empty())) {
      return usage_error("create-professional needs --organisation SLUG and --role ROLE");
    }
    const std::string username = positional[0];
    std::string problem = check_username(username);
    if (!problem.empty()) return fail(problem);
    if (flags.count("--email")) {
      problem = check_email_address(flag("--email"));
      if (!problem.empty()) return fail("--email: " + problem);
    }
    if (flags.count("--name")) {
      problem = check_display_name(flag("--name"));
      if (!problem.empty()) return fail("--name: " + problem);
    }
    if (flags.count("--email") && !need_keys()) return fail(error);
    std::string password = read_password("password (at least 12 characters): ");
    std::string hash;
    if (!hash_password(password, &hash, &error)) return fail(error);
    sodium_memzero(password.data(), password.size());
    bool ok = in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
      Professional professional;
      if (create) {
        if (!create_professional(tx, flag("--organisation"), username, flag("--role"), hash, e,
                                 flag("--name"))) {
          return false;
        }
      } else if (!set_professional_password(tx, username, hash, e)) {
        return false;
      }
      find_professional(tx, username, &professional);
      if (create && flags.count("--email")) {
        ProfessionalNotificationsChange change;
        change.email = flag("--email");
        if (!change_professional_notifications(tx, professional.id, change)) {
          *e = tx->last_error();
          return false;
        }
      }
      return append_audit(
          tx,
          admin_event(create ? "professional_created" : "password_reset",
                      professional.organisation_slug,
                      "user=" + username + (create && flags.count("--email") ? " email=set" : "")),
          e);
    });
    if (!ok) return fail(error);
    std::printf("%s %s\n", create ? "created professional" : "password reset for",
                username.c_str());
    return 0;
  }

  if (command == "set-professional-name") {
    if (positional.size() != 2 || !allow_flags({})) {
      return usage_error(error.empty() ? "set-professional-name needs USERNAME and NAME" : error);
    }
    bool ok = in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
      Professional professional;
      return set_professional_display_name(tx, positional[0], positional[1], e) &&
             find_professional(tx, positional[0], &professional) &&
             append_audit(tx,
                          admin_event("professional_named", professional.organisation_slug,
                                      "user=" + positional[0]),
                          e);
    });
    if (!ok) return fail(error);
    std::printf("named %s\n", positional[0].c_str());
    return 0;
  }

  if (command == "disable-professional" || command == "enable-professional") {
    bool disable = command == "disable-professional";
    if (positional.size() != 1 || !allow_flags({})) {
      return usage_error(error.empty() ? command + " needs one USERNAME" : error);
    }
    bool ok = in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
      Professional professional;
      // A disabled professional's open cases go back to "new" for their organisation and the
      // other recipients; the agreements they owned need a new owner (issue 21).
      return set_professional_disabled(tx, positional[0], disable, e) &&
             find_professional(tx, positional[0], &professional) &&
             (!disable || release_professional(tx, professional.id)) &&
             append_audit(tx,
                          admin_event(disable ? "professional_disabled" : "professional_enabled",
                                      professional.organisation_slug, "user=" + positional[0]),
                          e);
    });
    if (!ok) return fail(error);
    std::printf("%s %s\n", disable ? "disabled" : "enabled", positional[0].c_str());
    return 0;
  }

  if (command == "set-professional-notifications") {
    if (positional.size() != 1 || !allow_flags({"--email", "--digest", "--on-duty"}) ||
        flags.empty()) {
      return usage_error(error.empty() ? "set-professional-notifications needs USERNAME and "
                                         "--email, --digest or --on-duty"
                                       : error);
    }
    ProfessionalNotificationsChange change;
    if (flags.count("--email")) {
      if (!flag("--email").empty()) {
        std::string problem = check_email_address(flag("--email"));
        if (!problem.empty()) return fail("--email: " + problem);
      }
      change.email = flag("--email");
    }
    if (flags.count("--digest")) {
      if (flag("--digest") != "immediate" && flag("--digest") != "daily") {
        return usage_error("--digest: expected immediate or daily");
      }
      change.daily = flag("--digest") == "daily";
    }
    if (flags.count("--on-duty")) {
      if (flag("--on-duty") != "yes" && flag("--on-duty") != "no") {
        return usage_error("--on-duty: expected yes or no");
      }
      change.on_duty = flag("--on-duty") == "yes";
    }
    if (!need_keys()) return fail(error);
    Professional professional;
    ProfessionalNotifications now;
    bool ok = in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
      if (!find_professional(tx, positional[0], &professional)) {
        *e = "no professional " + positional[0];
        return false;
      }
      std::string detail = "user=" + positional[0];
      if (change.email) detail += change.email->empty() ? " email=removed" : " email=set";
      if (change.daily) detail += *change.daily ? " digest=daily" : " digest=immediate";
      if (change.on_duty) detail += *change.on_duty ? " on_duty=yes" : " on_duty=no";
      if (!change_professional_notifications(tx, professional.id, change) ||
          !professional_notifications(tx, professional.id, &now)) {
        *e = tx->last_error();
        return false;
      }
      return append_audit(
          tx,
          admin_event("professional_notifications_changed", professional.organisation_slug, detail),
          e);
    });
    if (!ok) return fail(error);
    std::printf("%s: mail %s, %s, %s\n", positional[0].c_str(),
                now.email.empty() ? "off (no address)" : ("to " + now.email).c_str(),
                now.daily ? "daily digest" : "at once", now.on_duty ? "on duty" : "not on duty");
    return 0;
  }

  if (command == "set-organisation-email") {
    if (positional.size() != 2 || !allow_flags({})) {
      return usage_error("set-organisation-email needs ORGANISATION and ADDRESS (\"\": none)");
    }
    if (!positional[1].empty()) {
      std::string problem = check_email_address(positional[1]);
      if (!problem.empty()) return fail(problem);
    }
    if (!need_keys()) return fail(error);
    bool ok = in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
      Organisation organisation;
      if (!find_organisation(tx, positional[0], &organisation)) {
        *e = "no organisation " + positional[0];
        return false;
      }
      if (!set_organisation_team_email(tx, organisation.id, positional[1])) {
        *e = tx->last_error();
        return false;
      }
      return append_audit(tx,
                          admin_event("organisation_email_changed", positional[0],
                                      positional[1].empty() ? "email=removed" : "email=set"),
                          e);
    });
    if (!ok) return fail(error);
    std::printf("team address of %s: %s\n", positional[0].c_str(),
                positional[1].empty() ? "(none)" : positional[1].c_str());
    return 0;
  }

  if (command == "outbox") {
    const bool all = flags.count("--all") && flag("--all") != "no";
    if (!positional.empty() || !allow_flags({"--all"})) {
      return usage_error(error.empty() ? "outbox takes only [--all yes]" : error);
    }
    std::vector<OutboxMail> mails;
    OutboxCounts counts;
    const int64_t now = unix_now_millis();
    auto snapshot = database->read();
    if (!snapshot.tx()) return fail(path + ": cannot be read");
    if (!list_outbox(snapshot.tx(), all, &mails) || !count_outbox(snapshot.tx(), now, &counts)) {
      return fail("reading the outbox failed: " + snapshot.tx()->last_error());
    }
    std::printf("outbox: %lld pending, %lld failed, %lld sent (kept 8 days)\n",
                static_cast<long long>(counts.pending), static_cast<long long>(counts.failed),
                static_cast<long long>(counts.sent));
    for (const OutboxMail& mail : mails) {
      std::string kinds;
      for (const std::string& kind : mail.kinds) kinds += (kinds.empty() ? "" : ",") + kind;
      // A parent is shown by number only: their address is theirs.
      std::printf("#%lld %-7s to %s %lld  %s  events=%lld tries=%lld %s %s%s\n",
                  static_cast<long long>(mail.id), mail.status.c_str(), mail.recipient_kind.c_str(),
                  static_cast<long long>(mail.recipient_id), kinds.c_str(),
                  static_cast<long long>(mail.events), static_cast<long long>(mail.attempts),
                  mail.status == "sent"
                      ? ("sent " + utc_timestamp_at(mail.sent_at / 1000)).c_str()
                      : ("next " + utc_timestamp_at(mail.next_attempt_at / 1000)).c_str(),
                  mail.last_error.empty() ? "" : "last error: ", mail.last_error.c_str());
    }
    return 0;
  }

  if (command == "audit") {
    if (positional.empty()) return usage_error("audit needs export or verify");
    if (positional[0] == "verify" && positional.size() == 1 && allow_flags({})) {
      auto snapshot = database->read();
      if (!snapshot.tx()) return fail(path + ": cannot be read");
      AuditVerification v = verify_audit_chain(snapshot.tx());
      if (!v.ok) {
        return fail("audit log BROKEN at row " + std::to_string(v.first_bad_seq) + ": " +
                    v.problem);
      }
      std::printf("audit log intact: %lld rows, head hash %s\n", static_cast<long long>(v.rows),
                  v.head_hash.empty() ? "(empty)" : v.head_hash.c_str());
      return 0;
    }
    if (positional[0] == "export" && positional.size() == 1 && allow_flags({"--output"})) {
      const std::string output = flag("--output");
      // The export itself is an audited event; record it first so the export contains it.
      if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
            return append_audit(
                tx, admin_event("audit_export", "", "to=" + (output.empty() ? "stdout" : output)),
                e);
          })) {
        return fail(error);
      }
      int64_t rows = 0;
      auto snapshot = database->read();
      if (!snapshot.tx()) return fail(path + ": cannot be read");
      if (output.empty()) {
        rows = export_audit_log(snapshot.tx(), std::cout);
        std::cout.flush();
      } else {
        std::ofstream out(output, std::ios::trunc);
        if (!out) return fail(output + ": cannot write");
        rows = export_audit_log(snapshot.tx(), out);
        out.close();
        if (!out) return fail(output + ": write failed");
      }
      if (rows < 0) return fail("reading the audit log failed: " + snapshot.tx()->last_error());
      std::fprintf(stderr, "exported %lld audit rows\n", static_cast<long long>(rows));
      return 0;
    }
    return usage_error(error.empty() ? "audit needs export or verify" : error);
  }

  if (command == "migrate") {
    if (!positional.empty() || !allow_flags({"--application-role"})) {
      return usage_error(error.empty() ? "migrate takes only [--application-role ROLE]" : error);
    }
    // Opening the database made or completed the schema.
    std::printf("the database is at schema version %d\n", schema_version());
    if (flags.count("--application-role")) {
      const std::string role = flag("--application-role");
      if (!set_up_application_role(path, role, &error)) return fail(error);
      std::printf(
          "role %s may read and write every table but not update, delete or truncate "
          "audit_log; connect the servers as %s\n",
          role.c_str(), role.c_str());
    }
    return 0;
  }

  if (command == "export-to-postgres") {
    if (positional.size() != 1 || !allow_flags({})) {
      return usage_error("export-to-postgres needs one postgresql:// URL");
    }
    const std::string& target = positional[0];
    if (is_database_url(path)) return fail(path + ": the source must be a SQLite database file");
    if (!is_database_url(target)) return fail(target + ": not a postgresql:// URL");
    // Only sealed content leaves the file: a database from before schema 10 is sealed first.
    if (!content_is_sealed(database.get()) && !need_keys()) return fail(error);
    // The move is an audited event of the source, so the target's chain ends with it.
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return append_audit(tx, admin_event("export_to_postgres", "", "to=postgresql"), e);
        })) {
      return fail(error);
    }
    AuditVerification source_chain;
    {
      auto snapshot = database->read();
      if (!snapshot.tx()) return fail(path + ": cannot be read");
      source_chain = verify_audit_chain(snapshot.tx());
    }
    if (!source_chain.ok) {
      return fail(path + ": audit log BROKEN at row " + std::to_string(source_chain.first_bad_seq) +
                  ": " + source_chain.problem + "; nothing was exported");
    }
    std::vector<TableCopied> copied;
    const bool ok = export_to_postgres(
        database.get(), target,
        [&](Tx* tx, std::string* e) {
          const AuditVerification copy = verify_audit_chain(tx);
          if (!copy.ok || copy.rows != source_chain.rows ||
              copy.head_hash != source_chain.head_hash) {
            *e = "target: the copied audit log differs from the source's (" +
                 (copy.ok ? "head hash " + copy.head_hash
                          : "broken at row " + std::to_string(copy.first_bad_seq) + ": " +
                                copy.problem) +
                 ")";
            return false;
          }
          return true;
        },
        &copied, &error);
    if (!ok) return fail(error + "; nothing was stored in the target");
    int64_t rows = 0;
    for (const TableCopied& table : copied) {
      std::printf("  %-28s %lld rows\n", table.table.c_str(), static_cast<long long>(table.rows));
      rows += table.rows;
    }
    std::printf(
        "exported %lld rows in %zu tables; audit log intact on the target: %lld rows, head hash "
        "%s (as on the source)\n",
        static_cast<long long>(rows), copied.size(), static_cast<long long>(source_chain.rows),
        source_chain.head_hash.empty() ? "(empty)" : source_chain.head_hash.c_str());
    std::printf(
        "start the servers with --database on the target and --key-file %s (the same key "
        "file)\n",
        key_path.c_str());
    return 0;
  }

  if (command == "create-key-file") {
    if (positional.size() != 1 || !allow_flags({})) {
      return usage_error("create-key-file needs one PATH");
    }
    if (access(positional[0].c_str(), F_OK) == 0) {
      return fail(positional[0] + ": exists already; a key file is never replaced");
    }
    // The same loader the server uses, so the file has every key it expects.
    ServerKeys keys;
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return load_server_keys(positional[0], tx, &keys, e);
        })) {
      return fail(error);
    }
    std::printf("key file written to %s\n", positional[0].c_str());
    return 0;
  }

  if (command == "backup") {
    if (positional.size() != 1 || !allow_flags({})) {
      return usage_error("backup needs one DEST_FILE");
    }
    const std::string dest_path = positional[0];
    if (access(dest_path.c_str(), F_OK) == 0) {
      return fail(dest_path + ": exists already; choose a new file name");
    }
    // A database from before schema 10 is sealed first: a backup never holds content in clear.
    // A sealed one is copied as it is, without its key (whoever makes backups need not hold it).
    if (!content_is_sealed(database.get()) && !need_keys()) return fail(error);
    if (!database->backup(dest_path, &error)) return fail(error);
    if (!in_transaction(*database, &error, [&](Tx* tx, std::string* e) {
          return append_audit(tx, admin_event("backup", "", "to=" + dest_path), e);
        })) {
      return fail(error);
    }
    std::printf("backup written to %s\n", dest_path.c_str());
    return 0;
  }

  return usage_error("unknown command '" + command + "'");
}

// Splits one line of a script into words as a POSIX shell would for plain words: blanks separate,
// '...' keeps everything, "..." keeps everything but \" and \\, a backslash outside quotes escapes
// the next character. False (and *error) for an unfinished quote.
bool split_script_line(const std::string& line, std::vector<std::string>* words,
                       std::string* error) {
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words->push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const size_t end = line.find('\'', i + 1);
      if (end == std::string::npos) {
        *error = "a ' is not closed";
        return false;
      }
      word += line.substr(i + 1, end - i - 1);
      in_word = true;
      i = end;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size() && (line[j + 1] == '"' || line[j + 1] == '\\')) {
          ++j;
        }
        word += line[j];
      }
      if (j >= line.size()) {
        *error = "a \" is not closed";
        return false;
      }
      in_word = true;
      i = j;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words->push_back(word);
  return true;
}

// run-script FILE: the commands in FILE, one per line, each as its own invocation would run it (its
// own transaction and audit row), in one process; passwords (create-professional, reset-password)
// come from stdin, one line each, in order. Stops at the first command that fails and says its
// line.
int run_script(const std::string& path, const std::string& key_path, bool key_file_given,
               const std::string& script_path) {
  std::ifstream script(script_path);
  if (!script) return fail("run-script: cannot read " + script_path);
  std::string line;
  int line_number = 0;
  int commands = 0;
  while (std::getline(script, line)) {
    ++line_number;
    const std::string where = script_path + ":" + std::to_string(line_number);
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::vector<std::string> words;
    std::string error;
    if (!split_script_line(line, &words, &error)) return fail(where + ": " + error);
    if (words[0] == "run-script") return fail(where + ": run-script cannot run another script");
    const int status = run_command(path, key_path, key_file_given, words);
    std::fflush(stdout);
    if (status != 0) {
      return fail(where + ": '" + words[0] + "' failed (above); " + std::to_string(commands) +
                  " command(s) before it were done, the rest of the script was not run");
    }
    ++commands;
  }
  return 0;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 3 || args[0] != "--database") {
    return usage_error("start with --database PATH and a command");
  }
  const std::string path = args[1];
  std::string key_path = path + ".keys";
  size_t command_at = 2;
  bool key_file_given = false;
  if (args[2] == "--key-file") {
    if (args.size() < 5) return usage_error("--key-file needs FILE and then a command");
    key_path = args[3];
    command_at = 4;
    key_file_given = true;
  }
  const std::vector<std::string> command_line(args.begin() + command_at, args.end());
  if (command_line[0] == "run-script") {
    if (command_line.size() != 2) return usage_error("run-script needs one FILE");
    return run_script(path, key_path, key_file_given, command_line[1]);
  }
  return run_command(path, key_path, key_file_given, command_line);
}

}  // namespace
}  // namespace kindband::server

int main(int argc, char** argv) {
  // The database, its WAL and backups are for the server's user only.
  umask(077);
  if (sodium_init() < 0) {
    std::fprintf(stderr, "kindband-admin: libsodium could not be initialised\n");
    return 1;
  }
  return kindband::server::run(argc, argv);
}
