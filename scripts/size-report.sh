#!/usr/bin/env bash
# Engine part of the size/speed report: what the browser downloads for the engine (raw, gzip -9,
# brotli per file; total against the 80 KB gzip budget), what the .wasm is made of, and the scoring
# latency per call in headless Chromium (median of many calls) next to native in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-wasm.sh >/dev/null
node tests/wasm/size-report.mjs
cmake -S . -B build/wasm-native -DCMAKE_BUILD_TYPE=Release -DKINDBAND_TEST_PARTS=parity >/dev/null
cmake --build build/wasm-native -j"$(nproc)" --target kindband_parity_cases >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build/wasm-native/tests/parity/kindband_parity_cases --bench 20000 >"$work/native.jsonl"
node tests/wasm/browser.mjs --json >"$work/browser.json" || true
node tests/wasm/latency-report.mjs "$work/native.jsonl" "$work/browser.json"
