// What the inbox page's browser tests share: which pieces must exist, a real kindband-server on a
// free port with the inbox page and the engine served from disk, kindband-admin, the parents' side
// over HTTP as the widget does it (family keys, memberships, linked shares scored by the wasm
// engine), a professional's session over HTTP, and the checks every screen gets (axe, 320 px).
import assert from "node:assert/strict";
import { after } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BROWSER_DIR = path.join(REPO, "tests/browser");
export const DIST = path.resolve(REPO, process.env.KINDBAND_WASM_BUILD || "build/wasm", "dist");
const SERVER = process.env.KINDBAND_SERVER_BINARY || "";
const ADMIN = process.env.KINDBAND_ADMIN_BINARY || "";
export const PASSWORD = "inbox page test password";

/** The pieces that are missing (binaries, wasm build, browser test modules, Chromium). */
export const missing = [
  [SERVER && fs.existsSync(SERVER), "KINDBAND_SERVER_BINARY"],
  [ADMIN && fs.existsSync(ADMIN), "KINDBAND_ADMIN_BINARY"],
  [fs.existsSync(path.join(DIST, "kindband.mjs")), `${DIST}/kindband.mjs (scripts/build-wasm.sh)`],
  [
    fs.existsSync(path.join(BROWSER_DIR, "node_modules/playwright-core")),
    "tests/browser/node_modules",
  ],
  [fs.existsSync("/usr/bin/chromium"), "/usr/bin/chromium"],
]
  .filter(([ok]) => !ok)
  .map(([, what]) => what);

// scripts/test-browser.sh sets KINDBAND_INBOX_PAGE_REQUIRED=1: there a missing piece is a failure.
// Elsewhere the test skips and the process exits with 77 (ctest: "Skipped", never passed).
if (missing.length && process.env.KINDBAND_INBOX_PAGE_REQUIRED === "1") {
  throw new Error(`inbox page test cannot run: missing ${missing.join(", ")}`);
}
if (missing.length) process.exitCode = 77;

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A temporary database with a port chosen; admin(args, input) runs kindband-admin on it. */
export async function prepare(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = path.join(dir, "kindband.db");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const admin = (args, input = "") => {
    const result = spawnSync(ADMIN, ["--database", db, ...args], { input, encoding: "utf8" });
    assert.equal(result.status, 0, `kindband-admin ${args.join(" ")}: ${result.stderr}`);
  };
  return { dir, db, port, origin, admin };
}

/** Starts kindband-server on the prepared database; resolves when /healthz answers. */
export async function startServer({ db, port, origin }) {
  const server = spawn(
    SERVER,
    [
      "--database",
      db,
      "--listen",
      `127.0.0.1:${port}`,
      "--static",
      `/inbox/=${path.join(REPO, "server/web/inbox")}`,
      "--static",
      `/engine/=${DIST}`,
    ],
    { stdio: "inherit" },
  );
  // A ceiling on the event (the server answers), generous for a machine busy with other work.
  const end = Date.now() + 60000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`kindband-server did not answer on ${origin} in 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return server;
}

export async function loadEngine() {
  const { loadKindband } = await import(path.join(DIST, "kindband.mjs"));
  return loadKindband({ wasmBinary: fs.readFileSync(path.join(DIST, "kindband-engine.wasm")) });
}

export async function loadAxe() {
  const { default: AxeBuilder } = createRequire(path.join(BROWSER_DIR, "package.json"))(
    "@axe-core/playwright",
  );
  return AxeBuilder;
}

// One Chromium for the whole file (ended after its tests); each launchBrowser() is a fresh context.
let browserModule = null;
after(async () => (await browserModule)?.closeBrowser());

export async function launchBrowser(options) {
  browserModule ??= import(path.join(BROWSER_DIR, "browser.mjs"));
  const { context, close } = await (await browserModule).openContext(options);
  context.setDefaultTimeout(EVENT_TIMEOUT_MS);
  return { context, close };
}

// Ceilings on events and on whole tests, not expected durations: a busy machine must not fail a test.
export const EVENT_TIMEOUT_MS = 60000;
export const TEST_TIMEOUT_MS = 600000;

export const expectStatus = (answer, statuses, what) =>
  assert.ok(
    [].concat(statuses).includes(answer.status),
    `${what}: ${answer.status} ${answer.text}`,
  );

/** The parents' side over HTTP, as the widget does it (Bearer family key, an allowed Origin). */
export function parents(origin, kb) {
  const familyKey = () => crypto.randomBytes(32).toString("base64url");
  const call = async (method, route, key, body) => {
    const headers = { Origin: origin, Authorization: `Bearer ${key}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${origin}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, data: text ? JSON.parse(text) : null };
  };
  const newFamily = async (key, role, members, name) => {
    const familyId = crypto.randomUUID();
    expectStatus(
      await call("POST", "/api/v1/families", key, {
        family_id: familyId,
        role,
        ...(name ? { name } : {}),
      }),
      201,
      "create family",
    );
    for (const organisation of members) {
      expectStatus(
        await call("POST", "/api/v1/family/memberships", key, {
          organisation,
          consent_version: "2026-11-v1",
        }),
        201,
        `add ${organisation}`,
      );
    }
    return familyId;
  };
  const VERSIONS = { phq9: "2001", gad7: "2006" };
  /** A linked share as the widget sends it: the result scored by the engine from the answers. */
  const linkedShare = async (key, familyId, recipients, instrument, answers, context, extra) => {
    const body = {
      share_id: crypto.randomUUID(),
      instrument: { id: instrument, version: VERSIONS[instrument] },
      context,
      language: "nl",
      shared: "result_and_answers",
      result: kb.score(instrument, answers, context),
      answers,
      consent_version: "2026-11-v1",
      created_at: "2026-11-22T21:00:00Z",
      family_id: familyId,
      recipients,
      ...extra,
    };
    expectStatus(await call("POST", "/api/v1/shares", key, body), 201, "linked share");
    return body;
  };
  return { familyKey, call, newFamily, linkedShare };
}

/** A professional's session over HTTP (another person at another desk). */
export async function professionalSession(origin, username) {
  const login = await fetch(`${origin}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(login.status, 200, `login ${username}: ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return async (method, route, body) => {
    const headers = { Cookie: cookie };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(`${origin}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, data: text ? JSON.parse(text) : null };
  };
}

/** axe (0 violations) and no sideways scrolling, naming what sticks out on failure. */
export function screenChecks(page, AxeBuilder) {
  const axe = async (screen) => {
    const violations = (await new AxeBuilder({ page }).analyze()).violations;
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      [],
      `axe on ${screen}`,
    );
  };
  const noSideways = async (screen) => {
    const [scrollWidth, clientWidth, wide] = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const sticking = [...document.querySelectorAll("body *")]
        .filter((node) => node.getBoundingClientRect().right > width + 0.5)
        .map((node) => `${node.tagName.toLowerCase()}.${node.className}#${node.id}`);
      return [document.documentElement.scrollWidth, width, sticking.slice(0, 8)];
    });
    assert.ok(
      scrollWidth <= clientWidth,
      `${screen}: ${scrollWidth}px wide at ${clientWidth}px: ${wide.join(", ")}`,
    );
  };
  return { axe, noSideways };
}
