// Loads the scoring engine (wasm, docs/js-api.md) once per page. It lives next to the widget:
// kindband.mjs + kindband-engine.{js,wasm}. The JS API and the wasm bytes are fetched in parallel
// (left to itself, the engine's JS would only start fetching the wasm once it has been fetched and
// run), as soon as the widget's script runs. Starting the engine (instantiating the wasm and reading
// its instrument library) keeps the page busy for tens of milliseconds, so it waits until the first
// screen is drawn (engineMayStart) or at most START_DELAY_MS: the parent sees the question first.

const START_DELAY_MS = 400;
let engine = null;
let allowStart;
const startAllowed = new Promise((resolve) => {
  allowStart = resolve;
});

/** Lets the engine start (called once the first screen is on screen). */
export function engineMayStart() {
  allowStart();
}

/** The engine API promise: {listInstruments, getInstrument, score, advise, addWordingPack}. */
export function loadEngine() {
  engine ??= startLoading();
  return engine;
}

function startLoading() {
  const api = import(new URL("../kindband.mjs", import.meta.url).href);
  // kindband.mjs imports this; asking for it now fetches it in parallel (one module, fetched once).
  import(new URL("../kindband-engine.js", import.meta.url).href).catch(() => {});
  const wasm = fetch(new URL("../kindband-engine.wasm", import.meta.url).href).then((response) => {
    if (!response.ok) throw new Error(`kindband-engine.wasm: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  setTimeout(allowStart, START_DELAY_MS);
  return Promise.all([api, wasm, startAllowed]).then(([module, wasmBinary]) =>
    module.loadKindband({ wasmBinary }),
  );
}
