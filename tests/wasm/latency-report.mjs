// Prints scoring latency: the median per call in headless Chromium (tests/wasm/browser.mjs --json)
// next to the native engine's median in the same run (kindband_parity_cases --bench), and the ratio.
// Usage: node latency-report.mjs NATIVE_BENCH_OUTPUT BROWSER_JSON_OUTPUT
import fs from "node:fs";

const [nativeFile, browserFile] = process.argv.slice(2);
const native = Object.fromEntries(
  fs
    .readFileSync(nativeFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const { instrument, median_us: engine, json_call_median_us: jsonCall } = JSON.parse(line);
      return [instrument, { engine, jsonCall }];
    }),
);
const browser = JSON.parse(fs.readFileSync(browserFile, "utf8"));
if (browser.failures?.length)
  console.log(`browser run had failures: ${browser.failures.join("; ")}`);
console.log(
  "scoring latency, median per call in µs (batches of 100 calls; native and browser in this run)",
);
console.log(
  "  instrument     native: engine  JSON call | browser: score() scoreText() advise() | scoreText/JSON call",
);
for (const id of Object.keys(native)) {
  const score = browser.latency?.[`${id}.score`];
  if (score === undefined) continue;
  const text = browser.latency[`${id}.scoreText`];
  const advise = browser.latency[`${id}.advise`];
  const { engine, jsonCall } = native[id];
  console.log(
    `  ${id.padEnd(20)} ${engine.toFixed(2).padStart(7)} ${jsonCall.toFixed(2).padStart(10)} | ` +
      `${score.toFixed(1).padStart(16)} ${text.toFixed(1).padStart(11)} ${advise.toFixed(1).padStart(8)} | ` +
      `${(text / jsonCall).toFixed(1).padStart(18)}x`,
  );
}
console.log(
  `  engine load in the browser (compile + instantiate + library): ${browser.loadMs.toFixed(1)} ms`,
);
