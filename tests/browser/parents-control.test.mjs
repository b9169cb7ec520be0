// Each parent in control of their own data (issue 21, docs/care-network.md), the browser story: two
// parents on two phones (two browser profiles) and three organisations of one coalition, against the
// real kindband-server. The parents choose recipients, allow or not "organisations added later",
// read a referral's preview of what it would see, widen one share and all of theirs, write a private
// message, add and revoke a device, and erase; each step is checked in what the widget sent and in
// what the organisations' inbox API answers.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { SERVER_BINARY, answerAll, openBrowser, start, startSite, widget } from "./harness.mjs";

const skip = SERVER_BINARY
  ? false
  : "KINDBAND_SERVER_BINARY not set (scripts/test-browser.sh sets it)";
const COALITION = "ks-ouders";
const MIDWIFE = { slug: "vk-eigen", name: "Verloskundigen Eigen Regie", type: "verloskunde" };
const JGZ = { slug: "jgz-eigen", name: "JGZ Eigen Regie", type: "jgz" };
const GP = { slug: "ha-eigen", name: "Huisartsen Eigen Regie", type: "huisarts" };
const PASSWORD = "correct horse battery staple";
const PRIVATE_TEXT = "Dit is alleen voor de verloskundige: ik slaap slecht. Marker-7Kq2";
const MOTHER_PAGE = "org=ks-ouders&instruments=phq2&parent-role=mother&stage=pregnancy&week=30";
const PARTNER_PAGE = "org=ks-ouders&instruments=phq2&parent-role=partner&stage=pregnancy&week=30";

let site;
let admin;
before(async () => {
  if (skip) return;
  site = await startSite();
  admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
  runAdmin(["create-coalition", COALITION, "--name", "Kansrijke Start Eigen Regie"]);
  for (const org of [MIDWIFE, JGZ, GP]) {
    runAdmin(["create-organisation", org.slug, "--name", org.name, "--origin", site.url]);
    runAdmin(["add-organisation-to-coalition", org.slug, COALITION, "--type", org.type]);
  }
  for (const [username, org, role] of [
    ["eigen-midwife", MIDWIFE, "verloskundige"],
    ["eigen-nurse", JGZ, "jeugdverpleegkundige"],
    ["eigen-gp", GP, "huisarts"],
  ])
    runAdmin(
      ["create-professional", username, "--organisation", org.slug, "--role", role],
      PASSWORD + "\n",
    );
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

/** A professional's session on the inbox API: call(method, route, body) -> {status, body}. */
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

/** GET on the family API with the key this browser keeps (as the widget asks). */
async function asDevice(page, route) {
  const key = await page.evaluate(() => JSON.parse(sessionStorage.getItem("kindband:family")).key);
  return json(
    await fetch(`${site.api}/api/v1/${route}`, { headers: { Authorization: `Bearer ${key}` } }),
  );
}

/** Requests to the API after `mark` (the harness records method, url and body). */
function apiSince(record, mark) {
  return record.requests
    .slice(mark)
    .filter((request) => new URL(request.url).pathname.startsWith("/api/"))
    .map((request) => ({ ...request, path: new URL(request.url).pathname }));
}

/** The one request with this method and path after `mark`, its body parsed. */
function sent(record, mark, method, route) {
  const found = apiSince(record, mark).filter((r) => r.method === method && r.path === route);
  assert.equal(
    found.length,
    1,
    `one ${method} ${route}: ${JSON.stringify(apiSince(record, mark))}`,
  );
  return found[0].body ? JSON.parse(found[0].body) : null;
}

async function openNetwork(page, query) {
  const w = widget(page);
  await page.goto(`${site.url}/test/network.html?${query}`);
  await w.getByRole("button", { name: "Ons zorgnetwerk" }).click();
  await w.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
  await w.getByText("Even geduld…").waitFor({ state: "detached" });
}

/** Answers PHQ-2 and opens the share form with "result and advice". */
async function shareForm(page, query) {
  const w = widget(page);
  await page.goto(`${site.url}/test/network.html?${query}`);
  await start(page, /^(Begin|Opnieuw beginnen)$/);
  await answerAll(page, [1, 1]);
  await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
  await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
}

/** From the share form: preview, the payload shown there, send, and the receipt. */
async function sendShare(page) {
  const w = widget(page);
  await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
  await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
  const payload = JSON.parse(await w.locator("[data-kb=payload]").textContent());
  await w.getByRole("button", { name: "Ja, verstuur" }).click();
  await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
  return payload;
}

async function addMember(page, org) {
  const w = widget(page);
  await w.getByRole("button", { name: `Voeg ${org.name} toe` }).click();
  await w.getByRole("button", { name: "Ja, voeg toe" }).click();
  await w.locator(`[data-member=${org.slug}]`).waitFor();
}

test(
  "two parents, three organisations: each parent's shares, messages and devices are their own",
  { skip },
  async () => {
    const mother = await openBrowser();
    const partner = await openBrowser();
    const tablet = await openBrowser();
    const m = widget(mother.page);
    const p = widget(partner.page);
    const midwife = await professional("eigen-midwife");
    const nurse = await professional("eigen-nurse");
    const gp = await professional("eigen-gp");
    const canRead = async (desk, shareId) =>
      (await desk("GET", `/api/v1/inbox/shares/${shareId}`)).status === 200;
    try {
      // 1. Before there is a family, the mother shares once with the midwife practice.
      await shareForm(mother.page, MOTHER_PAGE);
      await m.getByRole("combobox", { name: "Welke organisatie?" }).selectOption(MIDWIFE.slug);
      const oneOff = await sendShare(mother.page);
      assert.equal(oneOff.organisation, MIDWIFE.slug);

      // 2. She starts the family's network with the midwife practice and the GP practice, and
      // makes a pairing code for the other parent: the code names the role, not the joining phone.
      await openNetwork(mother.page, MOTHER_PAGE);
      await m.getByRole("button", { name: "Begin ons zorgnetwerk" }).click();
      await m.getByText("Jullie zorgnetwerk is begonnen.", { exact: false }).waitFor();
      await addMember(mother.page, MIDWIFE);
      await addMember(mother.page, GP);
      assert.equal(await m.getByRole("radio", { name: "Voor de andere ouder" }).isChecked(), true);
      let mark = mother.record.requests.length;
      await m.getByRole("button", { name: "Maak een koppelcode" }).click();
      const code = (await m.locator("[data-kb=pairing-code] .kb-code").textContent()).trim();
      assert.deepEqual(sent(mother.record, mark, "POST", "/api/v1/family/pairing-code"), {
        role: "partner",
      });

      await openNetwork(partner.page, PARTNER_PAGE);
      mark = partner.record.requests.length;
      await p.getByRole("textbox", { name: "Koppelcode", exact: true }).fill(code);
      await p.getByRole("button", { name: "Koppel dit apparaat" }).click();
      await p.getByText("Jij bent de partner", { exact: false }).waitFor();
      assert.deepEqual(sent(partner.record, mark, "POST", "/api/v1/families/join"), {
        pairing_code: code,
      });
      const familyId = await partner.page.evaluate(
        () => JSON.parse(sessionStorage.getItem("kindband:family")).family_id,
      );

      // 3. The mother shares with the midwife only; "organisations added later" and "show the
      // other parent" are unticked unless she ticks them.
      await shareForm(mother.page, MOTHER_PAGE);
      await m.getByRole("checkbox", { name: GP.name }).uncheck();
      const later = m.getByRole("checkbox", {
        name: "Ook delen met organisaties die later bij ons netwerk komen",
      });
      const showFamily = m.getByRole("checkbox", { name: "Laat dit ook aan de andere ouder zien" });
      assert.equal(await later.isChecked(), false);
      assert.equal(await showFamily.isChecked(), false);
      const hers = await sendShare(mother.page);
      assert.deepEqual(hers.recipients, [MIDWIFE.slug]);
      assert.equal("later_members" in hers || "show_to_family" in hers, false);

      // The partner shares with both and allows both.
      await shareForm(partner.page, PARTNER_PAGE);
      await p
        .getByRole("checkbox", {
          name: "Ook delen met organisaties die later bij ons netwerk komen",
        })
        .check();
      await p.getByRole("checkbox", { name: "Laat dit ook aan de andere ouder zien" }).check();
      const his = await sendShare(partner.page);
      assert.deepEqual([...his.recipients].sort(), [GP.slug, MIDWIFE.slug].sort());
      assert.equal(his.later_members, true);
      assert.equal(his.show_to_family, true);
      assert.equal(await canRead(midwife, hers.share_id), true);
      assert.equal(await canRead(gp, hers.share_id), false, "the GP was not ticked");
      assert.equal(await canRead(gp, his.share_id), true);

      // Each parent sees who can see their own share now; the partner's share shows on the
      // mother's phone (he chose that), hers not on his.
      await openNetwork(mother.page, MOTHER_PAGE);
      const herItem = m.locator(`[data-family-share="${hers.share_id}"]`);
      assert.equal(
        (await herItem.locator("[data-kb=audience]").textContent()).trim(),
        `Kan dit nu zien: ${MIDWIFE.name}.`,
      );
      assert.match(
        await m.locator(`[data-family-share="${his.share_id}"]`).textContent(),
        /gedeeld door de partner/,
      );
      await openNetwork(partner.page, PARTNER_PAGE);
      await p.locator(`[data-family-share="${his.share_id}"]`).waitFor();
      assert.equal(await p.locator(`[data-family-share="${hers.share_id}"]`).count(), 0);

      // 4. The midwife proposes youth health care. Before "ja" the mother reads exactly what the
      // JGZ would get: nothing of hers (she did not allow later members), one of the partner's.
      const referral = await midwife("POST", `/api/v1/inbox/families/${familyId}/referrals`, {
        organisation: JGZ.slug,
        reason: "Een huisbezoek van de JGZ rond week 34.",
      });
      assert.equal(referral.status, 201, JSON.stringify(referral.body));
      await openNetwork(mother.page, MOTHER_PAGE);
      const wouldSee = m.locator(`[data-proposal="${referral.body.id}"] [data-kb=would-see]`);
      await wouldSee.waitFor();
      const preview = await wouldSee.textContent();
      assert.match(preview, /Nog niets van wat jij deelde\./);
      assert.match(preview, /Van de andere ouder: 1 uitslag\./);
      assert.equal(
        await wouldSee.getByRole("checkbox", { name: /^PHQ-2 van / }).isChecked(),
        false,
      );
      mark = mother.record.requests.length;
      await m.getByRole("button", { name: `Ja, ${JGZ.name} mag erbij` }).click();
      await m.getByText(`${JGZ.name} zit nu in jullie zorgnetwerk.`).waitFor();
      assert.deepEqual(
        sent(mother.record, mark, "POST", `/api/v1/family/referrals/${referral.body.id}`),
        { decision: "accept", consent_version: "2026-11-referral-v1" },
      );
      assert.equal(await canRead(nurse, his.share_id), true, "the partner allowed later members");
      assert.equal(await canRead(nurse, hers.share_id), false, "the mother did not");

      // 5. Later she shows her share to the GP practice (one share), then gives the JGZ all of
      // hers at once.
      mark = mother.record.requests.length;
      await m
        .locator(`[data-family-share="${hers.share_id}"]`)
        .getByRole("combobox", { name: "Laat ook deze organisatie je PHQ-2 zien:" })
        .selectOption(GP.slug);
      await m
        .locator(`[data-family-share="${hers.share_id}"]`)
        .getByRole("button", { name: "Laat zien" })
        .click();
      await m.getByText(`${GP.name} kan deze uitslag nu ook zien.`).waitFor();
      assert.deepEqual(
        sent(mother.record, mark, "POST", `/api/v1/family/shares/${hers.share_id}/audience`),
        { add: [GP.slug] },
      );
      assert.equal(await canRead(gp, hers.share_id), true);
      assert.equal(await canRead(nurse, hers.share_id), false, "one share, one organisation");
      mark = mother.record.requests.length;
      await m
        .getByRole("button", { name: `Geef ${JGZ.name} ook alles wat ik eerder deelde` })
        .click();
      await m.getByRole("button", { name: "Ja, geef ze" }).click();
      await m.getByText(`${JGZ.name} ziet nu ook 1 eerdere uitslag(en) van jou.`).waitFor();
      assert.deepEqual(sent(mother.record, mark, "POST", "/api/v1/family/audience"), {
        add: JGZ.slug,
      });
      assert.equal(await canRead(nurse, hers.share_id), true);
      assert.match(
        await m.locator(`[data-family-share="${hers.share_id}"] [data-kb=audience]`).textContent(),
        new RegExp(`${JGZ.name}`),
      );

      // Each widening shows in "who looked".
      await m.getByRole("button", { name: "Wie heeft er gekeken?" }).click();
      const log = await m.locator("[data-kb=access-log]").textContent();
      assert.match(log, new RegExp(`de moeder liet ook ${GP.name} de PHQ-2 van de moeder`));
      assert.match(log, new RegExp(`de moeder liet ook ${JGZ.name} de PHQ-2 van de moeder`));
      await m.getByRole("button", { name: "Terug" }).click();
      await m.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
      await m.getByText("Even geduld…").waitFor({ state: "detached" });

      // 6. A private message to the midwife practice only, not shown to the partner; the
      // midwife answers the mother only.
      await m.getByRole("combobox", { name: "Aan wie?" }).selectOption(MIDWIFE.slug);
      await m
        .getByRole("textbox", { name: "Schrijf een bericht aan jullie zorgverleners" })
        .fill(PRIVATE_TEXT);
      assert.equal(
        await m
          .getByRole("checkbox", { name: "Laat dit bericht ook aan de andere ouder zien" })
          .isChecked(),
        false,
      );
      mark = mother.record.requests.length;
      await m.getByRole("button", { name: "Verstuur je bericht" }).click();
      await m.getByText("Je bericht is verstuurd.").waitFor();
      assert.deepEqual(sent(mother.record, mark, "POST", "/api/v1/family/messages"), {
        text: PRIVATE_TEXT,
        organisation: MIDWIFE.slug,
      });
      const texts = async (desk) =>
        ((await desk("GET", `/api/v1/inbox/families/${familyId}`)).body?.messages || []).map(
          (message) => message.text,
        );
      assert.ok((await texts(midwife)).includes(PRIVATE_TEXT));
      assert.equal((await texts(nurse)).includes(PRIVATE_TEXT), false);
      const reply = await midwife("POST", `/api/v1/inbox/families/${familyId}/messages`, {
        text: "Fijn dat je het laat weten. Ik bel je morgen.",
        to_parent: "mother",
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      await openNetwork(mother.page, MOTHER_PAGE);
      assert.match(
        await m.locator(`[data-message="${reply.body.id}"]`).textContent(),
        /alleen voor jou/,
      );
      await openNetwork(partner.page, PARTNER_PAGE);
      assert.equal(await p.getByText(PRIVATE_TEXT).count(), 0);
      assert.equal(await p.locator(`[data-message="${reply.body.id}"]`).count(), 0);

      // 7. A code for another device of hers (the partner is in, so that is the only choice): her
      // tablet joins as the mother; she names it, then removes it, and its next request fails.
      await openNetwork(mother.page, MOTHER_PAGE);
      assert.equal(
        await m.getByRole("radio", { name: "Voor een ander apparaat van mij" }).isChecked(),
        true,
      );
      assert.equal(await m.getByRole("radio", { name: "Voor de andere ouder" }).count(), 0);
      mark = mother.record.requests.length;
      await m.getByRole("button", { name: "Maak een koppelcode" }).click();
      const tabletCode = (await m.locator("[data-kb=pairing-code] .kb-code").textContent()).trim();
      assert.deepEqual(sent(mother.record, mark, "POST", "/api/v1/family/pairing-code"), {
        role: "mother",
      });
      const t = widget(tablet.page);
      await openNetwork(tablet.page, MOTHER_PAGE);
      await t.getByRole("textbox", { name: "Koppelcode", exact: true }).fill(tabletCode);
      await t.getByRole("button", { name: "Koppel dit apparaat" }).click();
      await t.getByText("Jij bent de moeder", { exact: false }).waitFor();
      const tabletId = (await asDevice(tablet.page, "family/devices")).body.devices.find(
        (device) => device.me,
      ).id;

      await openNetwork(mother.page, MOTHER_PAGE);
      const tabletCard = m.locator(`[data-device="${tabletId}"]`);
      await tabletCard.getByRole("textbox", { name: "Naam van het apparaat" }).fill("Tablet");
      await tabletCard.getByRole("button", { name: "Bewaar de naam" }).click();
      await m.getByText("Het apparaat heet nu Tablet.").waitFor();
      await m.getByRole("button", { name: "Haal Tablet weg" }).click();
      mark = mother.record.requests.length;
      await m.getByRole("button", { name: "Ja, haal het weg" }).click();
      await m.getByText("Tablet hoort niet meer bij jullie gezin.").waitFor();
      assert.equal(apiSince(mother.record, mark)[0].path, `/api/v1/family/devices/${tabletId}`);
      assert.equal(apiSince(mother.record, mark)[0].method, "DELETE");
      assert.equal((await asDevice(tablet.page, "family")).status, 401);
      await openNetwork(tablet.page, MOTHER_PAGE);
      await t.getByText("Dit apparaat hoort niet meer bij een gezin.", { exact: false }).waitFor();
      await t.getByRole("button", { name: "Haal het gezin van dit apparaat" }).click();

      // A full family (4 devices) says what to do, and the code stays valid: two more devices of
      // hers join (as the widget does, over HTTP), then the tablet's try is refused as full; she
      // removes an old one and the same code works.
      const makeCode = async () => {
        await openNetwork(mother.page, MOTHER_PAGE);
        await m.getByRole("button", { name: "Maak een koppelcode" }).click();
        return (await m.locator("[data-kb=pairing-code] .kb-code").textContent()).trim();
      };
      for (const name of ["Oude telefoon", "Werklaptop"]) {
        const joined = await fetch(`${site.api}/api/v1/families/join`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${crypto.randomBytes(32).toString("base64url")}`,
          },
          body: JSON.stringify({ pairing_code: await makeCode(), device_name: name }),
        });
        assert.equal(joined.status, 200, await joined.text());
      }
      const fifthCode = await makeCode();
      const codeField = t.getByRole("textbox", { name: "Koppelcode", exact: true });
      await codeField.fill(fifthCode);
      await t.getByRole("button", { name: "Koppel dit apparaat" }).click();
      await t.getByText("Jullie gezin heeft al 4 apparaten.", { exact: false }).waitFor();
      assert.equal(await codeField.getAttribute("aria-invalid"), "true");
      await openNetwork(mother.page, MOTHER_PAGE);
      await m.getByRole("button", { name: "Haal Oude telefoon weg" }).click();
      await m.getByRole("button", { name: "Ja, haal het weg" }).click();
      await m.getByText("Oude telefoon hoort niet meer bij jullie gezin.").waitFor();
      await t.getByRole("button", { name: "Koppel dit apparaat" }).click();
      await t.getByText("Jij bent de moeder", { exact: false }).waitFor();

      // The partner sees the mother's devices but cannot remove them.
      await openNetwork(partner.page, PARTNER_PAGE);
      await p.locator("[data-kb=devices]").waitFor();
      assert.equal(await p.getByRole("button", { name: /^Haal .* weg$/ }).count(), 0);

      // 8. Erasure: the partner asks to remove the family; the mother is told and the partner
      // takes it back; then the partner removes only his own data, and the mother, alone now,
      // removes the family with the one-off share from before the family existed.
      await p.getByRole("button", { name: "Verwijder ons gezin" }).click();
      await p.getByRole("button", { name: "Ja, verwijder ons gezin voorgoed" }).click();
      await p.getByText("Je vraag is verstuurd.", { exact: false }).waitFor();
      // The mother hears of it as news on the start screen, and reads it in the network.
      await mother.page.goto(`${site.url}/test/network.html?${MOTHER_PAGE}`);
      await m.getByRole("button", { name: "Kijk of er nieuws is" }).click();
      assert.match(
        await m.locator("[data-kb=news]").textContent(),
        /een vraag van de andere ouder om jullie gezin te verwijderen/,
      );
      await m.getByRole("button", { name: "Bekijk het nieuws" }).click();
      await m.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
      await m
        .locator("[data-kb=erase-request]")
        .getByText("De partner wil jullie gezin verwijderen", { exact: false })
        .waitFor();
      await m.locator("[data-notice=erase_requested]").waitFor();
      await openNetwork(partner.page, PARTNER_PAGE);
      await p.getByRole("button", { name: "Toch niet" }).click();
      await p.getByText("Jullie gezin wordt niet verwijderd.", { exact: false }).waitFor();
      await openNetwork(mother.page, MOTHER_PAGE);
      await m.locator("[data-notice=erase_cancelled]").waitFor();
      assert.equal(await m.locator("[data-kb=erase-request]").count(), 0);

      await openNetwork(partner.page, PARTNER_PAGE);
      await p.getByRole("button", { name: "Verwijder alleen mijn eigen gegevens" }).click();
      await p.getByRole("button", { name: "Ja, verwijder mijn gegevens" }).click();
      await p.getByText("Je eigen gegevens zijn verwijderd.", { exact: false }).waitFor();
      assert.equal(await canRead(midwife, his.share_id), false, "his share is gone");
      assert.equal(await canRead(midwife, hers.share_id), true, "hers stays");
      await openNetwork(mother.page, MOTHER_PAGE);
      await m.locator("[data-notice=parent_data_erased]").waitFor();
      assert.equal(await m.locator(`[data-family-share="${his.share_id}"]`).count(), 0);

      const receipt = await mother.page.evaluate(
        (id) =>
          JSON.parse(localStorage.getItem("kindband:shares")).find((r) => r.share_id === id)
            .receipt,
        oneOff.share_id,
      );
      assert.equal(await canRead(midwife, oneOff.share_id), true);
      mark = mother.record.requests.length;
      await m.getByRole("button", { name: "Verwijder ons gezin" }).click();
      await m.getByRole("button", { name: "Ja, verwijder ons gezin voorgoed" }).click();
      await m.getByText("Jullie gezin is verwijderd", { exact: false }).waitFor();
      assert.deepEqual(sent(mother.record, mark, "DELETE", "/api/v1/family"), {
        one_off: [{ share_id: oneOff.share_id, receipt }],
      });
      assert.match(
        await m.locator("[data-kb=erase-report]").textContent(),
        new RegExp(`Ook gewist.*PHQ-2 van .*, aan ${MIDWIFE.name}`),
      );
      assert.equal(await canRead(midwife, oneOff.share_id), false, "the one-off share is gone");
      assert.equal(
        (await midwife("GET", `/api/v1/inbox/families/${familyId}`)).status,
        410,
        "the family is erased",
      );

      for (const browser of [mother, partner, tablet])
        assert.deepEqual(browser.record.violations, [], "no CSP violations");
      // (The tablet's 401 after it was removed is logged by the browser: expected there.)
      for (const browser of [mother, partner])
        assert.deepEqual(browser.record.errors, [], "no page errors");
    } finally {
      await mother.close();
      await partner.close();
      await tablet.close();
    }
  },
);
