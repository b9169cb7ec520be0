// Prints a JSON file compact and without documentation-only keys ("notes", "note", "scoring_notes"),
// for embedding in the engine: the library travels in the wasm download. The engine never reads those
// keys; the files under engine/ keep them for people. A file that is not valid JSON is printed as it
// is, so the engine's loader reports it with its line and column.
//   node cmake/minify_json.mjs FILE              prints it
//   node cmake/minify_json.mjs FILE --to DIR     writes DIR/<id>.json (an instrument file the browser's
//                                                engine loads at run time, docs/js-api.md)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const text = readFileSync(process.argv[2], "utf8");
const toDir = process.argv[3] === "--to" ? process.argv[4] : null;
const documentationOnly = new Set(["notes", "note", "scoring_notes"]);
let value;
try {
  value = JSON.parse(text);
} catch {
  process.stdout.write(text);
  process.exit(0);
}
const strip = (node) =>
  Array.isArray(node)
    ? node.map(strip)
    : node && typeof node === "object"
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([key]) => !documentationOnly.has(key))
            .map(([key, child]) => [key, strip(child)]),
        )
      : node;
const minified = JSON.stringify(strip(value));
if (toDir === null) {
  process.stdout.write(minified);
} else {
  if (typeof value?.id !== "string" || !/^[a-z0-9_]+$/.test(value.id)) {
    console.error(`${process.argv[2]}: /id: expected an instrument id ([a-z0-9_]+)`);
    process.exit(1);
  }
  // The build names its output after the source file, the widget asks for it by id: they must agree.
  if (path.basename(process.argv[2]) !== `${value.id}.json`) {
    console.error(
      `${process.argv[2]}: /id: "${value.id}" must match the file name (${value.id}.json)`,
    );
    process.exit(1);
  }
  mkdirSync(toDir, { recursive: true });
  writeFileSync(path.join(toDir, `${value.id}.json`), minified);
}
