// The parent's path in WebKit, Safari's engine (issue 14): start → questions → result with the safety
// help → share → receipt, against the real kindband-server, in Debian's WebKitGTK MiniBrowser driven by
// WebKitWebDriver under Xvfb with selenium-webdriver (../shared/TOOLCHAIN.md). The widget is reached
// through its open shadow root with executeScript; buttons and answers are pressed with real WebDriver
// clicks on the elements found there.
// scripts/test-browser.sh sets KINDBAND_WEBKIT_REQUIRED=1: there a missing piece fails the run;
// elsewhere the test is skipped with the reason.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { SERVER_BINARY, startSite } from "./harness.mjs";

const DRIVER = "/usr/bin/WebKitWebDriver";
const XVFB_RUN = "/usr/bin/xvfb-run";
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

let selenium = null;
try {
  selenium = await import("selenium-webdriver");
} catch {
  selenium = null;
}
const missing = [
  [fs.existsSync(DRIVER), `${DRIVER} (apt-get install webkit2gtk-driver)`],
  [fs.existsSync(XVFB_RUN), `${XVFB_RUN} (apt-get install xvfb)`],
  [fs.existsSync(MINIBROWSER), MINIBROWSER],
  [selenium !== null, "selenium-webdriver (npm, tests/browser)"],
  [Boolean(SERVER_BINARY), "KINDBAND_SERVER_BINARY"],
]
  .filter(([ok]) => !ok)
  .map(([, what]) => what);
if (missing.length && process.env.KINDBAND_WEBKIT_REQUIRED === "1")
  throw new Error(`WebKit test cannot run: missing ${missing.join(", ")}`);
const skip = missing.length ? `missing: ${missing.join(", ")}` : false;

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let site = null;
let driverProcess = null;
let driverUrl = null;
before(async () => {
  if (skip) return;
  site = await startSite();
  const port = await freePort();
  // Its own process group, so that Xvfb and the driver both end with it.
  driverProcess = spawn(XVFB_RUN, ["-a", DRIVER, `--port=${port}`], {
    detached: true,
    stdio: "ignore",
  });
  driverUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(`${driverUrl}/status`)).ok) break;
    } catch {
      if (i > 200) throw new Error("WebKitWebDriver did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
after(async () => {
  if (driverProcess) {
    try {
      process.kill(-driverProcess.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await site?.close();
});

test(
  "WebKit: start → questions → result with the safety help → share → receipt",
  { skip },
  async () => {
    const { Builder } = selenium;
    const driver = await new Builder()
      .usingServer(driverUrl)
      .withCapabilities({
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
      })
      .build();
    // Runs `body` (a function's source) with the widget's shadow root as `root`.
    const inWidget = (body, ...args) =>
      driver.executeScript(
        `const root = document.querySelector("kindband-screen").shadowRoot;
       return (${body})(root, ...arguments);`,
        ...args,
      );
    const waitFor = async (what, body, ...args) => {
      const end = Date.now() + 15000;
      for (;;) {
        const value = await inWidget(body, ...args).catch(() => null);
        if (value) return value;
        if (Date.now() > end) {
          const text = await inWidget("(root) => root.textContent").catch(() => "?");
          throw new Error(`WebKit: timed out waiting for ${what}; the widget shows: ${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const heading = (text) =>
      waitFor(
        `heading "${text}"`,
        "(root, text) => [...root.querySelectorAll('h2')].some((h) => h.textContent.trim() === text)",
        text,
      );
    // A real WebDriver click on the button (or the answer's label) with this text.
    const press = async (text) => {
      const element = await waitFor(
        `button "${text}"`,
        `(root, text) => [...root.querySelectorAll("button, label")].find(
         (b) => b.textContent.trim() === text && b.offsetParent !== null)`,
        text,
      );
      await element.click();
    };
    try {
      await driver.get(site.url);
      await driver.executeScript(
        `window.kindbandProblems = [];
       window.addEventListener("error", (e) => window.kindbandProblems.push(String(e.message)));
       document.addEventListener("securitypolicyviolation", (e) =>
         window.kindbandProblems.push(e.violatedDirective + " " + e.blockedURI));`,
      );
      await press("Begin");
      // "Meerdere dagen"; item 9 raises the help; the closing question (10) is left out.
      const answers = [1, 1, 1, 1, 1, 1, 1, 1, 1, null];
      for (let i = 0; i < answers.length; i += 1) {
        await heading(`Vraag ${i + 1} van ${answers.length}`);
        if (answers[i] === null) {
          await press("Naar de uitslag");
          continue;
        }
        const option = await waitFor(
          "the answer",
          "(root, n) => root.querySelectorAll('fieldset label')[n]",
          answers[i],
        );
        await option.click();
        assert.equal(
          await inWidget(
            "(root, n) => root.querySelectorAll('fieldset input')[n].checked",
            answers[i],
          ),
          true,
          `question ${i + 1}: the answer is chosen`,
        );
        if (i === 8) {
          // The help box: there at once, with the focus, and a way back to the question.
          await waitFor("the help box", "(root) => root.querySelector('[data-kb=help]')");
          const focus = await inWidget(
            "(root) => root.activeElement && root.activeElement.textContent",
          );
          assert.equal(
            focus,
            "Hulp als je nu met iemand wilt praten",
            "the help box has the focus",
          );
          const calls = await inWidget(
            "(root) => [...root.querySelectorAll('[data-kb=help] a')].map((a) => a.getAttribute('href'))",
          );
          assert.deepEqual(calls, ["tel:113", "tel:08000113", "tel:112"]);
          await press("Terug naar de vraag");
          assert.equal(
            await inWidget("(root) => root.activeElement && root.activeElement.checked"),
            true,
            "back on the chosen answer",
          );
        }
        await press("Volgende");
      }
      await heading("Je uitslag");
      const help = await inWidget("(root) => root.querySelector('[data-kb=help]').textContent");
      assert.ok(help.includes("0800-0113") && help.includes("112"), help);

      await press("Delen met mijn zorgverlener");
      await press("Mijn uitslag en het advies");
      await press("Bekijk wat je verstuurt");
      await waitFor(
        "the question about contact",
        "(root) => root.querySelector('[data-kb=contact-ask]:not([hidden])')",
      );
      await press("Nee, ga verder zonder");
      await heading("Dit verstuur je");
      const preview = await inWidget("(root) => root.textContent");
      assert.ok(preview.includes("Delen is niet voor noodgevallen"), "not for emergencies");
      await press("Ja, verstuur");
      await heading("Je bewijs van delen");
      await waitFor(
        "the server's receipt",
        "(root) => root.querySelector('[data-state=received]')",
      );
      const code = await inWidget(
        "(root) => root.querySelector('[data-kb=receipt-code]').textContent",
      );
      assert.match(code.trim(), /^[0-9A-F]{4}-[0-9A-F]{4}$/);
      assert.deepEqual(await driver.executeScript("return window.kindbandProblems"), []);
    } finally {
      await driver.quit();
    }
  },
);
