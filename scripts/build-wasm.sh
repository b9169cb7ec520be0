#!/usr/bin/env bash
# Builds the browser engine with Emscripten into build/wasm/dist: kindband.mjs (JS API) and three builds
# of the engine from the same objects, each a .js + .wasm pair with the instrument library compiled in:
#   kindband-engine-core      scoring, advice, wording packs (a parent's screening page)
#   kindband-engine-journey   also the 1000-day journey (a journey page)
#   kindband-engine           also adviseResult (the inbox; loadKindband()'s default)
# Extra arguments go to the configure step; KINDBAND_WASM_BUILD sets the build dir.
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
cmake --build "$build" -j"$(nproc)" --target kindband_wasm_dist
echo "wasm build: $build/dist"
ls -l "$build/dist"
