// Loads the scoring engine (wasm, docs/js-api.md) once per page. It lives next to the widget:
// kindband.mjs + kindband-engine-core.{js,wasm} (or -journey). The first question does not need it
// (the instruments' rendering files do), and fetching and starting it (running its JS, instantiating
// the wasm, reading its instrument library) takes the page's main thread and, on a slow mobile
// network, the bandwidth the first question needs. So nothing of it is fetched until the first screen
// is on screen (engineMayStart), or at most START_DELAY_MS after the widget's script ran. Then its JS
// API and the wasm bytes are fetched in parallel (left to itself, the engine's JS would only start
// fetching the wasm once it has been fetched and run). The parent reads the start screen meanwhile.

import { assetUrl } from "./assets.js";

const START_DELAY_MS = 3000;
const engines = {};
let allowStart;
const startAllowed = new Promise((resolve) => {
  allowStart = resolve;
});
setTimeout(() => allowStart(), START_DELAY_MS);

/** Lets the engine load (called once the first screen is on screen). */
export function engineMayStart() {
  allowStart();
}

/**
 * The build a page needs: "journey" (with the 1000-day journey) when an element on it has the
 * journey attribute, else "core" (~15 KB gzip smaller). An element added later with `journey` asks
 * for "journey" itself.
 */
export function pageEngineBuild() {
  return document.querySelector("kindband-screen[journey]") ? "journey" : "core";
}

/** The engine API promise for a build: {listInstruments, getInstrument, score, advise, ...}. */
export function loadEngine(build = pageEngineBuild()) {
  engines[build] ??= startAllowed.then(() => startLoading(build));
  return engines[build];
}

function startLoading(build) {
  const name = build === "full" ? "kindband-engine" : `kindband-engine-${build}`;
  const api = import(assetUrl("kindband.mjs"));
  // kindband.mjs imports this; asking for it now fetches it in parallel (one module, fetched once).
  import(assetUrl(`${name}.js`)).catch(() => {});
  const wasm = fetch(assetUrl(`${name}.wasm`)).then((response) => {
    if (!response.ok) throw new Error(`${name}.wasm: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  return Promise.all([api, wasm]).then(([module, wasmBinary]) =>
    module.loadKindband({ engine: build, wasmBinary }),
  );
}
