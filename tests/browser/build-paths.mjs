// Where the builds under test are: build/web (KINDBAND_WEB_OUT) and the wasm engine
// (KINDBAND_WASM_BUILD), for the browser tests and the widget report.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WEB = path.resolve(REPO, process.env.KINDBAND_WEB_OUT || "build/web");
export const WASM_DIST = path.resolve(
  REPO,
  process.env.KINDBAND_WASM_BUILD || "build/wasm",
  "dist",
);

/** The engine in Node (the same wasm the page loads), to check the widget against it. */
export async function nodeEngine() {
  const { loadKindband } = await import(path.join(WASM_DIST, "kindband.mjs"));
  return loadKindband({
    wasmBinary: fs.readFileSync(path.join(WASM_DIST, "kindband-engine.wasm")),
  });
}
