#!/usr/bin/env bash
# Fails when a C++ file is not clang-formatted (Google base, .clang-format). Files go to clang-format in
# batches, as many at once as there are cores; a batch that fails is checked file by file to name them.
set -euo pipefail
cd "$(dirname "$0")/.."
list=$(mktemp)
trap 'rm -f "$list"' EXIT
git ls-files -z --cached --others --exclude-standard -- '*.h' '*.cpp' |
  grep -zv '^build/' | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done >"$list" || true
[ -s "$list" ] || exit 0
check_batch() {
  clang-format --dry-run --Werror "$@" >/dev/null 2>&1 && return 0
  for f in "$@"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "not formatted: $f (run clang-format -i $f)"
  done
  return 1
}
export -f check_batch
xargs -0 -n 16 -P "$(nproc)" bash -c 'check_batch "$@"' _ <"$list"
