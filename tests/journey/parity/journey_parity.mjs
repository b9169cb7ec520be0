// Native/wasm parity for the journey: replays every case printed by kindband_journey_parity_cases in
// the wasm engine under Node and requires byte-identical plans and error messages, in each build that
// has the journey: the journey build as a parent's journey page starts it (the instruments known by
// their summaries, no definition loaded, the journey file for parents of each language added), the
// same with every instrument file added, the journey build with the whole journey file added, and the
// full build (the library and the journey compiled in). The native side plans from the same files:
// the built-in journey, or (given the folder) the files for parents. It also requires that a plan
// from a file for parents is the plan from the whole journey without the professionals' fields.
//
//   node tests/journey/parity/journey_parity.mjs <path to kindband_journey_parity_cases> <wasm dist dir>
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [casesBinary, dist] = process.argv.slice(2);
if (!casesBinary || !dist) {
  console.error("usage: journey_parity.mjs CASES_BINARY WASM_DIST_DIR");
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const journeysDir = path.resolve(dist, "journeys");
const parentFiles = fs.readdirSync(journeysDir).filter((n) => n.endsWith(".json"));
const { loadKindband } = await import(path.resolve(dist, "kindband.mjs"));
// label -> [build, wasm file, add every instrument file, journey files to add, native run]
const builds = {
  "journey build, the journey files for parents added": [
    "journey",
    "kindband-engine-journey.wasm",
    false,
    parentFiles.map((name) => path.join(journeysDir, name)),
    "parents",
  ],
  "journey build, the files for parents and every instrument file added": [
    "journey",
    "kindband-engine-journey.wasm",
    true,
    parentFiles.map((name) => path.join(journeysDir, name)),
    "parents",
  ],
  "journey build, the whole journey file added": [
    "journey",
    "kindband-engine-journey.wasm",
    false,
    [path.join(repo, "engine/journeys/first-1000-days.json")],
    "builtin",
  ],
  "full build": ["full", "kindband-engine.wasm", false, [], "builtin"],
};
const engines = {};
for (const [label, [build, file, addFiles, journeyFiles]] of Object.entries(builds)) {
  const wasmBinary = fs.readFileSync(path.resolve(dist, file));
  const kb = await loadKindband({ engine: build, wasmBinary });
  if (build !== "full" && kb.loadedInstruments().length !== 0)
    throw new Error(`${label}: the journey build starts with instrument definitions`);
  if (addFiles) {
    const folder = path.resolve(dist, "instruments");
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".json")))
      kb.addInstrument(fs.readFileSync(path.join(folder, name), "utf8"), name);
  }
  for (const journeyFile of journeyFiles)
    kb.addJourney(fs.readFileSync(journeyFile, "utf8"), path.basename(journeyFile));
  engines[label] = kb;
}

// The native cases: from the built-in journey, and from the files for parents.
const runs = {};
for (const [run, args] of [
  ["builtin", []],
  ["parents", [journeysDir]],
]) {
  const result = spawnSync(casesBinary, args, { maxBuffer: 1 << 30, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`${casesBinary} ${args.join(" ")} failed:\n${result.stderr}`);
    process.exit(1);
  }
  runs[run] = {
    lines: result.stdout.trimEnd().split("\n"),
    native: JSON.parse(result.stderr.trim().split("\n").pop()),
  };
}
let failed = !parentsPlanAsWhole();
for (const [build, kb] of Object.entries(engines)) {
  const { lines, native } = runs[builds[build][4]];
  failed = !replay(build, kb, lines, native) || failed;
}
process.exit(failed ? 1 : 0);

// A plan from a file for parents is the plan from the whole journey less "reasoning" and "source"
// (and the same errors): the export leaves out nothing a parent's page needs.
function parentsPlanAsWhole() {
  const whole = runs.builtin.lines;
  const parents = runs.parents.lines;
  let mismatches = 0;
  if (whole.length !== parents.length) mismatches += 1;
  for (let i = 1; i < whole.length && mismatches < 5; i += 2) {
    let expected = whole[i];
    if (!expected.startsWith("error: ")) {
      const plan = JSON.parse(expected);
      for (const moment of plan.moments) {
        delete moment.reasoning;
        delete moment.source;
      }
      expected = JSON.stringify(plan);
    }
    if (parents[i - 1] !== whole[i - 1] || parents[i] !== expected) {
      mismatches += 1;
      console.error(
        `files for parents, case ${(i - 1) / 2}: ${whole[i - 1]}\n  whole:   ${expected}\n  parents: ${parents[i]}`,
      );
    }
  }
  console.log(
    `journey files for parents: ${parents.length / 2} native plans, ${mismatches} differ from the whole journey's (less its professionals' fields)`,
  );
  return mismatches === 0 && parents.length > 0;
}

// Replays every case in one build; true when all plans and errors are byte-identical.
function replay(build, kb, lines, native) {
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
