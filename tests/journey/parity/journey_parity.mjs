// Native/wasm parity for the journey: replays every case printed by kindband_journey_parity_cases in
// the wasm engine under Node and requires byte-identical plans and error messages.
//
//   node tests/journey/parity/journey_parity.mjs <path to kindband_journey_parity_cases> <wasm dist dir>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [casesBinary, dist] = process.argv.slice(2);
if (!casesBinary || !dist) {
  console.error('usage: journey_parity.mjs CASES_BINARY WASM_DIST_DIR');
  process.exit(2);
}
const { loadKindband } = await import(path.resolve(dist, 'kindband.mjs'));
const kb = await loadKindband({ wasmBinary: fs.readFileSync(path.resolve(dist, 'kindband-engine.wasm')) });

const lines = execFileSync(casesBinary, { maxBuffer: 1 << 30, encoding: 'utf8' }).trimEnd().split('\n');
let mismatches = 0;
let errors = 0;
const started = process.hrtime.bigint();
for (let i = 0; i < lines.length; i += 2) {
  const { input, language } = JSON.parse(lines[i]);
  const expected = lines[i + 1];
  let actual;
  try {
    actual = JSON.stringify(kb.journey(input, language));
  } catch (error) {
    actual = `error: ${error.message}`;
    errors += 1;
  }
  // The API parses the engine's text; re-serialising keeps key order, so text equality still holds.
  const wanted = expected.startsWith('error: ') ? expected : JSON.stringify(JSON.parse(expected));
  if (actual !== wanted) {
    mismatches += 1;
    if (mismatches <= 5) console.error(`case ${i / 2}: ${lines[i]}\n  native: ${wanted}\n  wasm:   ${actual}`);
  }
}
const cases = lines.length / 2;
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(`journey parity: ${cases} cases (${errors} input errors), ${mismatches} mismatches, ` +
  `${(ms / cases * 1000).toFixed(1)} µs per wasm call`);
process.exit(mismatches === 0 && cases > 0 ? 0 : 1);
