#!/usr/bin/env bash
# Builds everything and runs every test: formatting, native tests, sanitizer tests, nginx in front,
# engine fuzzing, wasm tests, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
step() { printf '\n=== %s ===\n' "$*"; }

step "format check (clang-format)"
scripts/check-format.sh

step "server layering check (scripts/check-layering.sh: no SQLite outside server/src/store/sqlite_*)"
scripts/check-layering.sh

step "native build and tests"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$jobs"
ctest --test-dir build/native --output-on-failure -j"$jobs"

step "sanitizer build (ASan+UBSan) and tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DKINDBAND_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$jobs"
ctest --test-dir build/asan --output-on-failure -j"$jobs" -LE no_sanitizer

step "nginx in front, as shipped (scripts/test-nginx.sh)"
scripts/test-nginx.sh

step "engine fuzz targets, briefly (scripts/fuzz.sh, clang libFuzzer + ASan/UBSan)"
scripts/fuzz.sh

for stage in scripts/test-wasm.sh scripts/test-browser.sh; do
  if [ -x "$stage" ]; then
    step "$stage"
    "$stage"
  fi
done
step "all tests passed"
