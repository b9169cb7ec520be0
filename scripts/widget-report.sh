#!/usr/bin/env bash
# Prints the widget's download size (gzip, every file of build/web, and what one page load fetches),
# the bytes a screening page and a journey page transfer from kindband-server and through nginx
# (precompressed files; with brotli and with gzip only), and the time from navigation to the first
# answer option (screening page) or the form's first field (journey page) on screen in headless
# Chromium, against a static HTML page with the same question or form and SurveyJS, from the same
# server in the same run (median and fastest of N cold loads; on desktop, then on a throttled phone
# profile).
#   scripts/widget-report.sh [--loads N] [--phone-loads N]     (defaults 15 and 5)
# KINDBAND_NATIVE_BUILD names the native build with kindband-server (default build/native; built here
# when missing), KINDBAND_WEB_OUT and KINDBAND_WASM_BUILD the widget's (scripts/build-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
native=${KINDBAND_NATIVE_BUILD:-build/native}
if [ -z "${KINDBAND_SERVER_BINARY:-}" ]; then
  if [ ! -x "$native/server/kindband-server" ]; then
    cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$native" -j"$(nproc)" --target kindband-server >/dev/null
  fi
  export KINDBAND_SERVER_BINARY="$PWD/$native/server/kindband-server"
fi
scripts/build-web.sh >/dev/null
node tests/browser/report.mjs "$@"
