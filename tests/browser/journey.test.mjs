// The 1000-day journey view (widget/screens/journey.js) in headless Chromium under the strict CSP:
// the parent enters a role and a date, sees what is due now, fills in a due moment with the plan's
// context, reads a relationship element, sees a trend of repeated screens, and no date leaves the
// device. Accessibility is checked with axe on every journey screen.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { answerAll, nodeEngine, openBrowser, startSite, widget } from "./harness.mjs";

let site;
let engine;
before(async () => {
  site = await startSite();
  engine = await nodeEngine();
});
after(async () => site?.close());

// A fixed "today" so that the weeks are known: 22 November 2026, 10:00 local time.
const TODAY = "2026-11-22";
const NOW = new Date(2026, 10, 22, 10, 0, 0);

async function withJourney(fn, options) {
  const browser = await openBrowser(options);
  try {
    await browser.page.clock.setFixedTime(NOW);
    await browser.page.goto(`${site.url}/test/journey.html`);
    await fn(browser);
    assert.deepEqual(browser.record.violations, [], "no CSP violations");
    assert.deepEqual(browser.record.errors, [], "no page errors");
    // The tab's icon is the browser's own request, made whenever it gets to it: not counted.
    const own = browser.record.requests
      .map((request) => new URL(request.url).pathname)
      .filter((path) => !path.startsWith("/kindband/") && path !== "/favicon.svg");
    assert.deepEqual(
      own.sort(),
      ["/test/journey.html"],
      "no request except the page and the widget's own files: the dates stay on this device",
    );
  } finally {
    await browser.close();
  }
}

async function expectAccessible(page, what) {
  const results = await new AxeBuilder({ page })
    .include("kindband-screen")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const problems = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(problems, [], `axe finds no violations on ${what}`);
}

async function enterDetails(page, { role, due, birth }) {
  const w = widget(page);
  await w.getByRole("radio", { name: role }).check();
  if (due) await w.getByLabel("Uitgerekende datum").fill(due);
  if (birth) await w.getByLabel(/^Geboortedatum/).fill(birth);
  await w.getByRole("button", { name: "Toon mijn reis" }).click();
}

function shift(iso, days) {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

test("the form explains what is missing, accessibly", async () => {
  await withJourney(async ({ page }) => {
    const w = widget(page);
    await w.getByRole("heading", { level: 2, name: "Jouw reis: de eerste 1000 dagen" }).waitFor();
    await expectAccessible(page, "the journey form");
    await w.getByRole("button", { name: "Toon mijn reis" }).click();
    await w.getByText("Kies of je de moeder of de partner bent.").waitFor();
    assert.equal(await w.getByLabel("Uitgerekende datum").getAttribute("aria-invalid"), "true");
    await w.getByRole("radio", { name: "Ik ben zwanger, of ik ben de moeder" }).check();
    // More than 40 weeks ahead cannot be a due date.
    await w.getByLabel("Uitgerekende datum").fill(shift(TODAY, 281));
    await w.getByRole("button", { name: "Toon mijn reis" }).click();
    await w.getByText("Deze uitgerekende datum kan niet kloppen.", { exact: false }).waitFor();
    await expectAccessible(page, "the journey form with errors");
    // In English the same view, the same checks.
    await w.getByRole("button", { name: "Switch to English" }).click();
    await w.getByRole("heading", { level: 2, name: "Your journey: the first 1000 days" }).waitFor();
    await w.getByRole("radio", { name: "I am the partner" }).check();
    await w.getByLabel("Due date").fill(shift(TODAY, 70)); // 30+0 weeks
    await w.getByRole("button", { name: "Show my journey" }).click();
    await w.getByText("The pregnancy is at 30 weeks and 0 days.").waitFor();
    const due = w.getByRole("region", { name: "Due now" });
    assert.equal(
      await due.locator("[data-moment=partner_third_trimester] h4").textContent(),
      "Last months of pregnancy",
    );
    await expectAccessible(page, "the plan in English");
  });
});

test("the form and the element list are drawn before the journey screens and the engine; the engine comes when the parent submits", async () => {
  await withJourney(async ({ page, record }) => {
    // The journey screens arrive when the test lets them: the form must not wait for them.
    let openScreens;
    const screensHeld = new Promise((resolve) => (openScreens = resolve));
    await page.route("**/screens/journey.js*", async (route) => {
      await screensHeld;
      await route.continue();
    });
    const w = widget(page);
    await w.getByRole("heading", { level: 2, name: "Jouw reis: de eerste 1000 dagen" }).waitFor();
    await w.getByRole("radio", { name: "Ik ben de partner" }).waitFor();
    const titles = engine.journeyContent("nl").elements.map((element) => element.title);
    const list = w.getByRole("region", { name: /^Zes dingen/ });
    assert.deepEqual(await list.getByRole("button").allTextContents(), titles);
    const engineFiles = () =>
      record.requests.filter((request) => /kindband(\.mjs|-engine)/.test(request.url));
    assert.deepEqual(engineFiles(), [], "no engine before the parent submits the form");
    openScreens();
    await enterDetails(page, { role: "Ik ben de partner", due: shift(TODAY, 70) });
    await w.getByText("De zwangerschap is 30 weken en 0 dagen.").waitFor();
    assert.equal(engineFiles().length, 3, "kindband.mjs, the engine's JS and its wasm");
  });
});

test("a mother at 10 weeks: booking is due; the questionnaires are scored with the plan's context", async () => {
  await withJourney(async ({ page }) => {
    const w = widget(page);
    const due = shift(TODAY, 280 - 70); // 10+0 weeks today
    await enterDetails(page, { role: "Ik ben zwanger, of ik ben de moeder", due });
    await w.getByText("Je bent 10 weken en 0 dagen zwanger.").waitFor();
    const plan = engine.journey({ role: "mother", due_date: due, today: TODAY }, "nl");
    assert.deepEqual(plan.context, { role: "mother", stage: "pregnancy", week: 10 });
    const dueNow = w.getByRole("region", { name: "Nu aan de beurt" });
    const booking = dueNow.locator("[data-moment=mother_booking]");
    assert.equal(await booking.locator("h4").textContent(), "Begin van de zwangerschap");
    assert.equal(await w.locator("[data-moment]").count(), plan.moments.length);
    assert.equal(
      await w.getByRole("region", { name: "Hierna" }).locator("[data-moment]").count(),
      plan.moments.filter((m) => m.status === "upcoming").length,
    );
    await expectAccessible(page, "the plan");

    // The page's own markup is not touched: no role, week or date lands on the host element.
    const attributes = await page.evaluate(() =>
      document.querySelector("kindband-screen").getAttributeNames().sort(),
    );
    assert.deepEqual(attributes, ["journey", "lang", "org", "server"]);
    const kept = await page.evaluate(() => ({
      session: sessionStorage.getItem("kindband:journey"),
      local: localStorage.getItem("kindband:journey"),
    }));
    assert.equal(JSON.parse(kept.session).due_date, due, "kept in this tab");
    assert.equal(kept.local, null, "not kept across visits without the parent's opt-in");

    await booking.getByRole("button", { name: "Nu invullen" }).click();
    await w.getByRole("button", { name: "Begin" }).click();
    // Whooley (2; the help question follows only a "yes"), GAD-2, support indicators: one "yes"
    // (indicator 2).
    await answerAll(page, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    const support = engine.score(
      "support_indicators",
      [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      plan.context,
    );
    // One indicator is something to discuss, not a positive screen; the local support is shown.
    assert.equal(support.positive, false, "one indicator is not a positive screen");
    const supportBox = w.getByRole("region", { name: "Extra steun bij jou in de buurt" });
    await supportBox.waitFor();
    const supportText = await supportBox.textContent();
    assert.ok(supportText.includes("consultatiebureau"), "what the local network offers");
    assert.ok(
      supportText.includes("Er gaat niets weg voordat je op Delen drukt."),
      "how sharing works",
    );
    await expectAccessible(page, "a result with the support text");

    // What a share would carry: the plan's context (the week), never a date.
    const payloads = await page.evaluate(() =>
      document
        .querySelector("kindband-screen")
        .preparePayloads({ shared: "result", contact: {}, message: "" }),
    );
    assert.equal(payloads.length, 3);
    for (const payload of payloads) {
      assert.deepEqual(payload.context, plan.context);
      assert.deepEqual(payload.result.context, plan.context);
      const text = JSON.stringify(payload);
      for (const date of [due, ...plan.moments.flatMap((m) => [m.start_date, m.end_date])]) {
        assert.ok(
          !text.includes(date),
          `${payload.instrument.id}: no journey date (${date}) in a share`,
        );
      }
    }
  });
});

test("a partner 5 weeks after the birth: the bonding reflection links to the six elements", async () => {
  await withJourney(async ({ page }) => {
    const w = widget(page);
    const birth = shift(TODAY, -35);
    await enterDetails(page, { role: "Ik ben de partner", birth });
    await w.getByText("Je baby is 5 weken en 0 dagen oud.").waitFor();
    const moment = w.locator("[data-moment=partner_six_weeks]");
    // No EPDS or PPAS wording in Dutch: PHQ-9 + GAD-7 and the bonding reflection are offered, and
    // the moment says why (the perinatal note).
    const plan = engine.journey({ role: "partner", birth_date: birth, today: TODAY }, "nl");
    const planned = plan.moments.find((m) => m.id === "partner_six_weeks");
    assert.deepEqual(planned.instruments, ["phq9", "gad7", "bonding_reflection"]);
    const note = planned.questionnaires.find((q) => q.purpose === "mood").note;
    assert.equal(await moment.locator("[data-fallback=mood]").textContent(), note);
    assert.ok(!(await moment.textContent()).includes("Niet beschikbaar in het Nederlands"));
    await moment.getByRole("button", { name: "Troosten bij stress" }).click();
    await w.getByRole("heading", { level: 2, name: "Troosten bij stress" }).waitFor();
    await expectAccessible(page, "an element page");
    await w.getByRole("button", { name: "Terug" }).click();
    await w.getByRole("heading", { level: 2, name: "Jouw reis: de eerste 1000 dagen" }).waitFor();

    await moment.getByRole("button", { name: "Nu invullen" }).click();
    await w.getByRole("button", { name: "Begin" }).click();
    await answerAll(
      page,
      ["phq9", "gad7", "bonding_reflection"].flatMap((id) =>
        engine.getInstrument(id, "nl").items.map(() => 0),
      ),
    );
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    // The result says it too: PHQ-9 + GAD-7 were offered instead of the EPDS (the perinatal note),
    // above the scores, and in the language the parent switches to.
    const resultNote = w.locator(".kb-screen [data-fallback=mood]");
    assert.equal(await resultNote.textContent(), note);
    assert.ok(
      await resultNote.evaluate(
        (p) =>
          p.compareDocumentPosition(p.getRootNode().querySelector("[data-instrument=phq9]")) &
          Node.DOCUMENT_POSITION_FOLLOWING,
      ),
      "the note comes before the scores",
    );
    await expectAccessible(page, "a result with the journey's note");
    await w.getByRole("button", { name: "Switch to English" }).click();
    const noteEn = engine
      .journey({ role: "partner", birth_date: birth, today: TODAY }, "en")
      .moments.find((m) => m.id === "partner_six_weeks")
      .questionnaires.find((q) => q.purpose === "mood").note;
    await w.getByRole("heading", { level: 2, name: "Your result" }).waitFor();
    assert.equal(await resultNote.textContent(), noteEn);
    assert.match(noteEn, /EPDS/);
    await w.getByRole("button", { name: "Wissel naar Nederlands" }).click();
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    const links = w.getByRole("region", { name: "Meer lezen over de band met je baby" });
    assert.equal(await links.getByRole("button").count(), 6);
    await links.getByRole("button", { name: "Samen plezier hebben" }).click();
    await w.getByRole("heading", { level: 2, name: "Samen plezier hebben" }).waitFor();
    await w.getByRole("button", { name: "Terug" }).click();
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
  });
});

test("the journey in the other language comes when the parent switches, and offline says so", async () => {
  await withJourney(async ({ page, record }) => {
    const w = widget(page);
    const birth = shift(TODAY, -35);
    // Only the page's language is fetched with the engine: the English journey file waits.
    await enterDetails(page, { role: "Ik ben de partner", birth });
    await w.getByText("Je baby is 5 weken en 0 dagen oud.").waitFor();
    const journeyFiles = () =>
      record.requests
        .map((request) => new URL(request.url).pathname)
        .filter((path) => path.startsWith("/kindband/journeys/"));
    assert.deepEqual(journeyFiles(), ["/kindband/journeys/first_1000_days.nl.json"]);
    // Offline: the widget stays in Dutch and says why.
    await page.route("**/journeys/first_1000_days.en.json*", (route) => route.abort());
    await w.getByRole("button", { name: "Switch to English" }).click();
    await w
      .getByRole("status")
      .filter({ hasText: "De andere taal kan nu niet worden geladen." })
      .waitFor();
    assert.equal(
      await w.getByRole("heading", { level: 2, name: "Jouw reis: de eerste 1000 dagen" }).count(),
      1,
      "still the Dutch journey",
    );
    // The browser's own line about the aborted request is this test's doing, not the widget's.
    const aborted = record.errors.indexOf("Failed to load resource: net::ERR_FAILED");
    assert.ok(aborted >= 0, "the English journey file was asked for and failed");
    record.errors.splice(aborted, 1);
    // Back online: the switch works, in place.
    await page.unroute("**/journeys/first_1000_days.en.json*");
    await w.getByRole("button", { name: "Switch to English" }).click();
    const plan = engine.journey({ role: "partner", birth_date: birth, today: TODAY }, "en");
    const moment = plan.moments.find((m) => m.id === "partner_six_weeks");
    await w
      .locator("[data-moment=partner_six_weeks] h4")
      .filter({ hasText: moment.name })
      .waitFor();
    assert.equal(await w.getByText("De andere taal kan nu niet worden geladen.").count(), 0);
    assert.equal(journeyFiles().at(-1), "/kindband/journeys/first_1000_days.en.json");
  });
});

test("after 3 months the age is in months, as the JGZ says it: a baby, then a child at 14 months", async () => {
  await withJourney(async ({ page }) => {
    const w = widget(page);
    await enterDetails(page, { role: "Ik ben de moeder", birth: shift(TODAY, -140) });
    await w.getByText("Je baby is 4 maanden oud.").waitFor();
    await w.getByRole("button", { name: "Gegevens aanpassen" }).click();
    await w.getByLabel(/^Geboortedatum/).fill("2025-09-10");
    await w.getByRole("button", { name: "Toon mijn reis" }).click();
    await w.getByText("Je kind is 14 maanden oud.").waitFor();
    assert.equal(await w.getByText(/weken en \d+ dagen oud/).count(), 0, "no weeks for a toddler");
    const moment = w.locator("[data-moment=mother_fourteen_months]");
    assert.match(await moment.textContent(), /Nu invullen/, "the 14-month moment is due");
  });
});

test("repeated screens show as a trend on the journey when the parent keeps results", async () => {
  await withJourney(async ({ page }) => {
    const w = widget(page);
    const due = shift(TODAY, 280 - 70);
    await enterDetails(page, { role: "Ik ben zwanger, of ik ben de moeder", due });
    const results = w.getByRole("region", { name: "Je uitslagen tot nu toe" });
    assert.ok(
      (await results.textContent()).includes("Bewaar mijn uitslagen"),
      "explains the opt-in",
    );
    const booking = w.locator("[data-moment=mother_booking]");
    const gad2Scores = [];
    for (const gad2 of [
      [0, 1],
      [2, 3],
    ]) {
      await booking.getByRole("button", { name: "Nu invullen" }).click();
      const restart = w.getByRole("button", { name: "Opnieuw beginnen", exact: true });
      if (await restart.count()) {
        await restart.click();
        await w.getByRole("button", { name: "Ja, opnieuw beginnen" }).click();
      } else await w.getByRole("button", { name: "Begin" }).click();
      await answerAll(page, [0, 0, ...gad2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
      const keep = w.getByRole("checkbox", { name: /Bewaar mijn uitslagen/ });
      if (!(await keep.isChecked())) await keep.check();
      gad2Scores.push(gad2[0] + gad2[1]);
      await w.getByRole("button", { name: "Mijn reis" }).click();
      await w.getByRole("heading", { level: 2, name: "Jouw reis: de eerste 1000 dagen" }).waitFor();
    }
    const trend = results.locator("[data-history=gad2]");
    await trend.waitFor();
    assert.ok((await trend.textContent()).includes("Je score is hoger dan de vorige keer."));
    assert.equal(await trend.locator("tbody tr").count(), 2);
    assert.deepEqual(
      await trend.locator("tbody td:nth-child(2)").allTextContents(),
      gad2Scores.map(String),
    );
    await expectAccessible(page, "the plan with a trend");
    // Having opted in, the details are kept across visits too; "forget" removes them everywhere.
    assert.notEqual(await page.evaluate(() => localStorage.getItem("kindband:journey")), null);
    await w.getByRole("button", { name: "Vergeet mijn datum" }).click();
    await w.getByText("Je datum is van dit apparaat gewist.").waitFor();
    assert.deepEqual(
      await page.evaluate(() => [
        sessionStorage.getItem("kindband:journey"),
        localStorage.getItem("kindband:journey"),
      ]),
      [null, null],
    );
    // After the second birthday (the first 1000 days) every moment has passed.
    await enterDetails(page, {
      role: "Ik ben zwanger, of ik ben de moeder",
      birth: shift(TODAY, -770),
    });
    await w.getByText("Je reis is klaar: alle momenten zijn geweest.", { exact: false }).waitFor();
    assert.equal(await w.getByRole("region", { name: "Hierna" }).count(), 0);
  });
});

test("the journey and an element page reflow at 320 px: no sideways scrolling", async () => {
  const viewport = { width: 320, height: 640 };
  await withJourney(
    async ({ page }) => {
      const w = widget(page);
      const check = async (screen) => {
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `${screen}: page scrolls sideways by ${overflow}px`);
        for (const control of await w.locator("button, input, summary").all()) {
          const box = (await control.isVisible()) ? await control.boundingBox() : null;
          if (box)
            assert.ok(
              box.x >= 0 && box.x + box.width <= viewport.width + 1,
              `${screen}: control off screen`,
            );
        }
      };
      await w.getByRole("button", { name: "Toon mijn reis" }).waitFor();
      await check("form");
      await enterDetails(page, { role: "Ik ben de partner", due: shift(TODAY, 70) });
      await w.getByText("De zwangerschap is 30 weken en 0 dagen.").waitFor();
      await check("plan");
      await w.getByRole("button", { name: "Lichamelijk contact" }).first().click();
      await w.getByRole("heading", { level: 2, name: "Lichamelijk contact" }).waitFor();
      await check("element page");
    },
    { viewport },
  );
});
