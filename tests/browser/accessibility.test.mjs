// Accessibility: axe-core (WCAG 2.1 A and AA rules) on every screen, keyboard-only use, how radio groups
// and progress are exposed to assistive technology, and reflow at 320 px and 200% zoom.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { SERVER_BINARY, answerAll, openBrowser, start, startSite, widget } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => site?.close());

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function axe(page, screen, results) {
  const report = await new AxeBuilder({ page }).include("kindband-screen").withTags(TAGS).analyze();
  results.push({ screen, passes: report.passes.length, violations: report.violations });
  const summary = report.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(summary, [], `axe violations on the ${screen} screen`);
  assert.ok(report.passes.length > 0, `axe checked something on the ${screen} screen`);
}

test("axe-core reports no WCAG 2.1 A/AA violations on any screen", async () => {
  const browser = await openBrowser();
  const { page } = browser;
  const results = [];
  try {
    const w = widget(page);
    await page.goto(site.url);
    await w.getByRole("button", { name: "Begin" }).waitFor();
    await axe(page, "start", results);
    await start(page);
    await w.getByRole("heading", { name: "Vraag 1 van 10" }).waitFor();
    await axe(page, "question", results);
    await w.getByRole("button", { name: "Volgende" }).click();
    await w.getByText("Kies een antwoord om verder te gaan.").waitFor();
    await axe(page, "question with error", results);
    await answerAll(page, [1, 1, 1, 1, 1, 1, 1, 1]);
    await w.getByRole("radio").nth(2).check();
    await w.locator("[data-kb=help]").waitFor();
    await axe(page, "question with safety help", results);
    await w.getByRole("button", { name: "Volgende" }).click();
    await w.getByText("Deze vraag mag je overslaan.").waitFor(); // the closing question
    await axe(page, "the closing question", results);
    await w.getByRole("button", { name: "Naar de uitslag" }).click();
    await w.getByRole("heading", { name: "Je uitslag" }).waitFor();
    await axe(page, "result", results);
    await w.getByRole("checkbox", { name: /Bewaar mijn uitslagen/ }).check();
    await w.getByRole("button", { name: "Wis alles van dit apparaat" }).click();
    await axe(page, "result with history and remove confirmation", results);
    await w.getByRole("button", { name: "Annuleren" }).click();
    await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
    await axe(page, "share", results);
    await w.getByRole("radio", { name: /al mijn antwoorden/ }).check();
    await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
    // After the safety help, no contact details: asked once (issue 14).
    await w.locator("[data-kb=contact-ask]").waitFor();
    await axe(page, "share asking for a way to reach the parent", results);
    await w.getByRole("button", { name: "Nee, ga verder zonder" }).click();
    await w.locator("summary").click();
    await axe(page, "preview", results);
    if (SERVER_BINARY) {
      await w.getByRole("button", { name: "Ja, verstuur" }).click();
      await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
      await w.getByRole("button", { name: "Deling intrekken" }).click();
      await axe(page, "receipt", results);
    }
    await page.goto(site.url);
    await w.getByRole("button", { name: "Opnieuw beginnen", exact: true }).click();
    await w.getByRole("button", { name: "Ja, opnieuw beginnen" }).click();
    await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0, 0, null]);
    await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
    await w.getByRole("radio", { name: "Niets delen" }).check();
    await w.getByRole("button", { name: "Verder zonder delen" }).click();
    await axe(page, "nothing shared", results);
    await page.goto(site.url);
    await w.getByRole("button", { name: /Mijn eerdere uitslagen/ }).click();
    await axe(page, "history", results);
    await w.getByRole("button", { name: "Switch to English" }).click();
    await axe(page, "history (English)", results);
    await page.goto(`${site.url}/test/epds.html`);
    await w.getByText(/niet beschikbaar/).waitFor();
    await axe(page, "not available", results);
    console.log(
      `# axe: ${results.length} screens, ${results.reduce((n, r) => n + r.violations.length, 0)} violations`,
    );
  } finally {
    await browser.close();
  }
});

test("everything works by keyboard; focus moves to each new question", async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    const w = widget(page);
    await page.goto(site.url);
    await w.getByRole("button", { name: "Begin" }).focus();
    await page.keyboard.press("Enter");
    const answers = [0, 1, 2, 3, 0, 1, 2, 3, 0, 3]; // the last: the unscored closing question
    for (let i = 0; i < answers.length; i += 1) {
      const heading = w.getByRole("heading", { level: 2, name: `Vraag ${i + 1} van 10` });
      await heading.waitFor();
      assert.equal(await heading.evaluate((el) => el.getRootNode().activeElement === el), true);
      await page.keyboard.press("Tab"); // into the radio group
      await page.keyboard.press("Space"); // choose the first option
      for (let k = 0; k < answers[i]; k += 1) await page.keyboard.press("ArrowDown");
      assert.equal(await w.getByRole("radio").nth(answers[i]).isChecked(), true);
      await page.keyboard.press("Enter"); // submits: next question
    }
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    assert.equal(await w.locator(".kb-score").first().textContent(), "Je score: 12 (van 0 tot 27)");
    // Tab order reaches the share button and the remove-everything button.
    const reached = [];
    for (let i = 0; i < 25; i += 1) {
      await page.keyboard.press("Tab");
      reached.push(
        await page.evaluate(() => {
          const host = document.querySelector("kindband-screen");
          return host.shadowRoot.activeElement?.textContent || "";
        }),
      );
    }
    assert.ok(reached.includes("Delen met mijn zorgverlener"), reached.join(" | "));
    assert.ok(reached.includes("Wis alles van dit apparaat"), reached.join(" | "));
  } finally {
    await browser.close();
  }
});

test("sharing and removing everything work by keyboard too", async () => {
  const browser = await openBrowser();
  const { page } = browser;
  const focused = () =>
    page.evaluate(
      () => document.querySelector("kindband-screen").shadowRoot.activeElement?.textContent || "",
    );
  const tabTo = async (text) => {
    for (let i = 0; i < 30; i += 1) {
      if ((await focused()) === text) return;
      await page.keyboard.press("Tab");
    }
    throw new Error(`"${text}" not reached by Tab`);
  };
  try {
    const w = widget(page);
    await page.goto(site.url);
    await start(page);
    await answerAll(page, [0, 0, 0, 0, 0, 0, 0, 0, 0, null]);
    await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
    await tabTo("Delen met mijn zorgverlener");
    await page.keyboard.press("Enter");
    await w.getByRole("heading", { level: 2, name: "Wil je je uitslag delen?" }).waitFor();
    await w.getByRole("radio", { name: "Niets delen" }).waitFor(); // the server's answers are in
    await page.keyboard.press("Tab"); // into the radio group: "Niets delen" is chosen
    await page.keyboard.press("ArrowDown"); // "Mijn uitslag en het advies"
    assert.equal(
      await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).isChecked(),
      true,
    );
    await page.keyboard.press("Tab");
    await page.keyboard.type("Sanne");
    await tabTo("Bekijk wat je verstuurt");
    await page.keyboard.press("Enter");
    await w.getByRole("heading", { level: 2, name: "Dit verstuur je" }).waitFor();
    assert.ok((await w.locator("dl").first().textContent()).includes("Naam: Sanne"));
    await tabTo("Wis alles van dit apparaat");
    await page.keyboard.press("Enter");
    assert.equal(await focused(), "Ja, wis alles");
    await page.keyboard.press("Enter");
    await w.getByText("Alles is gewist van dit apparaat.").waitFor();
  } finally {
    await browser.close();
  }
});

test("radio groups and progress are exposed with names and values", async () => {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    const w = widget(page);
    await page.goto(site.url);
    await start(page);
    await answerAll(page, [1, 1]);
    const snapshot = await w.ariaSnapshot();
    assert.match(snapshot, /heading "Vraag 3 van 10" \[level=2\]/);
    assert.match(snapshot, /progressbar "Vraag 3 van 10"/);
    assert.match(snapshot, /group "Moeite met inslapen of doorslapen, of te veel slapen"/);
    assert.match(snapshot, /radio "Helemaal niet"/);
    assert.match(snapshot, /radio "Bijna elke dag"/);
    const value = await w.locator("progress").evaluate((el) => [el.value, el.max]);
    assert.deepEqual(value, [3, 10]);
  } finally {
    await browser.close();
  }
});

for (const [label, viewport] of [
  ["320 px wide screen", { width: 320, height: 640 }],
  ["200% zoom (1280 px at 2x)", { width: 640, height: 400 }],
]) {
  test(`stays usable on a ${label}: no sideways scrolling, every control reachable`, async () => {
    const browser = await openBrowser({ viewport });
    const { page } = browser;
    try {
      const w = widget(page);
      await page.goto(site.url);
      const check = async (screen) => {
        const overflow = await page.evaluate(() => {
          const root = document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        assert.ok(overflow <= 0, `${screen}: page scrolls sideways by ${overflow}px`);
        for (const control of await w.locator("button, input, summary").all()) {
          if (!(await control.isVisible())) continue;
          const box = await control.boundingBox();
          if (!box) continue;
          assert.ok(
            box.x >= 0 && box.x + box.width <= viewport.width + 1,
            `${screen}: control off screen`,
          );
        }
      };
      await w.getByRole("button", { name: "Begin" }).waitFor();
      await check("start");
      await start(page);
      await check("question");
      await answerAll(page, [3, 3, 3, 3, 3, 3, 3, 3, 3, null]);
      await w.getByRole("heading", { name: "Je uitslag" }).waitFor();
      await check("result");
      await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await w.getByRole("radio", { name: /al mijn antwoorden/ }).check();
      await check("share");
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await w.getByRole("button", { name: "Nee, ga verder zonder" }).click(); // after the help
      await w.locator("summary").click();
      await check("preview");
    } finally {
      await browser.close();
    }
  });
}
