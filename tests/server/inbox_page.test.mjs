// The professional inbox page in Debian's headless Chromium: served by the real kindband-server
// under its own strict CSP, logs in, lists shares in order, renders one with the wasm engine
// (wording and advice equal to what the engine gives the parent, also for a share of the result
// only), marks it seen, logs out, and has no axe-core violations.
// Run: node tests/server/inbox_page.test.mjs (scripts/test-browser.sh runs it; ctest too).
// Needs KINDBAND_SERVER_BINARY and KINDBAND_ADMIN_BINARY (ctest sets them), build/wasm/dist (or
// $KINDBAND_WASM_BUILD/dist) and tests/browser/node_modules (scripts/install-deps.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BROWSER_DIR = path.join(REPO, "tests/browser");
const DIST = path.resolve(REPO, process.env.KINDBAND_WASM_BUILD || "build/wasm", "dist");
const SERVER = process.env.KINDBAND_SERVER_BINARY || "";
const ADMIN = process.env.KINDBAND_ADMIN_BINARY || "";
const PASSWORD = "inbox page test password";

const missing = [
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
// Elsewhere (native ctest without the wasm build) the test skips and the process exits with 77,
// which ctest reports as "Skipped", never as passed.
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

function admin(db, args, input = "") {
  const result = spawnSync(ADMIN, ["--database", db, ...args], { input, encoding: "utf8" });
  assert.equal(result.status, 0, `kindband-admin ${args.join(" ")}: ${result.stderr}`);
}

test(
  "inbox page: login, ordered list, wasm rendering, seen, logout, accessible, strict CSP",
  {
    skip: missing.length ? `missing: ${missing.join(", ")}` : false,
    timeout: 120000,
  },
  async () => {
    const { launch } = await import(path.join(BROWSER_DIR, "browser.mjs"));
    const { default: AxeBuilder } = createRequire(path.join(BROWSER_DIR, "package.json"))(
      "@axe-core/playwright",
    );
    const { loadKindband } = await import(path.join(DIST, "kindband.mjs"));
    const kb = await loadKindband({
      wasmBinary: fs.readFileSync(path.join(DIST, "kindband-engine.wasm")),
    });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-inbox-page-"));
    const db = path.join(dir, "kindband.db");
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    admin(db, ["create-organisation", "demo-vsv", "--origin", origin]);
    admin(
      db,
      ["create-professional", "anna", "--organisation", "demo-vsv", "--role", "verloskundige"],
      `${PASSWORD}\n`,
    );
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
    let browser = null;
    try {
      for (let i = 0; i < 200; i++) {
        try {
          if ((await fetch(`${origin}/healthz`)).ok) break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      const context = { role: "mother", stage: "pregnancy", week: 20 };
      const share = async (answers, shared) => {
        const body = {
          share_id: crypto.randomUUID(),
          organisation: "demo-vsv",
          instrument: { id: "phq9", version: "2001" },
          context,
          language: "nl",
          shared,
          result: kb.score("phq9", answers, context),
          consent_version: "2026-11-v1",
          created_at: "2026-11-22T21:00:00Z",
          message: "Ik wil graag gebeld worden.",
        };
        if (shared === "result_and_answers") body.answers = answers;
        const response = await fetch(`${origin}/api/v1/shares`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: origin },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 201, await response.text());
        return body;
      };
      // Result only (no answers): a positive screen without a safety flag, listed second.
      const resultOnly = await share([2, 2, 2, 2, 2, 1, 0, 0, 0], "result");
      const flagged = await share([0, 1, 2, 3, 0, 0, 1, 0, 1], "result_and_answers");

      const launched = await launch();
      browser = launched.close;
      const page = await launched.context.newPage();
      const problems = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await page.goto(`${origin}/inbox/`);
      await page.getByLabel("Gebruikersnaam").fill("anna");
      await page.getByLabel("Wachtwoord").fill(PASSWORD);
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );
      await page.getByRole("button", { name: "Inloggen" }).click();

      const items = page.locator("#share-list li");
      await items.first().waitFor();
      assert.equal(await items.count(), 2);
      // Safety flags first, named in the professional's language; instrument name from the engine.
      const first = await items.first().innerText();
      assert.match(first, /Veiligheidssignaal \(1\)/);
      assert.match(first, /PHQ-9/);
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );

      await items.first().getByRole("button").click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      const detail = await page.locator("#detail").innerText();
      // What the parent saw: the engine's own advice and wording, in the parent's language.
      const advice = kb.advise("phq9", flagged.answers, context, "nl");
      for (const entry of advice.entries) {
        assert.ok(detail.includes(entry.title), `advice title missing: ${entry.title}`);
      }
      const instrument = kb.getInstrument("phq9", "nl");
      assert.ok(detail.includes(instrument.items[8].text), "item 9 wording missing");
      assert.ok(detail.includes(instrument.items[3].options[3].label), "option label missing");
      assert.ok(detail.includes("Ik wil graag gebeld worden."));
      assert.ok(!detail.includes("verschilt van de herberekening"), "rescoring mismatch shown");
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );

      await page.getByLabel("Notitie voor collega's (optioneel)").fill("Gebeld, afspraak gepland");
      await page.getByRole("button", { name: "Markeer als gezien" }).click();
      await page.locator("#inbox-section").waitFor({ state: "visible" });
      await page.waitForFunction(() =>
        document.querySelector("#share-list")?.innerText.includes("gezien door verloskundige"),
      );

      // The result-only share: the advice the parent saw, given by the engine from the result alone.
      assert.equal(await items.count(), 2);
      await items.filter({ hasNotText: "Veiligheidssignaal" }).getByRole("button").click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      const resultDetail = await page.locator("#detail").innerText();
      const parentAdvice = kb.advise("phq9", [2, 2, 2, 2, 2, 1, 0, 0, 0], context, "nl");
      assert.ok(parentAdvice.entries.length > 0);
      assert.ok(resultDetail.includes("Advies dat de ouder zag"), "advice heading missing");
      for (const entry of parentAdvice.entries) {
        assert.ok(resultDetail.includes(entry.title), `advice title missing: ${entry.title}`);
        assert.ok(resultDetail.includes(entry.text), `advice text missing: ${entry.text}`);
      }
      assert.ok(resultDetail.includes("alleen de uitkomst"), "result-only hint missing");
      assert.ok(!resultDetail.includes("Antwoorden"), "answers shown for a result-only share");
      assert.equal(resultOnly.answers, undefined);
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );
      await page.getByRole("button", { name: "Terug naar de lijst" }).click();
      await page.locator("#inbox-section").waitFor({ state: "visible" });

      await page.getByRole("button", { name: "Uitloggen" }).click();
      await page.locator("#login-section").waitFor({ state: "visible" });
      const me = await page.evaluate(async () => (await fetch("/api/v1/me")).status);
      assert.equal(me, 401);

      assert.deepEqual(
        problems.filter((text) => !text.includes("401")),
        [],
        "console errors or CSP violations",
      );
    } finally {
      if (browser) await browser();
      server.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
