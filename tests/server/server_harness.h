// Test harness for the server: a temporary directory with a database, the real kindband-server
// process on a free loopback port, the real kindband-admin, and helpers to build valid shares with
// the native engine.
#ifndef KINDBAND_TESTS_SERVER_HARNESS_H_
#define KINDBAND_TESTS_SERVER_HARNESS_H_

#include <httplib.h>
#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kindband::test {

using nlohmann::json;

// A fresh directory, removed with its contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// True when the tests run against PostgreSQL (the conformance run, scripts/test-postgres.sh):
// KINDBAND_TEST_POSTGRES is a libpq URL without a database name, e.g.
// postgresql://kb@%2Ftmp%2Fpg:5432. Each database file a test names is then a fresh database of
// that cluster (made on first use, dropped when the test process ends).
bool on_postgres();
// Where the server and kindband-admin find the database of the file db: db itself, or with
// KINDBAND_TEST_POSTGRES the URL of its database.
std::string database_location(const std::string& db);
// Makes database_location(db) answer location from now on in this process, whatever
// KINDBAND_TEST_POSTGRES says; the server, kindband-admin and the query helpers below all use it.
// db itself keeps a SQLite file on SQLite (e.g. the source of a move to PostgreSQL); a URL names a
// test's own cluster (tests/server/postgres_cluster.h), another role or another database.
void use_location(const std::string& db, const std::string& location);

// Runs kindband-admin --database db ARGS with stdin_text on its stdin.
CommandResult run_admin(const std::string& db, const std::vector<std::string>& args,
                        const std::string& stdin_text = "");
// Several kindband-admin commands in one process (`kindband-admin run-script`), each as run_admin
// would run it: a test's set-up costs one process start instead of one per command. stdin_text
// holds the passwords, one line per create-professional, in order.
CommandResult run_admin_script(const std::string& db,
                               const std::vector<std::vector<std::string>>& commands,
                               const std::string& stdin_text = "");

// The kindband-server process.
class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  // Starts kindband-server --database db --listen 127.0.0.1:0 plus extra args; waits until it
  // listens. Returns false (with the server's output in log()) if it does not come up. name tells
  // the port and log files of several instances on one database apart.
  bool start(const std::string& db, const std::vector<std::string>& extra_args = {},
             const std::string& name = "server");
  void kill_hard();  // SIGKILL, then reap
  void stop();       // SIGTERM, then reap
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }
  std::string log() const;
  httplib::Client client() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
  std::string dir_;
};

// A running server with its database, one organisation "vsv-a" (origin https://a.example) and
// "vsv-b" (origin https://b.example), and optionally a professional in each.
struct ServerFixture {
  TempDir dir;
  std::string db;
  ServerProcess server;
  // Creates the organisations (and professionals "anna" in vsv-a and "bert" in vsv-b, password
  // kPassword) and starts the server with extra args.
  void start(bool with_professionals, const std::vector<std::string>& extra_args = {});
};

constexpr const char* kOriginA = "https://a.example";
constexpr const char* kOriginB = "https://b.example";
constexpr const char* kPassword = "correct horse battery";

// A valid share for PHQ-9 (organisation "vsv-a"): the result is the engine's own scoring of
// answers. shared = "result_and_answers" or "result".
json make_share(const std::string& share_id, const std::vector<int>& answers,
                const std::string& shared = "result_and_answers",
                const std::string& organisation = "vsv-a");
// A new random lower-case UUID (v4).
std::string new_uuid();

// POST /api/v1/shares with the given Origin ("" = none).
httplib::Result post_share(httplib::Client& client, const std::string& body,
                           const std::string& origin = kOriginA);

// Logs in; returns the session cookie value ("" on failure) and fills status.
std::string login(httplib::Client& client, const std::string& username, const std::string& password,
                  int* status = nullptr);
httplib::Headers session_headers(const std::string& cookie);

// Opens the database read-only and runs a query returning one integer (e.g. COUNT(*)); on
// PostgreSQL a boolean reads as 0 or 1.
long long query_int(const std::string& db, const std::string& sql);
std::string query_text(const std::string& db, const std::string& sql);
// Every row of a query on the database of db, each column as text (NULL reads as ""; on PostgreSQL
// a boolean reads as 0 or 1). A query that fails is a test failure.
std::vector<std::vector<std::string>> query_rows(const std::string& db, const std::string& sql);
// text as an SQL string literal, for both engines.
std::string sql_literal(const std::string& text);
// Whether text is still stored in the database of db. SQLite: anywhere in the bytes of its file or
// WAL, freed pages included. PostgreSQL: in any text column of any row of the live database (its
// WAL, freed pages, standby and backups keep sealed copies until their retention ends; that is
// the erasure promise docs/deployment.md states per engine).
bool stored_in_database(const std::string& db, const std::string& text);
// Runs SQL (several statements) on the database of db with full rights, bypassing the server;
// false with the engine's message when it failed.
bool execute_sql(const std::string& db, const std::string& sql, std::string* message = nullptr);

// Installs the content keys of a key file in this (test) process, to open values as a server
// would; false when the file holds no content key.
bool install_content_keys_of(const std::string& key_file);

// The content of a sealed field (server/src/store/sealed_content.h) as the server would open it:
// every value of table.column in db, opened with the content key of key_file (default: db +
// ".keys"). Values that do not open come back as "" (a test compares them with what it sent).
std::vector<std::string> opened_values(const std::string& db, const std::string& table,
                                       const std::string& column, const std::string& where = "",
                                       const std::string& key_file = "");

// Reads a whole file (binary); "" when missing.
std::string read_file(const std::string& path);

// Sends raw bytes on a new TCP connection to 127.0.0.1:port and returns what comes back until
// the peer closes or timeout_ms passes.
std::string raw_exchange(int port, const std::string& bytes, int timeout_ms = 5000);

}  // namespace kindband::test

#endif  // KINDBAND_TESTS_SERVER_HARNESS_H_
