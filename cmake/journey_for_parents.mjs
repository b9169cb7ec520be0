// Writes a journey file (engine/journeys/*.json) for parents, one file per language:
// OUT_DIR/<id>.<lang>.json with "languages": [lang], each text only in that language, and without
// what only professionals read (the journey's and the moments' "source", the moments' "reasoning")
// or only people read ("notes", "note"). The browser's journey build adds the file in the page's
// language (kb.addJourney, docs/js-api.md); the engine plans from it as from the whole file, less
// those fields (docs/journey-format.md, tests/journey/parity).
//   node cmake/journey_for_parents.mjs JOURNEY_FILE OUT_DIR
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const LANGUAGES = ["nl", "en"];
const [file, outDir] = process.argv.slice(2);
if (!file || !outDir) {
  console.error("usage: node journey_for_parents.mjs JOURNEY_FILE OUT_DIR");
  process.exit(2);
}
const journey = JSON.parse(readFileSync(file, "utf8"));
if (typeof journey?.id !== "string" || !/^[a-z0-9_]+$/.test(journey.id)) {
  console.error(`${file}: /id: expected a journey id ([a-z0-9_]+)`);
  process.exit(1);
}
const documentationOnly = new Set(["notes", "note"]);
const isObject = (node) => node !== null && typeof node === "object" && !Array.isArray(node);
// A per-language value: an object whose keys are all languages ({"nl": ..., "en": ...}).
const perLanguage = (node) =>
  isObject(node) &&
  Object.keys(node).length > 0 &&
  Object.keys(node).every((key) => LANGUAGES.includes(key));

function inLanguage(node, language) {
  if (Array.isArray(node)) return node.map((child) => inLanguage(child, language));
  if (!isObject(node)) return node;
  if (perLanguage(node)) {
    return language in node ? { [language]: inLanguage(node[language], language) } : {};
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !documentationOnly.has(key))
      .map(([key, child]) => [key, inLanguage(child, language)]),
  );
}

mkdirSync(outDir, { recursive: true });
for (const language of LANGUAGES) {
  const { source, moments, ...rest } = inLanguage(journey, language);
  const forParents = {
    id: rest.id,
    version: rest.version,
    languages: [language],
    ...rest,
    moments: moments.map(({ reasoning, source: momentSource, ...moment }) => moment),
  };
  writeFileSync(path.join(outDir, `${journey.id}.${language}.json`), JSON.stringify(forParents));
}
