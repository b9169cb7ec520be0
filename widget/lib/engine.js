// Loads the scoring engine (wasm, docs/js-api.md) once per page. It lives next to the widget:
// build/web/kindband.mjs + kindband-engine.{js,wasm}. Loading starts as soon as this module runs,
// so the engine downloads while the start screen is shown.

let engine = null;

/** The engine API promise: {listInstruments, getInstrument, score, advise, addWordingPack}. */
export function loadEngine() {
  engine ??= import(new URL("../kindband.mjs", import.meta.url).href).then((module) =>
    module.loadKindband(),
  );
  return engine;
}
