// Every instrument in the engine's library through the widget: rendered from its data, completed,
// scored by the engine, with the engine's advice on the result screen. And two questionnaires in one
// element. Nothing here is specific to one instrument: a new instrument file is covered automatically.
import fs from "node:fs";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { answerAll, nodeEngine, openBrowser, start, startSite, widget } from "./harness.mjs";

let site;
let engine;
before(async () => {
  site = await startSite();
  engine = await nodeEngine();
});
after(async () => site?.close());

const CONTEXT = { role: "mother", stage: "postpartum", week: 6 };

test("every instrument with wording can be completed; the result shows the engine's scores and advice", async () => {
  const browser = await openBrowser();
  const { page, record } = browser;
  try {
    await page.goto(`${site.url}/test/any.html`);
    const w = widget(page);
    await w.getByRole("button", { name: "Begin" }).waitFor();
    let checked = 0;
    const hasWording = (def) =>
      def.items.every((item) => item.text !== null && item.options.every((o) => o.label !== null));
    for (const { id } of engine.listInstruments("nl")) {
      // Dutch where the wording exists in Dutch, else English (e.g. the Condon scales), else neither.
      const lang = ["nl", "en"].find((candidate) =>
        hasWording(engine.getInstrument(id, candidate)),
      );
      await page.evaluate(
        ([ids, language]) => {
          const element = document.querySelector("kindband-screen");
          element.setAttribute("lang", language || "nl");
          element.setAttribute("instruments", ids);
        },
        [id, lang],
      );
      if (!lang) {
        await w.getByText(/is niet beschikbaar in het Nederlands/).waitFor();
        continue;
      }
      const def = engine.getInstrument(id, lang);
      await start(page, /^(Begin|Start|Opnieuw beginnen|Start again)$/);
      // The last option of every question: exercises reversed items and the highest scores.
      const answers = def.items.map((item) => item.options.length - 1);
      await answerAll(page, answers);
      await w.getByRole("heading", { level: 2, name: /^(Je uitslag|Your result)$/ }).waitFor();
      const result = engine.score(id, answers, CONTEXT);
      const card = w.locator(`[data-instrument="${id}"]`);
      const text = await card.textContent();
      for (const scale of result.scales) {
        const shown = lang === "nl" ? String(scale.score).replace(".", ",") : String(scale.score);
        assert.ok(text.includes(shown), `${id}: score ${scale.id} = ${shown} shown`);
      }
      for (const entry of engine.advise(id, answers, CONTEXT, lang).entries) {
        const where =
          entry.kind === "safety" ? await w.locator("[data-kb=help]").textContent() : text;
        assert.ok(where.includes(entry.title), `${id}: advice "${entry.title}" shown`);
      }
      checked += 1;
    }
    // Today 8 of 14 have wording (PBQ and the Condon scales await their wording); all others must
    // have said "not available" above.
    assert.ok(checked >= 8, `checked ${checked} instruments`);
    assert.deepEqual(record.errors, []);
    assert.deepEqual(record.violations, []);
  } finally {
    await browser.close();
  }
});

test("two questionnaires in one element: asked one after the other, one result each", async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(`${site.url}/test/any.html`);
    await start(page);
    const w = widget(page);
    await w.getByText("PHQ-2", { exact: true }).waitFor();
    await answerAll(page, [1, 2, 0, 3]);
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    const phq2 = await w.locator('[data-instrument="phq2"] .kb-score').textContent();
    const gad2 = await w.locator('[data-instrument="gad2"] .kb-score').textContent();
    assert.equal(
      phq2,
      `Je score: ${engine.score("phq2", [1, 2], CONTEXT).scales[0].score} (van 0 tot 6)`,
    );
    assert.equal(
      gad2,
      `Je score: ${engine.score("gad2", [0, 3], CONTEXT).scales[0].score} (van 0 tot 6)`,
    );
  } finally {
    await browser.close();
  }
});

test("a wording pack named by the page adds wording at run time: EPDS becomes available", async () => {
  const browser = await openBrowser();
  const { page, record } = browser;
  try {
    await page.goto(`${site.url}/test/epds-pack.html`);
    await start(page);
    const w = widget(page);
    await w.getByRole("group", { name: "Testvraag 1" }).waitFor();
    // Item 10 is the self-harm item; its second option scores 2 (reversed item).
    const answers = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1];
    await answerAll(page, answers);
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    await w.locator("[data-kb=help]").waitFor();
    const withPack = await nodeEngine();
    withPack.addWordingPack(
      fs.readFileSync(new URL("./pages/epds-test-pack.nl.json", import.meta.url), "utf8"),
    );
    const context = { role: "mother", stage: "postpartum", week: 6 };
    const result = withPack.score("epds", answers, context);
    assert.deepEqual(result.flags, ["self_harm"]);
    const text = await w.locator('[data-instrument="epds"]').textContent();
    assert.ok(text.includes(`Je score: ${result.scales[0].score} (van 0 tot 30)`), text);
    const requested = record.requests.map((request) => new URL(request.url).pathname);
    assert.ok(requested.includes("/test/epds-test-pack.nl.json"));
    // The pack's instrument's own file only, for the definition the engine adds before the pack (the
    // page's engine has none compiled in); the wording still comes from the pack.
    assert.deepEqual(
      requested.filter((p) => p.startsWith("/kindband/instruments/")),
      ["/kindband/instruments/epds.nl.json"],
      "no other instrument file: wording comes from the pack",
    );
    assert.deepEqual(record.violations, []);
  } finally {
    await browser.close();
  }
});
