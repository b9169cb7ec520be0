// Prints the summaries of instrument files as one JSON array (engine/src/builtin_files.h,
// k_builtin_summaries): per instrument its id, version, name, short_name and the languages in which
// every item text and option label exists (the engine's has_wording()). An engine built without the
// instrument files (the browser's core and journey builds) knows the instruments by these and loads
// a file when a page needs it. tests/engine pins that these equal the engine's own summaries of the
// same files.
//   node cmake/instrument_summaries.mjs FILE...
import { readFileSync } from "node:fs";

const LANGUAGES = ["en", "nl"]; // the engine's languages, sorted
const summaries = [];
for (const file of process.argv.slice(2)) {
  let instrument;
  try {
    instrument = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    process.exit(1);
  }
  const items = Array.isArray(instrument.items) ? instrument.items : [];
  const optionsOf = (item) =>
    typeof item.options === "string"
      ? (instrument.option_sets?.[item.options] ?? [])
      : Array.isArray(item.options)
        ? item.options
        : [];
  const has = (text, language) => typeof text?.[language] === "string";
  const wording = LANGUAGES.filter(
    (language) =>
      items.length > 0 &&
      items.every(
        (item) =>
          has(item.text, language) &&
          optionsOf(item).every((option) => has(option.label, language)),
      ),
  );
  const summary = { id: instrument.id, version: instrument.version, name: instrument.name };
  if (instrument.short_name !== undefined) summary.short_name = instrument.short_name;
  summary.wording = wording;
  summaries.push(summary);
}
process.stdout.write(JSON.stringify(summaries));
