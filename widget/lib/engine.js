// Loads the scoring engine (wasm, docs/js-api.md) once per page. It lives next to the widget:
// kindband.mjs + kindband-engine-core.{js,wasm} (or -journey). The first question does not need it
// (the instruments' rendering files do), and fetching and starting it (running its JS, instantiating
// the wasm, reading its instrument library) takes the page's main thread and, on a slow mobile
// network, the bandwidth the first question needs. So nothing of it is fetched until the first screen
// is on screen (engineMayStart), or at most START_DELAY_MS after the widget's script ran. Then its JS
// API and the wasm bytes are fetched in parallel (left to itself, the engine's JS would only start
// fetching the wasm once it has been fetched and run). The parent reads the start screen meanwhile.

import { assetUrl } from "./assets.js";
import { fetchInstrument } from "./instruments.js";

const START_DELAY_MS = 3000;
const engines = {};
// Per language the journey file for parents, e.g. {"nl": "journeys/first_1000_days.nl.json"}, filled
// in at build time (widget/tools/inline-data.mjs, from widget/tools/export-instruments.mjs).
const JOURNEY_FILES = {};
const journeyTexts = {}; // lang -> promise of the file's text
const journeysAdded = new WeakMap(); // engine -> {lang: promise}
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

/**
 * Adds to the engine the definitions of the instruments `ids` it has not loaded: the core and journey
 * builds know the instruments only by name, and take each one's definition from its rendering file
 * (lib/instruments.js: instruments/<id>.<lang>.json carries it as `engine`), the same file, fetched
 * once, that the screens draw the questions from. Ids the engine does not know are left out (the
 * widget says "unknown instrument" for them). Rejects when a known instrument's file cannot be had.
 * The files are public: asking for them says nothing about the parent's answers.
 */
export async function addInstruments(engine, ids, lang) {
  const known = new Set(engine.listInstruments(lang).map((entry) => entry.id));
  const loaded = () => new Set(engine.loadedInstruments());
  const wanted = [...new Set(ids)].filter((id) => known.has(id) && !loaded().has(id));
  const files = await Promise.all(wanted.map((id) => fetchInstrument(id, lang)));
  wanted.forEach((id, index) => {
    const file = files[index];
    if (!file?.engine) throw new Error(`instruments/${id}.${lang}.json: could not be loaded`);
    // Another call may have added it while the files were on their way.
    if (!loaded().has(id)) engine.addInstrument(file.engine, `instruments/${id}.${lang}.json`);
  });
}

/**
 * Fetches the journey file for parents in `lang` (once; version-stamped like the engine's files):
 * the journey build has no journey compiled in. Asked for as soon as a journey page asks for its
 * engine, so that it arrives beside the wasm. The file is public: asking for it says nothing about
 * the parent.
 */
export function fetchJourney(lang) {
  const file = JOURNEY_FILES[lang];
  if (!journeyTexts[lang]) {
    const text = file
      ? fetch(assetUrl(file)).then((response) => {
          if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
          return response.text();
        })
      : Promise.reject(new Error(`no journey file for "${lang}" in this build`));
    journeyTexts[lang] = text;
    // A failed fetch (offline) is tried again the next time, e.g. when the parent switches again.
    text.catch(() => journeyTexts[lang] === text && delete journeyTexts[lang]);
  }
  return journeyTexts[lang];
}

/** Adds the journey in `lang` to the (journey build's) engine once; rejects when it cannot be had. */
export function addJourney(engine, lang) {
  const added = journeysAdded.get(engine) ?? {};
  journeysAdded.set(engine, added);
  added[lang] ??= fetchJourney(lang).then(
    (text) => engine.addJourney(text, JOURNEY_FILES[lang]),
    (error) => {
      delete added[lang];
      throw error;
    },
  );
  return added[lang];
}
