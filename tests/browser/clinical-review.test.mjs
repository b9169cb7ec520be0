// The harms a perinatal clinician found (issue 25), in the browser, in Dutch and English: one
// session (several questionnaires, as a journey moment starts them) never shows reassurance beside
// the crisis help another questionnaire raised; a positive PBQ scale 2 leads; MAAS item 12 brings
// the help; the Whooley help question follows a "yes" and a "yes" to it is help, not reassurance;
// one support indicator is something to discuss, not a positive screen. PBQ and MAAS ship English
// items only: in Dutch they run with a test wording pack (placeholder text, tests/browser/pages).
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

const RESULT = /^(Je uitslag|Your result)$/;

/** Opens a fresh widget on the test page with these attributes, and starts it. */
async function openWidget(attributes, run) {
  const browser = await openBrowser();
  const { page, record } = browser;
  try {
    await page.goto(`${site.url}/test/any.html`);
    await widget(page).getByRole("button", { name: "Begin" }).waitFor();
    // Parsed markup, as a page has it: the element is created with its attributes (an element made
    // with createElement reads `lang` in its constructor, before setAttribute could set it).
    await page.evaluate((given) => {
      const old = document.querySelector("kindband-screen");
      const holder = document.createElement("div");
      const attributes = Object.entries(given)
        .map(([name, value]) => `${name}="${value.replaceAll('"', "&quot;")}"`)
        .join(" ");
      holder.innerHTML = `<kindband-screen ${attributes}></kindband-screen>`;
      old.replaceWith(holder.firstElementChild);
    }, attributes);
    await start(page, /^(Begin|Start)$/);
    await run(page);
    assert.deepEqual(record.violations, [], "no CSP violations");
  } finally {
    await browser.close();
  }
}

/** The help box leads the result screen: it comes before every result card. */
async function expectHelpLeads(page) {
  const w = widget(page);
  await w.getByRole("heading", { level: 2, name: RESULT }).waitFor();
  const help = w.locator("[data-kb=help]");
  await help.waitFor();
  const first = w.locator("[data-instrument]").first();
  assert.ok(
    await help.evaluate(
      (box, card) => Boolean(box.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING),
      await first.elementHandle(),
    ),
    "the safety help comes before the results",
  );
}

/** Band advice titles and texts that reassure, for these answers advised on their own. */
function reassurance(id, answers, context, lang) {
  return engine
    .advise(id, answers, context, lang)
    .entries.filter((entry) => entry.kind === "band")
    .flatMap((entry) => [entry.title, entry.text]);
}

for (const lang of ["nl", "en"]) {
  test(`one session (${lang}): PHQ-9 item 9 "nearly every day" and a calm GAD-7 show no reassurance anywhere`, async () => {
    const context = { role: "mother", stage: "pregnancy", week: 22 };
    const phq9 = [0, 0, 0, 0, 0, 0, 0, 0, 3, null];
    const gad7 = [1, 0, 0, 0, 0, 0, 0, null];
    const calm = reassurance("gad7", gad7, context, lang);
    assert.ok(calm.length > 0, "on its own the calm GAD-7 reassures");
    await openWidget(
      { instruments: "phq9 gad7", lang, "parent-role": "mother", stage: "pregnancy", week: "22" },
      async (page) => {
        await answerAll(page, [...phq9, ...gad7]);
        await expectHelpLeads(page);
        const screen = await widget(page).locator(".kb-screen").textContent();
        for (const words of calm) {
          assert.ok(!screen.includes(words), `"${words}" shown beside the crisis help`);
        }
        const gad7Card = await widget(page).locator("[data-instrument=gad7]").textContent();
        assert.match(gad7Card, /GAD-7/);
      },
    );
  });

  test(`Whooley (${lang}): the help question follows a yes, and a yes to it is help, not reassurance`, async () => {
    const none = reassurance("whooley", [0, 0, null], {}, lang);
    await openWidget({ instruments: "whooley", lang }, async (page) => {
      // Two "no": the help question is not asked, the result comes after two questions.
      await answerAll(page, [0, 0]);
      const w = widget(page);
      await w.getByRole("heading", { level: 2, name: RESULT }).waitFor();
      assert.equal(await w.locator("[data-kb=help]").count(), 0);
      const text = await w.locator(".kb-screen").textContent();
      assert.ok(text.includes(none[0]), "two 'no' answers keep their reassurance");
    });
    await openWidget({ instruments: "whooley", lang }, async (page) => {
      // A "yes", then the help question: "yes".
      await answerAll(page, [1, 0, 1]);
      await expectHelpLeads(page);
      const text = await widget(page).locator(".kb-screen").textContent();
      for (const words of none) assert.ok(!text.includes(words), `"${words}" beside the help`);
      const wantsHelp = engine
        .advise("whooley", [1, 0, 1], {}, lang)
        .entries.find((entry) => entry.id === "wants_help");
      const help = await widget(page).locator("[data-kb=help]").textContent();
      assert.ok(help.includes(wantsHelp.title), "the help box says what to do when you want help");
    });
  });

  test(`support indicators (${lang}): one "yes" is something to discuss, not a positive screen`, async () => {
    await openWidget({ instruments: "support_indicators", lang }, async (page) => {
      await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
      const w = widget(page);
      await w.getByRole("heading", { level: 2, name: RESULT }).waitFor();
      const title = engine
        .advise("support_indicators", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0], {}, lang)
        .entries.find((entry) => entry.id === "indicators_present").title;
      await w.getByRole("heading", { level: 4, name: title }).waitFor();
      const positive = await page.evaluate(
        () => document.querySelector("kindband-screen").results()[0].result.positive,
      );
      assert.equal(positive, false);
    });
  });

  test(`PBQ (${lang}): a positive scale 2 leads, the unverified total does not reassure first`, async () => {
    const def = engine.getInstrument("pbq", "en");
    const calm = def.items.map((item) => (item.options[0].value === 0 ? 0 : 5));
    const answers = [...calm];
    answers[2] = 2; // "I feel distant from my baby": quite often
    answers[3] = 5; // "I love to cuddle my baby": never
    answers[10] = 5; // "I enjoy playing with my baby": never
    const context = { role: "mother", stage: "postpartum", week: 6 };
    const advice = engine.advise("pbq", answers, context, lang).entries;
    assert.equal(advice[0].id, "rejection_anger_high");
    // The unverified total's reassurance ("no major concerns") that calm answers get.
    const total = engine
      .advise("pbq", calm, context, lang)
      .entries.find((entry) => entry.scale === "total");
    assert.equal(total.id, "total_low");
    await openWidget(
      {
        instruments: "pbq",
        lang,
        "parent-role": "mother",
        stage: "postpartum",
        week: "6",
        ...(lang === "nl" ? { "wording-packs": "/test/pbq-test-pack.nl.json" } : {}),
      },
      async (page) => {
        await answerAll(page, answers);
        const w = widget(page);
        await w.getByRole("heading", { level: 2, name: RESULT }).waitFor();
        const card = w.locator("[data-instrument=pbq]");
        assert.equal(await card.locator("h4").first().textContent(), advice[0].title);
        assert.ok(!(await card.textContent()).includes(total.title), `"${total.title}" shown`);
      },
    );
  });

  test(`MAAS (${lang}): item 12 "often" brings the same-day help`, async () => {
    const def = engine.getInstrument("maas", "en");
    const answers = def.items.map((item) => {
      const highest = Math.max(...item.options.map((option) => option.value));
      return item.options.findIndex((option) => option.value === highest);
    });
    answers[11] = 4; // "I have often felt like this myself"
    const title = engine
      .advise("maas", answers, { role: "mother", stage: "pregnancy", week: 30 }, lang)
      .entries.find((entry) => entry.id === "urge_to_hurt").title;
    await openWidget(
      {
        instruments: "maas",
        lang,
        "parent-role": "mother",
        stage: "pregnancy",
        week: "30",
        ...(lang === "nl" ? { "wording-packs": "/test/maas-test-pack.nl.json" } : {}),
      },
      async (page) => {
        await answerAll(page, answers);
        await expectHelpLeads(page);
        const help = await widget(page).locator("[data-kb=help]").textContent();
        assert.ok(help.includes(title), `the help box holds "${title}"`);
      },
    );
  });
}

test("a validated questionnaire in our own Dutch translation says so on the result", async () => {
  await openWidget({ instruments: "phq2", lang: "nl" }, async (page) => {
    await answerAll(page, [0, 0]);
    const w = widget(page);
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    await w.locator("[data-kb=wording-not-validated]").waitFor();
  });
  await openWidget({ instruments: "phq2", lang: "en" }, async (page) => {
    await answerAll(page, [0, 0]);
    const w = widget(page);
    await w.getByRole("heading", { level: 2, name: "Your result" }).waitFor();
    assert.equal(await w.locator("[data-kb=wording-not-validated]").count(), 0);
  });
});
