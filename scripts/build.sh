#!/usr/bin/env bash
# Builds everything the demo needs: native engine, CLI and server (build/native), the wasm engine
# (build/wasm) and the widget's deployable folder (build/web).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build build/native -j"$jobs"
scripts/build-wasm.sh "${launcher[@]}"
KINDBAND_SKIP_WASM_BUILD=1 scripts/build-web.sh
