#!/usr/bin/env bash
# nginx in front of kindband-server, as shipped (examples/nginx/kindband.conf): runs tests/nginx/
# against the server, admin and CLI of KINDBAND_BUILD (default build/native, built by
# scripts/test.sh). tests/nginx/instances.test.mjs puts two instances on one PostgreSQL database
# behind it (examples/nginx/kindband-instances.conf): a throw-away cluster is started here
# (scripts/postgres-cluster.sh). Fails, never skips, when nginx, openssl, PostgreSQL or the build's
# PostgreSQL engine is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in /usr/sbin/nginx openssl node; do
  command -v "$tool" >/dev/null || {
    echo "scripts/test-nginx.sh: $tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  }
done
export KINDBAND_BUILD=${KINDBAND_BUILD:-build/native}
if ! grep -q '^LIBPQ_FOUND:INTERNAL=1' "$KINDBAND_BUILD/CMakeCache.txt" 2>/dev/null; then
  echo "scripts/test-nginx.sh: $KINDBAND_BUILD was built without PostgreSQL (libpq-dev): run" \
    "scripts/install-deps.sh and build again" >&2
  exit 1
fi
. scripts/postgres-cluster.sh
trap postgres_cluster_stop EXIT
postgres_cluster_start kindband_nginx
export KINDBAND_NGINX_POSTGRES=$POSTGRES_CLUSTER_URL
node --test tests/nginx/
