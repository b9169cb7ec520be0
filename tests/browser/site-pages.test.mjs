// The example municipal site (examples/site) as the real kindband-server serves it, with its own
// strict CSP header on every static file (server/src/http_server.cpp) plus the pages' meta policy:
// the questionnaire page links to the journey page, the journey page shows the widget's journey
// form, and both pages pass axe (WCAG 2.1 A/AA) as a whole, with no CSP violation or page error.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { REPO, SERVER_BINARY, WEB, openBrowser, waitFor, widget } from "./harness.mjs";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
let server = null;
let origin = "";
let dir = "";

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  if (!SERVER_BINARY) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-site-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(
    SERVER_BINARY,
    [
      ...["--listen", `127.0.0.1:${port}`, "--database", path.join(dir, "kindband.db")],
      ...["--organisation", `demo-vsv=${origin}`],
      ...["--static", `/=${path.join(REPO, "examples/site")}`, "--static", `/kindband/=${WEB}`],
    ],
    { stdio: "ignore" },
  );
  await waitFor(async () => {
    try {
      return (await fetch(`${origin}/healthz`)).ok;
    } catch {
      return false;
    }
  }, "kindband-server to listen");
});

after(async () => {
  if (server) {
    server.kill("SIGTERM");
    await new Promise((resolve) =>
      server.exitCode !== null ? resolve() : server.once("exit", resolve),
    );
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function expectAccessible(page, what) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const problems = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(problems, [], `axe finds no violations on ${what}`);
  assert.ok(results.passes.length > 0, `axe checked something on ${what}`);
}

test(
  "the journey page: linked from the site, strict CSP header, journey form, accessible",
  { skip: SERVER_BINARY ? false : "KINDBAND_SERVER_BINARY not set" },
  async () => {
    const response = await fetch(`${origin}/journey.html`);
    assert.equal(response.status, 200);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);

    const browser = await openBrowser();
    try {
      const { page, record } = browser;
      await page.goto(`${origin}/`);
      await widget(page).getByRole("button", { name: "Begin" }).waitFor();
      await expectAccessible(page, "the questionnaire page");
      await page.getByRole("link", { name: "Bekijk jouw eerste 1000 dagen" }).click();
      await page.waitForURL(`${origin}/journey.html`);
      assert.equal(
        await page.getByRole("heading", { level: 1 }).textContent(),
        "Jouw eerste 1000 dagen",
      );
      const w = widget(page);
      await w.getByRole("heading", { level: 2, name: "Jouw reis: de eerste 1000 dagen" }).waitFor();
      await w.getByRole("button", { name: "Toon mijn reis" }).waitFor();
      await expectAccessible(page, "the journey page");
      assert.deepEqual(record.violations, [], "no CSP violations");
      assert.deepEqual(record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);
