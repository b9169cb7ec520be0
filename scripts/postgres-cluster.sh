#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for scripts that need one (scripts/bench-server.sh,
# scripts/test-nginx.sh), made as scripts/test-postgres.sh makes its own: Debian's postgresql,
# initdb in a temporary folder (as the postgres user when run as root), a Unix socket only,
# fsync and synchronous_commit on. Source it, then:
#   postgres_cluster_start NAME   starts it and makes the empty database NAME (none when NAME is
#                                 ""); sets POSTGRES_CLUSTER_URL (libpq URL of NAME, or of the
#                                 cluster without a database), POSTGRES_CLUSTER_DIR and
#                                 POSTGRES_CLUSTER_BIN
#   postgres_cluster_stop         stops it and removes its folder (also on EXIT: set your trap to
#                                 call it)
# Fails (exit 1, never skips) when PostgreSQL is not installed.
postgres_cluster_start() {
  local name=$1 pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ] || [ ! -x "$pgbin/pg_ctl" ]; then
    echo "PostgreSQL is missing (initdb, pg_ctl): run scripts/install-deps.sh" >&2
    exit 1
  fi
  POSTGRES_CLUSTER_BIN=$pgbin
  POSTGRES_CLUSTER_DIR=$(mktemp -d /tmp/kindband-pg-XXXXXX)
  POSTGRES_CLUSTER_AS=()
  if [ "$(id -u)" -eq 0 ]; then
    POSTGRES_CLUSTER_AS=(runuser -u postgres --)
    chown postgres "$POSTGRES_CLUSTER_DIR"
  fi
  chmod 755 "$POSTGRES_CLUSTER_DIR"
  local dir=$POSTGRES_CLUSTER_DIR
  "${POSTGRES_CLUSTER_AS[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U kb --locale=C.UTF-8 \
    -E UTF8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  "${POSTGRES_CLUSTER_AS[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -o \
    "-k $dir -c listen_addresses='' -p 5432 -c fsync=on -c synchronous_commit=on -c max_connections=300" \
    start >/dev/null || { cat "$dir/postgres.log" >&2; exit 1; }
  POSTGRES_CLUSTER_URL="postgresql://kb@${dir//\//%2F}:5432"
  [ -n "$name" ] || return 0
  "$pgbin/createdb" -h "$dir" -p 5432 -U kb "$name"
  POSTGRES_CLUSTER_URL="$POSTGRES_CLUSTER_URL/$name"
}

postgres_cluster_stop() {
  [ -n "${POSTGRES_CLUSTER_DIR:-}" ] || return 0
  "${POSTGRES_CLUSTER_AS[@]}" "$POSTGRES_CLUSTER_BIN/pg_ctl" -D "$POSTGRES_CLUSTER_DIR/data" \
    -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_CLUSTER_DIR"
  POSTGRES_CLUSTER_DIR=""
}
