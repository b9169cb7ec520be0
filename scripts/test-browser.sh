#!/usr/bin/env bash
# Browser tests of the widget in Debian's headless Chromium (playwright-core, never a downloaded browser)
# and the parent's path in WebKit (WebKitGTK's WebKitWebDriver under Xvfb, selenium-webdriver),
# against the real kindband-server on loopback with a temp SQLite database, plus the JS format check.
# Builds what it needs: build/web (scripts/build-web.sh) and kindband-server (build/widget-native).
#   KINDBAND_SERVER_BINARY=path   use this server binary (kindband-admin next to it) instead of building
#   KINDBAND_WASM_BUILD=dir       engine build dir for build-web.sh (default build/wasm)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/prettier ] ||
  [ ! -d tests/browser/node_modules/selenium-webdriver ]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
[ -x /usr/bin/chromium ] || { echo "test-browser: /usr/bin/chromium missing (scripts/install-deps.sh)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "test-browser: sqlite3 missing (scripts/install-deps.sh)" >&2; exit 1; }
for tool in /usr/bin/WebKitWebDriver /usr/bin/xvfb-run; do
  [ -x "$tool" ] || { echo "test-browser: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done

echo "--- build/web"
scripts/build-web.sh

server=${KINDBAND_SERVER_BINARY:-}
if [ -z "$server" ]; then
  echo "--- kindband-server, kindband-admin (build/widget-native)"
  cmake -S . -B build/widget-native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/widget-native -j"$(nproc)" --target kindband-server kindband-admin kindband >/dev/null
  server="$root/build/widget-native/server/kindband-server"
fi
case "$server" in /*) ;; *) server="$root/$server" ;; esac

echo "--- browser tests"
cd tests/browser
status=0
# webkit.test.mjs runs the parent's path in WebKit (Safari's engine) too; here it must run.
KINDBAND_SERVER_BINARY="$server" KINDBAND_WEBKIT_REQUIRED=1 \
  node --test --test-concurrency=1 *.test.mjs || status=$?

# The professional inbox page (tests/server) with the same server and the engine build above; here
# it must run: a missing piece fails instead of skipping.
echo "--- inbox page browser tests (tests/server/inbox_page, inbox_cases, inbox_families)"
KINDBAND_SERVER_BINARY="$server" KINDBAND_ADMIN_BINARY="$(dirname "$server")/kindband-admin" \
  KINDBAND_WASM_BUILD="${KINDBAND_WASM_BUILD:-build/wasm}" KINDBAND_INBOX_PAGE_REQUIRED=1 \
  node --test --test-concurrency=1 ../server/inbox_page.test.mjs ../server/inbox_cases.test.mjs \
  ../server/inbox_families.test.mjs \
  || status=$?

# FHIR (tests/fhir): structural validation, fhirpath on our QuestionnaireResponses, and LHC-Forms
# rendering our Questionnaires in the same Chromium; here a missing piece fails instead of skipping.
echo "--- FHIR tests (tests/fhir)"
KINDBAND_CLI_BINARY="$(dirname "$server")/../tools/kindband" KINDBAND_FHIR_REQUIRED=1 \
  node --test --test-concurrency=1 ../fhir/*.test.mjs || status=$?

# After the tests, so that a formatting slip does not hide test results.
echo "--- JS format check (prettier; fix with: cd tests/browser && npm run format)"
npx --no-install prettier --config .prettierrc.json --ignore-path .prettierignore \
  --check ../../widget ../../examples/site ../../server/web/inbox '../server/*.mjs' '../fhir/*.mjs' '*.mjs' pages \
  || status=1
exit $status
