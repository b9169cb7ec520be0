// Prints a JSON file compact and without documentation-only keys ("notes", "note", "scoring_notes"),
// for embedding in the engine: the library travels in the wasm download. The engine never reads those
// keys; the files under engine/ keep them for people. A file that is not valid JSON is printed as it
// is, so the engine's loader reports it with its line and column.
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8");
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
process.stdout.write(JSON.stringify(strip(value)));
