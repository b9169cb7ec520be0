// The family's care network, the parents' side (docs/care-network.md), against the real
// kindband-server with a temp database: the story of issue 9 from the mother's and the partner's
// devices (two browser profiles), checked on the professionals' side through the inbox API and in
// the server's SQLite files. Also: nothing is asked of the server before a parent acts, and the
// family key is never in a URL.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { SERVER_BINARY, answerAll, openBrowser, start, startSite, widget } from "./harness.mjs";
import { openNetwork, shareWithNetwork } from "./story.mjs";
import { openSealed } from "./sealed.mjs";

const skip = SERVER_BINARY
  ? false
  : "KINDBAND_SERVER_BINARY not set (scripts/test-browser.sh sets it)";
const COALITION = "ks-voorbeeldstad";
const MIDWIFE_ORG = { slug: "vk-zon", name: "Verloskundigenpraktijk De Zon", type: "verloskunde" };
const JGZ_ORG = { slug: "jgz-vb", name: "Jeugdgezondheidszorg Voorbeeldstad", type: "jgz" };
const GP_ORG = { slug: "ha-plein", name: "Huisartsenpraktijk Het Plein", type: "huisarts" };
const PASSWORD = "correct horse battery staple";
// Distinctive strings the parents send, looked for in the database files after the erasure.
const MESSAGE_MARKER = "ZQX-week20-bericht-9f3a7c";
const CONTACT_MARKER = "Marker Moeder Qwv8317";
const PARTNER_INSTRUMENT = "bonding_reflection_pregnancy";

let site;
let admin;
before(async () => {
  if (skip) return;
  site = await startSite();
  admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
  runAdmin("create-coalition", COALITION, "--name", "Kansrijke Start Voorbeeldstad");
  for (const org of [MIDWIFE_ORG, JGZ_ORG, GP_ORG]) {
    runAdmin("create-organisation", org.slug, "--name", org.name, "--origin", site.url);
    runAdmin(
      "add-organisation-to-coalition",
      org.slug,
      COALITION,
      "--type",
      org.type,
      "--description-nl",
      `Beschrijving van ${org.name}`,
      "--description-en",
      `About ${org.name}`,
      "--page",
      `${site.url}/test/network.html?instruments=phq9&parent-role=mother&stage=pregnancy&week=20`,
    );
  }
  createProfessional("midwife", MIDWIFE_ORG.slug, "verloskundige");
  createProfessional("nurse", JGZ_ORG.slug, "jeugdverpleegkundige");
});
after(async () => site?.close());

function runAdmin(...args) {
  return execFileSync(admin, ["--database", site.database, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  }).toString();
}

function createProfessional(username, organisation, role) {
  execFileSync(
    admin,
    [
      "--database",
      site.database,
      "create-professional",
      username,
      "--organisation",
      organisation,
      "--role",
      role,
    ],
    { input: PASSWORD + "\n", stdio: ["pipe", "ignore", "pipe"] },
  );
}

/** A professional's session on the inbox API: call(method, path, body) -> {status, body}. */
async function professional(username) {
  const login = await fetch(`${site.api}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers.get("set-cookie").split(";")[0];
  return async (method, route, body) => {
    const response = await fetch(`${site.api}${route}`, {
      method,
      headers: { "Content-Type": "application/json", Cookie: cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json };
  };
}

function apiRequests(record) {
  return record.requests.filter((request) => new URL(request.url).pathname.startsWith("/api/"));
}

/** Records every request's Authorization header too (the harness records url, method, body). */
function recordAuthorization(page, list) {
  page.on("request", (request) =>
    list.push({ url: request.url(), authorization: request.headers().authorization || null }),
  );
}

/**
 * The share payloads as stored: sealed at rest (docs/envelope.md), each with what it opens to (with
 * the key file, as the server would).
 */
function storedPayloads() {
  const out = execFileSync("sqlite3", [
    "-json",
    site.database,
    "SELECT share_id, payload FROM shares WHERE payload IS NOT NULL",
  ]).toString();
  return (out.trim() ? JSON.parse(out) : []).map((row) => ({
    sealed: row.payload,
    opened: openSealed(`${site.database}.keys`, "shares", "payload", row.share_id, row.payload),
  }));
}

function databaseBytes() {
  const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));
  return Buffer.concat([read(site.database), read(site.database + "-wal")]);
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
  assert.ok(scroll <= client, `${screen}: no horizontal scroll at 320 px (${scroll} > ${client})`);
}

test(
  "the care-network story: invitation, network, partner, shares, removal, who looked, erasure",
  {
    skip,
  },
  async () => {
    const midwife = await professional("midwife");
    const invitation = await midwife("POST", "/api/v1/inbox/invitations", {});
    assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
    const { code, link } = invitation.body;
    assert.ok(link.endsWith(`#kindband-invite=${code}`), link);

    const mother = await openBrowser();
    const partner = await openBrowser();
    const headers = [];
    recordAuthorization(mother.page, headers);
    recordAuthorization(partner.page, headers);
    try {
      const m = widget(mother.page);
      // 1. The mother opens the midwife's invitation link: nothing is asked before she looks at it.
      await mother.page.goto(link);
      await m.getByRole("heading", { name: "Uitnodiging voor een zorgnetwerk" }).waitFor();
      await mother.page.waitForTimeout(300);
      assert.deepEqual(apiRequests(mother.record), [], "no request before the parent acts");
      await axe(mother.page, "invitation");
      await m.getByRole("button", { name: "Bekijk de uitnodiging" }).click();
      await m.getByRole("heading", { name: `${MIDWIFE_ORG.name} nodigt je uit` }).waitFor();
      const lookup = apiRequests(mother.record);
      assert.equal(lookup.length, 1);
      assert.equal(new URL(lookup[0].url).pathname, "/api/v1/invitations/lookup");
      assert.deepEqual(JSON.parse(lookup[0].body), { code });
      assert.ok(await m.getByText(`${MIDWIFE_ORG.name} ziet wat jullie vanaf nu`).isVisible());
      assert.equal(
        await m.getByRole("radio", { name: "Ik ben zwanger, of ik ben de moeder" }).isChecked(),
        true,
      );
      await axe(mother.page, "invitation details");
      assert.equal(apiRequests(mother.record).length, 1, "looking is not confirming");
      await m.getByRole("button", { name: "Ja, ik bevestig" }).click();
      await m.getByText(`${MIDWIFE_ORG.name} zit nu in jullie zorgnetwerk.`).waitFor();
      assert.equal(new URL(mother.page.url()).hash, "", "the used invitation leaves the address");
      const familyPosts = apiRequests(mother.record).filter((r) => r.method === "POST");
      assert.deepEqual(
        familyPosts.map((r) => new URL(r.url).pathname),
        ["/api/v1/invitations/lookup", "/api/v1/families", "/api/v1/family/memberships"],
      );
      const membership = JSON.parse(familyPosts[2].body);
      assert.deepEqual(membership, {
        organisation: MIDWIFE_ORG.slug,
        consent_version: "2026-11-v1",
        invitation_code: code,
      });
      const midwifeCard = m.locator(`[data-member=${MIDWIFE_ORG.slug}]`);
      // The consent in words, never its version code (issue 24).
      assert.match(
        await midwifeCard.textContent(),
        /Toegevoegd door de moeder op .*Jullie gaven daarvoor toestemming\./,
      );
      assert.doesNotMatch(await m.locator(".kb-screen").textContent(), /2026-11-v1/);

      // Kept on this device from now on (opt-in), so the family is still there after the birth.
      await m.getByRole("checkbox", { name: "Onthoud ons gezin op dit apparaat" }).check();
      const family = await mother.page.evaluate(() =>
        JSON.parse(localStorage.getItem("kindband:family")),
      );
      assert.match(family.family_id, /^[0-9a-f-]{36}$/);
      assert.match(family.key, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, base64url");
      assert.equal(JSON.parse(familyPosts[1].body).family_id, family.family_id);

      // 2. She adds youth health care, after reading what it will see.
      await m.getByRole("button", { name: `Voeg ${JGZ_ORG.name} toe` }).click();
      await m.getByText(`Als je ${JGZ_ORG.name} toevoegt`).waitFor();
      await axe(mother.page, "network with add confirmation");
      await m.getByRole("button", { name: "Ja, voeg toe" }).click();
      await m.getByText(`${JGZ_ORG.name} zit nu in jullie zorgnetwerk.`).waitFor();
      await m.locator(`[data-member=${JGZ_ORG.slug}]`).waitFor();
      assert.equal(await m.locator("[data-member]").count(), 2);
      await mother.page.setViewportSize({ width: 320, height: 800 });
      await noHorizontalScroll(mother.page, "network");
      await mother.page.setViewportSize({ width: 1000, height: 900 });

      // 3. PHQ-9 at week 20, linked to the family: both members ticked by default.
      await m.getByRole("button", { name: "Terug" }).click();
      const week20 = await shareWithNetwork(mother.page, [1, 2, 1, 1, 1, 0, 1, 1, 0, null], {
        expectMembers: [MIDWIFE_ORG.name, JGZ_ORG.name],
        message: MESSAGE_MARKER,
        name: CONTACT_MARKER,
      });
      assert.equal(week20.family_id, family.family_id);
      assert.deepEqual([...week20.recipients].sort(), [JGZ_ORG.slug, MIDWIFE_ORG.slug]);
      assert.equal("organisation" in week20, false);
      assert.deepEqual(week20.context, { role: "mother", stage: "pregnancy", week: 20 });
      const sharePost = headers.find(
        (r) => new URL(r.url).pathname === "/api/v1/shares" && r.authorization,
      );
      assert.equal(sharePost.authorization, `Bearer ${family.key}`);

      // 4. The partner joins on their own device with a pairing code from the mother's.
      await mother.page.goto(`${site.url}/test/network.html?instruments=phq9&parent-role=mother`);
      await openNetwork(mother.page);
      await m.getByRole("button", { name: "Maak een koppelcode" }).click();
      const pairingCode = (await m.locator("[data-kb=pairing-code] .kb-code").textContent()).trim();
      assert.match(pairingCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      await axe(mother.page, "network with pairing code");

      const p = widget(partner.page);
      await partner.page.goto(
        `${site.url}/test/network.html?instruments=${PARTNER_INSTRUMENT}&parent-role=partner&stage=pregnancy&week=20`,
      );
      await openNetwork(partner.page);
      await axe(partner.page, "network without a family");
      await p.getByRole("textbox", { name: "Koppelcode", exact: true }).fill(pairingCode);
      await p.getByRole("button", { name: "Koppel dit apparaat" }).click();
      await p.getByText("Gelukt. Dit apparaat hoort nu bij jullie gezin.").waitFor();
      await p.getByText("Jij bent de partner", { exact: false }).waitFor();
      assert.equal(await p.locator("[data-member]").count(), 2);
      await p.getByRole("button", { name: "Terug" }).click();
      const reflection = await shareWithNetwork(partner.page, Array(12).fill(1), {
        expectMembers: [MIDWIFE_ORG.name, JGZ_ORG.name],
      });
      assert.equal(reflection.family_id, family.family_id);
      assert.equal(reflection.instrument.id, PARTNER_INSTRUMENT);

      // 5. After the birth, week 6: the family is still on the mother's device.
      await mother.page.goto(
        `${site.url}/test/network.html?instruments=phq9&parent-role=mother&stage=postpartum&week=6`,
      );
      const week6 = await shareWithNetwork(mother.page, [2, 2, 2, 1, 1, 1, 1, 1, 0, 1], {
        expectMembers: [MIDWIFE_ORG.name, JGZ_ORG.name],
      });
      assert.deepEqual(week6.context, { role: "mother", stage: "postpartum", week: 6 });

      // 6. The JGZ nurse sees one family with three shares in order, and the PHQ-9 trend.
      const nurse = await professional("nurse");
      const page = await nurse("GET", `/api/v1/inbox/families/${family.family_id}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.deepEqual(
        page.body.timeline.map((entry) => [entry.share_id, entry.parent, entry.stage, entry.week]),
        [
          [week20.share_id, "mother", "pregnancy", 20],
          [reflection.share_id, "partner", "pregnancy", 20],
          [week6.share_id, "mother", "postpartum", 6],
        ],
      );
      const phq9Trend = page.body.trend.find((line) => line.instrument === "phq9");
      assert.deepEqual(
        phq9Trend.points.map((point) => [point.week, point.score]),
        [
          [20, 8],
          [6, 11],
        ],
      );
      const inbox = await nurse("GET", "/api/v1/inbox");
      assert.equal(
        inbox.body.shares.filter((share) => share.family_id === family.family_id).length,
        3,
      );
      const opened = await nurse("GET", `/api/v1/inbox/shares/${week20.share_id}`);
      assert.equal(opened.status, 200);
      assert.equal(
        (await midwife("GET", `/api/v1/inbox/families/${family.family_id}`)).status,
        200,
      );

      // 7. The mother removes the midwife practice: it loses her shares at once, while what the
      // partner shared with it stays until the partner removes it too (issue 21).
      await mother.page.goto(`${site.url}/test/network.html?instruments=phq9&parent-role=mother`);
      await openNetwork(mother.page);
      await m.getByRole("button", { name: `Haal uit ons netwerk: ${MIDWIFE_ORG.name}` }).click();
      await axe(mother.page, "network with remove confirmation");
      await m.getByRole("button", { name: "Ja, haal eruit" }).click();
      await m.getByText(`${MIDWIFE_ORG.name} ziet niets meer van wat jij deelde.`).waitFor();
      const midwifeCard2 = m.locator(`[data-member=${MIDWIFE_ORG.slug}]`);
      assert.equal(
        (await midwifeCard2.locator("[data-kb=for]").textContent()).trim(),
        "Er voor: de partner.",
      );
      for (const { share_id } of [week20, week6])
        assert.notEqual((await midwife("GET", `/api/v1/inbox/shares/${share_id}`)).status, 200);
      assert.equal(
        (await midwife("GET", `/api/v1/inbox/shares/${reflection.share_id}`)).status,
        200,
        "the partner's share stays with the midwife",
      );
      // The partner removes it too: now it leaves the family.
      await partner.page.goto(`${site.url}/test/network.html?instruments=${PARTNER_INSTRUMENT}`);
      await openNetwork(partner.page);
      await p.getByRole("button", { name: `Haal uit ons netwerk: ${MIDWIFE_ORG.name}` }).click();
      await p.getByRole("button", { name: "Ja, haal eruit" }).click();
      await p.getByText(`${MIDWIFE_ORG.name} ziet niets meer van wat jij deelde.`).waitFor();
      assert.match(
        await p.locator(`[data-candidate=${MIDWIFE_ORG.slug}]`).textContent(),
        /Eerder verwijderd door de partner/,
      );
      const denied = await midwife("GET", `/api/v1/inbox/families/${family.family_id}`);
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error, "removed_by_parents");
      assert.equal((await midwife("GET", `/api/v1/inbox/shares/${week20.share_id}`)).status, 403);
      const midwifeInbox = await midwife("GET", "/api/v1/inbox");
      assert.equal(midwifeInbox.status, 200);
      assert.deepEqual(
        midwifeInbox.body.shares.filter((share) => share.family_id === family.family_id),
        [],
        "the midwife's inbox no longer lists the family",
      );
      // The mother is told what the partner did.
      await mother.page.goto(`${site.url}/test/network.html?instruments=phq9&parent-role=mother`);
      await openNetwork(mother.page);
      assert.match(
        await m.locator("[data-notice=organisation_removed]").textContent(),
        new RegExp(`de partner heeft ${MIDWIFE_ORG.name} weggehaald`),
      );

      // 8. Who looked: the JGZ nurse's and the midwife's reads, in plain words.
      await m.getByRole("button", { name: "Wie heeft er gekeken?" }).click();
      await m.getByRole("heading", { level: 2, name: "Wie heeft er gekeken?" }).waitFor();
      const log = m.locator("[data-kb=access-log]");
      await log.waitFor();
      const logText = await log.textContent();
      assert.match(
        logText,
        /Jeugdgezondheidszorg Voorbeeldstad \(jeugdverpleegkundige\) bekeek de gezinspagina/,
      );
      assert.match(
        logText,
        /Jeugdgezondheidszorg Voorbeeldstad \(jeugdverpleegkundige\) opende de PHQ-9 van de moeder \(zwanger, week 20\)/,
      );
      assert.match(
        logText,
        /Verloskundigenpraktijk De Zon \(verloskundige\) bekeek de gezinspagina/,
      );
      await axe(mother.page, "who looked");
      await m.getByRole("button", { name: "Terug" }).click();

      // 9. "Remove our family": with two parents the mother's request waits for the partner (or
      // 7 days); the partner says "yes, now". Then no share bytes are left in the database files.
      // The message is stored sealed: its sealed bytes are on disk, the words never in clear.
      const sealedMessage = storedPayloads().find((row) => row.opened.includes(MESSAGE_MARKER));
      assert.ok(sealedMessage, "the share with the message is stored");
      assert.ok(sealedMessage.sealed.startsWith("kb1."), "sealed at rest");
      assert.ok(databaseBytes().includes(sealedMessage.sealed), "the message is on disk before");
      assert.equal(databaseBytes().includes(MESSAGE_MARKER), false, "never in clear on disk");
      await m.getByRole("button", { name: "Verwijder ons gezin" }).click();
      await m.getByRole("button", { name: "Ja, verwijder ons gezin voorgoed" }).click();
      await m.getByText("Je vraag is verstuurd.", { exact: false }).waitFor();
      await m.getByRole("button", { name: "Toch niet" }).waitFor();
      assert.ok(
        databaseBytes().includes(sealedMessage.sealed),
        "nothing erased before the partner",
      );
      await partner.page.goto(`${site.url}/test/network.html?instruments=${PARTNER_INSTRUMENT}`);
      await openNetwork(partner.page);
      await p
        .locator("[data-kb=erase-request]")
        .getByText("De moeder wil jullie gezin verwijderen", { exact: false })
        .waitFor();
      const partnerKey = await partner.page.evaluate(
        () => JSON.parse(sessionStorage.getItem("kindband:family")).key,
      );
      await p.getByRole("button", { name: "Ja, nu verwijderen" }).click();
      await p.getByRole("button", { name: "Ja, verwijder ons gezin voorgoed" }).click();
      await p.getByText("Jullie gezin is verwijderd:", { exact: false }).waitFor();
      const bytes = databaseBytes();
      assert.equal(bytes.includes(sealedMessage.sealed), false, "no message bytes left");
      assert.equal(bytes.includes(MESSAGE_MARKER), false, "no message bytes left");
      assert.equal(bytes.includes(CONTACT_MARKER), false, "no contact bytes left");
      assert.equal(
        await partner.page.evaluate(() => sessionStorage.getItem("kindband:family")),
        null,
      );
      assert.equal((await nurse("GET", `/api/v1/inbox/families/${family.family_id}`)).status, 410);

      // The mother's device learns it is no longer part of a family.
      await mother.page.goto(`${site.url}/test/network.html?instruments=phq9`);
      await openNetwork(mother.page);
      await m.getByText("Dit apparaat hoort niet meer bij een gezin.").waitFor();

      // The family keys never appear in a URL.
      for (const key of [family.key, partnerKey])
        for (const request of headers) assert.equal(request.url.includes(key), false, request.url);
      assert.deepEqual(mother.record.violations, [], "no CSP violations");
      assert.deepEqual(partner.record.violations, [], "no CSP violations");
    } finally {
      await mother.close();
      await partner.close();
    }
  },
);

test("nothing is asked of the server before the parent opens the network", { skip }, async () => {
  const browser = await openBrowser();
  try {
    const w = widget(browser.page);
    await browser.page.goto(`${site.url}/test/network.html?instruments=phq9`);
    await w.getByRole("button", { name: "Begin" }).waitFor();
    await browser.page.waitForTimeout(300);
    assert.deepEqual(apiRequests(browser.record), [], "no request on page load");
    assert.equal(
      browser.record.requests.some((r) => r.url.includes("/screens/network.js")),
      false,
      "the network screens are not fetched on page load",
    );
    await openNetwork(browser.page);
    const asked = apiRequests(browser.record);
    assert.deepEqual(
      asked.map((r) => [r.method, new URL(r.url).pathname, r.body ?? null]),
      [["GET", `/api/v1/directory/${COALITION}`, null]],
      "only the public directory, once the parent opened the network",
    );
    await w.getByText(`${JGZ_ORG.name} (Jeugdgezondheidszorg (consultatiebureau))`).waitFor();
    await w.getByRole("button", { name: "Switch to English" }).click();
    await w.getByRole("heading", { level: 2, name: "Our care network" }).waitFor();
    await axe(browser.page, "network without a family (English)");
    assert.deepEqual(browser.record.violations, [], "no CSP violations");
    assert.deepEqual(browser.record.errors, [], "no page errors");
  } finally {
    await browser.close();
  }
});

test(
  "a recovery code moves the family to a new phone; a one-off share still goes to one organisation",
  {
    skip,
  },
  async () => {
    const oldPhone = await openBrowser();
    const newPhone = await openBrowser();
    const headers = [];
    recordAuthorization(newPhone.page, headers);
    const pageUrl = `${site.url}/test/network.html?instruments=phq2&parent-role=mother&stage=pregnancy&week=30`;
    try {
      // The old phone starts a family and adds the GP practice.
      const o = widget(oldPhone.page);
      await oldPhone.page.goto(pageUrl);
      await openNetwork(oldPhone.page);
      await o.getByRole("button", { name: "Begin ons zorgnetwerk" }).click();
      await o.getByText("Jullie zorgnetwerk is begonnen.", { exact: false }).waitFor();
      await o.getByRole("button", { name: `Voeg ${GP_ORG.name} toe` }).click();
      await o.getByRole("button", { name: "Ja, voeg toe" }).click();
      await o.locator(`[data-member=${GP_ORG.slug}]`).waitFor();
      await o.getByRole("button", { name: "Maak een herstelcode" }).click();
      const shown = o.locator("[data-kb=recovery-code]");
      await shown.waitFor();
      assert.equal(
        await oldPhone.page.evaluate(
          () =>
            document.querySelector("kindband-screen").shadowRoot.activeElement?.dataset.kb || null,
        ),
        "recovery-code",
        "the focus goes to the code to write down",
      );
      const recoveryCode = (await shown.locator(".kb-code").textContent()).trim();
      assert.match(recoveryCode, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
      await axe(oldPhone.page, "network with recovery code");

      // The new phone: a wrong code is refused in plain words, the right one restores the family.
      const n = widget(newPhone.page);
      await newPhone.page.goto(pageUrl);
      await openNetwork(newPhone.page);
      const field = n.getByRole("textbox", { name: "Herstelcode" });
      await field.fill("AAAA-BBBB-CCCC-DDDD-EEEE");
      await n.getByRole("button", { name: "Zet ons gezin op dit apparaat" }).click();
      await n.getByText("Deze code klopt niet, is al gebruikt of is verlopen.").waitFor();
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      await field.fill(recoveryCode.toLowerCase());
      await n.getByRole("button", { name: "Zet ons gezin op dit apparaat" }).click();
      await n
        .getByText("Gelukt. Jullie gezin staat nu op dit apparaat.", { exact: false })
        .waitFor();
      await n.locator(`[data-member=${GP_ORG.slug}]`).waitFor();
      await n.getByText("Jij bent de moeder", { exact: false }).waitFor();

      // The old phone's key no longer works: it says so and can forget the family.
      await oldPhone.page.goto(pageUrl);
      await openNetwork(oldPhone.page);
      await o.getByText("Dit apparaat hoort niet meer bij een gezin.", { exact: false }).waitFor();
      await o.getByRole("button", { name: "Haal het gezin van dit apparaat" }).click();
      await o.getByRole("button", { name: "Begin ons zorgnetwerk" }).waitFor();

      // A one-off share from the new phone: the network is the default, "only this once" with a
      // coalition `org` asks which organisation, and sends to that one only, without the family key.
      await n.getByRole("button", { name: "Terug" }).click();
      await start(newPhone.page);
      await answerAll(newPhone.page, [1, 1]);
      await n.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
      await n.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
      assert.equal(await n.getByRole("radio", { name: "Met ons zorgnetwerk" }).isChecked(), true);
      await n.getByRole("radio", { name: "Alleen deze keer, met één organisatie" }).check();
      await n.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await n.getByText("Kies een organisatie.").waitFor();
      await axe(newPhone.page, "share with the organisation choice");
      await n.getByRole("combobox", { name: "Welke organisatie?" }).selectOption(JGZ_ORG.slug);
      await n.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await n.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
      assert.ok((await n.locator("dl").first().textContent()).includes(JGZ_ORG.name));
      const payload = JSON.parse(await n.locator("[data-kb=payload]").textContent());
      assert.equal(payload.organisation, JGZ_ORG.slug);
      assert.equal("family_id" in payload, false);
      await n.getByRole("button", { name: "Ja, verstuur" }).click();
      await n.getByText("Ontvangen. Nog niet bekeken.").waitFor();
      const post = headers.find((r) => new URL(r.url).pathname === "/api/v1/shares");
      assert.equal(post.authorization, null, "a one-off share carries no family key");
      const nurse = await professional("nurse");
      const inbox = await nurse("GET", "/api/v1/inbox");
      const arrived = inbox.body.shares.find((share) => share.share_id === payload.share_id);
      assert.ok(arrived, "the one-off share is in the JGZ inbox");
      assert.equal(arrived.family_id ?? null, null);

      // "Remove everything from this device" says what it means for the family, and forgets it here.
      await n.getByRole("button", { name: "Wis alles van dit apparaat" }).click();
      await n
        .getByText("Jullie gezin staat dan niet meer op dit apparaat.", { exact: false })
        .waitFor();
      await n.getByRole("button", { name: "Ja, wis alles" }).click();
      await n.getByText("Alles is gewist van dit apparaat.").waitFor();
      assert.equal(
        await newPhone.page.evaluate(
          () =>
            sessionStorage.getItem("kindband:family") ?? localStorage.getItem("kindband:family"),
        ),
        null,
      );
    } finally {
      await oldPhone.close();
      await newPhone.close();
    }
  },
);

/** The receipt's state line after "Check the status" on the receipts screen. */
async function receiptState(page, shareId) {
  const w = widget(page);
  const card = w.locator(`[data-share="${shareId}"]`);
  const before = await card.locator(".kb-state").textContent();
  await card.getByRole("button", { name: /^(Bekijk de status|Check the status)$/ }).click();
  await waitUntil(async () => (await card.locator(".kb-state").textContent()) !== before, 4000);
  return (await card.locator(".kb-state").textContent()).trim();
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function waitUntil(check, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function focusedKb(page) {
  return page.evaluate(() => {
    const active = document.querySelector("kindband-screen").shadowRoot.activeElement;
    return active ? { tag: active.tagName, kb: active.dataset.kb || null } : null;
  });
}

test(
  "working together (issue 10): a flagged week-20 share is taken, the mother accepts a referral, sees the agreement, answers, and her receipt says the case is closed",
  { skip },
  async () => {
    const mother = await openBrowser();
    const headers = [];
    recordAuthorization(mother.page, headers);
    const pageUrl = `${site.url}/test/network.html?instruments=phq9&parent-role=mother&stage=pregnancy&week=20`;
    try {
      const m = widget(mother.page);
      // The mother starts the family's network with the midwife practice and shares a PHQ-9 at
      // week 20 with a safety flag (item 9 above 0).
      await mother.page.goto(pageUrl);
      await openNetwork(mother.page);
      // She names the family for the network (issue 24): what the professionals will see.
      await m
        .getByLabel("Hoe mag jullie zorgnetwerk jullie gezin noemen?")
        .fill("Anouk en Sem, uitgerekend maart");
      await m.getByRole("button", { name: "Begin ons zorgnetwerk" }).click();
      await m.getByText("Jullie zorgnetwerk is begonnen.", { exact: false }).waitFor();
      await m.getByText("Jullie netwerk ziet: Anouk en Sem, uitgerekend maart").waitFor();
      await m.getByRole("button", { name: `Voeg ${MIDWIFE_ORG.name} toe` }).click();
      await m.getByRole("button", { name: "Ja, voeg toe" }).click();
      await m.locator(`[data-member=${MIDWIFE_ORG.slug}]`).waitFor();
      assert.ok(await m.getByText("Er zijn nog geen afspraken.").isVisible());
      assert.ok(await m.getByText("Er zijn nog geen berichten.").isVisible());
      await axe(mother.page, "network with a family, nothing yet");
      const familyId = await mother.page.evaluate(
        () => JSON.parse(sessionStorage.getItem("kindband:family")).family_id,
      );
      await m.getByRole("button", { name: "Terug" }).click();
      const share = await shareWithNetwork(mother.page, [1, 1, 1, 1, 1, 1, 1, 1, 1, null], {
        expectMembers: [MIDWIFE_ORG.name],
      });
      assert.deepEqual(share.recipients, [MIDWIFE_ORG.slug]);
      assert.equal(
        await receiptState(mother.page, share.share_id),
        "Je uitslag is aangekomen. Nog niemand heeft hem opgepakt.",
      );
      await axe(mother.page, "receipt with a new case");

      // The midwife: the untaken safety share is at the top of her inbox; she takes it (unsigned),
      // marks the mother contacted and proposes youth health care for a prenatal home visit.
      const midwife = await professional("midwife");
      const inbox = await midwife("GET", "/api/v1/inbox");
      assert.equal(inbox.body.shares[0].share_id, share.share_id, "the flagged new share first");
      assert.equal(inbox.body.shares[0].family_name, "Anouk en Sem, uitgerekend maart");
      const taken = await midwife("POST", `/api/v1/inbox/shares/${share.share_id}/case`, {
        action: "take",
      });
      assert.equal(taken.status, 200, JSON.stringify(taken.body));
      assert.equal(
        await receiptState(mother.page, share.share_id),
        "Een verloskundige van de verloskundigenpraktijk neemt contact met je op.",
      );
      const contacted = await midwife("POST", `/api/v1/inbox/shares/${share.share_id}/case`, {
        action: "contacted",
      });
      assert.equal(contacted.status, 200, JSON.stringify(contacted.body));
      assert.equal(
        await receiptState(mother.page, share.share_id),
        "Een verloskundige van de verloskundigenpraktijk heeft contact met je gehad.",
      );
      const REASON =
        "De JGZ kan jullie rond week 30 thuis bezoeken, om kennis te maken en te helpen met de voorbereiding op de baby.";
      const referral = await midwife("POST", `/api/v1/inbox/families/${familyId}/referrals`, {
        organisation: JGZ_ORG.slug,
        reason: REASON,
      });
      assert.equal(referral.status, 201, JSON.stringify(referral.body));
      const nurse = await professional("nurse");
      const before = await nurse("GET", `/api/v1/inbox/families/${familyId}`);
      assert.equal(
        before.status,
        403,
        "a proposed organisation sees nothing before the parents say yes",
      );

      // The mother opens the page again: nothing is asked until she presses "Kijk of er nieuws is".
      const loadMark = mother.record.requests.length;
      await mother.page.goto(pageUrl);
      const check = m.getByRole("button", { name: "Kijk of er nieuws is" });
      await check.waitFor();
      await mother.page.waitForTimeout(300);
      assert.deepEqual(
        apiRequests({ requests: mother.record.requests.slice(loadMark) }),
        [],
        "no request on page load, also with a family on the device",
      );
      await check.click();
      const news = m.locator("[data-kb=news]");
      await news.waitFor();
      assert.match(await news.textContent(), /1 voorstel om te bekijken/);
      assert.deepEqual(
        await focusedKb(mother.page),
        { tag: "DIV", kb: "news" },
        "focus on the news",
      );
      assert.deepEqual(
        apiRequests({ requests: mother.record.requests.slice(loadMark) }).map((r) => [
          r.method,
          new URL(r.url).pathname,
        ]),
        [["GET", "/api/v1/family"]],
      );
      await axe(mother.page, "start with news");
      await m.getByRole("button", { name: "Bekijk het nieuws" }).click();
      const proposal = m.locator(`[data-proposal="${referral.body.id}"]`);
      await proposal.waitFor();
      const proposalText = await proposal.textContent();
      assert.match(proposalText, new RegExp(`Mag ${JGZ_ORG.name} in jullie zorgnetwerk\\?`));
      assert.match(
        proposalText,
        new RegExp(
          `${MIDWIFE_ORG.name} \\(verloskundige\\) stelt voor om ${JGZ_ORG.name} toe te voegen`,
        ),
      );
      assert.equal((await proposal.locator("[data-kb=reason]").textContent()).trim(), REASON);
      assert.equal(
        await m.locator(`[data-candidate=${JGZ_ORG.slug}]`).count(),
        0,
        "offered in the proposal, not again under 'add'",
      );
      await axe(mother.page, "network with a referral proposal");
      await mother.page.setViewportSize({ width: 320, height: 800 });
      await noHorizontalScroll(mother.page, "network with a referral proposal");
      await mother.page.setViewportSize({ width: 1000, height: 900 });
      // "Nee, liever niet" asks first (declining is final); cancelling puts the focus back.
      const decline = m.getByRole("button", { name: `Nee, liever niet: ${JGZ_ORG.name}` });
      await decline.click();
      await m.getByText("dit voorstel vervalt", { exact: false }).waitFor();
      await axe(mother.page, "referral decline confirmation");
      await proposal.getByRole("button", { name: "Annuleren" }).click();
      assert.equal(await decline.evaluate((el) => el === el.getRootNode().activeElement), true);
      // Before "ja": what the JGZ would see. Her share did not allow organisations added later, so
      // nothing of hers unless she ticks it (issue 21); she does, so the JGZ can take the case over.
      const wouldSee = proposal.locator("[data-kb=would-see]");
      assert.match(await wouldSee.textContent(), /Nog niets van wat jij deelde\./);
      await wouldSee.getByRole("checkbox", { name: /^PHQ-9 van / }).check();
      const acceptMark = mother.record.requests.length;
      await m.getByRole("button", { name: `Ja, ${JGZ_ORG.name} mag erbij` }).click();
      await m.getByText(`${JGZ_ORG.name} zit nu in jullie zorgnetwerk.`).waitFor();
      await m.locator(`[data-member=${JGZ_ORG.slug}]`).waitFor();
      const decision = apiRequests({ requests: mother.record.requests.slice(acceptMark) }).find(
        (r) => r.method === "POST",
      );
      assert.equal(new URL(decision.url).pathname, `/api/v1/family/referrals/${referral.body.id}`);
      assert.deepEqual(JSON.parse(decision.body), {
        decision: "accept",
        consent_version: "2026-11-referral-v1",
        add_shares: [share.share_id],
      });
      assert.match(
        await m.locator("[data-kb=decided-proposals]").textContent(),
        new RegExp(`${JGZ_ORG.name}: de moeder zei ja op`),
      );

      // The JGZ nurse now sees the family, adds the agreement and writes to the family (signed).
      const familyPage = await nurse("GET", `/api/v1/inbox/families/${familyId}`);
      assert.equal(familyPage.status, 200, JSON.stringify(familyPage.body));
      const agreement = await nurse("POST", `/api/v1/inbox/families/${familyId}/agreements`, {
        what: "Prenataal huisbezoek rond week 30",
        owner_organisation: JGZ_ORG.slug,
        owner_username: "nurse",
        due_moment: { stage: "pregnancy", week: 30 },
      });
      assert.equal(agreement.status, 201, JSON.stringify(agreement.body));
      const hidden = await nurse("POST", `/api/v1/inbox/families/${familyId}/agreements`, {
        what: "Overleg tussen verloskundige en JGZ",
        owner_organisation: JGZ_ORG.slug,
        visible_to_parents: false,
      });
      assert.equal(hidden.status, 201, JSON.stringify(hidden.body));
      const NURSE_TEXT = "Ik kom graag bij jullie langs rond week 30. Past een dinsdagochtend?";
      const sent = await nurse("POST", `/api/v1/inbox/families/${familyId}/messages`, {
        text: NURSE_TEXT,
        sign_as: "Jan",
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));

      // The mother sees the agreement in plain words and the new message, and answers both.
      await mother.page.goto(pageUrl);
      await m.getByRole("button", { name: "Kijk of er nieuws is" }).click();
      assert.match(await m.locator("[data-kb=news]").textContent(), /1 nieuw bericht/);
      await m.getByRole("button", { name: "Bekijk het nieuws" }).click();
      const card = m.locator(`[data-agreement="${agreement.body.id}"]`);
      await card.waitFor();
      assert.equal(await m.locator(`[data-agreement="${hidden.body.id}"]`).count(), 0);
      const facts = (await card.locator("dl").innerText()).replace(/\s+/g, " ").trim();
      assert.equal(
        facts,
        `Wie ${JGZ_ORG.name} (een jeugdverpleegkundige) Wanneer rond week 30 van de zwangerschap Status Gepland`,
      );
      assert.equal(
        (await card.getByRole("heading").textContent()).trim(),
        "Prenataal huisbezoek rond week 30",
      );
      const nurseMessage = m.locator(`[data-message="${sent.body.id}"]`);
      assert.match(
        (await nurseMessage.innerText()).replace(/\s+/g, " "),
        new RegExp(
          `^Nieuw Jan, jeugdverpleegkundige van ${JGZ_ORG.name}, .+ ${escape(NURSE_TEXT)}$`,
        ),
      );
      await axe(mother.page, "network with an agreement and a new message");
      await mother.page.setViewportSize({ width: 320, height: 800 });
      await noHorizontalScroll(mother.page, "network with an agreement and messages");
      await mother.page.setViewportSize({ width: 1000, height: 900 });

      await card
        .getByRole("button", { name: "Dit past niet bij ons: Prenataal huisbezoek rond week 30" })
        .click();
      const comment = card.getByRole("textbox", { name: /Wat past er niet\?/ });
      assert.equal(await comment.evaluate((el) => el === el.getRootNode().activeElement), true);
      await axe(mother.page, "agreement answer form");
      await comment.fill("Dinsdag kan niet, donderdag past beter.");
      const answerMark = mother.record.requests.length;
      await card.getByRole("button", { name: "Laat het weten" }).click();
      await m
        .getByText("Je hebt laten weten dat de afspraak niet bij jullie past.", { exact: false })
        .waitFor();
      const answer = apiRequests({ requests: mother.record.requests.slice(answerMark) }).find(
        (r) => r.method === "POST",
      );
      assert.equal(
        new URL(answer.url).pathname,
        `/api/v1/family/agreements/${agreement.body.id}/response`,
      );
      assert.deepEqual(JSON.parse(answer.body), {
        suits: false,
        comment: "Dinsdag kan niet, donderdag past beter.",
      });
      assert.match(
        await m
          .locator(`[data-agreement="${agreement.body.id}"] [data-kb=parents-say]`)
          .textContent(),
        /liet de moeder weten: dit past niet bij ons\. “Dinsdag kan niet, donderdag past beter\.”/,
      );

      assert.equal(
        await m.locator(`[data-agreement="${agreement.body.id}"] .kb-comment`).count(),
        0,
        "the mother's own comment is shown once, as what she said",
      );
      // An empty message is not sent; a real one is, and the nurse's message is no longer new.
      const field = m.getByRole("textbox", {
        name: "Schrijf een bericht aan jullie zorgverleners",
      });
      const emptyMark = mother.record.requests.length;
      await m.getByRole("button", { name: "Verstuur je bericht" }).click();
      await m.getByText("Typ eerst je bericht.").waitFor();
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.equal(apiRequests({ requests: mother.record.requests.slice(emptyMark) }).length, 0);
      const MOTHER_TEXT = "Donderdagochtend past ons goed. Tot dan!";
      await field.fill(MOTHER_TEXT);
      await m.getByRole("button", { name: "Verstuur je bericht" }).click();
      await m.getByText("Je bericht is verstuurd.").waitFor();
      const list = m.locator("[data-kb=messages]");
      assert.match(
        (await list.innerText()).replace(/\s+/g, " "),
        new RegExp(`Jij, .+ ${escape(MOTHER_TEXT)}`),
      );
      assert.equal(await list.locator(".kb-new").count(), 0, "seen messages are not new again");
      const saved = await mother.page.evaluate(() =>
        JSON.parse(sessionStorage.getItem("kindband:family")),
      );
      await axe(mother.page, "network after answering");

      // The nurse reads the answer and the message on the family page.
      const after = await nurse("GET", `/api/v1/inbox/families/${familyId}`);
      assert.equal(after.status, 200);
      assert.deepEqual(
        after.body.messages.map((message) => [message.from, message.text]),
        [
          ["professional", NURSE_TEXT],
          ["parent", MOTHER_TEXT],
        ],
      );
      assert.equal(
        saved.seen_message_id,
        after.body.messages.at(-1).id,
        "the newest message shown, kept with the family on the device",
      );
      const answered = after.body.agreements.find((entry) => entry.id === agreement.body.id);
      assert.equal(answered.parents_say.suits, false);
      // The case belongs to the midwife practice, which took it: the nurse cannot close it until
      // the midwife hands it over (docs/care-network.md: a hand-over to an organisation that
      // received the share, here the JGZ after the accepted referral). Then the nurse closes it.
      const notOwner = await nurse("POST", `/api/v1/inbox/shares/${share.share_id}/case`, {
        action: "close",
        reason: "care_started",
      });
      assert.equal(notOwner.status, 409, JSON.stringify(notOwner.body));
      assert.equal(notOwner.body.error, "not_owner");
      const handed = await midwife("POST", `/api/v1/inbox/shares/${share.share_id}/case`, {
        action: "reassign",
        username: "nurse",
      });
      assert.equal(handed.status, 200, JSON.stringify(handed.body));
      const closed = await nurse("POST", `/api/v1/inbox/shares/${share.share_id}/case`, {
        action: "close",
        reason: "care_started",
      });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));

      // The mother's receipt says, kindly, that the case is closed; in English too.
      await m.getByRole("button", { name: "Terug" }).click();
      await m.getByRole("button", { name: "Wat ik gedeeld heb (1)" }).click();
      assert.equal(
        await receiptState(mother.page, share.share_id),
        "Afgerond. De zorg of hulp voor je is begonnen.",
      );
      await axe(mother.page, "receipt with a closed case");
      await m.getByRole("button", { name: "Switch to English" }).click();
      await m.getByText("Closed. Your care or support has started.").waitFor();
      await m.getByRole("button", { name: "Back to the start" }).click();
      await m.getByRole("button", { name: "Our care network" }).click();
      await m.getByRole("heading", { level: 2, name: "Our care network" }).waitFor();
      await m.locator("[data-kb=family-shares]").waitFor();
      assert.match(
        await m.locator("[data-kb=family-shares]").textContent(),
        /Closed\. Your care or support has started\./,
      );
      assert.match(
        (await m.locator(`[data-agreement="${agreement.body.id}"] dl`).innerText()).replace(
          /\s+/g,
          " ",
        ),
        /around week 30 of the pregnancy/,
      );
      await axe(mother.page, "network in English with agreements and messages");

      const key = saved.key;
      for (const request of headers) assert.equal(request.url.includes(key), false, request.url);
      assert.deepEqual(mother.record.violations, [], "no CSP violations");
      assert.deepEqual(mother.record.errors, [], "no page errors");
    } finally {
      await mother.close();
    }
  },
);
