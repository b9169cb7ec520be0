#include "server_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#ifdef KINDBAND_WITH_POSTGRES
#include <libpq-fe.h>
#endif
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "kindband/engine.h"
#include "sealed_content.h"
#include "sealing.h"

namespace kindband::test {
namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::string& stdin_text, int* stdin_fd_out) {
  int stdin_pipe[2];
  if (pipe(stdin_pipe) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(stdin_pipe[0], STDIN_FILENO);
    close(stdin_pipe[0]);
    close(stdin_pipe[1]);
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    close(log);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(stdin_pipe[0]);
  if (!stdin_text.empty()) {
    ssize_t ignored = write(stdin_pipe[1], stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  if (stdin_fd_out) {
    *stdin_fd_out = stdin_pipe[1];
  } else {
    close(stdin_pipe[1]);
  }
  return pid;
}

#ifdef KINDBAND_WITH_POSTGRES
// Runs one statement on the cluster's maintenance database; "" or the error.
std::string run_on_cluster(const std::string& sql) {
  PGconn* conn =
      PQconnectdb((std::string(std::getenv("KINDBAND_TEST_POSTGRES")) + "/postgres").c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

// The databases this process made, dropped when it ends (each test runs in its own process). A
// DROP DATABASE waits for a checkpoint (seconds on a busy disk), so a detached psql does it and
// the test ends at once (a throw-away cluster may be stopped before it is done).
struct MadeDatabases {
  std::mutex mutex;
  std::set<std::string> names;
  ~MadeDatabases() {
    if (names.empty()) return;
    std::vector<std::string> args = {
        "psql", "-X", "-q", "-d", std::string(std::getenv("KINDBAND_TEST_POSTGRES")) + "/postgres"};
    for (const std::string& name : names) {
      args.push_back("-c");
      args.push_back("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const pid_t child = fork();
    if (child == 0) {
      setsid();
      if (fork() == 0) {
        const int null = open("/dev/null", O_RDWR);
        for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) dup2(null, fd);
        execvp(argv[0], argv.data());
      }
      _exit(0);
    }
    if (child > 0) waitpid(child, nullptr, 0);
  }
};
MadeDatabases& made_databases() {
  static MadeDatabases made;
  return made;
}
#endif

// Where a test keeps a database it names (use_location): a URL of its own, or the file itself.
struct OwnLocations {
  std::mutex mutex;
  std::map<std::string, std::string> urls;
};
OwnLocations& own_locations() {
  static OwnLocations locations;
  return locations;
}

bool is_url(const std::string& location) { return location.rfind("postgresql://", 0) == 0; }

}  // namespace

void use_location(const std::string& db, const std::string& url) {
  std::lock_guard<std::mutex> lock(own_locations().mutex);
  own_locations().urls[db] = url;
}

bool on_postgres() {
  const char* base = std::getenv("KINDBAND_TEST_POSTGRES");
  return base && *base;
}

std::string database_location(const std::string& db) {
  {
    std::lock_guard<std::mutex> lock(own_locations().mutex);
    auto own = own_locations().urls.find(db);
    if (own != own_locations().urls.end()) return own->second;
  }
  if (!on_postgres() || is_url(db)) return db;
#ifdef KINDBAND_WITH_POSTGRES
  // One fresh database per database file a test names (the file's folder is new for each test).
  char name[32];
  std::snprintf(name, sizeof name, "kbt_%016llx",
                static_cast<unsigned long long>(std::hash<std::string>{}(db)));
  MadeDatabases& made = made_databases();
  std::lock_guard<std::mutex> lock(made.mutex);
  if (made.names.insert(name).second) {
    const std::string error = run_on_cluster(std::string("CREATE DATABASE ") + name);
    EXPECT_EQ(error, "") << "KINDBAND_TEST_POSTGRES: cannot create database " << name;
  }
  return std::string(std::getenv("KINDBAND_TEST_POSTGRES")) + "/" + name;
#else
  ADD_FAILURE() << "KINDBAND_TEST_POSTGRES is set, but this build has no PostgreSQL (libpq-dev)";
  return db;
#endif
}

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "kindband-server-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  char* made = mkdtemp(buffer.data());
  path_ = made ? made : "";
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

CommandResult run_admin(const std::string& db, const std::vector<std::string>& args,
                        const std::string& stdin_text) {
  std::vector<std::string> argv = {KINDBAND_ADMIN_BINARY, "--database", database_location(db)};
  // PostgreSQL: the key file the test's servers are given (ServerProcess::start), where SQLite's
  // default would be.
  if (on_postgres() && db.rfind("postgresql://", 0) != 0 &&
      (args.empty() || args[0] != "--key-file")) {
    argv.push_back("--key-file");
    argv.push_back(db + ".keys");
  }
  argv.insert(argv.end(), args.begin(), args.end());
  // Beside the database file, or for a URL in the temporary folder.
  std::string log_path = db.rfind("postgresql://", 0) == 0
                             ? (std::filesystem::temp_directory_path() /
                                ("kindband-admin-" + std::to_string(getpid()) + ".log"))
                                   .string()
                             : db + ".admin.log";
  std::filesystem::remove(log_path);
  pid_t pid = spawn(argv, log_path, stdin_text, nullptr);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.output = read_file(log_path);
  return result;
}

CommandResult run_admin_script(const std::string& db,
                               const std::vector<std::vector<std::string>>& commands,
                               const std::string& stdin_text) {
  // Each word in single quotes (a ' inside as '\''), one command per line.
  std::string script;
  for (const std::vector<std::string>& command : commands) {
    for (const std::string& word : command) {
      script += '\'';
      for (char c : word) script += c == '\'' ? std::string("'\\''") : std::string(1, c);
      script += "' ";
    }
    script += '\n';
  }
  static int scripts = 0;
  const std::string path = db.rfind("postgresql://", 0) == 0
                               ? (std::filesystem::temp_directory_path() /
                                  ("kindband-admin-" + std::to_string(getpid()) + "-" +
                                   std::to_string(++scripts) + ".script"))
                                     .string()
                               : db + ".admin-script-" + std::to_string(++scripts);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << script;
  }
  CommandResult result = run_admin(db, {"run-script", path}, stdin_text);
  std::filesystem::remove(path);
  return result;
}

ServerProcess::~ServerProcess() { stop(); }

bool ServerProcess::start(const std::string& db, const std::vector<std::string>& extra_args,
                          const std::string& name) {
  dir_ = std::filesystem::path(db).parent_path().string();
  std::string port_file = dir_ + "/" + name + ".port";
  std::filesystem::remove(port_file);
  log_path_ = dir_ + "/" + name + ".log";
  std::vector<std::string> argv = {
      KINDBAND_SERVER_BINARY, "--database", database_location(db), "--listen", "127.0.0.1:0",
      "--port-file",          port_file};
  if (is_url(database_location(db)) &&
      std::find(extra_args.begin(), extra_args.end(), "--key-file") == extra_args.end()) {
    // PostgreSQL: the key file is made once by kindband-admin, never by the server; it lies where
    // SQLite's default would be. Once: a test that takes it away sees what the server does then.
    const std::string keys = db + ".keys";
    static std::mutex mutex;
    static std::set<std::string> provisioned;
    std::unique_lock<std::mutex> lock(mutex);
    if (provisioned.insert(keys).second && !std::filesystem::exists(keys)) {
      const CommandResult made = run_admin(db, {"create-key-file", keys});
      EXPECT_EQ(made.exit_code, 0) << made.output;
    }
    argv.push_back("--key-file");
    argv.push_back(keys);
  }
  // Tests send many shares from 127.0.0.1 at once; the share rate limits have their own test,
  // which names its limits (and so overrides these).
  bool names_limits = false;
  for (const std::string& arg : extra_args) {
    names_limits =
        names_limits || arg == "--shares-per-address" || arg == "--shares-per-organisation";
  }
  if (!names_limits) {
    for (const char* arg : {"--shares-per-address", "0", "--shares-per-organisation", "0"}) {
      argv.push_back(arg);
    }
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(argv, log_path_, "", nullptr);
  // A ceiling for a server that never starts, not the expected time: an instrumented (ASan) server
  // on a machine busy with other work can take many seconds.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = read_file(port_file);
    if (!text.empty()) {
      port_ = std::atoi(text.c_str());
      if (port_ > 0) return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  // Give a clean stop some time, then insist.
  for (int i = 0; i < 500; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_hard();
}

std::string ServerProcess::log() const { return read_file(log_path_); }

httplib::Client ServerProcess::client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(10);
  client.set_read_timeout(30);
  client.set_write_timeout(10);
  return client;
}

void ServerFixture::start(bool with_professionals, const std::vector<std::string>& extra_args) {
  db = dir.file("kindband.db");
  std::vector<std::vector<std::string>> setup = {
      {"create-organisation", "vsv-a", "--origin", kOriginA},
      {"create-organisation", "vsv-b", "--origin", kOriginB}};
  if (with_professionals) {
    setup.push_back(
        {"create-professional", "anna", "--organisation", "vsv-a", "--role", "verloskundige"});
    setup.push_back({"create-professional", "bert", "--organisation", "vsv-b", "--role",
                     "jgz-verpleegkundige"});
  }
  const std::string password_line = std::string(kPassword) + "\n";
  const CommandResult made =
      run_admin_script(db, setup, with_professionals ? password_line + password_line : "");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  ASSERT_TRUE(server.start(db, extra_args)) << server.log();
}

json make_share(const std::string& share_id, const std::vector<int>& answers,
                const std::string& shared, const std::string& organisation) {
  static const Library library = [] {
    std::vector<Error> errors;
    return Library::builtin(&errors);
  }();
  const Instrument* phq9 = library.find("phq9");
  Context context;
  context.role = "mother";
  context.stage = "pregnancy";
  context.week = 20;
  Result result;
  Error error;
  EXPECT_TRUE(score_instrument(*phq9, answers, context, &result, &error)) << error.to_string();
  json share = {{"share_id", share_id},
                {"organisation", organisation},
                {"instrument", {{"id", "phq9"}, {"version", phq9->version}}},
                {"context", {{"role", "mother"}, {"stage", "pregnancy"}, {"week", 20}}},
                {"language", "nl"},
                {"shared", shared},
                {"result", json::parse(to_json(result))},
                {"consent_version", "2026-11-v1"},
                {"created_at", "2026-11-22T21:00:00Z"}};
  if (shared == "result_and_answers") {
    json list = json::array();
    for (int answer : answers) list.push_back(answer < 0 ? json(nullptr) : json(answer));
    share["answers"] = list;
  }
  return share;
}

std::string new_uuid() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return out;
}

httplib::Result post_share(httplib::Client& client, const std::string& body,
                           const std::string& origin) {
  httplib::Headers headers;
  if (!origin.empty()) headers.emplace("Origin", origin);
  return client.Post("/api/v1/shares", headers, body, "application/json");
}

std::string login(httplib::Client& client, const std::string& username, const std::string& password,
                  int* status) {
  auto res =
      client.Post("/api/v1/login", json{{"username", username}, {"password", password}}.dump(),
                  "application/json");
  if (status) *status = res ? res->status : -1;
  if (!res || res->status != 200) return "";
  std::string cookie = res->get_header_value("Set-Cookie");
  size_t start = cookie.find("kb_session=");
  if (start == std::string::npos) return "";
  start += 11;
  return cookie.substr(start, cookie.find(';', start) - start);
}

httplib::Headers session_headers(const std::string& cookie) {
  return {{"Cookie", "kb_session=" + cookie}};
}

long long query_int(const std::string& db, const std::string& sql) {
  std::string text = query_text(db, sql);
  return text.empty() ? -1 : std::atoll(text.c_str());
}

std::string query_text(const std::string& db, const std::string& sql) {
  std::string out;
  if (is_url(database_location(db))) {
#ifdef KINDBAND_WITH_POSTGRES
    PGconn* conn = PQconnectdb(database_location(db).c_str());
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0 &&
        !PQgetisnull(result, 0, 0)) {
      out = PQgetvalue(result, 0, 0);
      // A boolean, as SQLite gives it.
      if (PQftype(result, 0) == 16) out = out == "t" ? "1" : "0";
    } else if (PQresultStatus(result) != PGRES_TUPLES_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(result) << PQerrorMessage(conn);
    }
    PQclear(result);
    PQfinish(conn);
#endif
    return out;
  }
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(handle, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(handle);
  return out;
}

bool install_content_keys_of(const std::string& key_file) {
  const json keys = json::parse(read_file(key_file), nullptr, false);
  if (!keys.is_object() || !keys.contains("content_key")) return false;
  auto raw = [](const std::string& hex) {
    std::string bytes(hex.size() / 2, '\0');
    sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), hex.data(),
                   hex.size(), nullptr, nullptr, nullptr);
    return bytes;
  };
  server::ContentKeys content{raw(keys["content_key"]), {}};
  for (const json& previous : keys.value("previous_content_keys", json::array())) {
    content.previous.push_back(raw(previous));
  }
  return sodium_init() >= 0 && server::install_content_keys(content);
}

std::vector<std::vector<std::string>> query_rows(const std::string& db, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  if (on_postgres()) {
#ifdef KINDBAND_WITH_POSTGRES
    PGconn* conn = PQconnectdb(database_location(db).c_str());
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) == PGRES_TUPLES_OK) {
      for (int row = 0; row < PQntuples(result); ++row) {
        std::vector<std::string> values;
        for (int column = 0; column < PQnfields(result); ++column) {
          std::string value = PQgetvalue(result, row, column);
          // A boolean, as SQLite gives it.
          if (PQftype(result, column) == 16) value = value == "t" ? "1" : "0";
          values.push_back(value);
        }
        rows.push_back(std::move(values));
      }
    } else {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(result) << PQerrorMessage(conn);
    }
    PQclear(result);
    PQfinish(conn);
#endif
    return rows;
  }
  sqlite3* handle = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(handle, 5000);
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      int step = SQLITE_ROW;
      while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        std::vector<std::string> values;
        for (int column = 0; column < sqlite3_column_count(stmt); ++column) {
          const unsigned char* text = sqlite3_column_text(stmt, column);
          values.push_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        rows.push_back(std::move(values));
      }
      if (step != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
    }
  } else {
    ADD_FAILURE() << db << ": cannot open: " << sqlite3_errmsg(handle);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return rows;
}

std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

bool stored_in_database(const std::string& db, const std::string& text) {
  if (!on_postgres()) {
    return read_file(db).find(text) != std::string::npos ||
           read_file(db + "-wal").find(text) != std::string::npos;
  }
  // Every column that can hold text, of every table the server made.
  const auto columns = query_rows(db,
                                  "SELECT table_name, column_name FROM information_schema.columns "
                                  "WHERE table_schema = current_schema() AND data_type IN "
                                  "('text', 'character varying', 'character', 'json', 'jsonb')");
  EXPECT_FALSE(columns.empty()) << "no text column found: the search would prove nothing";
  std::string sql;
  for (const auto& column : columns) {
    sql += std::string(sql.empty() ? "" : " UNION ALL ") + "SELECT 1 FROM \"" + column[0] +
           "\" WHERE strpos(\"" + column[1] + "\"::text, " + sql_literal(text) + ") > 0";
  }
  if (columns.empty()) return false;
  const auto found = query_rows(db, "SELECT EXISTS(" + sql + ")");
  return !found.empty() && found[0][0] == "1";
}

std::vector<std::string> opened_values(const std::string& db, const std::string& table,
                                       const std::string& column, const std::string& where,
                                       const std::string& key_file) {
  std::vector<std::string> values;
  if (!install_content_keys_of(key_file.empty() ? db + ".keys" : key_file)) return values;
  const server::SealedField* field = nullptr;
  for (const server::SealedField& candidate : server::sealed_fields()) {
    if (table == candidate.table && column == candidate.column) field = &candidate;
  }
  if (!field) return values;
  std::string record;
  for (const char* part : field->record_columns) {
    record += std::string(record.empty() ? "" : " || ':' || ") + part;
  }
  const std::string sql = "SELECT " + record + ", " + column + " FROM " + table + " WHERE " +
                          column + " IS NOT NULL" + (where.empty() ? "" : " AND " + where);
  for (const auto& row : query_rows(db, sql)) {
    values.push_back(
        server::try_open_sealed(table, column, row[0], row[1]).value_or(std::string()));
  }
  return values;
}

bool execute_sql(const std::string& db, const std::string& sql, std::string* message) {
  std::string error;
  if (is_url(database_location(db))) {
#ifdef KINDBAND_WITH_POSTGRES
    PGconn* conn = PQconnectdb(database_location(db).c_str());
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
      if (error.empty()) error = PQerrorMessage(conn);
    }
    PQclear(result);
    PQfinish(conn);
#endif
  } else {
    sqlite3* handle = nullptr;
    sqlite3_open(db.c_str(), &handle);
    sqlite3_busy_timeout(handle, 5000);
    char* text = nullptr;
    if (sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &text) != SQLITE_OK) {
      error = text ? text : "SQLite error";
    }
    sqlite3_free(text);
    sqlite3_close(handle);
  }
  if (message) *message = error;
  return error.empty();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string raw_exchange(int port, const std::string& bytes, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return "";
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string reply;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return reply;
}

}  // namespace kindband::test
