#!/usr/bin/env bash
# Fails when a C++ file is not clang-formatted (Google base, .clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard -- '*.h' '*.cpp' | grep -v '^build/' || true)
[ -z "$files" ] && exit 0
bad=0
for f in $files; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then echo "not formatted: $f (run clang-format -i $f)"; bad=1; fi
done
exit $bad
