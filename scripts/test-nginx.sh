#!/usr/bin/env bash
# nginx in front of kindband-server, as shipped (examples/nginx/kindband.conf): runs
# tests/nginx/nginx.test.mjs against the server, admin and CLI of KINDBAND_BUILD (default
# build/native, built by scripts/test.sh). Fails, never skips, when nginx or openssl is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in /usr/sbin/nginx openssl node; do
  command -v "$tool" >/dev/null || {
    echo "scripts/test-nginx.sh: $tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  }
done
export KINDBAND_BUILD=${KINDBAND_BUILD:-build/native}
node --test tests/nginx/
