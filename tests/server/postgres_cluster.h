// A private PostgreSQL cluster for tests that crash, restart, replicate and promote the database
// itself (tests/server/failover_test.cpp): Debian's initdb and pg_ctl in a folder of the test's
// own, a Unix socket only, fsync and synchronous_commit on. As root (CI) every PostgreSQL
// program runs as the postgres user (initdb refuses root). The programs are found in
// KINDBAND_TEST_PG_BIN, else the newest /usr/lib/postgresql/*/bin.
#ifndef KINDBAND_TESTS_SERVER_POSTGRES_CLUSTER_H_
#define KINDBAND_TESTS_SERVER_POSTGRES_CLUSTER_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace kindband::test {

// The folder with initdb, pg_ctl, pg_basebackup; "" (and *error) when PostgreSQL is missing.
std::string postgres_bin_dir(std::string* error);

// A folder for clusters (its data folders and the socket), readable by the postgres user;
// removed with everything in it at destruction, after every cluster in it was stopped.
class ClusterFolder {
 public:
  ClusterFolder();
  ~ClusterFolder();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class PostgresCluster {
 public:
  // A cluster in folder/name, listening on folder's socket with port (several clusters share a
  // folder with ports of their own). settings: extra `-c name=value` for every start.
  PostgresCluster(const ClusterFolder& folder, const std::string& name, int port,
                  std::vector<std::string> settings = {});
  ~PostgresCluster();  // stops it at once (pg_ctl -m immediate) if it runs

  // initdb (role kb, trust on the socket), start, and CREATE DATABASE kindband.
  bool create(std::string* error);
  // A copy of primary taken with pg_basebackup -R (a streaming standby), started. It names
  // itself `name` to the primary (cluster_name), the name synchronous_standby_names lists.
  bool create_standby_of(const PostgresCluster& primary, std::string* error);
  // pg_ctl start -w (waits until it accepts connections: after a crash, until recovery is done).
  bool start(std::string* error);
  // pg_ctl promote -w: a standby becomes a primary that accepts writes.
  bool promote(std::string* error);
  // SIGKILL to the postmaster alone (its children notice and end); returns once the postmaster
  // and every child it had are gone, so that the cluster can be started again.
  bool kill_postmaster(std::string* error);
  void stop_immediately();

  // The libpq URL of database on this cluster, e.g. postgresql://kb@%2Ftmp%2Fx:5433/kindband.
  std::string url(const std::string& database = "kindband") const;
  // host:port of this cluster in a URL's host list.
  std::string url_host() const;
  // The first value of sql on database ("" on error, with *error).
  std::string query(const std::string& sql, std::string* error = nullptr,
                    const std::string& database = "kindband") const;
  std::string log() const;
  const std::string& name() const { return name_; }

 private:
  bool run(const std::vector<std::string>& argv, std::string* error) const;
  pid_t postmaster_pid() const;

  std::string folder_, name_, data_, log_path_;
  int port_;
  std::vector<std::string> settings_;
};

}  // namespace kindband::test

#endif  // KINDBAND_TESTS_SERVER_POSTGRES_CLUSTER_H_
