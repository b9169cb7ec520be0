#!/usr/bin/env bash
# Browser tests of the widget in Debian's headless Chromium (playwright-core, never a downloaded browser)
# and the parent's path in WebKit (WebKitGTK's WebKitWebDriver under Xvfb, selenium-webdriver),
# against the real kindband-server on loopback with a temp SQLite database; the professional inbox
# page (tests/server) and LHC-Forms (tests/fhir) in the same Chromium; plus the JS format check.
# Each suite (a *.test.mjs file) is a ctest entry labelled `browser` in the native build, so that
# they run in parallel (ctest -j) and each has its own generous ceiling; here a missing piece fails
# instead of skipping.
#   KINDBAND_NATIVE_BUILD=dir     native build with kindband-server, kindband-admin and kindband
#                                 (default build/native; configured and built here when needed)
#   KINDBAND_WASM_BUILD=dir       engine build dir for build-web.sh (default build/wasm)
#   KINDBAND_SKIP_WEB_BUILD=1     test build/web as built (scripts/test.sh built it already)
#   KINDBAND_BROWSER_JOBS=N       suites at once (default: as many as there are cores)
set -euo pipefail
cd "$(dirname "$0")/.."
native=${KINDBAND_NATIVE_BUILD:-build/native}

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/prettier ] ||
  [ ! -d tests/browser/node_modules/selenium-webdriver ]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
[ -x /usr/bin/chromium ] || { echo "test-browser: /usr/bin/chromium missing (scripts/install-deps.sh)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "test-browser: sqlite3 missing (scripts/install-deps.sh)" >&2; exit 1; }
for tool in /usr/bin/WebKitWebDriver /usr/bin/xvfb-run; do
  [ -x "$tool" ] || { echo "test-browser: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done

if [ "${KINDBAND_SKIP_WEB_BUILD:-0}" != 1 ]; then
  echo "--- build/web"
  scripts/build-web.sh
fi

echo "--- kindband-server, kindband-admin, kindband ($native)"
if [ ! -f "$native/CMakeCache.txt" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
fi
cmake --build "$native" -j"$(nproc)" --target kindband-server kindband-admin kindband >/dev/null

echo "--- browser suites (ctest -L browser)"
export KINDBAND_BROWSER_REQUIRED=1 KINDBAND_WEBKIT_REQUIRED=1 KINDBAND_INBOX_PAGE_REQUIRED=1
export KINDBAND_FHIR_REQUIRED=1
export KINDBAND_WASM_BUILD=${KINDBAND_WASM_BUILD:-build/wasm}
status=0
ctest --test-dir "$native" --output-on-failure -L browser -j"${KINDBAND_BROWSER_JOBS:-$(nproc)}" ||
  status=$?

# After the tests, so that a formatting slip does not hide test results.
echo "--- JS format check (prettier; fix with: cd tests/browser && npm run format)"
cd tests/browser
npx --no-install prettier --config .prettierrc.json --ignore-path .prettierignore \
  --check ../../widget ../../examples/site ../../server/web/inbox '../server/*.mjs' '../fhir/*.mjs' '*.mjs' pages \
  || status=1
exit $status
