// Results agree with the safety help (issue 11), in the browser: when a safety rule fires on low
// answers, the help box leads the result screen and the reassuring band advice ("few symptoms …
// fill in again later") that the same answers without the safety item would get is not shown.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { answerAll, nodeEngine, openBrowser, start, startSite, widget } from "./harness.mjs";

let site;
let engine;
before(async () => {
  site = await startSite();
  engine = await nodeEngine();
});
after(async () => site?.close());

const CONTEXT = { role: "mother", stage: "postpartum", week: 6 };

/** Titles of the band advice for `answers` (the reassurance a parent would read without the flag). */
function bandTitles(kb, id, answers, lang) {
  return kb
    .advise(id, answers, CONTEXT, lang)
    .entries.filter((entry) => entry.kind === "band")
    .map((entry) => entry.title);
}

async function expectSafetyLeadsWithoutReassurance(page, id, reassurance) {
  const w = widget(page);
  await w.getByRole("heading", { level: 2, name: /^(Je uitslag|Your result)$/ }).waitFor();
  const help = w.locator("[data-kb=help]");
  await help.waitFor();
  const card = w.locator(`[data-instrument="${id}"]`);
  const helpFirst = await help.evaluate(
    (box, cardElement) =>
      Boolean(box.compareDocumentPosition(cardElement) & Node.DOCUMENT_POSITION_FOLLOWING),
    await card.elementHandle(),
  );
  assert.ok(helpFirst, `${id}: the safety help comes before the result card`);
  const text = await card.textContent();
  assert.ok(reassurance.length > 0, `${id}: the same answers without the flag do reassure`);
  for (const title of reassurance) {
    assert.ok(!text.includes(title), `${id}: reassuring "${title}" shown next to the safety help`);
  }
}

for (const lang of ["nl", "en"]) {
  for (const [id, withFlag, withoutFlag] of [
    // PHQ-9: total 3 with item 9 "several days"; the same total without item 9 is "minimal".
    // The closing question (10) is skipped: it is never scored.
    ["phq9", [1, 0, 1, 0, 0, 0, 0, 0, 1, null], [1, 0, 1, 0, 0, 0, 0, 1, 0, null]],
  ]) {
    test(`${id} (${lang}): safety item on a low total leads, no reassurance`, async () => {
      const browser = await openBrowser();
      const { page, record } = browser;
      try {
        await page.goto(`${site.url}/test/any.html`);
        await widget(page).getByRole("button", { name: "Begin" }).waitFor();
        await page.evaluate(
          ([ids, language]) => {
            const element = document.querySelector("kindband-screen");
            element.setAttribute("lang", language);
            element.setAttribute("instruments", ids);
          },
          [id, lang],
        );
        await start(page, /^(Begin|Start)$/);
        await answerAll(page, withFlag);
        await expectSafetyLeadsWithoutReassurance(
          page,
          id,
          bandTitles(engine, id, withoutFlag, lang),
        );
        assert.deepEqual(record.violations, []);
      } finally {
        await browser.close();
      }
    });
  }
}

test("pbq (en): item 18 or 24 with low totals leads with the help, no reassurance", async () => {
  const def = engine.getInstrument("pbq", "en");
  // Every item at its 0-scoring option, then item 18 at "Rarely" (scores 1).
  const lowest = def.items.map((item) => item.options.findIndex((option) => option.value === 0));
  const withFlag = [...lowest];
  withFlag[17] = 4;
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(`${site.url}/test/any.html`);
    await widget(page).getByRole("button", { name: "Begin" }).waitFor();
    await page.evaluate(() => {
      const element = document.querySelector("kindband-screen");
      element.setAttribute("lang", "en");
      element.setAttribute("instruments", "pbq");
    });
    await start(page, /^(Begin|Start)$/);
    await answerAll(page, withFlag);
    await expectSafetyLeadsWithoutReassurance(page, "pbq", bandTitles(engine, "pbq", lowest, "en"));
  } finally {
    await browser.close();
  }
});

test("epds (nl, wording pack): item 10 on a low total leads with the help, no reassurance", async () => {
  const withPack = await nodeEngine();
  withPack.addWordingPack(
    fs.readFileSync(new URL("./pages/epds-test-pack.nl.json", import.meta.url), "utf8"),
  );
  // Items 1, 2, 4 score 0 at position 0; items 3 and 5-10 at position 3. Item 10 at position 2: 1.
  const withFlag = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2];
  const withoutFlag = [0, 0, 3, 0, 3, 3, 3, 3, 3, 3];
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(`${site.url}/test/epds-pack.html`);
    await start(page);
    await answerAll(page, withFlag);
    await expectSafetyLeadsWithoutReassurance(
      page,
      "epds",
      bandTitles(withPack, "epds", withoutFlag, "nl"),
    );
  } finally {
    await browser.close();
  }
});
