// Triage at intake (issue 15), against the real kindband-server with a temp database: the midwife
// records the conversation with the mother on the inbox page (tablet), the mother reads it in the
// widget and agrees, the JGZ nurse of the same network sees it and turns its judgement into a
// referral proposal in one step; a non-member gets 403. Then a second conversation the mother
// keeps with the midwife (the nurse does not see it) and shares later; the family page shows how
// it changed. axe on every new screen.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { SERVER_BINARY, openBrowser, startSite, widget } from "./harness.mjs";

const skip = SERVER_BINARY
  ? false
  : "KINDBAND_SERVER_BINARY not set (scripts/test-browser.sh sets it)";
const COALITION = "ks-voorbeeldstad";
const MIDWIFE_ORG = { slug: "vk-zon", name: "Verloskundigenpraktijk De Zon", type: "verloskunde" };
const JGZ_ORG = { slug: "jgz-vb", name: "Jeugdgezondheidszorg Voorbeeldstad", type: "jgz" };
const IMH_ORG = { slug: "imh-vb", name: "Infant Mental Health Voorbeeldstad", type: "imh" };
const GP_ORG = { slug: "ha-plein", name: "Huisartsenpraktijk Het Plein", type: "huisarts" };
const PASSWORD = "triage test password";
const TABLET = { width: 820, height: 1180 };
const TRIAGE_CONSENT = "2026-12-triage-v1";

let site;
let admin;
before(async () => {
  if (skip) return;
  site = await startSite({ inbox: true });
  admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
  runAdmin(["create-coalition", COALITION, "--name", "Kansrijke Start Voorbeeldstad"]);
  for (const org of [MIDWIFE_ORG, JGZ_ORG, IMH_ORG, GP_ORG]) {
    runAdmin(["create-organisation", org.slug, "--name", org.name, "--origin", site.url]);
    runAdmin(["add-organisation-to-coalition", org.slug, COALITION, "--type", org.type]);
  }
  for (const [username, organisation, role] of [
    ["midwife", MIDWIFE_ORG.slug, "verloskundige"],
    ["nurse", JGZ_ORG.slug, "jeugdverpleegkundige"],
    ["doctor", GP_ORG.slug, "huisarts"],
  ]) {
    runAdmin(
      ["create-professional", username, "--organisation", organisation, "--role", role],
      PASSWORD + "\n",
    );
  }
});
after(async () => site?.close());

function runAdmin(args, input = "") {
  return execFileSync(admin, ["--database", site.database, ...args], {
    input,
    stdio: ["pipe", "pipe", "pipe"],
  }).toString();
}

async function json(response) {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A professional's session on the API (another desk): call(method, route, body). */
async function professional(username) {
  const login = await fetch(`${site.api}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return async (method, route, body) =>
    json(
      await fetch(`${site.api}${route}`, {
        method,
        headers: { "Content-Type": "application/json", Cookie: cookie },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
}

/** A family made as the widget makes it (mother, with the midwife and youth health care). */
async function newFamily() {
  const key = crypto.randomBytes(32).toString("base64url");
  const familyId = crypto.randomUUID();
  const call = async (method, route, body) =>
    json(
      await fetch(`${site.api}${route}`, {
        method,
        headers: {
          Origin: site.url,
          Authorization: `Bearer ${key}`,
          "Content-Type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  assert.equal(
    (await call("POST", "/api/v1/families", { family_id: familyId, role: "mother" })).status,
    201,
  );
  for (const organisation of [MIDWIFE_ORG.slug, JGZ_ORG.slug]) {
    const added = await call("POST", "/api/v1/family/memberships", {
      organisation,
      consent_version: "2026-11-v1",
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
  }
  return { familyId, key, call };
}

/** The mother's phone with the family kept on it (as after "Onthoud ons gezin op dit apparaat"). */
async function mothersPhone(family) {
  const phone = await openBrowser({ viewport: { width: 390, height: 844 } });
  await phone.context.addInitScript(
    ({ familyId, key }) => {
      localStorage.setItem("kindband:keep-family", "true");
      localStorage.setItem(
        "kindband:family",
        JSON.stringify({ family_id: familyId, key, role: "mother", created: true }),
      );
    },
    { familyId: family.familyId, key: family.key },
  );
  return phone;
}

async function openNetwork(page) {
  const w = widget(page);
  await page.goto(`${site.url}/test/network.html?instruments=phq9&parent-role=mother`);
  await w.getByRole("button", { name: "Ons zorgnetwerk" }).click();
  await w.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
  await w.getByText("Even geduld…").waitFor({ state: "detached" });
}

/** The inbox page on a tablet, logged in, on the family's page. */
async function inboxFamilyPage(username, familyId) {
  const desk = await openBrowser({ viewport: TABLET });
  const { page } = desk;
  await page.goto(`${site.api}/inbox/`);
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.locator("#day-section").waitFor({ state: "visible" });
  await page.goto(`${site.api}/inbox/#family=${familyId}`);
  await page.locator("#family-triage-title").waitFor();
  return desk;
}

async function axeWidget(page, screen) {
  const report = await new AxeBuilder({ page })
    .include("kindband-screen")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  assert.deepEqual(
    report.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe violations on the ${screen} screen`,
  );
}

/** A professional on a phone: the page reflows at 320 px (no sideways scrolling); back to a tablet. */
async function noSidewaysScrollAt320(page, screen) {
  await page.setViewportSize({ width: 320, height: 800 });
  const [scrollWidth, clientWidth, widest] = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // The innermost elements that reach past the right edge, to say what is too wide.
    const over = [...document.querySelectorAll("body *")].filter(
      (element) =>
        element.getBoundingClientRect().right > width + 1 &&
        ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1),
    );
    const name = (element) =>
      `${element.tagName.toLowerCase()}${element.className ? "." + element.className : ""}` +
      ` "${element.textContent.trim().slice(0, 40)}"`;
    return [document.documentElement.scrollWidth, width, over.slice(0, 5).map(name)];
  });
  await page.setViewportSize(TABLET);
  assert.ok(
    scrollWidth <= clientWidth,
    `${screen} at 320 px: ${scrollWidth}px wide; too wide: ${widest.join("; ")}`,
  );
}

async function axePage(page, screen) {
  const report = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(
    report.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe violations on ${screen}`,
  );
  const [scrollWidth, clientWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  assert.ok(scrollWidth <= clientWidth, `${screen}: ${scrollWidth}px wide at ${clientWidth}px`);
}

const triageCard = (page, id) => widget(page).locator(`[data-triage="${id}"]`);

test(
  "the midwife records a triage with the mother, she shares it, the JGZ nurse refers from its judgement",
  { skip },
  async () => {
    const family = await newFamily();
    const midwife = await inboxFamilyPage("midwife", family.familyId);
    const phone = await mothersPhone(family);
    const nurse = await inboxFamilyPage("nurse", family.familyId);
    try {
      // 1. The midwife records the conversation with the mother beside her.
      const m = midwife.page;
      assert.match(await m.locator("#family").innerText(), /Nog geen gesprek vastgelegd\./);
      await m.locator("#family summary").getByText("Nieuw gesprek vastleggen").click();
      const form = m.locator("details.triage-new");
      const topic = (id) => form.locator(`fieldset[data-topic="${id}"]`);
      await form.getByLabel("Zwangerschap of na de geboorte").selectOption("pregnancy");
      await form.getByLabel("Week", { exact: true }).fill("14");
      await topic("little_support").getByRole("radio", { name: "Aanwezig", exact: true }).check();
      await topic("little_support")
        .getByLabel("Korte notitie")
        .fill("Familie woont ver weg, partner werkt veel");
      await topic("addiction").getByRole("radio", { name: "Niet aanwezig" }).check();
      await topic("fun_together").getByRole("radio", { name: "Gaat goed" }).check();
      await topic("back_and_forth").getByRole("radio", { name: "Kan steun gebruiken" }).check();
      await topic("back_and_forth")
        .getByLabel("Korte notitie")
        .fill("Voelt nog weinig band met de baby");
      // The part held alone stays folded away until the midwife confirms she was alone with her.
      assert.equal(await topic("safety_at_home").isVisible(), false);
      await form.getByLabel("Ik sprak de moeder alleen").check();
      await topic("safety_at_home").getByRole("radio", { name: "Niet aanwezig" }).check();
      await form
        .getByLabel("Wat de ouders zelf vinden", { exact: true })
        .fill("We willen graag hulp bij de band met ons kindje.");
      await form.getByRole("radio", { name: "Gespecialiseerde hulp" }).check();
      await form
        .getByLabel("Toelichting bij het oordeel")
        .fill("Samen kijken naar de band met het kindje; infant mental health past.");
      await axePage(m, "the inbox's triage form (tablet)");
      await noSidewaysScrollAt320(m, "the inbox's triage form");
      await form.getByRole("button", { name: "Gesprek vastleggen" }).click();
      await m.locator("#family article.triage").waitFor();
      assert.match(await m.locator("#status").innerText(), /Het gesprek is vastgelegd/);
      const recorded = m.locator("#family article.triage");
      const triageId = Number(await recorded.getAttribute("data-triage-id"));
      assert.ok(triageId > 0);
      assert.match(
        await recorded.innerText(),
        /Intake, Zwangerschap, week 14[^]*Wacht op de ouders \(alleen Verloskundigenpraktijk De Zon ziet het\)/,
      );
      assert.match(
        await recorded.locator('[data-topic="little_support"]').innerText(),
        /Aanwezig[^]*Familie woont ver weg/,
      );
      assert.match(await recorded.locator('[data-topic="soothing"]').innerText(), /Niet besproken/);
      await axePage(m, "the family page with the triage (tablet)");
      await noSidewaysScrollAt320(m, "the family page with the triage");

      // Until the parents decide, nobody else sees it; a non-member gets nothing.
      const nurseApi = await professional("nurse");
      const before = await nurseApi("GET", `/api/v1/inbox/families/${family.familyId}`);
      assert.equal(before.status, 200);
      assert.deepEqual(before.body.triages, []);
      const gp = await professional("doctor");
      assert.equal((await gp("GET", `/api/v1/inbox/families/${family.familyId}`)).status, 403);
      const gpTriage = await gp("POST", `/api/v1/inbox/families/${family.familyId}/triages`, {
        occasion: "intake",
        judgement: { support: "standard_care" },
      });
      assert.equal(gpTriage.status, 403);
      assert.equal(gpTriage.body.error, "not_a_member");

      // 2. The mother reads it at home in plain words and agrees.
      const w = widget(phone.page);
      await openNetwork(phone.page);
      const card = triageCard(phone.page, triageId);
      await card.waitFor();
      const cardText = await card.innerText();
      assert.match(cardText, /Gesprek: Intake/);
      assert.match(cardText, /Dit heeft Verloskundigenpraktijk De Zon samen met jou opgeschreven/);
      assert.match(cardText, /Familie woont ver weg, partner werkt veel/);
      assert.match(cardText, /We willen graag hulp bij de band met ons kindje\./);
      assert.match(cardText, /Gespecialiseerde hulp/);
      assert.match(cardText, /Mogen de andere zorgverleners in je netwerk dit zien\?/);
      assert.deepEqual(
        (await card.locator("[data-kb=triage-who] li").allInnerTexts()).map((line) => line.trim()),
        [
          `${JGZ_ORG.name} (Jeugdgezondheidszorg (consultatiebureau))`,
          "organisaties die jullie later aan je netwerk toevoegen",
        ],
      );
      assert.match(cardText, /Als je nee zegt, ziet alleen Verloskundigenpraktijk De Zon dit\./);
      await axeWidget(phone.page, "network with a triage to decide on");
      await phone.page.setViewportSize({ width: 320, height: 800 });
      const [scrollWidth, clientWidth] = await phone.page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      assert.ok(scrollWidth <= clientWidth, `the triage card at 320 px: ${scrollWidth}px wide`);
      // At 200% zoom (a 1280 px screen: 640 CSS px) no sideways scrolling and every control of the
      // card on screen.
      await phone.page.setViewportSize({ width: 640, height: 400 });
      const zoomed = await phone.page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      assert.ok(zoomed[0] <= zoomed[1], `the triage card at 200% zoom: ${zoomed[0]}px wide`);
      for (const control of await card.locator("button").all()) {
        await control.scrollIntoViewIfNeeded();
        const box = await control.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 641, "a card control off screen");
      }
      await phone.page.setViewportSize({ width: 390, height: 844 });
      // Keyboard only: Tab reaches the card's answer, Enter gives it.
      const focused = () =>
        phone.page.evaluate(
          () =>
            document.querySelector("kindband-screen").shadowRoot.activeElement?.textContent || "",
        );
      await w.getByRole("heading", { level: 2 }).first().focus();
      let steps = 0;
      while ((await focused()) !== "Ja, deel met ons netwerk") {
        assert.ok((steps += 1) < 40, "'Ja, deel met ons netwerk' is not reached by Tab");
        await phone.page.keyboard.press("Tab");
      }
      await phone.page.keyboard.press("Enter");
      await w.getByText("Het gesprek is gedeeld met jullie netwerk.").waitFor();
      const decision = phone.record.requests.find((request) =>
        request.url.endsWith(`/api/v1/family/triages/${triageId}/decision`),
      );
      assert.deepEqual(JSON.parse(decision.body), {
        decision: "share",
        consent_version: TRIAGE_CONSENT,
      });
      assert.match(
        await triageCard(phone.page, triageId).locator("[data-kb=triage-state]").innerText(),
        /Jullie netwerk ziet dit gesprek/,
      );
      await axeWidget(phone.page, "network with a shared triage");

      // 3. The JGZ nurse sees it on the family page and proposes infant mental health from it.
      const n = nurse.page;
      await n.reload();
      await n.locator("#family article.triage").waitFor();
      assert.match(
        await n.locator("#family article.triage").innerText(),
        /Gedeeld met het netwerk[^]*Voelt nog weinig band met de baby/,
      );
      await n
        .locator("#family summary")
        .getByText("Oordeel “Gespecialiseerde hulp”: een verwijzing voorstellen")
        .click();
      const organisation = n.locator(`#triage-${triageId}-organisation`);
      assert.equal(await organisation.inputValue(), IMH_ORG.slug, "the suggested type first");
      assert.equal(
        await n.locator(`#triage-${triageId}-reason`).inputValue(),
        "Samen kijken naar de band met het kindje; infant mental health past.",
      );
      await axePage(n, "the nurse's family page with the triage's referral step (tablet)");
      await n.getByRole("button", { name: "Verwijzing voorstellen aan de ouders" }).click();
      await n.locator("#family .proposals li").waitFor();
      assert.match(
        await n.locator("#family .proposals li").innerText(),
        new RegExp(`${IMH_ORG.name}[^]*wacht op de ouders`),
      );
      assert.match(
        await n.locator("#family .triage-follow").innerText(),
        new RegExp(`Verwijzing naar ${IMH_ORG.name} \\(wacht op de ouders\\)`),
      );
      const seen = await family.call("GET", "/api/v1/family");
      assert.equal(seen.body.proposals.length, 1);
      assert.equal(seen.body.proposals[0].triage_id, triageId);
      assert.equal(seen.body.proposals[0].organisation, IMH_ORG.slug);
      assert.deepEqual(seen.body.triages[0].follow_up, [
        { kind: "referral", id: seen.body.proposals[0].id, organisation: IMH_ORG.slug },
      ]);
      assert.equal(
        seen.body.triages[0].recorded_by.username,
        undefined,
        "no usernames for parents",
      );
      // The proposed organisation sees nothing before the parents accept.
      assert.equal(
        (
          await gp("POST", `/api/v1/inbox/families/${family.familyId}/referrals`, {
            organisation: IMH_ORG.slug,
            reason: "x",
            triage_id: triageId,
          })
        ).status,
        403,
      );
      // The inbox page asks for its session before the login: that one 401 is expected.
      const unexpected = (desk) =>
        desk.record.errors.filter((error) => !/status of 401 \(Unauthorized\)/.test(error));
      for (const desk of [midwife, nurse]) assert.deepEqual(unexpected(desk), [], "no page errors");
      assert.deepEqual(phone.record.errors, [], "no page errors on the phone");
    } finally {
      await midwife.close();
      await phone.close();
      await nurse.close();
    }
  },
);

test(
  "a second conversation the mother keeps stays with the midwife; shared later, the change shows",
  { skip },
  async () => {
    const family = await newFamily();
    const midwifeApi = await professional("midwife");
    const route = `/api/v1/inbox/families/${family.familyId}/triages`;
    const first = await midwifeApi("POST", route, {
      occasion: "intake",
      moment: { stage: "pregnancy", week: 12 },
      topics: { little_support: { status: "present" }, back_and_forth: { status: "present" } },
      judgement: { support: "standard_care" },
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(
      (
        await family.call("POST", `/api/v1/family/triages/${first.body.id}/decision`, {
          decision: "share",
          consent_version: TRIAGE_CONSENT,
        })
      ).status,
      200,
    );
    const second = await midwifeApi("POST", route, {
      occasion: "third_trimester",
      moment: { stage: "pregnancy", week: 30 },
      topics: { little_support: { status: "present" }, back_and_forth: { status: "not_present" } },
      judgement: { support: "extra_attention", note: "Kraamzorg extra uren" },
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));

    const phone = await mothersPhone(family);
    const nurseApi = await professional("nurse");
    try {
      const w = widget(phone.page);
      await openNetwork(phone.page);
      const card = triageCard(phone.page, second.body.id);
      await card.getByRole("button", { name: `Nee, alleen ${MIDWIFE_ORG.name}` }).click();
      await w.getByText(`Alleen ${MIDWIFE_ORG.name} ziet het gesprek.`).waitFor();
      const kept = triageCard(phone.page, second.body.id);
      assert.match(
        await kept.locator("[data-kb=triage-state]").innerText(),
        new RegExp(`Alleen ${MIDWIFE_ORG.name} ziet dit gesprek`),
      );
      await axeWidget(phone.page, "network with a kept triage");
      let page = await nurseApi("GET", `/api/v1/inbox/families/${family.familyId}`);
      assert.deepEqual(
        page.body.triages.map((triage) => triage.id),
        [first.body.id],
        "a kept triage stays with the midwife",
      );
      // Once decided, the record is fixed.
      const fixed = await midwifeApi("PATCH", `${route}/${second.body.id}`, {
        occasion: "third_trimester",
        judgement: { support: "standard_care" },
      });
      assert.equal(fixed.status, 409);

      // The midwife's family page shows how it changed between the two conversations.
      const desk = await inboxFamilyPage("midwife", family.familyId);
      try {
        const changes = desk.page.locator("#family table.triage-changes");
        await changes.waitFor();
        const rows = await changes.locator("tbody tr").allInnerTexts();
        assert.equal(rows.length, 2, rows.join("\n"));
        assert.match(rows[0], /Gewone zorg\s+Extra aandacht in het netwerk/);
        assert.match(rows[1], /Contact over en weer\s+Gaat goed\s+Kan steun gebruiken/);
        assert.match(
          await desk.page.locator("#family article.triage").first().innerText(),
          /Derde trimester[^]*Alleen bij Verloskundigenpraktijk De Zon \(keuze van de ouders\)/,
        );
        await axePage(desk.page, "the family page with two triages (tablet)");
        await noSidewaysScrollAt320(desk.page, "the family page with two triages");
        // Its judgement leads to an agreement; kept by the parents, its note is not filled in.
        const page = desk.page;
        await page
          .locator("#family summary")
          .getByText("Oordeel “Extra aandacht in het netwerk”: een afspraak maken")
          .click();
        const what = page.locator(`#triage-${second.body.id}-what`);
        assert.equal(await what.inputValue(), "Extra aandacht in het netwerk");
        assert.match(
          await page.locator("details.triage-follow-up").innerText(),
          /De ouders hebben dit gesprek niet met het netwerk gedeeld/,
        );
        await what.fill("Kraamzorg twee extra uren per dag");
        await page.getByRole("button", { name: "Afspraak maken", exact: true }).click();
        await page.locator("#family .agreements li").waitFor();
        assert.match(
          await page.locator("#family .triage-follow").innerText(),
          /Afspraak: Kraamzorg twee extra uren per dag/,
        );

        // Without a family in Kindband: under the practice's own file number, for it alone.
        await desk.page.goto(`${site.api}/inbox/#inbox`);
        const own = desk.page.locator("#org-triage");
        await own.locator("summary").getByText("Nieuw gesprek vastleggen zonder gezin").click();
        await own.getByRole("button", { name: "Gesprek vastleggen" }).click();
        assert.match(
          await own.locator("#org-triage-reference-error").innerText(),
          /Vul uw dossiernummer in/,
        );
        await own.getByLabel("Uw dossiernummer").last().fill("VK-2026-0042");
        await own.getByRole("radio", { name: "Gewone zorg" }).check();
        await own.getByRole("button", { name: "Gesprek vastleggen" }).click();
        await own.getByRole("heading", { name: "Gesprekken onder VK-2026-0042 (1)" }).waitFor();
        assert.match(await own.locator("article.triage").innerText(), /Alleen in de organisatie/);
        await axePage(desk.page, "the inbox with a conversation without a family (tablet)");
        await noSidewaysScrollAt320(desk.page, "the inbox with a conversation without a family");
      } finally {
        await desk.close();
      }

      const ownList = await midwifeApi("GET", "/api/v1/inbox/triages?reference=VK-2026-0042");
      assert.equal(ownList.body.triages.length, 1);
      assert.equal(ownList.body.triages[0].sharing.state, "organisation_only");
      const othersList = await nurseApi("GET", "/api/v1/inbox/triages?reference=VK-2026-0042");
      assert.deepEqual(othersList.body.triages, [], "another organisation sees none of it");

      // She changes her mind: shared after all, the nurse sees both.
      await card.getByRole("button", { name: "Toch delen met ons netwerk" }).click();
      await w.getByText("Het gesprek is gedeeld met jullie netwerk.").waitFor();
      page = await nurseApi("GET", `/api/v1/inbox/families/${family.familyId}`);
      assert.deepEqual(
        page.body.triages.map((triage) => triage.id),
        [second.body.id, first.body.id],
      );
      // Who looked: the midwife's record is in the parents' own words.
      await w.getByRole("button", { name: "Wie heeft er gekeken?" }).click();
      await w.locator("[data-kb=access-log]").waitFor();
      assert.match(
        await w.locator("[data-kb=access-log]").innerText(),
        /Verloskundigenpraktijk De Zon \(verloskundige\) schreef een gesprek met jullie op\./,
      );
      assert.deepEqual(phone.record.errors, [], "no page errors");
    } finally {
      await phone.close();
    }
  },
);
