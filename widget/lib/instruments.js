// The instruments as the screens render them, before the engine has loaded: build/web/instruments/
// <id>.<lang>.json (exported from the same engine build by widget/tools/export-instruments.mjs).
// Once the engine is loaded the widget takes definitions from the engine instead.

const cache = new Map();

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
