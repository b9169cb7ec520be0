// The instruments as the screens render them, before the engine has loaded: build/web/instruments/
// <id>.<lang>.json (exported from the same engine build by widget/tools/export-instruments.mjs).
// Once the engine is loaded the widget takes definitions from the engine instead. Each file also
// carries the instrument's definition for the engine (`engine`): the page's engine build has none
// compiled in and takes it from this same file (lib/engine.js, addInstruments).
//
// The first screens of every instrument with its wording (the start screen and the first question)
// are also in this script itself (FIRST_SCREENS, filled in at build time by widget/tools/inline-data.mjs
// from the same export), so that a page draws its first question without waiting for a second file;
// the instrument's own file, asked for at once, brings the other questions.
import { pickLanguage } from "./i18n.js";

const cache = new Map();
// "<id>.<lang>" -> the instrument's file with only its first item, plus item_count.
const FIRST_SCREENS = {};

/**
 * The instrument as far as its first screens need it (first question, number of questions), or null:
 * items after the first are placeholders ({pending: true}) until the whole file has arrived.
 */
export function firstScreens(id, lang) {
  const digest = FIRST_SCREENS[`${id}.${lang}`];
  if (!digest) return null;
  const { item_count: count, ...def } = digest;
  const pending = { id: null, text: "", required: true, scored: true, options: [], pending: true };
  return { ...def, items: [def.items[0], ...Array(count - 1).fill(pending)], preview: true };
}

/**
 * Whether an item is asked given the answers so far (option positions): an item with
 * `ask_when_any` (the Whooley help question) only after one of the named items scored at least
 * `min_score`.
 */
export function isAsked(def, item, answers) {
  const when = item.ask_when_any;
  if (!when) return true;
  return when.items.some((itemId) => {
    const index = def.items.findIndex((candidate) => candidate.id === itemId);
    const position = answers?.[index];
    return (
      index >= 0 &&
      position !== null &&
      position !== undefined &&
      def.items[index].options[position]?.value >= when.min_score
    );
  });
}

/** Resolves to the instrument-for-rendering object, or null when there is no such file. */
export function fetchInstrument(id, lang) {
  const key = `${id}.${lang}`;
  if (!cache.has(key)) {
    const url = new URL(`../instruments/${encodeURIComponent(key)}.json`, import.meta.url).href;
    cache.set(
      key,
      fetch(url)
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null),
    );
  }
  return cache.get(key);
}

// The files of the instruments on this page are asked for as soon as this module runs (it is the first
// of the widget's modules to run; module scripts run after the page is parsed, so the elements are
// there). Elements with wording packs wait for the engine instead.
for (const element of document.querySelectorAll("kindband-screen:not([wording-packs])")) {
  const lang = pickLanguage(element.getAttribute("lang"));
  for (const id of (element.getAttribute("instruments") || "").split(/[\s,]+/).filter(Boolean)) {
    fetchInstrument(id, lang);
  }
}
