// Launches Debian's Chromium through playwright-core (never a downloaded browser), with the flags that
// keep it quiet on a closed network (TOOLCHAIN.md): launch() a browser of its own with a fresh profile,
// openContext() a fresh context (its own storage, cookies and cache) in the one browser a test
// process shares, which closeBrowser() ends (test files: `after(closeBrowser)`).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.KINDBAND_CHROMIUM || "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A persistent context in a fresh user-data-dir; close() also removes the profile. */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1000, height: 900 },
    ...options,
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

let shared = null;

/**
 * A fresh browser context in this process's one Chromium, started on first use: as separate as a
 * new profile (storage, cookies, cache), without a browser start-up per test. close() closes it.
 */
export async function openContext(options = {}) {
  shared ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const browser = await shared;
  const context = await browser.newContext({
    viewport: { width: 1000, height: 900 },
    ...options,
  });
  return { context, close: () => context.close() };
}

/** Ends the shared browser of openContext(), if one was started. */
export async function closeBrowser() {
  const browser = shared;
  shared = null;
  if (browser) await (await browser).close();
}
