// Loads the wasm build for Node tests: build/wasm/dist by default, or $KINDBAND_WASM_DIST.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const distDir = path.resolve(root, process.env.KINDBAND_WASM_DIST ?? "build/wasm/dist");

// Node's fetch cannot load the .wasm by URL; the API takes the bytes instead (TOOLCHAIN.md).
// build: "full" (kindband-engine.*), "journey" (kindband-engine-journey.*, without adviseResult) or
// "core" (kindband-engine-core.*, also without the journey).
export async function loadForNode(build = "full") {
  const { loadKindband } = await import(pathToFileURL(path.join(distDir, "kindband.mjs")).href);
  const file = build === "full" ? "kindband-engine.wasm" : `kindband-engine-${build}.wasm`;
  const wasmBinary = fs.readFileSync(path.join(distDir, file));
  return loadKindband({ engine: build, wasmBinary });
}
