#!/usr/bin/env bash
# Builds the browser engine with Emscripten into build/wasm/dist:
#   kindband.mjs (JS API), kindband-engine.js + kindband-engine.wasm (engine + instrument library +
#   journey), kindband-engine-core.js + kindband-engine-core.wasm (the same without the journey).
# Extra arguments go to the configure step (e.g. -DKINDBAND_WASM_JOURNEY=OFF); KINDBAND_WASM_BUILD
# sets the build dir.
set -euo pipefail
cd "$(dirname "$0")/.."
# emcc's JS optimizer needs Debian's acorn; node here may not be Debian's (TOOLCHAIN.md).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
build=${KINDBAND_WASM_BUILD:-build/wasm}
# terser (wasm/package.json) minifies the shipped JS; scripts/install-deps.sh installs it too.
if [ ! -d wasm/node_modules/terser ]; then
  (cd wasm && npm install --no-audit --no-fund --silent)
fi
# The toolchain's default test emulator passes a flag Node 20 rejects: use plain node.
emcmake cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" --target kindband_wasm kindband_wasm_dist
# The core engine (no journey) for pages that only screen: kindband-engine-core.{js,wasm} in the same dist.
emcmake cmake -S . -B "$build-core" -DCMAKE_BUILD_TYPE=Release -DKINDBAND_WASM_JOURNEY=OFF \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" "$@" >/dev/null
cmake --build "$build-core" -j"$(nproc)" --target kindband_wasm
cp "$build-core/dist/kindband-engine-core.js" "$build-core/dist/kindband-engine-core.wasm" "$build/dist/"
echo "wasm build: $build/dist"
ls -l "$build/dist"
