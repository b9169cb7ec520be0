#!/usr/bin/env bash
# The server benchmark for both engines in one run (issue 27): starts a throw-away PostgreSQL
# cluster (scripts/postgres-cluster.sh) and runs kindband_server_bench --postgres on it, which
# measures /healthz, share ingest and inbox reads on SQLite and on PostgreSQL, each as a ratio to
# the same server's /healthz in the same run. Not part of the test command: it prints figures and
# asserts nothing.
#   scripts/bench-server.sh [--seconds N] [--clients N] [--threads N]
#   KINDBAND_BUILD=DIR   the build to use (default build/native; built here when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${KINDBAND_BUILD:-build/native}
if ! grep -q '^LIBPQ_FOUND:INTERNAL=1' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "scripts/bench-server.sh: $build has no PostgreSQL engine (libpq-dev): run" \
    "scripts/install-deps.sh and scripts/build.sh" >&2
  exit 1
fi
cmake --build "$build" --target kindband_server_bench >/dev/null
. scripts/postgres-cluster.sh
trap postgres_cluster_stop EXIT
postgres_cluster_start kindband_bench
echo "PostgreSQL $("$POSTGRES_CLUSTER_BIN/postgres" --version | awk '{print $3}') in $POSTGRES_CLUSTER_DIR (fsync and synchronous_commit on)"
# The SQLite file lies on the same disk as the cluster.
bench_dir=$(mktemp -d /tmp/kindband-bench-XXXXXX)
trap 'postgres_cluster_stop; rm -rf "$bench_dir"' EXIT
"$build/bench/kindband_server_bench" --dir "$bench_dir" --postgres "$POSTGRES_CLUSTER_URL" "$@"
