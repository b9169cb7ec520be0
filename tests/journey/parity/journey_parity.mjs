// Native/wasm parity for the journey: replays every case printed by kindband_journey_parity_cases in
// the wasm engine under Node and requires byte-identical plans and error messages, in each build that
// has the journey: the journey build as a parent's journey page starts it (the instruments known by
// their summaries, no definition loaded), the same with every instrument file added, and the full
// build (the library compiled in).
//
//   node tests/journey/parity/journey_parity.mjs <path to kindband_journey_parity_cases> <wasm dist dir>
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [casesBinary, dist] = process.argv.slice(2);
if (!casesBinary || !dist) {
  console.error("usage: journey_parity.mjs CASES_BINARY WASM_DIST_DIR");
  process.exit(2);
}
const { loadKindband } = await import(path.resolve(dist, "kindband.mjs"));
const builds = {
  "journey build": ["journey", "kindband-engine-journey.wasm", false],
  "journey build, every instrument file added": ["journey", "kindband-engine-journey.wasm", true],
  "full build": ["full", "kindband-engine.wasm", false],
};
const engines = {};
for (const [label, [build, file, addFiles]] of Object.entries(builds)) {
  const wasmBinary = fs.readFileSync(path.resolve(dist, file));
  const kb = await loadKindband({ engine: build, wasmBinary });
  if (build !== "full" && kb.loadedInstruments().length !== 0)
    throw new Error(`${label}: the journey build starts with instrument definitions`);
  if (addFiles) {
    const folder = path.resolve(dist, "instruments");
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".json")))
      kb.addInstrument(fs.readFileSync(path.join(folder, name), "utf8"), name);
  }
  engines[label] = kb;
}

const run = spawnSync(casesBinary, { maxBuffer: 1 << 30, encoding: "utf8" });
if (run.status !== 0) {
  console.error(`${casesBinary} failed:\n${run.stderr}`);
  process.exit(1);
}
const lines = run.stdout.trimEnd().split("\n");
const native = JSON.parse(run.stderr.trim().split("\n").pop());
let failed = false;
for (const [build, kb] of Object.entries(engines)) {
  failed = !replay(build, kb) || failed;
}
process.exit(failed ? 1 : 0);

// Replays every case in one build; true when all plans and errors are byte-identical.
function replay(build, kb) {
  let mismatches = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i += 2) {
    const { input, language } = JSON.parse(lines[i]);
    const expected = lines[i + 1];
    let actual;
    try {
      actual = kb.journeyText(input, language);
    } catch (error) {
      actual = `error: ${error.message}`;
      errors += 1;
    }
    if (actual !== expected) {
      mismatches += 1;
      if (mismatches <= 5)
        console.error(
          `${build}, case ${i / 2}: ${lines[i]}\n  native: ${expected}\n  wasm:   ${actual}`,
        );
    }
  }
  const cases = lines.length / 2;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const wasmMicros = (ms * 1000) / cases;
  console.log(
    `journey parity (${build}): ${cases} cases (${errors} input errors), ${mismatches} mismatches; ` +
      `per plan: wasm ${wasmMicros.toFixed(1)} µs (JS API, text out), native ` +
      `${native.native_us_per_call.toFixed(1)} µs, ratio ${(wasmMicros / native.native_us_per_call).toFixed(1)}x`,
  );
  return mismatches === 0 && cases > 0;
}
