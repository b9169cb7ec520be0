// Native/wasm parity: replays every answer set printed by the native kindband_parity_cases in the
// wasm module (through the public JS API, under Node) and requires byte-identical result, advice and
// session advice JSON. Prints the first differing line on mismatch. BUILD names the engine build
// (full, journey or core: scripts/test-wasm.sh runs each one a page loads).
//
// Usage: node --disallow-code-generation-from-strings tests/wasm/parity.mjs GENERATOR [CASES] [BUILD]
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import readline from "node:readline";
import { loadForNode } from "./load.mjs";

const [generator, cases = "10000", build = "full"] = process.argv.slice(2);
if (!generator) {
  console.error("usage: parity.mjs GENERATOR [CASES_PER_INSTRUMENT] [full|journey|core]");
  process.exit(2);
}

const kb = await loadForNode(build);
const child = spawn(generator, [cases], { stdio: ["ignore", "pipe", "inherit"] });
const exited = new Promise((resolve) => child.on("close", resolve));
const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });

const nativeHash = crypto.createHash("sha256");
const wasmHash = crypto.createHash("sha256");
const casesPerInstrument = new Map();
let header = null;
let lineNumber = 0;
let pending = []; // the wasm's lines for the current case, compared as the native lines arrive
let currentCase = "";
let previousEntry = null;
let documents = 0;

function attempt(call) {
  try {
    return call();
  } catch (error) {
    return `error: ${error.message}`;
  }
}

function fail(message) {
  console.error(`parity FAILED: ${message}`);
  child.kill();
  process.exit(1);
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `at character ${i}:\n  native: ...${a.slice(from, i + 120)}\n  wasm:   ...${b.slice(from, i + 120)}`;
}

for await (const line of lines) {
  lineNumber++;
  nativeHash.update(line + "\n");
  if (header === null) {
    header = JSON.parse(line);
    const wasmIds = kb.listInstruments(header.languages[0]).map((instrument) => instrument.id);
    if (JSON.stringify(wasmIds) !== JSON.stringify(header.instruments)) {
      fail(`instrument libraries differ: native ${header.instruments} vs wasm ${wasmIds}`);
    }
    wasmHash.update(line + "\n");
    continue;
  }
  if (pending.length === 0) {
    const { instrument, answers, context } = JSON.parse(line);
    currentCase = line;
    casesPerInstrument.set(instrument, (casesPerInstrument.get(instrument) ?? 0) + 1);
    // The session: this case advised together with the one before it (adviseSession).
    const session = [...(previousEntry ? [previousEntry] : []), { instrument, answers }];
    previousEntry = { instrument, answers };
    pending = [
      line,
      attempt(() => kb.scoreText(instrument, answers, context)),
      ...header.languages.map((language) =>
        attempt(() => kb.adviseText(instrument, answers, context, language)),
      ),
      ...header.languages.map((language) =>
        attempt(() => kb.adviseSessionText(session, context, language)),
      ),
    ];
  }
  const expected = pending.shift();
  wasmHash.update(expected + "\n");
  if (expected !== line) {
    fail(`line ${lineNumber} differs for case ${currentCase}\n${firstDifference(line, expected)}`);
  }
  if (line !== currentCase) documents++;
}

const status = await exited;
if (status !== 0) fail(`the native generator exited with ${status}`);
if (header === null) fail("the native generator printed nothing");
if (pending.length !== 0) fail("the native output ended in the middle of a case");
for (const id of header.instruments) {
  const count = casesPerInstrument.get(id) ?? 0;
  if (count !== header.cases_per_instrument)
    fail(`${id}: ${count} cases, expected ${header.cases_per_instrument}`);
}
const total = [...casesPerInstrument.values()].reduce((a, b) => a + b, 0);
console.log(
  `parity (${build} build): ${header.instruments.length} instruments x ${header.cases_per_instrument} answer sets = ` +
    `${total} cases; ${documents} result/advice JSON documents byte-identical native vs wasm\n` +
    `parity: contexts cycled per instrument (every role/stage/week boundary of its band sets): ` +
    Object.entries(header.contexts)
      .map(([id, count]) => `${id} ${count}`)
      .join(", ") +
    "\n" +
    `parity: sha256 native ${nativeHash.digest("hex")} = wasm ${wasmHash.digest("hex")}`,
);
