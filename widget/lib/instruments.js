// The instruments as the screens render them, before the engine has loaded: build/web/instruments/
// <id>.<lang>.json (exported from the same engine build by widget/tools/export-instruments.mjs).
// Once the engine is loaded the widget takes definitions from the engine instead.
import { pickLanguage } from "./i18n.js";

const cache = new Map();

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
