// Shared set-up for the browser tests: the real kindband-server (temp SQLite database, loopback) when
// its binary is given, fronted by a static server with the strict CSP; Debian's headless Chromium;
// helpers that drive the widget the way a parent does (roles and labels, not CSS internals).
// Each test file is a ctest entry (tests/browser/CMakeLists.txt); run one by hand with
// `KINDBAND_SERVER_BINARY=... node --test X.test.mjs`. A missing piece (build/web, Chromium, npm
// packages) makes the file exit with 77 (ctest: Skipped), or fail when KINDBAND_BROWSER_REQUIRED=1
// (scripts/test-browser.sh, scripts/test.sh).
import { after } from "node:test";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { closeBrowser, CHROMIUM, openContext } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";
import { REPO, WEB, WASM_DIST, nodeEngine } from "./build-paths.mjs";

export { REPO, WEB, WASM_DIST, nodeEngine };
export const SERVER_BINARY = process.env.KINDBAND_SERVER_BINARY || "";
export const ORG = "demo-vsv";

const missing = [
  [fs.existsSync(path.join(WEB, "kindband-screen.js")), `${WEB} (scripts/build-web.sh)`],
  [fs.existsSync(path.join(WASM_DIST, "kindband.mjs")), `${WASM_DIST} (scripts/build-wasm.sh)`],
  [fs.existsSync(CHROMIUM), CHROMIUM],
]
  .filter(([ok]) => !ok)
  .map(([, what]) => what);
if (missing.length) {
  if (process.env.KINDBAND_BROWSER_REQUIRED === "1")
    throw new Error(`browser tests cannot run: missing ${missing.join(", ")}`);
  console.log(`skipped: missing ${missing.join(", ")}`);
  process.exit(77);
}

// One Chromium per test file; each test opens fresh contexts in it (openBrowser).
after(closeBrowser);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Ceilings on events, not expected durations: a machine busy with other work must not fail a test.
export const EVENT_TIMEOUT_MS = 60000;

async function waitFor(check, what, timeoutMs = EVENT_TIMEOUT_MS) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the site: the real kindband-server (if KINDBAND_SERVER_BINARY is set) with a temp database,
 * and the static server in front of it serving examples/site at / and build/web at /kindband/ with the
 * strict CSP, passing /api/ on to the kindband-server. Resolves to {url, database, close()}.
 */
/**
 * The site (widget, test pages) behind a static server that passes /api/ on to a real
 * kindband-server. With `inbox`, that server also serves the professionals' inbox page and the
 * engine at /inbox/ and /engine/ (as production does): open it at `${site.api}/inbox/`.
 * `organisations: false` leaves the directory empty (no demo-vsv from the command line).
 */
export async function startSite({ inbox = false, organisations = true } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-browser-"));
  const database = path.join(dir, "kindband.db");
  const sitePort = await freePort();
  const siteOrigin = `http://127.0.0.1:${sitePort}`;
  let child = null;
  let api = null;
  if (SERVER_BINARY) {
    const apiPort = await freePort();
    api = `http://127.0.0.1:${apiPort}`;
    child = spawn(
      SERVER_BINARY,
      [
        "--listen",
        `127.0.0.1:${apiPort}`,
        "--database",
        database,
        // Without `organisations`, the test makes its own directory (e.g. scripts/demo-seed.sh).
        ...(organisations ? ["--organisation", `${ORG}=${siteOrigin}`] : []),
        ...(inbox
          ? [
              "--static",
              `/inbox/=${path.join(REPO, "server/web/inbox")}`,
              "--static",
              `/engine/=${WASM_DIST}`,
            ]
          : []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let log = "";
    child.stdout.on("data", (data) => (log += data));
    child.stderr.on("data", (data) => (log += data));
    child.on("exit", (code) => {
      if (code && code !== 0) console.error(`kindband-server exited with ${code}:\n${log}`);
    });
    await waitFor(async () => {
      try {
        await fetch(`${api}/api/v1/shares/00000000-0000-4000-8000-000000000000/status`);
        return true;
      } catch {
        return false;
      }
    }, "kindband-server to listen");
  }
  const site = await startStaticServer({
    mounts: [
      ["/", path.join(REPO, "examples/site")],
      ["/kindband/", WEB],
      ["/test/", path.join(REPO, "tests/browser/pages")],
    ],
    api,
    port: sitePort,
  });
  return {
    url: site.url,
    api,
    database,
    async close() {
      await site.close();
      if (child) {
        child.kill("SIGTERM");
        await new Promise((resolve) =>
          child.exitCode !== null ? resolve() : child.once("exit", resolve),
        );
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser context with one page that records requests, page errors and CSP violations. */
export async function openBrowser(options) {
  const { context, close } = await openContext(options);
  context.setDefaultTimeout(EVENT_TIMEOUT_MS);
  const page = context.pages()[0] || (await context.newPage());
  const record = { requests: [], errors: [], violations: [] };
  page.on("request", (request) =>
    record.requests.push({
      url: request.url(),
      method: request.method(),
      body: request.postData(),
    }),
  );
  page.on("pageerror", (error) => record.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") record.errors.push(message.text());
  });
  await context.exposeBinding("kindbandCspViolation", (source, text) =>
    record.violations.push(text),
  );
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      window.kindbandCspViolation(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return { context, page, record, close };
}

/** The widget element's shadow content, through Playwright's shadow-piercing locators. */
export function widget(page) {
  return page.locator("kindband-screen");
}

/** Waits for the start screen and presses the start button. */
export async function start(page, label = /^(Begin|Start)$/) {
  await widget(page).getByRole("button", { name: label }).click();
  await confirmRestart(page);
}

/** "Start again" asks first (issue 14): confirms when the question is showing. */
export async function confirmRestart(page) {
  const yes = widget(page).getByRole("button", {
    name: /^(Ja, opnieuw beginnen|Yes, start again)$/,
  });
  if (await yes.count()) await yes.click();
}

/**
 * Answers the questions on screen one by one with the given option positions, pressing Next each
 * time (the last Next leads to the result). Stops after answers.length questions.
 */
export async function answerAll(page, answers) {
  const w = widget(page);
  for (let i = 0; i < answers.length; i += 1) {
    await w
      .getByRole("heading", { level: 2, name: new RegExp(`^(Vraag|Question) ${i + 1} `) })
      .waitFor();
    if (answers[i] !== null) await w.getByRole("radio").nth(answers[i]).check();
    await w.locator("form button[type=submit]").click();
  }
}

export { waitFor };
