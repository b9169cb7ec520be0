#!/usr/bin/env bash
# Builds the browser engine and tests it: Node tests of the JS API under
# --disallow-code-generation-from-strings, native/wasm parity (every instrument, 10,000 answer sets
# each, in each of the three engine builds; the journey in the journey and full builds), and the
# engine in headless Chromium under a strict CSP.
# Called by scripts/test.sh. KINDBAND_PARITY_CASES overrides the answer sets per instrument.
#   KINDBAND_NATIVE_BUILD=dir     the native build with the parity generators (default build/native;
#                                 their two targets are built there when missing or out of date)
#   KINDBAND_SKIP_WASM_BUILD=1    test the engine as built (scripts/test.sh built it already)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
native=${KINDBAND_NATIVE_BUILD:-build/native}
node_flags=(--disallow-code-generation-from-strings)
# The engine under test: $KINDBAND_WASM_BUILD/dist (built below), unless KINDBAND_WASM_DIST names one.
export KINDBAND_WASM_DIST=${KINDBAND_WASM_DIST:-${KINDBAND_WASM_BUILD:-build/wasm}/dist}

# playwright-core and prettier (tests/browser/package.json; scripts/install-deps.sh installs them).
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/prettier ]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

if [ "${KINDBAND_SKIP_WASM_BUILD:-0}" != 1 ]; then
  echo "--- wasm build ($KINDBAND_WASM_DIST)"
  scripts/build-wasm.sh >/dev/null
fi

echo "--- native parity generators ($native)"
if [ ! -f "$native/CMakeCache.txt" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
fi
cmake --build "$native" -j"$jobs" --target kindband_parity_cases kindband_journey_parity_cases >/dev/null

echo "--- JS API tests (node --test ${node_flags[*]})"
node "${node_flags[@]}" --test tests/wasm/

echo "--- native/wasm parity (each engine build a page loads: core, journey, full)"
# The full build with 10,000 answer sets per instrument; core and journey are the same engine code
# with less linked in, checked with 2,000 answer sets per instrument.
for build in core journey full; do
  cases=2000
  [ "$build" = full ] && cases=10000
  node "${node_flags[@]}" tests/wasm/parity.mjs "$native/tests/parity/kindband_parity_cases" \
    "${KINDBAND_PARITY_CASES:-$cases}" "$build"
done
if [ -f tests/journey/parity/journey_parity.mjs ]; then
  node "${node_flags[@]}" tests/journey/parity/journey_parity.mjs \
    "$native/tests/journey/kindband_journey_parity_cases" "$KINDBAND_WASM_DIST"
fi

echo "--- headless Chromium under a strict CSP"
node tests/wasm/browser.mjs

echo "--- JS format check (prettier, tests/browser/.prettierrc.json)"
(cd tests/browser && npx --no-install prettier --config .prettierrc.json --check \
  ../../wasm/kindband.mjs ../../wasm/minify.mjs ../wasm/*.mjs ../wasm/browser)
