#!/usr/bin/env bash
# Builds everything and runs every test: formatting, native tests, sanitizer tests, nginx in front,
# engine fuzzing, wasm tests, browser tests, and the server tests again against PostgreSQL (beside the
# others). Prints each stage's time at the end.
#
# The machine is kept busy to the end: after the native build, a build lane (the wasm engine and the
# widget, then ASan+UBSan, then the fuzz targets) runs in the background at normal priority; the tests
# give way to it (nice 5). In front: native tests, nginx, then the browser suites the moment the web
# build is done (the longest chain in front). Beside them, each starting when the build it needs is
# done: the server suite on PostgreSQL, the wasm tests, the sanitizer tests. Every background stage has
# its log in build/test-logs/ and is waited for at the end. Each thing is built once: the wasm parity
# generators and the browser tests' server come from build/native. ccache (Debian's package) is used
# when installed.
#   KINDBAND_TEST_SERIAL=1   run the builds in front too, one stage after the other
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)
logs=build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# Here every test must run: a missing piece (browser, WebKit, npm package, build) fails, never skips.
export KINDBAND_BROWSER_REQUIRED=1 KINDBAND_WEBKIT_REQUIRED=1 KINDBAND_INBOX_PAGE_REQUIRED=1
export KINDBAND_FHIR_REQUIRED=1
export KINDBAND_NATIVE_BUILD=build/native KINDBAND_WASM_BUILD=build/wasm

began=$(date +%s)
step() { printf '\n=== %s ===\n' "$*"; }
# One line per stage in $logs/times: lane, start (s after the run began), seconds, name, CPU seconds.
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-?}" >>"$logs/times"; }
# Sets $cpu to the CPU seconds (user+sys) of this shell's finished children so far (bash's `times`;
# run in this shell, not in a pipe or $(...), where it would count a subshell's children).
cpu_now() {
  local file="$logs/times.$BASHPID"
  times >"$file"
  cpu=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$file")
  rm -f "$file"
}
summary() {
  local status=$1
  [ -f "$logs/times" ] || return 0
  printf '\n=== stage times (s; "from": seconds after the start; build lane in the background;'
  printf ' cpu: user+sys of the stage and all it ran) ===\n'
  sort -t$'\t' -k2,2n "$logs/times" |
    awk -F'\t' '{ printf "  %-6s from %5d  %5d s  cpu %5s s  %s\n", $1, $2, $3, $5, $4 }'
  printf '  total %d s (%s)\n' $(($(date +%s) - began)) "$([ "$status" -eq 0 ] && echo passed || echo FAILED)"
}
trap 'summary $?' EXIT

# A stage in front: its output as it comes. It runs in a subshell whose `times` counts only what the
# stage ran: this shell's own `times` would also count a background job (the build lane, the
# PostgreSQL run) in whichever stage was running when bash reaped it.
stage() {
  local name=$1 start status=0 file="$logs/stage-cpu.$$"
  shift
  step "$name"
  start=$(date +%s)
  (
    status=0
    "$@" || status=$?
    times >"$file"
    exit $status
  ) || status=$?
  cpu=$(awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); t += u[1] * 60 + u[2] + s[1] * 60 + s[2] }
             END { printf "%d", t }' "$file" 2>/dev/null || echo "?")
  rm -f "$file"
  record tests $((start - began)) $(($(date +%s) - start)) "$name" "$cpu"
  [ "$status" -eq 0 ] || exit "$status"
}

# ---- the builds ----
# (Chained with &&: in the build lane they run where `set -e` does not stop them.)
build_asan() {
  # bench/ is not run under the sanitizers.
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DKINDBAND_SANITIZE=ON "${launcher[@]}" \
    -DKINDBAND_PARTS="server;tests" >/dev/null &&
    cmake --build build/asan -j"$jobs"
}
build_wasm_and_web() {
  scripts/build-wasm.sh "${launcher[@]}" && KINDBAND_SKIP_WASM_BUILD=1 scripts/build-web.sh
}
build_fuzz() { KINDBAND_FUZZ_BUILD_ONLY=1 scripts/fuzz.sh; }
builds=(wasm-and-web asan fuzz)

# The build lane: each build's output goes to $logs/<name>.log, then $logs/<name>.done holds its status.
build_lane() {
  local name start status cpu cpu0
  for name in "${builds[@]}"; do
    start=$(date +%s)
    cpu_now
    cpu0=$cpu
    status=0
    "build_${name//-/_}" >"$logs/$name.log" 2>&1 || status=$?
    cpu_now
    record build $((start - began)) $(($(date +%s) - start)) "build: $name" $((cpu - cpu0))
    echo "$status" >"$logs/$name.done"
    [ "$status" -eq 0 ] || return "$status"
  done
}

# Waits for a build of the lane (an event: its .done file), then shows how it went.
lane_pid=""
need() {
  local name=$1
  [ -n "$lane_pid" ] || return 0
  while [ ! -f "$logs/$name.done" ]; do
    kill -0 "$lane_pid" 2>/dev/null || [ -f "$logs/$name.done" ] || {
      echo "test.sh: the build lane stopped before '$name' was built ($logs/)" >&2
      exit 1
    }
    sleep 1
  done
  if [ "$(cat "$logs/$name.done")" != 0 ]; then
    tail -n 80 "$logs/$name.log" >&2
    echo "test.sh: build '$name' failed (whole log: $logs/$name.log)" >&2
    exit 1
  fi
  echo "(build '$name' done; its log: $logs/$name.log)"
}
stop_lane() {
  # The lane runs in its own process group (setsid): end it and everything it started.
  [ -n "$lane_pid" ] && kill -TERM -- "-$lane_pid" 2>/dev/null || true
}

stage "format check (clang-format)" scripts/check-format.sh
stage "server layering check (scripts/check-layering.sh: no SQLite outside server/src/store/sqlite_*)" \
  scripts/check-layering.sh

native_build() {
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
  cmake --build build/native -j"$jobs"
}
stage "native build" native_build

if [ "${KINDBAND_TEST_SERIAL:-0}" = 1 ]; then
  for name in "${builds[@]}"; do stage "build: $name" "build_${name//-/_}"; done
else
  export -f build_asan build_wasm_and_web build_fuzz build_lane record cpu_now
  export logs began jobs
  export launcher_flags="${launcher[*]}"
  setsid bash -c 'set -uo pipefail; launcher=($launcher_flags); builds=('"${builds[*]}"'); build_lane' &
  lane_pid=$!
  trap 'status=$?; stop_lane; summary $status' EXIT
  echo "(builds run in the background: ${builds[*]}; logs in $logs/)"
fi

# Stages beside the front: each in its own process group, its output in $logs/<name>.log, its status
# in $logs/<name>.done; it first waits for the build it needs (an event: the lane's <build>.done).
# Waited for at the end (wait_beside); a failure fails the run. With KINDBAND_TEST_SERIAL=1 they run
# in front, where they are named.
beside_names=()
beside() {
  local name=$1 title=$2 needs=$3
  shift 3
  if [ "${KINDBAND_TEST_SERIAL:-0}" = 1 ]; then
    [ -z "$needs" ] || need "$needs"
    stage "$title" "$@"
    return
  fi
  export -f record cpu_now
  export logs began lane_pid
  setsid bash -c '
    name=$1 title=$2 needs=$3
    shift 3
    if [ -n "$needs" ]; then
      while [ ! -f "$logs/$needs.done" ]; do
        kill -0 "$lane_pid" 2>/dev/null || [ -f "$logs/$needs.done" ] || {
          echo "the build lane stopped before build $needs was done" >"$logs/$name.log"
          echo 1 >"$logs/$name.done"
          exit 0
        }
        sleep 1
      done
      if [ "$(cat "$logs/$needs.done")" != 0 ]; then
        echo "build $needs failed (its log: $logs/$needs.log)" >"$logs/$name.log"
        echo 1 >"$logs/$name.done"
        exit 0
      fi
    fi
    start=$(date +%s)
    cpu_now
    cpu0=$cpu
    status=0
    "$@" >"$logs/$name.log" 2>&1 || status=$?
    cpu_now
    # A PostgreSQL cluster is no child of ours: test-postgres.sh prints its CPU seconds.
    cluster=$(sed -n "s/^PostgreSQL cluster CPU (user+sys, all backends): \([0-9]*\) s$/\1/p" \
      "$logs/$name.log")
    record beside $((start - began)) $(($(date +%s) - start)) "$title" \
      $((cpu - cpu0 + ${cluster:-0}))
    echo "$status" >"$logs/$name.done"
  ' _ "$name" "$title" "$needs" "$@" &
  printf -v "pid_$name" '%s' $!
  beside_names+=("$name")
  echo "($title: beside the others once '${needs:-nothing}' is built; log: $logs/$name.log)"
}
stop_beside() {
  local name pid_var
  for name in "${beside_names[@]}"; do
    pid_var="pid_$name"
    [ -n "${!pid_var:-}" ] && kill -TERM -- "-${!pid_var}" 2>/dev/null || true
  done
}
trap 'status=$?; stop_lane; stop_beside; summary $status' EXIT
wait_beside() {
  local name pid_var
  for name in "${beside_names[@]}"; do
    pid_var="pid_$name"
    step "waiting for $name (beside the others; log: $logs/$name.log)"
    wait "${!pid_var}" || true
    if [ "$(cat "$logs/$name.done" 2>/dev/null)" != 0 ]; then
      tail -n 100 "$logs/$name.log" >&2
      echo "test.sh: $name failed (whole log: $logs/$name.log)" >&2
      exit 1
    fi
    grep -E 'tests passed|SQLite-only|cluster CPU|^# (pass|fail) ' "$logs/$name.log" || true
  done
}

# Everything that needs no browser and no wasm. The server's suite (label `server`) runs twice
# elsewhere: on SQLite under ASan+UBSan (the sanitizer stage) and on PostgreSQL with this build; the
# browser suites and nginx run this build's kindband-server on SQLite. A third run of the same tests
# here would repeat work (issue 28).
stage "native tests (ctest -LE 'browser|server': engine, parity, CLI, FHIR, journey, bench checks)" \
  ctest --test-dir build/native --output-on-failure -j"$jobs" -LE '^(browser|server)$'

# From here on, the tests give way to the build lane (nice): the sanitizer build is the longest chain
# (build, then its tests), and the test stages mostly wait on servers, browsers and timers anyway.
# (Measured on a clean clone: stages beside the lane at equal priority starved the sanitizer build,
# 592 -> 1,114 s, and made the whole run longer.)
[ "${KINDBAND_TEST_SERIAL:-0}" = 1 ] || renice -n 5 -p $$ >/dev/null

# The server's suite against PostgreSQL (issue 27, scripts/test-postgres.sh): its own throw-away
# cluster and folder, no fixed port. Its tests mostly wait (timers, servers, fsync), so it runs more
# tests at once than there are cores (KINDBAND_PG_JOBS, default twice the cores).
export KINDBAND_PG_JOBS=${KINDBAND_PG_JOBS:-$((jobs * 2))}
beside postgres "server tests against PostgreSQL, -j$KINDBAND_PG_JOBS (scripts/test-postgres.sh), cpu incl. the cluster" \
  "" scripts/test-postgres.sh
# The wasm tests (byte-identical to native, the JS API, the journey's cases), once the wasm is built.
beside wasm "wasm tests (scripts/test-wasm.sh)" wasm-and-web env KINDBAND_SKIP_WASM_BUILD=1 scripts/test-wasm.sh
# The sanitizer tests once their build is done: then the machine has work for both cores to the end.
beside sanitizer "sanitizer tests (ASan+UBSan), -j$((jobs * 2))" asan \
  ctest --test-dir build/asan --output-on-failure -j$((jobs * 2)) -LE no_sanitizer

stage "nginx in front, as shipped (scripts/test-nginx.sh)" scripts/test-nginx.sh

# The browser suites are the longest chain in front (about ten minutes, mostly waiting on pages): they
# start the moment the web build is done. Twice as many at once as there are cores.
need wasm-and-web
stage "browser tests (scripts/test-browser.sh: ctest -L browser), -j$((jobs * 2))" \
  env KINDBAND_SKIP_WEB_BUILD=1 KINDBAND_BROWSER_JOBS=${KINDBAND_BROWSER_JOBS:-$((jobs * 2))} \
  scripts/test-browser.sh

need fuzz
stage "engine fuzz targets, briefly (scripts/fuzz.sh, clang libFuzzer + ASan/UBSan)" scripts/fuzz.sh

wait_beside

step "all tests passed"
