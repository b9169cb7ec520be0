// Parents keep their family, and find their way on a phone (issue 24, items 1 and 6), against the real
// kindband-server with a temp database, at 390×844 and 320 px:
// - after an invitation is confirmed or a network started, the widget asks once whether this is the
//   parent's own phone: yes keeps the family on the device (a new tab finds it, and never offers a
//   second family), no keeps it in this tab and shows the way back in; either way the recovery code
//   is offered, and it brings the family back;
// - each new screen brings its heading into view and focuses it; the question's "Next" is visible
//   without scrolling below the demo site's header and intro;
// - from the result and the receipt the network and the shares are one tap away; a result shared
//   before says so and asks before it is shared again;
// - a result shared from this device before the family existed (a one-off share) is offered once,
//   after the invitation is confirmed, to go on the family's page; on "ja" the midwife it went to
//   sees it there, and the parent sees what she did in "who looked" (item 3).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { SERVER_BINARY, answerAll, openBrowser, start, startSite, widget } from "./harness.mjs";
import { openNetwork } from "./story.mjs";

const skip = SERVER_BINARY
  ? false
  : "KINDBAND_SERVER_BINARY not set (scripts/test-browser.sh sets it)";
const COALITION = "ks-voorbeeldstad";
const MIDWIFE_ORG = { slug: "vk-zon", name: "Verloskundigenpraktijk De Zon", type: "verloskunde" };
const JGZ_ORG = { slug: "jgz-vb", name: "Jeugdgezondheidszorg Voorbeeldstad", type: "jgz" };
const PASSWORD = "correct horse battery staple";
const PHONE = { width: 390, height: 844 };
const SMALL = { width: 320, height: 640 };
// PHQ-9: nine scored answers and the closing question.
const ANSWERS = [1, 1, 0, 1, 0, 0, 1, 0, 0, 1];

let site;
let admin;
before(async () => {
  if (skip) return;
  site = await startSite();
  admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
  runAdmin("create-coalition", COALITION, "--name", "Kansrijke Start Voorbeeldstad");
  for (const org of [MIDWIFE_ORG, JGZ_ORG]) {
    runAdmin("create-organisation", org.slug, "--name", org.name, "--origin", site.url);
    runAdmin(
      "add-organisation-to-coalition",
      org.slug,
      COALITION,
      "--type",
      org.type,
      "--page",
      `${site.url}/test/network.html?instruments=phq9&parent-role=mother&stage=pregnancy&week=20`,
    );
  }
  execFileSync(
    admin,
    [
      "--database",
      site.database,
      "create-professional",
      "midwife",
      "--organisation",
      MIDWIFE_ORG.slug,
      "--role",
      "verloskundige",
    ],
    { input: PASSWORD + "\n", stdio: ["pipe", "ignore", "pipe"] },
  );
});
after(async () => site?.close());

function runAdmin(...args) {
  return execFileSync(admin, ["--database", site.database, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  }).toString();
}

async function midwifeCookie() {
  const login = await fetch(`${site.api}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "midwife", password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  return login.headers.get("set-cookie").split(";")[0];
}

async function invitationLink() {
  const cookie = await midwifeCookie();
  const response = await fetch(`${site.api}/api/v1/inbox/invitations`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: "{}",
  });
  assert.equal(response.status, 201);
  return (await response.json()).link;
}

const apiRequests = (requests) =>
  requests.filter((request) => new URL(request.url).pathname.startsWith("/api/"));

/** The widget's focused element and where it is on screen. */
function focused(page) {
  return page.evaluate(() => {
    const active = document.querySelector("kindband-screen").shadowRoot.activeElement;
    if (!active) return null;
    const box = active.getBoundingClientRect();
    return {
      tag: active.tagName,
      text: active.textContent.trim(),
      kb: active.dataset.kb || null,
      top: box.top,
      bottom: box.bottom,
      height: window.innerHeight,
    };
  });
}

/** The focus is on a heading (or box) that is fully in view. */
async function focusedInView(page, name, what) {
  const at = await focused(page);
  assert.ok(at, `${what}: something has the focus`);
  if (name instanceof RegExp) assert.match(at.text, name, what);
  else assert.equal(at.text, name, what);
  assert.ok(at.top >= 0 && at.bottom <= at.height, `${what}: in view (${JSON.stringify(at)})`);
}

/** A button of the widget is fully visible without scrolling. */
async function visibleWithoutScrolling(locator, what) {
  const box = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return { top: rect.top, bottom: rect.bottom, height: window.innerHeight };
  });
  assert.ok(box.top >= 0 && box.bottom <= box.height, `${what} (${JSON.stringify(box)})`);
}

async function axe(page, screen) {
  const report = await new AxeBuilder({ page })
    .include("kindband-screen")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = report.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  assert.deepEqual(summary, [], `axe violations on the ${screen} screen`);
}

async function noHorizontalScroll(page, screen) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${screen}: no horizontal scroll (${scroll} > ${client})`);
}

const familyIn = (page) =>
  page.evaluate(() => ({
    local: JSON.parse(localStorage.getItem("kindband:family")),
    session: JSON.parse(sessionStorage.getItem("kindband:family")),
  }));

test(
  "own phone: the confirmed invitation's family is kept on the device, the recovery code is offered, and a new tab finds the family",
  { skip },
  async () => {
    const link = await invitationLink();
    const browser = await openBrowser({ viewport: PHONE });
    const { page, context, record } = browser;
    try {
      const m = widget(page);
      await page.goto(link);
      await m.getByRole("button", { name: "Bekijk de uitnodiging" }).click();
      await m.getByRole("button", { name: "Ja, ik bevestig" }).click();
      await m.getByText(`${MIDWIFE_ORG.name} zit nu in jullie zorgnetwerk.`).waitFor();

      // Asked once, in plain words: the question takes the focus and is in view.
      const ask = m.locator("[data-kb=keep-ask]");
      await ask.waitFor();
      await m.getByRole("heading", { level: 3, name: "Is dit je eigen telefoon?" }).waitFor();
      await focusedInView(page, "Is dit je eigen telefoon?", "the question after confirming");
      await axe(page, "is this your own phone");
      assert.equal((await familyIn(page)).local, null, "nothing kept before the parent answers");

      await m.getByRole("button", { name: "Ja, het is mijn eigen telefoon" }).click();
      await focusedInView(page, "Jullie gezin staat nu op dit apparaat", "after yes");
      const kept = await familyIn(page);
      assert.equal(kept.session, null);
      assert.equal(kept.local.keep_answer, "device");
      assert.match(kept.local.family_id, /^[0-9a-f-]{36}$/);
      assert.equal(
        await m.getByRole("checkbox", { name: "Onthoud ons gezin op dit apparaat" }).isChecked(),
        true,
        "the same choice as the checkbox further down",
      );

      // The recovery code: made when the parent asks for it, to write down or save as a file.
      const before = apiRequests(record.requests).length;
      await m.getByRole("button", { name: "Maak mijn herstelcode" }).click();
      const shown = m.locator("[data-kb=keep-recovery-code]");
      await shown.waitFor();
      const code = (await shown.locator(".kb-code").textContent()).trim();
      assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
      assert.deepEqual(
        apiRequests(record.requests)
          .slice(before)
          .map((request) => [request.method, new URL(request.url).pathname]),
        [["POST", "/api/v1/family/recovery-code"]],
      );
      await focusedInView(page, /Jouw herstelcode/, "the code to write down");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        m.getByRole("button", { name: "Bewaar de code als bestand" }).click(),
      ]);
      assert.equal(download.suggestedFilename(), "kindband-herstelcode.txt");
      const file = fs.readFileSync(await download.path(), "utf8");
      assert.ok(file.includes(code), file);
      assert.match(file, /typ de code bij 'Herstelcode'/);
      await axe(page, "recovery code after the question");
      await m.getByRole("button", { name: "Ik heb de code bewaard" }).click();
      await m.locator("section[data-kb^=keep-]").waitFor({ state: "detached" });
      await focusedInView(page, "Ons zorgnetwerk", "the network after the code");

      // A new tab (as a link from WhatsApp or e-mail opens one): the family is offered at once,
      // without asking the server anything, and there is no second family to start.
      const tab = await context.newPage();
      const tabRequests = [];
      tab.on("request", (request) => tabRequests.push({ url: request.url() }));
      const t = widget(tab);
      await tab.goto(`${site.url}/test/network.html?instruments=phq9&parent-role=mother`);
      await t.locator("[data-kb=family-here]").waitFor();
      assert.equal(
        (await t.locator("[data-kb=family-here]").textContent()).trim(),
        "Jullie gezin staat op dit apparaat. Open het bij 'Ons zorgnetwerk'.",
      );
      await tab.waitForTimeout(300);
      assert.deepEqual(apiRequests(tabRequests), [], "no request before the parent acts");
      await openNetwork(tab);
      await t.locator(`[data-member=${MIDWIFE_ORG.slug}]`).waitFor();
      await t.getByText("Jij bent de moeder", { exact: false }).waitFor();
      assert.equal(await t.getByRole("button", { name: "Begin ons zorgnetwerk" }).count(), 0);
      assert.equal(await t.locator("section[data-kb^=keep-]").count(), 0, "asked once, not again");
      await focusedInView(tab, "Ons zorgnetwerk", "the network in the new tab");

      // A second invitation opened in another new tab adds to this family, never a new one.
      const second = await context.newPage();
      await second.goto(await invitationLink());
      const s = widget(second);
      await s.getByRole("button", { name: "Bekijk de uitnodiging" }).click();
      await s.getByText(`${MIDWIFE_ORG.name} vraagt of zij in jullie zorgnetwerk mogen.`).waitFor();
      assert.equal(await s.getByRole("radio").count(), 0, "no role asked: the family is here");
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);

test(
  "not my own phone (320 px): the family stays in this tab, the way back is shown, and the recovery code brings it back in a new tab",
  { skip },
  async () => {
    const browser = await openBrowser({ viewport: SMALL });
    const { page, context } = browser;
    const pageUrl = `${site.url}/test/network.html?instruments=phq2&parent-role=mother`;
    try {
      const m = widget(page);
      await page.goto(pageUrl);
      await openNetwork(page);
      await m.getByRole("button", { name: "Begin ons zorgnetwerk" }).click();
      await m.locator("[data-kb=keep-ask]").waitFor();
      await focusedInView(page, "Is dit je eigen telefoon?", "the question after starting");
      await noHorizontalScroll(page, "the question at 320 px");
      await m.getByRole("button", { name: "Nee, niet mijn eigen" }).click();
      await focusedInView(page, "Jullie gezin blijft alleen in dit tabblad", "after no");
      const where = await familyIn(page);
      assert.equal(where.local, null, "nothing of the family beyond this tab");
      assert.equal(where.session.keep_answer, "tab");
      assert.match(
        await m.locator("[data-kb=keep-way-back]").textContent(),
        /Zo kom je er weer in: .*typ je herstelcode bij 'Herstelcode'/,
      );
      await m.getByRole("button", { name: "Maak mijn herstelcode" }).click();
      const code = (await m.locator("[data-kb=keep-recovery-code] .kb-code").textContent()).trim();
      await noHorizontalScroll(page, "the recovery code at 320 px");
      await axe(page, "the way back and the recovery code");
      await m.getByRole("button", { name: "Ik heb de code bewaard" }).click();
      await m.locator("section[data-kb^=keep-]").waitFor({ state: "detached" });

      // A new tab does not have the family (it was not remembered): the code brings it back.
      const tab = await context.newPage();
      await tab.setViewportSize(SMALL);
      const t = widget(tab);
      await tab.goto(pageUrl);
      assert.equal(await t.locator("[data-kb=family-here]").count(), 0);
      await openNetwork(tab);
      await t.getByRole("textbox", { name: "Herstelcode" }).fill(code);
      await t.getByRole("button", { name: "Zet ons gezin op dit apparaat" }).click();
      await t
        .getByText("Gelukt. Jullie gezin staat nu op dit apparaat.", { exact: false })
        .waitFor();
      // A device new to the family is asked too.
      await t.locator("[data-kb=keep-ask]").waitFor();
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);

/**
 * From the demo site's start screen through every question: after "Begin" and each "Next" the
 * question's heading is in view and has the focus; with `nextVisible` the question's primary
 * button is visible without scrolling too.
 */
async function answerOnPhone(page, { nextVisible }) {
  const w = widget(page);
  await start(page);
  for (let i = 0; i < ANSWERS.length; i += 1) {
    const name = `Vraag ${i + 1} van ${ANSWERS.length}`;
    await w.getByRole("heading", { level: 2, name }).waitFor();
    await focusedInView(page, name, `question ${i + 1}`);
    const next = w.locator("form button[type=submit]");
    if (nextVisible) {
      await visibleWithoutScrolling(next, `question ${i + 1}: its button without scrolling`);
      await visibleWithoutScrolling(w.getByRole("radio").first(), `question ${i + 1}: answers`);
    }
    await w.getByRole("radio").nth(ANSWERS[i]).check();
    await next.click();
  }
  await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();
  await focusedInView(page, "Je uitslag", "the result");
}

test(
  "on a phone (390×844, demo site): each question's heading comes into view with the focus and its button is visible; from the receipt the network is one tap away; sharing the same result again asks first",
  { skip },
  async () => {
    const browser = await openBrowser({ viewport: PHONE });
    const { page, record } = browser;
    try {
      const w = widget(page);
      await page.goto(site.url);
      await answerOnPhone(page, { nextVisible: true });
      assert.equal(await w.locator("[data-kb=shared-before]").count(), 0);

      // Share once: the receipt's heading comes into view with the focus.
      await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await focusedInView(page, "Wil je je uitslag delen?", "the share screen");
      await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
      await focusedInView(page, "Dit verstuur je", "the preview");
      await w.getByRole("button", { name: "Ja, verstuur" }).click();
      await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
      await focusedInView(page, "Je bewijs van delen", "the receipt");
      const posts = () =>
        apiRequests(record.requests).filter(
          (request) =>
            request.method === "POST" && new URL(request.url).pathname === "/api/v1/shares",
        ).length;
      assert.equal(posts(), 1);

      // From the receipt: the network in one tap, and back.
      await w.getByRole("button", { name: "Ons zorgnetwerk" }).click();
      await w.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
      await focusedInView(page, "Ons zorgnetwerk", "the network from the receipt");
      await w.getByText("Even geduld…").waitFor({ state: "detached" });
      await w.getByRole("button", { name: "Terug" }).click();
      await w.getByRole("heading", { level: 2, name: "Je bewijs van delen" }).waitFor();
      // Everything shared from this device, one tap from the receipt too.
      await w.getByRole("button", { name: "Wat ik gedeeld heb (1)" }).click();
      await w.getByRole("heading", { level: 2, name: "Wat ik gedeeld heb" }).waitFor();
      await w.getByRole("button", { name: "Terug naar het begin" }).click();
      // Back to the same result through the last question (as after closing the receipt).
      await w.getByRole("button", { name: "Ga verder waar je was" }).click();
      await w.getByRole("heading", { level: 2, name: `Vraag ${ANSWERS.length} van 10` }).waitFor();
      await w.getByRole("button", { name: "Naar de uitslag" }).click();
      await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor();

      // The result says it was shared, and sharing it again asks first.
      assert.match(
        await w.locator("[data-kb=shared-before]").textContent(),
        /^Je hebt deze uitslag al gedeeld op \d+ \w+ \d{4}\.$/,
      );
      assert.equal(await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).count(), 0);
      assert.ok(await w.getByRole("button", { name: "Ons zorgnetwerk" }).isVisible());
      assert.ok(await w.getByRole("button", { name: "Wat ik gedeeld heb (1)" }).isVisible());
      const again = w.getByRole("button", { name: "Nog een keer delen" });
      await again.click();
      assert.equal(await again.getAttribute("aria-expanded"), "true");
      await w.getByText("Je hebt deze uitslag al gedeeld. Deel je hem nog een keer").waitFor();
      await axe(page, "share again asks first");
      await w.getByRole("button", { name: "Annuleren" }).click();
      assert.equal(await again.getAttribute("aria-expanded"), "false");
      assert.equal(posts(), 1, "no second share by accident");
      await again.click();
      await w.getByRole("button", { name: "Ja, deel nog een keer" }).click();
      await w.getByRole("heading", { level: 2, name: "Wil je je uitslag delen?" }).waitFor();
      assert.equal(posts(), 1, "choosing to share again only opens the share screen");
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);

test(
  "at 320 px (demo site): after Begin and each Next the question's heading is in view and has the focus",
  { skip },
  async () => {
    const browser = await openBrowser({ viewport: SMALL });
    const { page } = browser;
    try {
      await page.goto(site.url);
      await answerOnPhone(page, { nextVisible: false });
      await noHorizontalScroll(page, "the result at 320 px");
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);

test(
  "on a phone (390×844, the care-network test page): every question's button is visible without scrolling",
  { skip },
  async () => {
    const browser = await openBrowser({ viewport: PHONE });
    const { page } = browser;
    try {
      await page.goto(`${site.url}/test/network.html?instruments=phq9&parent-role=mother`);
      await answerOnPhone(page, { nextVisible: true });
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);

test(
  "an open tab notices a family kept in another tab: its network shows the family, never a second start",
  { skip },
  async () => {
    const browser = await openBrowser({ viewport: PHONE });
    const { page, context } = browser;
    const pageUrl = `${site.url}/test/network.html?instruments=phq9&parent-role=mother`;
    try {
      // Tab A was open before: its network offers to start one.
      const a = widget(page);
      await page.goto(pageUrl);
      await openNetwork(page);
      await a.getByRole("button", { name: "Begin ons zorgnetwerk" }).waitFor();

      // Tab B starts the family and keeps it on this device.
      const tab = await context.newPage();
      const b = widget(tab);
      await tab.goto(pageUrl);
      await openNetwork(tab);
      await b.getByRole("button", { name: "Begin ons zorgnetwerk" }).click();
      await b.locator("[data-kb=keep-ask]").waitFor();
      await b.getByRole("button", { name: "Ja, het is mijn eigen telefoon" }).click();
      const familyId = await tab.evaluate(
        () => JSON.parse(localStorage.getItem("kindband:family")).family_id,
      );

      // Tab A follows without a reload: the family, no start button.
      await a.getByText("Jij bent de moeder", { exact: false }).waitFor();
      assert.equal(await a.getByRole("button", { name: "Begin ons zorgnetwerk" }).count(), 0);
      assert.equal(
        await page.evaluate(() => JSON.parse(localStorage.getItem("kindband:family")).family_id),
        familyId,
      );
      // Its start screen says the family is here too.
      await a.getByRole("button", { name: "Terug" }).click();
      await a.locator("[data-kb=family-here]").waitFor();
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);

test(
  "a result shared before the family existed: asked once after the invitation is confirmed, on yes the midwife sees it on the family page, and the parent sees it in who looked",
  { skip },
  async () => {
    const browser = await openBrowser({ viewport: PHONE });
    const { page, record } = browser;
    try {
      // Before there is a family: a one-off share with the midwife practice, from its own page.
      const w = widget(page);
      await page.goto(
        `${site.url}/test/network.html?instruments=phq9&parent-role=mother&org=${MIDWIFE_ORG.slug}&stage=pregnancy&week=20`,
      );
      await start(page);
      await answerAll(page, ANSWERS);
      await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
      await w.getByRole("button", { name: "Ja, verstuur" }).click();
      await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
      const shared = await page.evaluate(() => JSON.parse(localStorage.getItem("kindband:shares")));
      assert.equal(shared.length, 1);
      const shareId = shared[0].share_id;
      assert.equal(shared[0].family_id, null, "a one-off share");

      // The midwife invites the family; the mother confirms on the same phone.
      await page.goto(await invitationLink());
      await w.getByRole("button", { name: "Bekijk de uitnodiging" }).click();
      await w.getByRole("button", { name: "Ja, ik bevestig" }).click();
      await w.getByText(`${MIDWIFE_ORG.name} zit nu in jullie zorgnetwerk.`).waitFor();
      await w.getByRole("button", { name: "Ja, het is mijn eigen telefoon" }).click();

      // Asked once, in plain words, listing what and when; nothing is sent before she answers.
      const ask = w.locator("[data-kb=one-off-link]");
      await ask.waitFor();
      await w
        .getByRole("heading", { level: 3, name: "Eerder gedeeld vanaf dit apparaat" })
        .waitFor();
      const line = (await ask.locator(`[data-one-off="${shareId}"]`).textContent()).trim();
      assert.match(line, new RegExp(`^PHQ-9.* van \\d+ \\w+ \\d{4}, aan ${MIDWIFE_ORG.name}$`));
      assert.match(
        await ask.textContent(),
        /Alleen de organisatie waarmee je het deelde, ziet het daar\./,
      );
      const links = () =>
        apiRequests(record.requests).filter(
          (request) => new URL(request.url).pathname === "/api/v1/family/shares/link",
        );
      assert.equal(links().length, 0, "nothing linked before she says yes");
      await axe(page, "link the earlier share");

      const familyId = (await familyIn(page)).local.family_id;
      const cookie = await midwifeCookie();
      const familyPage = async () => {
        const response = await fetch(`${site.api}/api/v1/inbox/families/${familyId}`, {
          headers: { Cookie: cookie },
        });
        assert.equal(response.status, 200);
        return (await response.json()).timeline.map((entry) => entry.share_id);
      };
      assert.deepEqual(await familyPage(), [], "not on the family page before");

      await w.getByRole("button", { name: "Ja, zet het erbij" }).click();
      await w
        .getByText("Wat je eerder deelde, staat nu op de pagina van jullie gezin (1).")
        .waitFor();
      await ask.waitFor({ state: "detached" });
      assert.equal(links().length, 1);
      assert.deepEqual(await familyPage(), [shareId], "the midwife sees it on the family page");
      // Hers now, in the network's list of her shares, seen by the midwife only.
      const mine = w.locator(`[data-family-share="${shareId}"]`);
      await mine.waitFor();
      assert.match(
        await mine.locator("[data-kb=audience]").textContent(),
        new RegExp(`^Kan dit nu zien: ${MIDWIFE_ORG.name}\\.$`),
      );

      // Asked once: not again on this device.
      await page.reload();
      await openNetwork(page);
      await w.locator(`[data-member=${MIDWIFE_ORG.slug}]`).waitFor();
      assert.equal(await w.locator("[data-kb=one-off-link]").count(), 0);

      // "Wie heeft er gekeken?" says what she did, in words.
      await w.getByRole("button", { name: "Wie heeft er gekeken?" }).click();
      await w.locator("[data-kb=access-log]").waitFor();
      assert.match(
        await w.locator("[data-kb=access-log]").innerText(),
        new RegExp(
          `: de moeder zette de PHQ-9 .* op de pagina van jullie gezin\\. Alleen ${MIDWIFE_ORG.name} ziet het\\.`,
        ),
      );
      assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await browser.close();
    }
  },
);
