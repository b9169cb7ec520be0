// Shared by the FHIR node tests: the kindband command line, seeded random answer sets, scoring them
// with `kindband score --csv`, and the npm packages of tests/browser (lforms, fhirpath, fhir).
// KINDBAND_CLI_BINARY names the command line (ctest and scripts/test-browser.sh set it).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BROWSER_DIR = path.join(REPO, "tests/browser");
export const CLI =
  process.env.KINDBAND_CLI_BINARY || path.join(REPO, "build/native/tools/kindband");
export const requireFromBrowserTests = createRequire(path.join(BROWSER_DIR, "package.json"));

/** What is missing to run (names), for a skip or a failure. */
export function missingPieces(packages) {
  const missing = [];
  if (!fs.existsSync(CLI)) missing.push(`${CLI} (KINDBAND_CLI_BINARY)`);
  for (const name of packages) {
    if (!fs.existsSync(path.join(BROWSER_DIR, "node_modules", name))) {
      missing.push(`tests/browser/node_modules/${name} (scripts/install-deps.sh)`);
    }
  }
  return missing;
}

/** Runs the command line; returns stdout, throws with stderr on a non-zero exit. */
export function kindband(...args) {
  const run = spawnSync(CLI, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    throw new Error(`kindband ${args.join(" ")} -> ${run.status}: ${run.stderr}`);
  }
  return run.stdout;
}

/** mulberry32: a small seeded generator, so a failure can be replayed with the same seed. */
export function randomGenerator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` answer sets for an instrument (option counts per item, from the engine's instrument
 * JSON): positions, or null for a missing answer with probability `missingRate` per item.
 */
export function randomAnswerSets(optionCounts, count, random, missingRate) {
  const sets = [];
  for (let s = 0; s < count; s++) {
    sets.push(optionCounts.map((n) => (random() < missingRate ? null : Math.floor(random() * n))));
  }
  return sets;
}

/** The engine's instrument JSON (kindband show ID --json). */
export function instrumentJson(id, lang = "en") {
  return JSON.parse(kindband("show", id, "--lang", lang, "--json"));
}

/** `kindband score --csv` of every set: one engine result object per set, in order. */
export function scoreAll(instrumentId, sets) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-fhir-"));
  try {
    const csv = path.join(dir, "answers.csv");
    fs.writeFileSync(
      csv,
      // Each line starts with an id that is no number: with PHQ-9's optional closing question a
      // line of 10 numbers could be 10 answers or an id and 9, which the CLI refuses to guess.
      sets
        .map((set, index) => [`r${index + 1}`, ...set.map((a) => (a === null ? "" : a))].join(","))
        .join("\n") + "\n",
    );
    return kindband("score", "--instrument", instrumentId, "--csv", csv)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).result);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The scores of a result by scale id (null for an incomplete scale). */
export function scoresById(result) {
  return Object.fromEntries(result.scales.map((s) => [s.id, s.score]));
}
