// What parents and web editors ran into on first use (issue 14), against the real kindband-server: the
// help box comes into view with the focus and becomes a compact bar; the preview shows the band words
// and the advice; sharing says when someone looks and that it is not for emergencies (before sending
// and on the receipt); a flagged share without contact details asks once; a short receipt code and
// "save this receipt"; "start again" asks first; a page that may not share says so and tells the host
// page with kindband-error; kindband-admin check-embed explains. On a phone (390×844), at 320 px, at
// 200% zoom and by keyboard only; axe on every screen touched.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { SERVER_BINARY, answerAll, openBrowser, start, startSite, widget } from "./harness.mjs";

const skip = SERVER_BINARY ? false : "needs KINDBAND_SERVER_BINARY (scripts/test-browser.sh)";
const ADMIN = SERVER_BINARY ? path.join(path.dirname(SERVER_BINARY), "kindband-admin") : "";
const RESPONSE_NL = "Binnen 2 werkdagen kijkt een verloskundige ernaar, op werkdagen.";
const RESPONSE_EN = "A midwife looks at it within 2 working days.";
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let site;
before(async () => {
  site = await startSite();
  if (SERVER_BINARY) {
    execFileSync(ADMIN, [
      "--database",
      site.database,
      "set-organisation-response",
      "demo-vsv",
      "--nl",
      RESPONSE_NL,
      "--en",
      RESPONSE_EN,
    ]);
  }
});
after(async () => site?.close());

const VIEWPORTS = [
  ["phone 390×844", { viewport: { width: 390, height: 844 } }],
  ["320 px", { viewport: { width: 320, height: 640 } }],
  ["200% zoom", { viewport: { width: 640, height: 512 }, deviceScaleFactor: 2 }],
];

async function axe(page, screen) {
  const report = await new AxeBuilder({ page }).include("kindband-screen").withTags(TAGS).analyze();
  const summary = report.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${screen}`);
}

/** The focused element inside the widget: its tag, text and whether it is fully in the viewport. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.querySelector("kindband-screen").shadowRoot.activeElement;
    if (!element) return null;
    const box = element.getBoundingClientRect();
    return {
      tag: element.tagName,
      text: element.textContent.trim(),
      checked: element.checked ?? null,
      inView: box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0,
    };
  });
}

async function noSidewaysScroll(page, where) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${where}: page is ${scroll} px wide in a ${client} px viewport`);
}

/** Every link and button of the help box lies within the viewport's width. */
async function helpFits(page, where) {
  const outside = await widget(page)
    .locator("[data-kb=help]")
    .evaluate((box) =>
      [...box.querySelectorAll("a, button")]
        .filter((element) => element.offsetParent !== null)
        .filter((element) => {
          const rect = element.getBoundingClientRect();
          return rect.left < 0 || rect.right > window.innerWidth;
        })
        .map((element) => element.textContent),
    );
  assert.deepEqual(outside, [], `${where}: help controls cut off`);
}

for (const [name, options] of VIEWPORTS) {
  test(`help box (${name}): in view with focus, back to the question, then a compact bar`, async () => {
    const browser = await openBrowser(options);
    const { page, record } = browser;
    try {
      const w = widget(page);
      await page.goto(site.url);
      await start(page);
      await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0]);
      await w.getByRole("heading", { name: "Vraag 9 van 10" }).waitFor();
      await w.getByRole("radio").nth(1).check(); // item 9 above 0
      const help = w.getByRole("region", { name: "Hulp als je nu met iemand wilt praten" });
      await help.waitFor();
      const atHelp = await focused(page);
      assert.equal(atHelp.tag, "H2", "the help box's heading has the focus");
      assert.equal(atHelp.text, "Hulp als je nu met iemand wilt praten");
      assert.ok(atHelp.inView, "the help box's heading is in view");
      for (const [label, href] of [
        ["Bel 113", "tel:113"],
        ["Bel 0800-0113 (gratis)", "tel:08000113"],
        ["Bel 112", "tel:112"],
      ]) {
        const link = help.getByRole("link", { name: label });
        assert.equal(await link.getAttribute("href"), href);
        const box = await link.boundingBox();
        assert.ok(box.height >= 44, `${label} is big enough to tap (${box.height} px)`);
      }
      await noSidewaysScroll(page, "question with help");
      await helpFits(page, "question with help");
      await axe(page, "the question with the help just appeared");

      await help.getByRole("button", { name: "Terug naar de vraag" }).click();
      const atQuestion = await focused(page);
      assert.equal(atQuestion.tag, "INPUT");
      assert.equal(atQuestion.checked, true, "focus is back on the chosen answer");
      assert.ok(atQuestion.inView, "the chosen answer is in view");

      // The previous question: the compact bar, numbers still tappable, expandable.
      await w.getByRole("button", { name: "Vorige" }).click();
      await w.getByRole("heading", { name: "Vraag 8 van 10" }).waitFor();
      const more = help.getByRole("button", { name: "Meer hulp en uitleg" });
      assert.equal(await more.getAttribute("aria-expanded"), "false");
      assert.equal(await help.locator(".kb-help-details").isVisible(), false);
      await help.getByRole("link", { name: "Bel 113" }).waitFor({ state: "visible" });
      const compact = await help.boundingBox();
      assert.ok(compact.height < 300, `the compact bar is compact (${compact.height} px)`);
      await noSidewaysScroll(page, "compact bar");
      await helpFits(page, "compact bar");
      await axe(page, "a question with the compact help bar");
      await more.click();
      const less = help.getByRole("button", { name: "Minder tonen" });
      assert.equal(await less.getAttribute("aria-expanded"), "true");
      assert.equal(await help.locator(".kb-help-details").isVisible(), true);
      assert.equal((await focused(page)).text, "Minder tonen", "focus stays on the toggle");
      assert.deepEqual(record.violations, []);
    } finally {
      await browser.close();
    }
  });
}

test("help box by keyboard only: arrow keys raise it, Enter goes back to the question", async () => {
  const browser = await openBrowser({ viewport: { width: 390, height: 844 } });
  const { page } = browser;
  try {
    const w = widget(page);
    await page.goto(site.url);
    await start(page);
    await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0]);
    await w.getByRole("heading", { name: "Vraag 9 van 10" }).waitFor();
    await page.keyboard.press("Tab"); // from the heading into the radio group
    await page.keyboard.press("Space"); // "Helemaal niet"
    await page.keyboard.press("ArrowDown"); // "Meerdere dagen": the help appears
    await w.locator("[data-kb=help]").waitFor();
    assert.equal((await focused(page)).tag, "H2");
    let guard = 0;
    while ((await focused(page)).text !== "Terug naar de vraag" && guard++ < 10)
      await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const back = await focused(page);
    assert.equal(back.checked, true);
    await page.keyboard.press("Enter"); // submits the form: the closing question (may be skipped)
    await w.getByRole("heading", { name: "Vraag 10 van 10" }).waitFor();
    guard = 0;
    while ((await focused(page)).text !== "Naar de uitslag" && guard++ < 10)
      await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    assert.equal(
      await w.locator("[data-kb=help] .kb-help-details").isVisible(),
      true,
      "open on the result",
    );
  } finally {
    await browser.close();
  }
});

test("'start again' asks first; cancel keeps the result and the focus", async () => {
  const browser = await openBrowser({ viewport: { width: 390, height: 844 } });
  const { page } = browser;
  try {
    const w = widget(page);
    await page.goto(site.url);
    await start(page);
    await answerAll(page, [1, 1, 1, 1, 1, 1, 1, 1, 0, null]);
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    const restart = w.getByRole("button", { name: "Opnieuw beginnen", exact: true });
    await restart.click();
    await w
      .getByText("Opnieuw beginnen? Je antwoorden en deze uitslag worden dan gewist")
      .waitFor();
    assert.equal(await restart.getAttribute("aria-expanded"), "true");
    assert.equal((await focused(page)).text, "Ja, opnieuw beginnen");
    await axe(page, "result asking before starting again");
    await w.getByRole("button", { name: "Annuleren" }).click();
    assert.equal((await focused(page)).text, "Opnieuw beginnen");
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    await restart.click();
    await w.getByRole("button", { name: "Ja, opnieuw beginnen" }).click();
    await w.getByRole("heading", { name: "Vraag 1 van 10" }).waitFor();
    assert.equal(await w.getByRole("radio", { checked: true }).count(), 0, "answers are gone");
  } finally {
    await browser.close();
  }
});

test(
  "a flagged share: asks once for a way to reach the parent; the preview shows band words, advice, response time and 'not for emergencies'; a short receipt code; save this receipt",
  {
    skip,
  },
  async () => {
    const browser = await openBrowser({
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
    });
    const { page, record } = browser;
    try {
      const w = widget(page);
      await page.goto(site.url);
      await start(page);
      await answerAll(page, [2, 2, 2, 1, 1, 1, 1, 1, 1, null]);
      await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
      await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      const ask = w.locator("[data-kb=contact-ask]");
      await ask.waitFor();
      assert.equal((await focused(page)).text, "Ja, ik vul het in");
      await axe(page, "share asking for contact details");
      await w.getByRole("button", { name: "Ja, ik vul het in" }).click();
      assert.equal((await focused(page)).tag, "INPUT", "focus goes to the phone field");
      // Asked once: pressing on without filling anything in goes to the preview.
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();

      const advice = w.locator("[data-kb=preview-advice]");
      const adviceText = await advice.textContent();
      assert.ok(adviceText.includes("Veel klachten"), `band words in the preview: ${adviceText}`);
      assert.ok(adviceText.includes("Praat vandaag nog met iemand"), "the safety advice too");
      const note = w.locator("[data-kb=response-time]");
      const noteText = await note.textContent();
      assert.ok(noteText.includes(RESPONSE_NL), noteText);
      assert.ok(noteText.includes("Delen is niet voor noodgevallen"), noteText);
      await noSidewaysScroll(page, "preview");
      await axe(page, "preview with advice and response time");

      await w.getByRole("button", { name: "Ja, verstuur" }).click();
      await w.getByRole("heading", { name: "Je bewijs van delen" }).waitFor();
      await w.locator("[data-state=received]").waitFor();
      const code = (await w.locator("[data-kb=receipt-code]").textContent()).trim();
      assert.match(code, /^[0-9A-F]{4}-[0-9A-F]{4}$/, "a code one can write down");
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("kindband:shares")));
      assert.equal(stored.length, 1);
      assert.equal(
        stored[0].share_id.replace(/-/g, "").slice(0, 8).toUpperCase(),
        code.replace("-", ""),
      );
      assert.match(stored[0].receipt, /^[0-9a-f]{64}$/, "the full receipt stays on the device");
      const receiptNote = await w.locator("[data-share] [data-kb=response-time]").textContent();
      assert.ok(
        receiptNote.includes(RESPONSE_NL) && receiptNote.includes("niet voor noodgevallen"),
      );
      await noSidewaysScroll(page, "receipt");
      await axe(page, "receipt with code and response time");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        w.getByRole("button", { name: "Bewaar dit bewijs" }).click(),
      ]);
      const file = fs.readFileSync(await download.path(), "utf8");
      assert.ok(file.includes(`Code: ${code}`), file);
      assert.ok(file.includes(RESPONSE_NL), file);
      assert.ok(!file.includes(stored[0].receipt), "the receipt's secret is not in the file");
      assert.deepEqual(record.violations, []);
    } finally {
      await browser.close();
    }
  },
);

test(
  "a page that may not share: the share screen says so, kindband-error carries the code",
  {
    skip,
  },
  async () => {
    const browser = await openBrowser({ viewport: { width: 390, height: 844 } });
    const { page } = browser;
    try {
      const w = widget(page);
      // The same site under another name: http://localhost:PORT is not demo-vsv's website.
      const port = new URL(site.url).port;
      await page.goto(`http://localhost:${port}/`);
      await page.evaluate(() => {
        window.kindbandErrors = [];
        document.addEventListener("kindband-error", (event) =>
          window.kindbandErrors.push(event.detail),
        );
      });
      await start(page);
      await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0, 0, null]);
      await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await w.getByRole("heading", { name: "Delen is niet ingesteld voor deze website" }).waitFor();
      assert.equal(await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).count(), 0);
      const errors = await page.evaluate(() => window.kindbandErrors);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, "origin_not_allowed");
      assert.ok(errors[0].message.includes(`http://localhost:${port}`), errors[0].message);
      await axe(page, "sharing not set up");
      await w.getByRole("button", { name: "Terug naar de uitslag" }).click();
      await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();

      // A wrong org attribute on the right site.
      await page.goto(site.url);
      await page.evaluate(() => {
        window.kindbandErrors = [];
        document.addEventListener("kindband-error", (event) =>
          window.kindbandErrors.push(event.detail),
        );
        document.querySelector("kindband-screen").setAttribute("org", "no-such-vsv");
      });
      await start(page);
      await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0, 0, null]);
      await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await w.getByRole("heading", { name: "Delen is niet ingesteld voor deze website" }).waitFor();
      const wrongOrg = await page.evaluate(() => window.kindbandErrors);
      assert.equal(wrongOrg[0].code, "unknown_organisation");
    } finally {
      await browser.close();
    }
  },
);

test("kindband-admin check-embed tells an IT person what is wrong", { skip }, () => {
  const port = new URL(site.url).port;
  const check = (url) =>
    spawnSync(ADMIN, ["--database", site.database, "check-embed", "demo-vsv", url], {
      encoding: "utf8",
    });
  const good = check(`${site.url}/zwanger`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^OK: /m);
  const bad = check(`http://localhost:${port}/zwanger`);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /NOT OK: +website http:\/\/localhost:\d+ is not set up/);
  assert.ok(bad.stdout.includes(`--organisation demo-vsv=http://localhost:${port}`), bad.stdout);
  assert.ok(bad.stdout.includes(site.url), "lists the websites that may share");
  const unknown = spawnSync(ADMIN, ["--database", site.database, "check-embed", "nope", site.url], {
    encoding: "utf8",
  });
  assert.equal(unknown.status, 1);
  assert.match(unknown.stdout, /no organisation or coalition 'nope'/);
});
