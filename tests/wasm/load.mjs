// Loads the wasm build for Node tests: build/wasm/dist by default, or $KINDBAND_WASM_DIST.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const distDir = path.resolve(root, process.env.KINDBAND_WASM_DIST ?? "build/wasm/dist");

// Node's fetch cannot load the .wasm by URL; the API takes the bytes instead (TOOLCHAIN.md).
// build: "full" (kindband-engine.*), "journey" (kindband-engine-journey.*, without adviseResult) or
// "core" (kindband-engine-core.*, also without the journey). The core and journey builds carry no
// instrument definitions: with `instruments` "all" (the default) every file of dist/instruments/ is
// added, as a page adds its own; with a list, those ids; with "none", none. Nor does the journey
// build carry the journey: with `journey` "whole" (the default) the journey file the full build has
// compiled in (engine/journeys/) is added, with "parents" the files for parents of
// dist/journeys/ (what a journey page adds, one per language), with "none" none.
export async function loadForNode(build = "full", { instruments = "all", journey = "whole" } = {}) {
  const { loadKindband } = await import(pathToFileURL(path.join(distDir, "kindband.mjs")).href);
  const file = build === "full" ? "kindband-engine.wasm" : `kindband-engine-${build}.wasm`;
  const wasmBinary = fs.readFileSync(path.join(distDir, file));
  const kb = await loadKindband({ engine: build, wasmBinary });
  if (build !== "full") addInstrumentFiles(kb, instruments);
  if (build === "journey") addJourneyFiles(kb, journey);
  return kb;
}

/** The journey files for parents the build wrote (dist/journeys/<id>.<lang>.json), by name. */
export function journeyFileNames() {
  return fs
    .readdirSync(path.join(distDir, "journeys"))
    .filter((name) => name.endsWith(".json"))
    .sort();
}

/** Adds the journey to a journey build: "whole" (engine/journeys/), "parents" or "none". */
export function addJourneyFiles(kb, journey = "whole") {
  if (journey === "whole") {
    const folder = path.join(root, "engine/journeys");
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".json")))
      kb.addJourney(fs.readFileSync(path.join(folder, name), "utf8"), name);
  } else if (journey === "parents") {
    for (const name of journeyFileNames())
      kb.addJourney(fs.readFileSync(path.join(distDir, "journeys", name), "utf8"), name);
  }
}

/** The ids of the instrument files the build wrote (dist/instruments/<id>.json). */
export function instrumentFileIds() {
  return fs
    .readdirSync(path.join(distDir, "instruments"))
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

/** Adds the instruments' files (dist/instruments/<id>.json) to an engine: "all", "none" or ids. */
export function addInstrumentFiles(kb, instruments = "all") {
  const ids =
    instruments === "all" ? instrumentFileIds() : instruments === "none" ? [] : instruments;
  for (const id of ids) {
    kb.addInstrument(
      fs.readFileSync(path.join(distDir, "instruments", `${id}.json`), "utf8"),
      `${id}.json`,
    );
  }
}
