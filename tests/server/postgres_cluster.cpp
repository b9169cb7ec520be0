#include "postgres_cluster.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace kindband::test {
namespace {

namespace fs = std::filesystem;

// Ceiling for a cluster to come up, recover or go: a busy 2-core machine, not the expected time.
constexpr auto kCeiling = std::chrono::seconds(120);

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string url_escaped(const std::string& path) {
  std::string out;
  for (char c : path) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

// True while a live (not zombie) process has dir as its working folder: PostgreSQL's processes
// all work in their data folder.
bool any_process_works_in(const fs::path& dir) {
  std::error_code ignored;
  const fs::path wanted = fs::canonical(dir, ignored);
  for (const auto& entry : fs::directory_iterator("/proc", ignored)) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code error;
    const fs::path cwd = fs::read_symlink(entry.path() / "cwd", error);
    if (error || cwd != wanted) continue;
    const std::string stat = slurp(entry.path().string() + "/stat");
    const size_t close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') continue;
    return true;
  }
  return false;
}

}  // namespace

std::string postgres_bin_dir(std::string* error) {
  std::vector<std::string> candidates;
  if (const char* given = std::getenv("KINDBAND_TEST_PG_BIN"); given && *given) {
    candidates.push_back(given);
  } else {
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ignored)) {
      candidates.push_back((entry.path() / "bin").string());
    }
    // The newest version first (15 before 9: compare as numbers).
    std::sort(candidates.begin(), candidates.end(), [](const std::string& a, const std::string& b) {
      return std::atoi(fs::path(a).parent_path().filename().c_str()) >
             std::atoi(fs::path(b).parent_path().filename().c_str());
    });
  }
  for (const std::string& dir : candidates) {
    if (access((dir + "/initdb").c_str(), X_OK) == 0 &&
        access((dir + "/pg_ctl").c_str(), X_OK) == 0 &&
        access((dir + "/pg_basebackup").c_str(), X_OK) == 0) {
      return dir;
    }
  }
  if (error) {
    *error =
        "PostgreSQL is missing (initdb, pg_ctl, pg_basebackup in KINDBAND_TEST_PG_BIN or "
        "/usr/lib/postgresql/*/bin): run scripts/install-deps.sh";
  }
  return "";
}

ClusterFolder::ClusterFolder() {
  std::string pattern = (fs::temp_directory_path() / "kindband-pg-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (const char* made = mkdtemp(buffer.data())) path_ = made;
  // The postgres user (as root) writes its data folders and socket here.
  chmod(path_.c_str(), 0755);
  if (geteuid() == 0) {
    std::string chown = "chown postgres " + path_;
    if (std::system(chown.c_str()) != 0) path_.clear();
  }
}

ClusterFolder::~ClusterFolder() {
  std::error_code ignored;
  if (!path_.empty()) fs::remove_all(path_, ignored);
}

PostgresCluster::PostgresCluster(const ClusterFolder& folder, const std::string& name, int port,
                                 std::vector<std::string> settings)
    : folder_(folder.path()),
      name_(name),
      data_(folder.path() + "/" + name),
      log_path_(folder.path() + "/" + name + ".log"),
      port_(port),
      settings_(std::move(settings)) {}

PostgresCluster::~PostgresCluster() { stop_immediately(); }

bool PostgresCluster::run(const std::vector<std::string>& argv, std::string* error) const {
  std::vector<std::string> full;
  if (geteuid() == 0) full = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  const std::string output = folder_ + "/" + name_ + ".commands.log";
  const auto before = fs::exists(output) ? fs::file_size(output) : 0;
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    close(out);
    int none = open("/dev/null", O_RDONLY);
    dup2(none, STDIN_FILENO);
    close(none);
    std::vector<char*> args;
    for (const std::string& arg : full) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  if (error) {
    *error = argv[0] + " failed: " + slurp(output).substr(before) + "\n" + log();
  }
  return false;
}

bool PostgresCluster::create(std::string* error) {
  const std::string bin = postgres_bin_dir(error);
  if (bin.empty()) return false;
  // First without the settings: with synchronous_standby_names and no standby yet, even
  // CREATE DATABASE would wait.
  const std::vector<std::string> settings = std::move(settings_);
  settings_.clear();
  if (!run({bin + "/initdb", "-D", data_, "-A", "trust", "-U", "kb", "--locale=C.UTF-8", "-E",
            "UTF8"},
           error) ||
      !start(error)) {
    return false;
  }
  PGconn* conn = PQconnectdb(url("postgres").c_str());
  PGresult* result = PQexec(conn, "CREATE DATABASE kindband");
  const bool made = PQresultStatus(result) == PGRES_COMMAND_OK;
  if (!made && error) *error = std::string("CREATE DATABASE: ") + PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  settings_ = settings;
  if (!made || settings_.empty()) return made;
  return run({bin + "/pg_ctl", "-D", data_, "-m", "fast", "-w", "stop"}, error) && start(error);
}

bool PostgresCluster::create_standby_of(const PostgresCluster& primary, std::string* error) {
  const std::string bin = postgres_bin_dir(error);
  if (bin.empty()) return false;
  settings_.push_back("cluster_name=" + name_);
  return run({bin + "/pg_basebackup", "-D", data_, "-h", primary.folder_, "-p",
              std::to_string(primary.port_), "-U", "kb", "-R", "-X", "stream", "-c", "fast"},
             error) &&
         start(error);
}

bool PostgresCluster::start(std::string* error) {
  const std::string bin = postgres_bin_dir(error);
  if (bin.empty()) return false;
  // pg_ctl leaves the postmaster behind when it returns; as a subreaper this process becomes its
  // parent, so that a killed postmaster is reaped here (a container's first process may never
  // reap it, and PostgreSQL takes a zombie for a running postmaster).
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  // Durable as in production; a socket only (no TCP port to collide with other tests).
  std::string options = "-k " + folder_ + " -c listen_addresses='' -p " + std::to_string(port_) +
                        " -c fsync=on -c synchronous_commit=on -c max_connections=100";
  for (const std::string& setting : settings_) options += " -c " + setting;
  return run({bin + "/pg_ctl", "-D", data_, "-l", log_path_, "-w", "-t",
              std::to_string(kCeiling.count()), "-o", options, "start"},
             error);
}

bool PostgresCluster::promote(std::string* error) {
  const std::string bin = postgres_bin_dir(error);
  return !bin.empty() && run({bin + "/pg_ctl", "-D", data_, "-w", "-t",
                              std::to_string(kCeiling.count()), "promote"},
                             error);
}

pid_t PostgresCluster::postmaster_pid() const {
  return static_cast<pid_t>(std::atol(slurp(data_ + "/postmaster.pid").c_str()));
}

bool PostgresCluster::kill_postmaster(std::string* error) {
  const pid_t pid = postmaster_pid();
  std::vector<pid_t> children;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator("/proc", ignored)) {
    const std::string stat = slurp(entry.path().string() + "/stat");
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    char state = 0;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent == pid) children.push_back(std::atoi(entry.path().filename().c_str()));
  }
  if (pid <= 0 || kill(pid, SIGKILL) != 0) {
    if (error) *error = "no postmaster runs in " + data_;
    return false;
  }
  // The postmaster is this process's child (see start()): reaped here, its process id is free,
  // and a new postmaster does not take the lock file for a live one.
  waitpid(pid, nullptr, 0);
  // Its children notice that it died and end; the cluster starts again only after the last one.
  const auto deadline = std::chrono::steady_clock::now() + kCeiling;
  for (;;) {
    for (pid_t child : children) waitpid(child, nullptr, WNOHANG);
    if (!any_process_works_in(data_)) return true;
    if (std::chrono::steady_clock::now() > deadline) {
      if (error) *error = "processes of the killed postmaster stay in " + data_;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void PostgresCluster::stop_immediately() {
  if (!fs::exists(data_ + "/postmaster.pid")) return;
  const std::string bin = postgres_bin_dir(nullptr);
  if (!bin.empty()) run({bin + "/pg_ctl", "-D", data_, "-m", "immediate", "-w", "stop"}, nullptr);
}

std::string PostgresCluster::url_host() const {
  return url_escaped(folder_) + ":" + std::to_string(port_);
}

std::string PostgresCluster::url(const std::string& database) const {
  return "postgresql://kb@" + url_host() + "/" + database;
}

std::string PostgresCluster::query(const std::string& sql, std::string* error,
                                   const std::string& database) const {
  PGconn* conn = PQconnectdb(url(database).c_str());
  PGresult* result = PQexec(conn, sql.c_str());
  std::string value;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0) {
    value = PQgetvalue(result, 0, 0);
  } else if (error) {
    *error = PQerrorMessage(conn);
  }
  PQclear(result);
  PQfinish(conn);
  return value;
}

std::string PostgresCluster::log() const { return slurp(log_path_); }

}  // namespace kindband::test
