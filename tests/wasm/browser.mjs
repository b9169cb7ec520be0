// The wasm engine in headless Chromium (Debian's /usr/bin/chromium via playwright-core) under
//   Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'
// Fails on any CSP violation or console error. Controls: a probe page proves the policy is enforced
// (eval refused) and the same page without 'wasm-unsafe-eval' must fail to load the engine.
// Prints the load time and the median latency per kb.score() call.
//
// Usage: node tests/wasm/browser.mjs [--json]
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { distDir } from "./load.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, "../..");
const require = createRequire(path.join(root, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

const strictPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const noWasmPolicy = "default-src 'self'; script-src 'self'";
const types = {
  ".html": "text/html",
  ".mjs": "text/javascript",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
};

// /dist/* from the wasm build, everything else from tests/wasm/browser; /nowasm/* is the same site
// under a policy without 'wasm-unsafe-eval'.
const server = http.createServer((request, response) => {
  let url = new URL(request.url, "http://localhost").pathname;
  let policy = strictPolicy;
  if (url.startsWith("/nowasm/")) {
    policy = noWasmPolicy;
    url = url.slice("/nowasm".length);
  }
  if (url === "/") url = "/index.html";
  const file = url.startsWith("/dist/")
    ? path.join(distDir, path.basename(url))
    : path.join(here, "browser", path.basename(url));
  if (!fs.existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    "Content-Type": types[path.extname(file)] ?? "application/octet-stream",
    "Content-Security-Policy": policy,
    "Cache-Control": "no-store",
  });
  fs.createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// playwright-core launches with a fresh temporary profile (user data dir) of its own.
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const failures = [];
async function visit(url, global) {
  const page = await browser.newPage();
  const console_ = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      console_.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => console_.push(`pageerror: ${error.message}`));
  await page.goto(url);
  const outcome = await page.evaluate((name) => window[name], global);
  await page.close();
  return { outcome, console: console_ };
}

let report;
try {
  const probe = await visit(`${base}/probe.html`, "probe");
  if (!probe.outcome.evalBlocked || !probe.outcome.violations.includes("script-src")) {
    failures.push(
      `control: the CSP was not enforced on the probe page: ${JSON.stringify(probe.outcome)}`,
    );
  }

  const noWasm = await visit(`${base}/nowasm/index.html`, "kindbandTest");
  if (!noWasm.outcome.error) {
    failures.push(
      "control: the engine loaded without 'wasm-unsafe-eval': the policy is not reaching it",
    );
  }

  const strict = await visit(`${base}/index.html`, "kindbandTest");
  report = strict.outcome;
  if (report.error) failures.push(`engine under the strict CSP: ${report.error}`);
  for (const violation of report.violations ?? []) failures.push(`CSP violation: ${violation}`);
  for (const line of strict.console) failures.push(`console ${line}`);
  if (
    !/^phq9: \/answers\/1: expected an option position .* found "x"$/.test(report.badCall ?? "")
  ) {
    failures.push(`bad call in the browser gave: ${report.badCall}`);
  }
} finally {
  await browser.close();
  server.close();
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ failures, ...report }));
} else if (report && !report.error) {
  console.log(
    `browser: ${report.instruments} instruments scored under CSP "${strictPolicy}", engine loaded in ${report.loadMs.toFixed(1)} ms`,
  );
  for (const [call, micros] of Object.entries(report.latency)) {
    console.log(
      `browser latency: ${call.padEnd(16)} median ${micros.toFixed(1)} µs per call (batches of 100)`,
    );
  }
}
for (const failure of failures) console.error(`FAIL ${failure}`);
const summary = `browser CSP: ${failures.length === 0 ? 1 : 0} passed, ${failures.length === 0 ? 0 : 1} failed`;
if (process.argv.includes("--json")) console.error(summary);
else console.log(summary);
process.exit(failures.length === 0 ? 0 : 1);
