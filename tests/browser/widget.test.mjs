// The parent's way through the widget in headless Chromium, under the strict CSP of the demo page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  EVENT_TIMEOUT_MS,
  answerAll,
  nodeEngine,
  openBrowser,
  start,
  startSite,
  widget,
} from "./harness.mjs";

let site;
let engine;
before(async () => {
  site = await startSite();
  engine = await nodeEngine();
});
after(async () => site?.close());

async function withPage(fn, options) {
  const browser = await openBrowser(options);
  try {
    await fn(browser);
    assert.deepEqual(browser.record.violations, [], "no CSP violations");
    assert.deepEqual(browser.record.errors, [], "no page errors");
  } finally {
    await browser.close();
  }
}

test("a widget in English fetches the English texts (once), and offline switching says so", async () => {
  await withPage(async ({ page, record }) => {
    const englishTexts = () =>
      record.requests.filter((r) => new URL(r.url).pathname === "/kindband/screens/texts-en.js");
    // Offline at first: the parent's switch to English cannot be had; the widget stays in Dutch.
    await page.route("**/screens/texts-en.js*", (route) => route.abort());
    await page.goto(site.url);
    const w = widget(page).first();
    await w.getByRole("button", { name: "Begin" }).waitFor();
    assert.equal(englishTexts().length, 0, "a Dutch page does not fetch the English texts");
    await w.getByRole("button", { name: "Switch to English" }).click();
    await w
      .getByRole("status")
      .filter({ hasText: "De andere taal kan nu niet worden geladen." })
      .waitFor();
    await w.getByRole("button", { name: "Begin" }).waitFor();
    // The browser's own line about the aborted request is this test's doing, not the widget's.
    const aborted = record.errors.indexOf("Failed to load resource: net::ERR_FAILED");
    assert.ok(aborted >= 0, "the English texts were asked for and failed");
    record.errors.splice(aborted, 1);
    await page.unroute("**/screens/texts-en.js*");
    // A widget in English on the same page: its texts come first, then its start screen.
    await page.evaluate(() =>
      document.body.insertAdjacentHTML(
        "beforeend",
        '<kindband-screen id="english" instruments="gad2" lang="en"></kindband-screen>',
      ),
    );
    const english = page.locator("#english");
    await english.getByRole("button", { name: "Start" }).waitFor();
    await english.getByText("How are you doing?").waitFor();
    // The Dutch widget switches too now, with the texts already here.
    await w.getByRole("button", { name: "Switch to English" }).click();
    await w.getByRole("button", { name: "Start" }).waitFor();
    assert.equal(await w.getByText("De andere taal kan nu niet worden geladen.").count(), 0);
    assert.equal(englishTexts().length, 2, "asked for twice: offline, then once for both");
    // Made from script, its language given before it is on the page: English from the start.
    await page.evaluate(() => {
      const element = document.createElement("kindband-screen");
      element.id = "scripted";
      element.setAttribute("instruments", "gad2");
      element.setAttribute("lang", "en");
      document.body.append(element);
    });
    await page.locator("#scripted").getByRole("button", { name: "Start" }).waitFor();
  });
});

// Option positions; PHQ-9 values equal positions (0..3), so the total is their sum: 1+2+0+3+1+0+2+1+0 = 10.
const PHQ9_ANSWERS = [1, 2, 0, 3, 1, 0, 2, 1, 0];

for (const lang of ["nl", "en"]) {
  test(`completes PHQ-9 in ${lang === "nl" ? "Dutch" : "English"}; score and advice match the engine`, async () => {
    await withPage(async ({ page, record }) => {
      await page.goto(`${site.url}/${lang === "en" ? "?lang=en" : ""}`);
      if (lang === "en")
        await widget(page).getByRole("button", { name: "Switch to English" }).click();
      await start(page);
      const def = engine.getInstrument("phq9", lang);
      await widget(page).getByRole("group", { name: def.items[0].text }).waitFor();
      await answerAll(page, PHQ9_ANSWERS);
      const w = widget(page);
      // Asked last: the form's unscored closing question, which may be skipped; it changes nothing.
      await w
        .getByRole("heading", {
          level: 2,
          name: lang === "nl" ? "Vraag 10 van 10" : "Question 10 of 10",
        })
        .waitFor();
      await w.getByRole("group", { name: def.items[9].text }).waitFor();
      assert.match(
        def.items[9].text,
        lang === "nl" ? /^Als je een of meer/ : /^If you checked off any problems/,
      );
      assert.equal(
        await w.locator(".kb-period").count(),
        0,
        "the 'how often' stem is not its stem",
      );
      assert.equal(await w.locator(".kb-hint").count(), 1, "it says the question may be skipped");
      await w.getByRole("radio", { name: def.items[9].options[2].label, exact: true }).check();
      await w
        .getByRole("button", { name: lang === "nl" ? "Naar de uitslag" : "See my result" })
        .click();
      await w
        .getByRole("heading", { level: 2, name: lang === "nl" ? "Je uitslag" : "Your result" })
        .waitFor();

      const context = {}; // the demo page assumes no role or stage (issue 14)
      const result = engine.score("phq9", PHQ9_ANSWERS, context);
      assert.equal(
        result.scales[0].score,
        10,
        "the engine's total is the sum of the chosen values",
      );
      const scoreText =
        lang === "nl" ? "Je score: 10 (van 0 tot 27)" : "Your score: 10 (from 0 to 27)";
      assert.equal(await w.locator(".kb-score").first().textContent(), scoreText);

      const withClosing = engine.score("phq9", [...PHQ9_ANSWERS, 2], context);
      assert.deepEqual(
        { ...withClosing, answered: 9, item_count: 9 },
        result,
        "the closing answer changes no score, band, flag or positive",
      );
      const advice = engine.advise("phq9", PHQ9_ANSWERS, context, lang);
      assert.deepEqual(engine.advise("phq9", [...PHQ9_ANSWERS, 2], context, lang), advice);
      const band = advice.entries.find((entry) => entry.kind === "band");
      assert.ok(band, "the engine gives band advice for a complete PHQ-9");
      const card = w.locator("[data-instrument=phq9]");
      assert.equal(await card.locator("h4").first().textContent(), band.title);
      assert.ok((await card.textContent()).includes(band.text));
      for (const step of band.steps)
        assert.ok((await card.textContent()).includes(step), `step shown: ${step}`);
      assert.equal(
        await w.locator("[data-kb=help]").count(),
        0,
        "no help box without a safety answer",
      );

      // The tab's icon is the browser's own request, made whenever it gets to it: not counted.
      const own = record.requests
        .map((request) => new URL(request.url).pathname)
        .filter((path) => !path.startsWith("/kindband/") && path !== "/favicon.svg");
      assert.deepEqual(
        own.sort(),
        ["/", "/site.css"],
        "no request except the page and the widget's own files",
      );
    });
  });
}

test("the safety help box appears as soon as the self-harm item is answered, and stays on the result", async () => {
  await withPage(async ({ page }) => {
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0]);
    await w.getByRole("heading", { name: "Vraag 9 van 10" }).waitFor();
    assert.equal(await w.locator("[data-kb=help]").count(), 0);
    await w.getByRole("radio").nth(1).check(); // "Meerdere dagen": item 9 > 0
    const help = w.getByRole("region", { name: "Hulp als je nu met iemand wilt praten" });
    await help.waitFor(); // before pressing Next: at once
    const text = await help.textContent();
    for (const needle of ["113", "0800-0113", "huisarts", "112"])
      assert.ok(text.includes(needle), needle);
    assert.equal(
      await help.getByRole("link", { name: "0800-0113" }).getAttribute("href"),
      "tel:08000113",
    );
    const safety = engine
      .advise("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1], {}, "nl")
      .entries.filter((e) => e.kind === "safety");
    assert.equal(safety.length, 1, "the engine flags item 9");
    assert.ok(text.includes(safety[0].title));
    await w.getByRole("button", { name: "Volgende" }).click();
    await w.getByRole("heading", { name: "Vraag 10 van 10" }).waitFor();
    await w.getByRole("button", { name: "Naar de uitslag" }).click();
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    await help.waitFor();
    await w.getByRole("button", { name: "Switch to English" }).click();
    const helpEn = w.getByRole("region", { name: "Help if you want to talk to someone now" });
    await helpEn.getByRole("link", { name: "0800-0113" }).waitFor();
    await helpEn.getByRole("link", { name: "112" }).waitFor();
  });
});

test("answers are kept when the page reloads, only on this device, and back/forward work", async () => {
  await withPage(async ({ page }) => {
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await answerAll(page, [2, 1, 3]);
    await w.getByRole("heading", { name: "Vraag 4 van 10" }).waitFor();
    await page.reload();
    await w.getByRole("heading", { name: "Vraag 4 van 10" }).waitFor();
    await w.getByRole("button", { name: "Vorige" }).click();
    await w.getByRole("heading", { name: "Vraag 3 van 10" }).waitFor();
    assert.equal(await w.getByRole("radio").nth(3).isChecked(), true, "answer 3 kept");
    const stored = await page.evaluate(() =>
      Object.keys(sessionStorage).filter((k) => k.startsWith("kindband:")),
    );
    assert.deepEqual(stored, ["kindband:progress:phq9"]);
    const local = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("kindband:")),
    );
    assert.deepEqual(local, [], "nothing in localStorage without opt-in");
    const progress = w.locator("progress");
    assert.equal(
      await progress.getAttribute("aria-labelledby"),
      await w.getByRole("heading", { level: 2 }).getAttribute("id"),
    );
  });
});

test("progress saved before PHQ-9 had its closing question (9 answers) is resumed, not thrown away", async () => {
  await withPage(async ({ page }) => {
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await answerAll(page, [2, 1, 3]);
    await w.getByRole("heading", { name: "Vraag 4 van 10" }).waitFor();
    // As the widget before the closing question kept it: one place per item, nine items.
    await page.evaluate(() => {
      const key = "kindband:progress:phq9";
      const progress = JSON.parse(sessionStorage.getItem(key));
      progress.answers.phq9 = progress.answers.phq9.slice(0, 9);
      sessionStorage.setItem(key, JSON.stringify(progress));
    });
    await page.reload();
    await w.getByRole("heading", { name: "Vraag 4 van 10" }).waitFor();
    await w.getByRole("button", { name: "Vorige" }).click();
    await w.getByRole("heading", { name: "Vraag 3 van 10" }).waitFor();
    assert.equal(await w.getByRole("radio").nth(3).isChecked(), true, "answer 3 kept");
  });
});

test("a required question cannot be skipped: an error says why and focus goes to the choices", async () => {
  await withPage(async ({ page }) => {
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await w.getByRole("button", { name: "Volgende" }).click();
    await w.getByText("Kies een antwoord om verder te gaan.").waitFor();
    assert.equal(await w.getByRole("heading", { level: 2 }).textContent(), "Vraag 1 van 10");
  });
});

test("history is opt-in, shows a trend for a repeated screen, and 'remove everything' clears all", async () => {
  await withPage(async ({ page }) => {
    await page.goto(site.url);
    const w = widget(page);
    await start(page);
    await answerAll(page, [3, 3, 3, 0, 0, 0, 0, 0, 0, null]);
    await w.getByRole("checkbox", { name: /Bewaar mijn uitslagen/ }).check();
    await w.getByRole("button", { name: "Opnieuw beginnen", exact: true }).click();
    await w.getByRole("button", { name: "Ja, opnieuw beginnen" }).click();
    await answerAll(page, [1, 1, 0, 0, 0, 0, 0, 0, 0, null]);
    await w.getByText("Je score is lager dan de vorige keer.").waitFor();
    await w.getByRole("img", { name: /Verloop van je score/ }).waitFor();
    const history = await page.evaluate(() => JSON.parse(localStorage.getItem("kindband:history")));
    assert.deepEqual(
      history.map((entry) => entry.scales[0].score),
      [9, 2],
    );
    assert.ok(!JSON.stringify(history).includes("answers"), "history keeps scores, not answers");

    await w.getByRole("button", { name: "Wis alles van dit apparaat" }).click();
    await w.getByRole("button", { name: "Ja, wis alles" }).click();
    await w.getByText("Alles is gewist van dit apparaat.").waitFor();
    const left = await page.evaluate(() =>
      [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) =>
        k.startsWith("kindband:"),
      ),
    );
    assert.deepEqual(left, []);
  });
});

test("language switch keeps the answers and re-renders the question in English", async () => {
  await withPage(async ({ page }) => {
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await w.getByRole("radio").nth(2).check();
    await w.getByRole("button", { name: "Switch to English" }).click();
    await w.getByRole("heading", { name: "Question 1 of 10" }).waitFor();
    await w.getByRole("group", { name: "Little interest or pleasure in doing things" }).waitFor();
    assert.equal(await w.getByRole("radio", { name: "More than half the days" }).isChecked(), true);
  });
});

test("a questionnaire without wording (EPDS without a wording pack) says it is not available", async () => {
  await withPage(async ({ page }) => {
    await page.goto(`${site.url}/test/epds.html`);
    const w = widget(page);
    await w.getByText(/is niet beschikbaar in het Nederlands/).waitFor();
    assert.equal(await w.getByRole("button", { name: "Begin" }).count(), 0);
  });
});

test("the demo page really enforces the strict CSP, and the widget runs under it", async () => {
  const browser = await openBrowser();
  try {
    const { page, record } = browser;
    const response = await page.goto(site.url);
    assert.match(
      response.headers()["content-security-policy"],
      /script-src 'self' 'wasm-unsafe-eval'/,
    );
    await start(page);
    await widget(page).getByRole("heading", { name: "Vraag 1 van 10" }).waitFor();
    assert.deepEqual(record.violations, [], "the widget itself causes no violation");
    // Proof that the policy is active: an inline style and an inline script are refused and reported.
    await page.evaluate(() => {
      const style = document.createElement("style");
      style.textContent = "body { color: red }";
      const script = document.createElement("script");
      script.textContent = "window.inlineRan = true";
      document.head.append(style, script);
    });
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => window.inlineRan), undefined);
    assert.ok(
      record.violations.some((v) => v.startsWith("style-src")),
      record.violations.join(),
    );
    assert.ok(
      record.violations.some((v) => v.startsWith("script-src")),
      record.violations.join(),
    );
  } finally {
    await browser.close();
  }
});

test("a site whose CSP lacks 'wasm-unsafe-eval' gets a clear message, not a half-working form", async () => {
  const browser = await openBrowser();
  try {
    const { page, record } = browser;
    const errors = [];
    await page.exposeFunction("kindbandError", (message) => errors.push(message));
    await page.addInitScript(() =>
      document.addEventListener("kindband-error", (event) =>
        window.kindbandError(event.detail.message),
      ),
    );
    await page.goto(`${site.url}/test/no-wasm.html`);
    const w = widget(page);
    await w.getByRole("alert").getByText("De vragenlijst kan nu niet worden geladen").waitFor();
    assert.equal(await w.getByRole("radio").count(), 0, "no questions without the engine");
    assert.equal(errors.length, 1, "one kindband-error event");
    assert.ok(
      record.violations.some((v) => v.includes("script-src") || v.includes("wasm")),
      record.violations.join(),
    );
  } finally {
    await browser.close();
  }
});

/** A gate for a route: requests wait until open() (an event the test controls, not a time). */
function gate() {
  let open;
  const opened = new Promise((resolve) => (open = resolve));
  return {
    open,
    hold: async (route) => {
      await opened;
      await route.continue();
    },
  };
}

test("questions work before the engine has loaded; a safety answer given then still shows the help", async () => {
  await withPage(async ({ page }) => {
    // A slow network for the engine only: its wasm arrives when the test lets it.
    const wasm = gate();
    await page.route("**/kindband-engine*.wasm*", wasm.hold);
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0]);
    await w.getByRole("radio").nth(3).check(); // item 9: "Bijna elke dag"
    const engineThere = await page.evaluate(
      () => document.querySelector("kindband-screen").engine !== null,
    );
    assert.equal(engineThere, false, "answered before the engine was there");
    wasm.open();
    await w.locator("[data-kb=help]").waitFor(); // once the engine is in
    assert.equal(await w.getByRole("radio").nth(3).isChecked(), true, "the answer is kept");
    await w.getByRole("button", { name: "Volgende" }).click();
    await w.getByRole("button", { name: "Naar de uitslag" }).click();
    await w.getByText("Je score: 3 (van 0 tot 27)").waitFor();
  });
});

test("the first question needs no file but the script; the engine comes after the first screen; a question whose file is slow shows 'loading'", async () => {
  await withPage(async ({ page }) => {
    // The order in which the page saw things: requests for the widget's files, and its events.
    const seen = [];
    page.on("request", (request) => {
      const file = new URL(request.url()).pathname.split("/").pop();
      if (/^(kindband\.mjs|kindband-engine|phq9\.)/.test(file)) seen.push(`request ${file}`);
    });
    await page.exposeFunction("kindbandSeen", (what) => seen.push(what));
    await page.addInitScript(() =>
      document.addEventListener("kindband-ready", () => window.kindbandSeen("kindband-ready")),
    );
    // The instrument's file is slow (a slow mobile network): it arrives when the test lets it.
    const file = gate();
    await page.route("**/instruments/phq9.nl.json*", file.hold);
    await page.goto(site.url);
    const w = widget(page);
    // The start screen and the first question come from the widget's script itself.
    await w.getByRole("button", { name: "Begin" }).waitFor();
    // The engine's three files are asked for; it is ready only once the held instrument file, which
    // also brings the definition it scores with, has come (below).
    const deadline = Date.now() + 60000; // a ceiling for a busy machine, not the expected time
    while (seen.filter((what) => /kindband(\.mjs|-engine)/.test(what)).length < 3) {
      assert.ok(Date.now() < deadline, `the engine's files were asked for: ${seen}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ready = seen.indexOf("kindband-ready");
    const engineRequests = seen.filter((what) => /kindband(\.mjs|-engine)/.test(what));
    assert.ok(ready > 0, `kindband-ready was seen: ${seen}`);
    assert.equal(
      seen[0],
      "request phq9.nl.json",
      `the instrument's file is asked for first: ${seen}`,
    );
    assert.equal(engineRequests.length, 3, `kindband.mjs, the engine's JS and wasm: ${seen}`);
    assert.ok(
      engineRequests.every((what) => seen.indexOf(what) > ready),
      `the engine's files after the first screen: ${seen}`,
    );
    file.open();
    await page.waitForFunction(() => document.querySelector("kindband-screen").engine !== null);
    await start(page);
    await w.getByRole("radio").first().waitFor();
  });
});

test("before the instrument's file and the engine, a later question shows 'loading' until they come", async () => {
  await withPage(async ({ page }) => {
    const file = gate();
    const wasm = gate();
    await page.route("**/instruments/phq9.nl.json*", file.hold);
    await page.route("**/kindband-engine*.wasm*", wasm.hold);
    await page.goto(site.url);
    await start(page);
    const w = widget(page);
    await w.getByRole("heading", { level: 2, name: /^Vraag 1 / }).waitFor();
    await w.getByRole("radio").first().check();
    await w.locator("form button[type=submit]").click();
    await w.getByRole("status").getByText("Even geduld, de vragenlijst wordt geladen…").waitFor();
    file.open();
    await w.getByRole("heading", { level: 2, name: /^Vraag 2 / }).waitFor();
    wasm.open();
    await page.waitForFunction(() => document.querySelector("kindband-screen").engine !== null);
  });
});
