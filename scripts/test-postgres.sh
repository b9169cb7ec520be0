#!/usr/bin/env bash
# The conformance run (issue 27): the server's whole test suite again, against PostgreSQL. Starts a
# throw-away cluster (Debian's postgresql; as root initdb runs as the postgres user) on a Unix
# socket in a temporary folder, with fsync and synchronous_commit on, and runs the server's ctest
# suites of KINDBAND_BUILD (default build/native) with KINDBAND_TEST_POSTGRES pointing at it: each
# test's server and kindband-admin get a fresh database of their own (tests/server/server_harness.h).
# Fails, never skips, when PostgreSQL or the build's PostgreSQL engine is missing. Runs beside other
# stages (its own cluster, its own folder, no fixed TCP port).
#   KINDBAND_PG_JOBS=N    tests at once (default: the number of cores)
#   extra arguments go to ctest (e.g. -R share_api)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${KINDBAND_BUILD:-build/native}
jobs=${KINDBAND_PG_JOBS:-$(nproc)}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ] || [ ! -x "$pgbin/pg_ctl" ]; then
  echo "scripts/test-postgres.sh: PostgreSQL is missing (initdb, pg_ctl): run scripts/install-deps.sh" >&2
  exit 1
fi
if ! grep -q '^LIBPQ_FOUND:INTERNAL=1' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "scripts/test-postgres.sh: $build was built without PostgreSQL (libpq-dev): run" \
    "scripts/install-deps.sh and build again" >&2
  exit 1
fi

# Tests that look at the SQLite file itself (its bytes, its WAL, its schema versions, its backups);
# the PostgreSQL side of each is named in docs/deployment.md.
sqlite_only=(
  # at_rest: reads the database, WAL and backup files for clear text, and the key file SQLite's
  # server makes on first start (PostgreSQL's never makes one).
  'AtRest\.'
  # A marker's bytes in the database file and its WAL, before and after an erasure. (On
  # PostgreSQL the same tests' other checks would pass; the erased rows are checked by SQL in
  # others. Tests that only check bytes are absent pass there without meaning it.)
  'ShareApi\.WithdrawalErasesThePayloadFromTheDatabaseFiles'
  'CareNetwork\.RemoveOurFamilyErasesTheBytesAndKeepsTheEvents'
  'Collaboration\.MessagesGoBothWaysAndAreErasedWithTheFamily'
  'Triage\.TheRecordIsErasedWithTheFamily'
  'Notifications\.ParentAddress_OwnOnly_MailWithoutContent_ErasedWithTheFamily'
  'Notifications\.ParentRemovesAddress_BytesGoneAndNoMore'
  # migration: opens older SQLite schemas (v1..v8) made by hand and upgrades them.
  'Migration\.'
  'ParentsControl\.AVersion4DatabaseKeepsEveryShareAudienceAndTheAuditChain'
  # kindband-admin backup/restore make and read SQLite files; PostgreSQL is backed up with its own
  # tools (docs/deployment.md).
  'Audit\.OnlineBackupCopiesTheDatabaseWhileTheServerRuns'
  # a backup made without the key file holds every value sealed: read in the backup file's bytes.
  # On PostgreSQL a backup copies the rows that Sealed.AMarkerInEveryContentFieldIsStoredOnlySealed
  # finds sealed there.
  'Sealed\.ABackupNeedsNoKeyAndHoldsEveryValueSealed'
  'Guessing\.ARestoreReappliesTheErasuresMadeAfterTheBackup'
)

# The cluster (scripts/postgres-cluster.sh): Debian's postgresql, initdb in a temporary folder (as
# the postgres user when run as root), a Unix socket only, fsync and synchronous_commit on, as in
# production. No database of its own: each test makes its own.
. scripts/postgres-cluster.sh
# The cluster's CPU seconds (user+sys of the postmaster and every backend it has reaped): the
# cluster is no child of this script, so a caller's `times` does not count it.
cluster_cpu() {
  local pid
  pid=$(head -n 1 "$POSTGRES_CLUSTER_DIR/data/postmaster.pid" 2>/dev/null) || return 0
  awk -v tick="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13 + $14 + $15) / tick }' \
    "/proc/$pid/stat" 2>/dev/null || true
}
cleanup() {
  local cpu
  [ -n "${POSTGRES_CLUSTER_DIR:-}" ] || return 0
  cpu=$(cluster_cpu)
  [ -z "$cpu" ] || echo "PostgreSQL cluster CPU (user+sys, all backends): $cpu s"
  postgres_cluster_stop
}
trap cleanup EXIT
# Stopped from outside (scripts/test.sh ends its stages' process groups): the cluster goes too.
trap 'exit 143' TERM INT
postgres_cluster_start ""
dir=$POSTGRES_CLUSTER_DIR
export KINDBAND_TEST_POSTGRES=$POSTGRES_CLUSTER_URL
exclude=$(IFS='|'; echo "server_layering|${sqlite_only[*]}")
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') at $dir; SQLite-only tests left out: ${sqlite_only[*]}"
ctest --test-dir "$build" --output-on-failure -j"$jobs" -L server -LE browser -E "$exclude" "$@"
