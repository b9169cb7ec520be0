// Writes the instruments as the widget renders them (the engine's getInstrument, trimmed to what the
// screens show) to OUT/instruments/<id>.<lang>.json, from the same engine build that is shipped.
// The widget fetches its instruments' file in parallel with the engine, so the first question is on
// screen without waiting for the wasm to load; once the engine is there, it is the source of truth.
// Each file also carries, as `engine`, the instrument's definition as the engine reads it
// (ENGINE_DIST_DIR/instruments/<id>.json): the core and journey builds have none compiled in and add
// it from this same file (one download per instrument; its texts compress against the rendered ones).
//
// It also copies the journey files for parents (OUT/journeys/) and writes OUT/first-screens.json:
// per "<id>.nl" the same file with only its first item and item_count (instruments whose wording is
// complete; in Dutch, the language of the entry's texts), which build-web.sh puts into the entry
// script (widget/lib/instruments.js, FIRST_SCREENS) and then removes; and OUT/journey-start.json: per
// language the titles of the journey's element pages (the journey form's list, before the engine).
//
//   node widget/tools/export-instruments.mjs ENGINE_DIST_DIR OUT_DIR
import fs from "node:fs";
import path from "node:path";

const [dist, out] = process.argv.slice(2);
if (!dist || !out) {
  console.error("usage: node export-instruments.mjs ENGINE_DIST_DIR OUT_DIR");
  process.exit(2);
}
const { loadKindband } = await import(path.resolve(dist, "kindband.mjs"));
const engine = await loadKindband({
  wasmBinary: fs.readFileSync(path.resolve(dist, "kindband-engine.wasm")),
});

// The language of the widget's texts in its entry script (widget/lib/i18n.js).
const ENTRY_LANGUAGE = "nl";
const pick = (object, keys) =>
  Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));
fs.mkdirSync(path.join(out, "instruments"), { recursive: true });
let count = 0;
const firstScreens = {};
const complete = (def) =>
  def.name !== null &&
  def.items.every(
    (item) => item.text !== null && item.options.every((option) => option.label !== null),
  );
for (const { id } of engine.listInstruments("nl")) {
  for (const lang of ["nl", "en"]) {
    const full = engine.getInstrument(id, lang);
    const trimmed = {
      ...pick(full, ["id", "version", "language", "name", "short_name", "period"]),
      items: full.items.map((item) => ({
        ...pick(item, ["id", "text", "required", "scored", "ask_when_any"]),
        options: item.options.map((option) => pick(option, ["label", "value"])),
      })),
      scales: full.scales.map((scale) => pick(scale, ["id", "name", "min", "max"])),
      engine: JSON.parse(fs.readFileSync(path.resolve(dist, "instruments", `${id}.json`), "utf8")),
    };
    fs.writeFileSync(path.join(out, "instruments", `${id}.${lang}.json`), JSON.stringify(trimmed));
    count += 1;
    // In the entry's language only (Dutch, as its texts): a page in English waits for its files.
    if (complete(full) && lang === ENTRY_LANGUAGE) {
      const { scales, items, engine: definition, ...rest } = trimmed;
      firstScreens[`${id}.${lang}`] = {
        ...rest,
        items: items.slice(0, 1),
        item_count: items.length,
      };
    }
  }
}
fs.writeFileSync(path.join(out, "first-screens.json"), JSON.stringify(firstScreens));
const journeyStart = {};
for (const lang of ["nl", "en"]) {
  const content = engine.journeyContent(lang);
  journeyStart[lang] = {
    elements: content.elements.map(({ id, title }) => ({ id, title })),
  };
}
fs.writeFileSync(path.join(out, "journey-start.json"), JSON.stringify(journeyStart));
// OUT/journeys/<id>.<lang>.json: the journey for parents in each language, as the journey build adds
// it (made by the engine build, cmake/journey_for_parents.mjs), and OUT/journey-files.json naming
// them per language, which build-web.sh puts into the entry script (lib/engine.js, JOURNEY_FILES).
const journeyFiles = {};
fs.mkdirSync(path.join(out, "journeys"), { recursive: true });
for (const name of fs.readdirSync(path.resolve(dist, "journeys")).sort()) {
  const match = /^[a-z0-9_]+\.(nl|en)\.json$/.exec(name);
  if (!match) continue;
  if (journeyFiles[match[1]]) {
    console.error(`export-instruments: more than one journey in "${match[1]}" (${name})`);
    process.exit(1);
  }
  fs.copyFileSync(path.resolve(dist, "journeys", name), path.join(out, "journeys", name));
  journeyFiles[match[1]] = `journeys/${name}`;
}
fs.writeFileSync(path.join(out, "journey-files.json"), JSON.stringify(journeyFiles));
console.log(`instruments for rendering: ${count} files`);
