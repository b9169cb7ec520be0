#!/usr/bin/env bash
# Fails when the server's rooms leak (STYLE.md, "The server's rooms"; issue 26):
#   - the SQLite engine (sqlite3 types, calls or header) outside server/src/store/sqlite_*, and
#     PostgreSQL's (libpq) outside server/src/store/postgres_*;
#   - SQL or Statement in the route files (server/src/http/) or the two main() files;
#   - SQL that only SQLite understands anywhere outside store/sqlite_* (the seam's SQL is written
#     once for SQLite and PostgreSQL: RETURNING, ON CONFLICT DO NOTHING, CASE, FILTER).
# Prints every offending line as file:line: text.
set -euo pipefail
cd "$(dirname "$0")/.."
src=server/src
bad=0
report() {
  local what=$1
  shift
  local hits
  hits=$("$@" || true)
  if [ -n "$hits" ]; then
    printf 'layering: %s\n%s\n' "$what" "$hits"
    bad=1
  fi
}
outside_postgres() { find "$src" -name '*.h' -o -name '*.cpp' | grep -v "^$src/store/postgres_" | sort; }
outside_sqlite() { find "$src" -name '*.h' -o -name '*.cpp' | grep -v "^$src/store/sqlite_" | sort; }
# Comment lines may name what is forbidden.
sqlite_only_sql() {
  grep -nE 'INSERT OR (IGNORE|REPLACE)|last_insert_rowid|INDEXED BY|json_extract|json_each|GROUP_CONCAT|PRAGMA|IFNULL\(|(^|[^:])(datetime|strftime)\(|\binstr\(|SUM\([a-z_.]+ *[<>=!]|\b(MIN|MAX)\([^()]*,' \
    $(outside_sqlite) | grep -vE '^[^:]+:[0-9]+: *//'
}
route_files() { find "$src/http" -name '*.h' -o -name '*.cpp' | sort; echo "$src/server_main.cpp"; echo "$src/admin_main.cpp"; }

report "the SQLite engine outside $src/store/sqlite_*" \
  grep -nE 'sqlite3|SQLITE_|sqlite_(connection|database|group_commit_writer)\.h' $(outside_sqlite | grep -v "^$src/store/database.cpp$")
report "store/database.cpp may only name the SQLite implementation to open it" \
  grep -nE 'sqlite3|SQLITE_' "$src/store/database.cpp"
postgres_outside() {
  grep -nE 'libpq|PGconn|PGresult|\bPQ[a-z]+\(|postgres_(connection|database)\.h' \
    $(outside_postgres | grep -v "^$src/store/database.cpp$") | grep -vE '^[^:]+:[0-9]+: *//'
}
report "the PostgreSQL engine (libpq) outside $src/store/postgres_*" postgres_outside
report "SQL or Statement in a route file (call a domain store instead)" \
  grep -nE '\bStatement\b|"(SELECT|INSERT|UPDATE|DELETE|PRAGMA|BEGIN|COMMIT) ' $(route_files)
report "SQL only SQLite understands (write it once for SQLite and PostgreSQL)" \
  sqlite_only_sql

exit $bad
