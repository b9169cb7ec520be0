#!/usr/bin/env bash
# Prints the widget's download size (gzip, every file of build/web, and what one page load fetches) and
# the time from navigation to the first question's answer options on screen in headless Chromium,
# against a static HTML page with the same question in the same run (median of N cold loads).
#   scripts/widget-report.sh [--loads N]       (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
scripts/build-web.sh >/dev/null
node tests/browser/report.mjs "$@"
