#!/usr/bin/env bash
# Assembles build/web/: the widget's deployable folder (what a site or the Kindband server serves).
#   build/web/kindband-screen.js     the one script a page includes: widget/'s modules joined into one
#                                    file by widget/tools/bundle.mjs (our own, no npm bundler), minified
#                                    with terser (wasm/minify.mjs)
#   build/web/kindband.mjs, kindband-engine[-core|-journey].{js,wasm}  the engine (docs/js-api.md)
#   build/web/journeys/<id>.<lang>.json  the journey for parents in one language (the journey build
#                                    has none compiled in: a journey page adds its language's)
#   build/web/instruments/<id>.<lang>.json  instruments as rendered (all questions before the engine;
#                                    their first screens are in kindband-screen.js itself), each with
#                                    the definition the core and journey engines add at run time
#   <file>.br, <file>.gz             each file precompressed (widget/tools/precompress.mjs; gzip by zopfli
#                                    when installed), sent by kindband-server and nginx to browsers
#                                    that accept them
# The entry script asks for the engine and screen files by URLs carrying each file's content hash
# (widget/tools/version-files.mjs), which the server lets browsers keep for a year.
# KINDBAND_WEB_MODULES=1 copies the modules unbundled instead (for debugging in a browser).
# The engine comes from scripts/build-wasm.sh (build dir: $KINDBAND_WASM_BUILD, default build/wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_build=${KINDBAND_WASM_BUILD:-build/wasm}
out=${KINDBAND_WEB_OUT:-build/web}
if [ "${KINDBAND_SKIP_WASM_BUILD:-0}" != 1 ]; then
  KINDBAND_WASM_BUILD="$wasm_build" scripts/build-wasm.sh >/dev/null
fi
for f in kindband.mjs kindband-engine.js kindband-engine.wasm kindband-engine-core.js kindband-engine-core.wasm \
  kindband-engine-journey.js kindband-engine-journey.wasm; do
  [ -f "$wasm_build/dist/$f" ] || { echo "build-web: missing $wasm_build/dist/$f (run scripts/build-wasm.sh)" >&2; exit 1; }
done
[ -d "$wasm_build/dist/instruments" ] || { echo "build-web: missing $wasm_build/dist/instruments/ (run scripts/build-wasm.sh)" >&2; exit 1; }
[ -d "$wasm_build/dist/journeys" ] || { echo "build-web: missing $wasm_build/dist/journeys/ (run scripts/build-wasm.sh)" >&2; exit 1; }
staging="$out.tmp.$$"
rm -rf "$staging"
mkdir -p "$staging"
if [ "${KINDBAND_WEB_MODULES:-0}" = 1 ]; then
  mkdir -p "$staging/lib" "$staging/screens"
  cp widget/kindband-screen.js "$staging/"
  cp widget/lib/*.js "$staging/lib/"
  cp widget/screens/*.js "$staging/screens/"
else
  # Each bundle minified with terser (wasm/minify.mjs, as the engine's JS): about a sixth less gzip.
  if [ ! -d wasm/node_modules/terser ]; then
    (cd wasm && npm install --no-audit --no-fund --silent)
  fi
  minify() {
    node wasm/minify.mjs "$1" "$2" \
      "// Kindband widget (https://kindband.nl). Source: widget/ in the Kindband repository."
    rm "$1"
  }
  bundle() {
    node widget/tools/bundle.mjs "$1" >"$2.bundled"
    minify "$2.bundled" "$2"
  }
  # The entry script (kindband-screen.js) is bundled last, below: it names the others' versions.
  # The care-network screens and the family calls only they make: fetched only when a parent opens them.
  mkdir -p "$staging/screens"
  bundle widget/screens/network.js "$staging/screens/network.js"
  bundle widget/screens/family-calls.js "$staging/screens/family-calls.js"
  # The journey screens: fetched at once on a journey page, never on a page that only screens.
  bundle widget/screens/journey.js "$staging/screens/journey.js"
  # "Save this receipt" (a text file or print): fetched only when a parent presses it.
  bundle widget/screens/receipt-file.js "$staging/screens/receipt-file.js"
  # The explanation of words such as "POP-poli": fetched only when a result shows one (issue 24).
  bundle widget/screens/glossary.js "$staging/screens/glossary.js"
  # The result and the screens after it: fetched when the parent reaches the last question.
  bundle widget/screens/outcome.js "$staging/screens/outcome.js"
  # The widget's texts in English (the entry has Dutch): fetched for a page in English or when the
  # parent switches.
  bundle widget/screens/texts-en.js "$staging/screens/texts-en.js"
fi
cp "$wasm_build/dist/kindband.mjs" "$wasm_build/dist/kindband-engine.js" "$wasm_build/dist/kindband-engine.wasm" \
  "$wasm_build/dist/kindband-engine-core.js" "$wasm_build/dist/kindband-engine-core.wasm" \
  "$wasm_build/dist/kindband-engine-journey.js" "$wasm_build/dist/kindband-engine-journey.wasm" "$staging/"
# instruments/<id>.<lang>.json: what the screens render, exported from this same engine build; and
# journeys/<id>.<lang>.json, the journey for parents that a journey page adds to its engine.
node widget/tools/export-instruments.mjs "$wasm_build/dist" "$staging" >/dev/null
if [ "${KINDBAND_WEB_MODULES:-0}" != 1 ]; then
  node widget/tools/bundle.mjs widget/kindband-screen.js >"$staging/kindband-screen.js.bundled"
  # The first screens of every instrument and the journey form's element list, in the entry itself.
  node widget/tools/inline-data.mjs "$staging/kindband-screen.js.bundled" \
    FIRST_SCREENS="$staging/first-screens.json" JOURNEY_START="$staging/journey-start.json" \
    JOURNEY_FILES="$staging/journey-files.json"
  node widget/tools/version-files.mjs "$staging" "$staging/kindband-screen.js.bundled" \
    "$staging/kindband-screen.js.versioned" >/dev/null
  rm "$staging/kindband-screen.js.bundled"
  minify "$staging/kindband-screen.js.versioned" "$staging/kindband-screen.js"
fi
if [ "${KINDBAND_WEB_MODULES:-0}" = 1 ]; then
  # Unbundled, the module that fetches the journey file still needs to know its name.
  node widget/tools/inline-data.mjs "$staging/lib/engine.js" JOURNEY_FILES="$staging/journey-files.json"
fi
rm "$staging/first-screens.json" "$staging/journey-start.json" "$staging/journey-files.json"
# Says which gzip it used (zopfli when installed, else zlib level 9): the .gz sizes depend on it.
compressed=$(node widget/tools/precompress.mjs "$staging")
# Swap in one step so a server reading build/web never sees a half-copied folder.
rm -rf "$out.old"
[ -d "$out" ] && mv "$out" "$out.old"
mv "$staging" "$out"
rm -rf "$out.old"
echo "widget build: $out ($(find "$out" -type f ! -name '*.gz' ! -name '*.br' | wc -l) files, each also .br and .gz); $compressed"
