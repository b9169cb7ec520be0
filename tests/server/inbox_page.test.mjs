// The professional inbox page in Debian's headless Chromium: served by the real kindband-server
// under its own strict CSP, logs in, lists shares in order, renders one with the wasm engine
// (wording and advice equal to what the engine gives the parent, also for a share of the result
// only), marks it seen, logs out, and has no axe-core violations.
// Run: node tests/server/inbox_page.test.mjs (scripts/test-browser.sh runs it; ctest too).
// Needs KINDBAND_SERVER_BINARY and KINDBAND_ADMIN_BINARY (ctest sets them), build/wasm/dist (or
// $KINDBAND_WASM_BUILD/dist) and tests/browser/node_modules (scripts/install-deps.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import {
  EVENT_TIMEOUT_MS,
  PASSWORD,
  TEST_TIMEOUT_MS,
  launchBrowser,
  loadAxe,
  loadEngine,
  missing,
  prepare,
  startServer,
} from "./inbox_harness.mjs";

test(
  "inbox page: login, ordered list, wasm rendering, seen, logout, accessible, strict CSP",
  {
    skip: missing.length ? `missing: ${missing.join(", ")}` : false,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const AxeBuilder = await loadAxe();
    const kb = await loadEngine();

    const { dir, db, port, origin, admin } = await prepare("kindband-inbox-page-");
    admin(["create-organisation", "demo-vsv", "--origin", origin]);
    admin(
      ["create-professional", "anna", "--organisation", "demo-vsv", "--role", "verloskundige"],
      `${PASSWORD}\n`,
    );
    const server = await startServer({ db, port, origin });
    let browser = null;
    try {
      const context = { role: "mother", stage: "pregnancy", week: 20 };
      const share = async (answers, shared) => {
        const body = {
          share_id: crypto.randomUUID(),
          organisation: "demo-vsv",
          instrument: { id: "phq9", version: "2001" },
          context,
          language: "nl",
          shared,
          result: kb.score("phq9", answers, context),
          consent_version: "2026-11-v1",
          created_at: "2026-11-22T21:00:00Z",
          message: "Ik wil graag gebeld worden.",
        };
        if (shared === "result_and_answers") body.answers = answers;
        const response = await fetch(`${origin}/api/v1/shares`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: origin },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 201, await response.text());
        return body;
      };
      // Result only (no answers): a positive screen without a safety flag, listed second.
      const resultOnly = await share([2, 2, 2, 2, 2, 1, 0, 0, 0], "result");
      const flagged = await share([0, 1, 2, 3, 0, 0, 1, 0, 1], "result_and_answers");

      const launched = await launchBrowser();
      browser = launched.close;
      const page = await launched.context.newPage();
      const problems = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      // The whole inbox (#inbox); "my day" is the landing view (tests/server/inbox_cases.test.mjs).
      await page.goto(`${origin}/inbox/#inbox`);
      await page.getByLabel("Gebruikersnaam").fill("anna");
      await page.getByLabel("Wachtwoord").fill(PASSWORD);
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );
      await page.getByRole("button", { name: "Inloggen" }).click();

      const items = page.locator("#share-list li");
      await items.first().waitFor();
      assert.equal(await items.count(), 2);
      // Safety flags first, named in the professional's language; instrument name from the engine.
      const first = await items.first().innerText();
      assert.match(first, /Veiligheidssignaal \(1\)/);
      assert.match(first, /PHQ-9/);
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );

      await items.first().getByRole("button").click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      const detail = await page.locator("#detail").innerText();
      // What the parent saw: the engine's own advice and wording, in the parent's language.
      const advice = kb.advise("phq9", flagged.answers, context, "nl");
      for (const entry of advice.entries) {
        assert.ok(detail.includes(entry.title), `advice title missing: ${entry.title}`);
      }
      const instrument = kb.getInstrument("phq9", "nl");
      assert.ok(detail.includes(instrument.items[8].text), "item 9 wording missing");
      assert.ok(detail.includes(instrument.items[3].options[3].label), "option label missing");
      assert.ok(detail.includes("Ik wil graag gebeld worden."));
      assert.ok(!detail.includes("verschilt van de herberekening"), "rescoring mismatch shown");
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );

      await page.getByLabel("Notitie voor collega's (optioneel)").fill("Gebeld, afspraak gepland");
      await page.getByRole("button", { name: "Markeer als gezien" }).click();
      await page.locator("#inbox-section").waitFor({ state: "visible" });
      await page.waitForFunction(() =>
        document.querySelector("#share-list")?.innerText.includes("gezien door verloskundige"),
      );

      // The result-only share: the advice the parent saw, given by the engine from the result alone.
      assert.equal(await items.count(), 2);
      await items.filter({ hasNotText: "Veiligheidssignaal" }).getByRole("button").click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      const resultDetail = await page.locator("#detail").innerText();
      const parentAdvice = kb.advise("phq9", [2, 2, 2, 2, 2, 1, 0, 0, 0], context, "nl");
      assert.ok(parentAdvice.entries.length > 0);
      assert.ok(resultDetail.includes("Advies dat de ouder zag"), "advice heading missing");
      for (const entry of parentAdvice.entries) {
        assert.ok(resultDetail.includes(entry.title), `advice title missing: ${entry.title}`);
        assert.ok(resultDetail.includes(entry.text), `advice text missing: ${entry.text}`);
      }
      assert.ok(resultDetail.includes("alleen de uitkomst"), "result-only hint missing");
      assert.ok(!resultDetail.includes("Antwoorden"), "answers shown for a result-only share");
      assert.equal(resultOnly.answers, undefined);
      assert.deepEqual(
        (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
        [],
      );
      await page.getByRole("button", { name: "Terug naar de lijst" }).click();
      await page.locator("#inbox-section").waitFor({ state: "visible" });

      await page.getByRole("button", { name: "Uitloggen" }).click();
      await page.locator("#login-section").waitFor({ state: "visible" });
      const me = await page.evaluate(async () => (await fetch("/api/v1/me")).status);
      assert.equal(me, 401);

      assert.deepEqual(
        problems.filter((text) => !text.includes("401")),
        [],
        "console errors or CSP violations",
      );
    } finally {
      if (browser) await browser();
      server.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

// The care network (docs/care-network.md) in the inbox page: counts per state, filters, cursor
// paging, the family page (contact first with tel:/mailto:, the network with "assign to me", the
// timeline of both parents' shares in pregnancy-week order, the trend per instrument), inviting a
// family, and what a removed member and an erased family look like; axe and 320 px on each screen.
test(
  "inbox page: care network, counts, filters, paging, family page, invitation, removed by parents",
  {
    skip: missing.length ? `missing: ${missing.join(", ")}` : false,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const AxeBuilder = await loadAxe();
    const kb = await loadEngine();

    const { dir, db, port, origin, admin } = await prepare("kindband-inbox-network-");
    const widgetPage = `${origin}/site/zwanger.html`;
    admin(["create-coalition", "ks-teststad", "--name", "Kansrijke Start Teststad"]);
    for (const [slug, name, type] of [
      ["vk-zon", "Verloskundigenpraktijk De Zon", "verloskunde"],
      ["jgz-vb", "JGZ Voorbeeldstad", "jgz"],
    ]) {
      admin(["create-organisation", slug, "--origin", origin, "--name", name]);
      admin([
        "add-organisation-to-coalition",
        slug,
        "ks-teststad",
        "--type",
        type,
        "--description-nl",
        `${name} in Teststad`,
        "--description-en",
        `${name} in Teststad`,
        "--page",
        widgetPage,
      ]);
    }
    admin(
      ["create-professional", "anna", "--organisation", "vk-zon", "--role", "verloskundige"],
      `${PASSWORD}\n`,
    );
    admin(
      ["create-professional", "jan", "--organisation", "jgz-vb", "--role", "jeugdverpleegkundige"],
      `${PASSWORD}\n`,
    );
    const server = await startServer({ db, port, origin });
    let browser = null;
    try {
      // --- the parents' side, over HTTP as the widget does it -------------------------------------
      const familyKey = () => crypto.randomBytes(32).toString("base64url");
      const parentCall = async (method, route, key, body) => {
        const headers = { Origin: origin, Authorization: `Bearer ${key}` };
        if (body !== undefined) headers["Content-Type"] = "application/json";
        const response = await fetch(`${origin}${route}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, text, data: text ? JSON.parse(text) : null };
      };
      const expectStatus = (answer, statuses, what) =>
        assert.ok(
          [].concat(statuses).includes(answer.status),
          `${what}: ${answer.status} ${answer.text}`,
        );
      const newFamily = async (key, role, members) => {
        const familyId = crypto.randomUUID();
        expectStatus(
          await parentCall("POST", "/api/v1/families", key, { family_id: familyId, role }),
          201,
          "create family",
        );
        for (const organisation of members) {
          expectStatus(
            await parentCall("POST", "/api/v1/family/memberships", key, {
              organisation,
              consent_version: "2026-11-v1",
            }),
            201,
            `add ${organisation}`,
          );
        }
        return familyId;
      };
      const VERSIONS = { phq9: "2001", gad7: "2006" };
      // A share body as the widget makes it: result scored by the engine from the answers.
      const shareBody = (instrument, answers, context, extra = {}) => ({
        share_id: crypto.randomUUID(),
        instrument: { id: instrument, version: VERSIONS[instrument] },
        context,
        language: "nl",
        shared: "result_and_answers",
        result: kb.score(instrument, answers, context),
        answers,
        consent_version: "2026-11-v1",
        created_at: "2026-11-22T21:00:00Z",
        ...extra,
      });
      const linkedShare = async (
        key,
        familyId,
        recipients,
        instrument,
        answers,
        context,
        extra,
      ) => {
        const body = shareBody(instrument, answers, context, {
          family_id: familyId,
          recipients,
          ...extra,
        });
        expectStatus(await parentCall("POST", "/api/v1/shares", key, body), 201, "linked share");
        return body;
      };
      const oneOffShare = async (instrument, answers, context) => {
        const body = shareBody(instrument, answers, context, { organisation: "vk-zon" });
        const response = await fetch(`${origin}/api/v1/shares`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: origin },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 201, await response.text());
        return body;
      };

      // Family A: the mother with the midwife practice and youth health care; the partner joins.
      const motherKey = familyKey();
      const partnerKey = familyKey();
      const familyA = await newFamily(motherKey, "mother", ["vk-zon", "jgz-vb"]);
      const pairing = await parentCall("POST", "/api/v1/family/pairing-code", motherKey, {});
      expectStatus(pairing, 201, "pairing code");
      expectStatus(
        await parentCall("POST", "/api/v1/families/join", partnerKey, {
          pairing_code: pairing.data.code,
          role: "partner",
        }),
        200,
        "partner joins",
      );
      const both = ["vk-zon", "jgz-vb"];
      // Sent out of order: the timeline must still read week 20, week 30, then 6 weeks after birth.
      const afterBirth = await linkedShare(
        motherKey,
        familyA,
        both,
        "phq9",
        [1, 1, 1, 1, 1, 0, 0, 0, 0],
        {
          role: "mother",
          stage: "postpartum",
          week: 6,
        },
      );
      const week20 = await linkedShare(
        motherKey,
        familyA,
        both,
        "phq9",
        [0, 1, 2, 3, 0, 0, 1, 0, 1],
        { role: "mother", stage: "pregnancy", week: 20 },
        { contact: { name: "Sanne de Vries", phone: "06-12345678", email: "sanne@example.org" } },
      );
      const partner30 = await linkedShare(
        partnerKey,
        familyA,
        both,
        "phq9",
        [2, 2, 2, 2, 2, 1, 0, 0, 0],
        {
          role: "partner",
          stage: "pregnancy",
          week: 30,
        },
      );
      assert.equal(week20.result.flags.length, 1, "the week-20 share has a safety flag");
      assert.equal(afterBirth.result.flags.length + partner30.result.flags.length, 0);

      // 24 one-off shares to the midwife practice: 27 in all, more than one page of 25.
      const oneOff = [];
      for (let i = 0; i < 24; i++) {
        const context = { role: "mother", stage: "pregnancy", week: 8 + i };
        if (i % 6 === 0) oneOff.push(await oneOffShare("gad7", [1, 1, 1, 1, 0, 0, 0], context));
        else if (i % 2)
          oneOff.push(await oneOffShare("phq9", [2, 2, 2, 2, 2, 1, 0, 0, 0], context));
        else oneOff.push(await oneOffShare("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], context));
      }
      const annasShares = [afterBirth, week20, partner30, ...oneOff];
      const positives = annasShares.filter((share) => share.result.positive).length;
      assert.ok(positives > 0 && positives < 25, `positives ${positives}`);

      // Family B removes the midwife practice after sharing; family C erases itself.
      const keyB = familyKey();
      const familyB = await newFamily(keyB, "mother", ["vk-zon"]);
      await linkedShare(keyB, familyB, ["vk-zon"], "phq9", [0, 0, 1, 0, 0, 0, 0, 0, 0], {
        role: "mother",
        stage: "pregnancy",
        week: 12,
      });
      expectStatus(
        await parentCall("DELETE", "/api/v1/family/memberships/vk-zon", keyB),
        200,
        "remove member",
      );
      const keyC = familyKey();
      const familyC = await newFamily(keyC, "mother", ["vk-zon"]);
      await linkedShare(keyC, familyC, ["vk-zon"], "phq9", [0, 0, 1, 0, 0, 0, 0, 0, 0], {
        role: "mother",
        stage: "pregnancy",
        week: 14,
      });
      expectStatus(await parentCall("DELETE", "/api/v1/family", keyC), 200, "erase family");

      // --- the professional's side --------------------------------------------------------------
      const launched = await launchBrowser();
      browser = launched.close;
      const page = await launched.context.newPage();
      const problems = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      const axe = async (screen) =>
        assert.deepEqual(
          (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
          [],
          `axe on ${screen}`,
        );
      // No sideways scrolling; on failure, name the elements that stick out.
      const noSideways = async (screen) => {
        const [scrollWidth, clientWidth, wide] = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const sticking = [...document.querySelectorAll("body *")]
            .filter((node) => node.getBoundingClientRect().right > width + 0.5)
            .map((node) => `${node.tagName.toLowerCase()}.${node.className}`);
          return [document.documentElement.scrollWidth, width, sticking.slice(0, 8)];
        });
        assert.ok(
          scrollWidth <= clientWidth,
          `${screen}: ${scrollWidth}px wide at ${clientWidth}px: ${wide.join(", ")}`,
        );
      };
      const items = page.locator("#share-list li");
      const listed = () =>
        page.$$eval("#share-list li", (nodes) => nodes.map((node) => node.dataset.shareId));
      const count = (key) =>
        page.locator(`#counts li[data-count="${key}"] .count-number`).innerText();
      const waitForList = (length) =>
        page.waitForFunction(
          (n) =>
            document.querySelectorAll("#share-list li").length === n &&
            document.querySelector("#status").textContent !== "Laden…",
          length,
        );
      const login = async (username) => {
        await page.goto(`${origin}/inbox/#inbox`);
        await page.getByLabel("Gebruikersnaam").fill(username);
        await page.getByLabel("Wachtwoord").fill(PASSWORD);
        await page.getByRole("button", { name: "Inloggen" }).click();
        await items.first().waitFor();
      };

      await login("anna");
      // Counts per state, over the whole inbox; a removed member's and an erased family's shares
      // are not among them.
      await page.locator("#counts").waitFor();
      assert.equal(await count("all"), "27");
      assert.equal(await count("received"), "27");
      assert.equal(await count("flagged_new"), "1");
      // A page of 25; the new safety-flagged share first, with its age and its family.
      await waitForList(25);
      const first = items.first();
      assert.equal(await first.getAttribute("data-share-id"), week20.share_id);
      assert.match(await first.innerText(), /Veiligheidssignaal \(1\)/);
      assert.match(await first.innerText(), /ontvangen .*(geleden|nu|seconde|minuut)/);
      assert.equal(
        await first.getByRole("button", { name: /Gezinspagina van een gezin zonder naam/ }).count(),
        1,
      );
      await axe("the list with counts and filters");

      await page.getByRole("button", { name: "Meer laden" }).click();
      await waitForList(27);
      assert.ok(await page.locator("#more").isHidden(), "no more pages");
      assert.deepEqual(
        new Set(await listed()),
        new Set(annasShares.map((share) => share.share_id)),
        "both pages together: every share once",
      );
      // Keyboard users continue at the first share of the new page.
      assert.equal(
        await page.evaluate(() => document.activeElement.closest("li")?.dataset.shareId),
        (await listed())[25],
      );

      await page.getByLabel("Alleen met veiligheidssignaal").check();
      await waitForList(1);
      assert.deepEqual(await listed(), [week20.share_id]);
      await page.getByLabel("Alleen met veiligheidssignaal").uncheck();
      await waitForList(25);

      await page.getByLabel("Alleen positieve screenings").check();
      await waitForList(positives);
      for (const text of await items.allInnerTexts()) assert.match(text, /Positieve screening/);
      await page.getByLabel("Alleen positieve screenings").uncheck();
      await waitForList(25);

      await page.getByLabel("Vragenlijst").selectOption("gad7");
      await waitForList(4);
      for (const text of await items.allInnerTexts()) assert.match(text, /GAD-7/);
      assert.equal(await count("all"), "27", "counts ignore the instrument filter");
      await page.getByLabel("Vragenlijst").selectOption("");
      await waitForList(25);

      // A count is a shortcut to its shares.
      await page.locator('#counts li[data-count="flagged_new"] button').click();
      await waitForList(1);
      assert.deepEqual(await listed(), [week20.share_id]);
      // Safety shares nobody took, also after "seen": the shortcut lists every flagged share.
      assert.equal(await page.getByLabel("Status").inputValue(), "all");
      assert.equal(await page.getByLabel("Alleen met veiligheidssignaal").isChecked(), true);
      await page.locator('#counts li[data-count="all"] button').click();
      await waitForList(25);
      assert.equal(await page.getByLabel("Alleen met veiligheidssignaal").isChecked(), false);

      // A linked share opened from the list: contact first, and a way to its family's page.
      await first.locator("button.share-open").click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      assert.match(await page.locator("#detail > *").first().innerText(), /Contactgegevens/);
      assert.equal(
        await page
          .locator("#detail")
          .getByRole("button", { name: /Gezinspagina van een gezin zonder naam/ })
          .count(),
        1,
      );
      await page.getByRole("button", { name: "Terug naar de lijst" }).click();
      await waitForList(25);

      // The family page, from the list, by keyboard: focus lands on the page.
      await first.getByRole("button", { name: /Gezinspagina van een gezin zonder naam/ }).focus();
      await page.keyboard.press("Enter");
      await page.locator("#family-section").waitFor({ state: "visible" });
      await page.locator("#family .timeline").waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), "family-section");
      assert.equal(new URL(page.url()).hash, `#family=${familyA}`);
      // Contact first, as links.
      assert.equal(await page.locator("#family h3").first().innerText(), "Contactgegevens");
      assert.equal(
        await page.locator("#family a[href^='tel:']").getAttribute("href"),
        "tel:0612345678",
      );
      assert.equal(
        await page.locator("#family a[href^='mailto:']").getAttribute("href"),
        "mailto:sanne@example.org",
      );
      // The network: both member organisations with their type in words.
      const network = page.locator("#family .network li");
      assert.equal(await network.count(), 2);
      const networkText = await page.locator("#family .network").innerText();
      for (const words of [
        "Verloskundigenpraktijk De Zon",
        "JGZ Voorbeeldstad",
        "Jeugdgezondheidszorg",
        "jullie organisatie",
        "Nog geen contactpersoon",
      ]) {
        assert.ok(networkText.includes(words), `network: ${words} missing in ${networkText}`);
      }
      // The timeline: pregnancy by week, then after birth, whatever the order they were sent in.
      const timeline = page.locator("#family .timeline li");
      assert.deepEqual(
        await timeline.evaluateAll((nodes) => nodes.map((node) => node.dataset.shareId)),
        [week20.share_id, partner30.share_id, afterBirth.share_id],
      );
      const moments = await timeline.allInnerTexts();
      assert.match(moments[0], /Zwangerschap, week 20[^]*moeder[^]*Veiligheidssignaal/);
      assert.match(moments[1], /Zwangerschap, week 30[^]*partner/);
      assert.match(moments[2], /6 weken na de geboorte[^]*moeder/);
      // The trend: one chart (a labelled image) and its table, scores as the engine scored them.
      const chart = page.locator("#family svg.trend-chart");
      assert.equal(await chart.count(), 1);
      assert.equal(await chart.getAttribute("role"), "img");
      assert.match(await chart.locator("title").textContent(), /PHQ-9/);
      assert.equal(await chart.locator("circle.trend-point").count(), 2, "mother's points");
      assert.equal(await chart.locator("rect.trend-point").count(), 1, "partner's point");
      const trendRows = await page.locator("#family .trend tbody tr").allInnerTexts();
      assert.equal(trendRows.length, 3);
      [week20, partner30, afterBirth].forEach((share, index) =>
        assert.ok(
          trendRows[index].includes(String(share.result.scales[0].score)),
          `trend row ${index}: ${trendRows[index]}`,
        ),
      );
      await axe("the family page");

      // Assign to me: stored by the server (still there after a reload).
      await page.getByRole("button", { name: "Wijs aan mij toe" }).click();
      await page.waitForFunction(() =>
        document.querySelector("#family .network")?.innerText.includes("anna (verloskundige)"),
      );
      await page.reload();
      await page.waitForFunction(() =>
        document.querySelector("#family .network")?.innerText.includes("anna (verloskundige)"),
      );
      assert.equal(
        await page.getByRole("button", { name: "Ik ben geen contactpersoon meer" }).count(),
        1,
      );
      await axe("the family page after assigning");

      // In English: types and moments in words.
      await page.getByLabel("Taal", { exact: true }).selectOption("en");
      await page.waitForFunction(() =>
        document.querySelector("#family")?.innerText.includes("Midwifery practice"),
      );
      const english = await page.locator("#family").innerText();
      for (const words of ["Youth health care", "Pregnancy, week 20", "6 weeks after birth"]) {
        assert.ok(english.includes(words), `English: ${words} missing`);
      }
      await axe("the family page in English");
      await page.getByLabel("Language", { exact: true }).selectOption("nl");
      await page.locator("#family-title").getByText("Gezinspagina").waitFor();

      // A share from the timeline: contact details come first; back leads to the family.
      await timeline.first().getByRole("button").click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      const firstPart = page.locator("#detail > *").first();
      assert.match(await firstPart.innerText(), /Contactgegevens/);
      assert.equal(
        await firstPart.locator("a[href^='tel:']").getAttribute("href"),
        "tel:0612345678",
      );
      await axe("a share with contact details");
      await page.setViewportSize({ width: 320, height: 700 });
      await noSideways("a share at 320 px");
      await page.getByRole("button", { name: "Markeer als gezien" }).click();
      await page.locator("#family-section").waitFor({ state: "visible" });
      await page.waitForFunction(
        (id) =>
          document
            .querySelector(`#family .timeline li[data-share-id="${id}"]`)
            ?.innerText.includes("gezien"),
        week20.share_id,
      );
      await noSideways("the family page at 320 px");

      // This family's shares in the inbox: the family filter; its counts are the family's.
      await page.getByRole("button", { name: "Uitkomsten van dit gezin in de inbox" }).click();
      await page.locator("#inbox-section").waitFor({ state: "visible" });
      await waitForList(3);
      assert.equal(await count("all"), "3");
      assert.equal(await count("seen"), "1");
      await noSideways("the list at 320 px");
      await axe("the list filtered to one family");
      await page.getByRole("button", { name: "Alle gezinnen tonen" }).click();
      await waitForList(25);
      assert.equal(await count("all"), "27");
      await page.getByLabel("Status").selectOption("seen");
      await waitForList(1);
      assert.deepEqual(await listed(), [week20.share_id]);
      await page.getByLabel("Status").selectOption("all");
      await waitForList(25);
      assert.equal(
        await count("flagged_new"),
        "1",
        "seen does not take the case: still a safety share nobody took",
      );
      await page.setViewportSize({ width: 1000, height: 900 });

      // Invite a family: a code and a link to hand over, and the parents' lookup knows it.
      await page.getByRole("button", { name: "Gezin uitnodigen" }).click();
      await page.locator("#invitation").waitFor({ state: "visible" });
      const code = await page.locator("#invitation-code").innerText();
      assert.match(code, /^[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}$/);
      const link = await page.locator("#invitation-link").getAttribute("href");
      assert.equal(link, `${widgetPage}#kindband-invite=${code}`);
      assert.match(await page.locator("#invitation-expires").innerText(), /Geldig tot/);
      await axe("the invitation");
      const lookup = await fetch(`${origin}/api/v1/invitations/lookup`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin },
        body: JSON.stringify({ code }),
      });
      const lookedUp = await lookup.text();
      assert.equal(lookup.status, 200, lookedUp);
      assert.equal(JSON.parse(lookedUp).organisation.slug, "vk-zon");
      await page.getByRole("button", { name: "Sluiten" }).click();
      assert.ok(await page.locator("#invitation").isHidden());

      // A family that removed the practice, and one that erased itself: said plainly.
      await page.goto(`${origin}/inbox/#family=${familyB}`);
      await page.locator("#family .notice").waitFor();
      assert.match(await page.locator("#family").innerText(), /^Verwijderd door de ouders\./);
      assert.equal(await page.locator("#family .timeline").count(), 0);
      await axe("removed by the parents");
      await page.goto(`${origin}/inbox/#family=${familyC}`);
      await page.locator("#family .notice").getByText("gezin verwijderd").waitFor();
      assert.match(
        await page.locator("#family").innerText(),
        /De ouders hebben hun gezin verwijderd/,
      );
      await axe("an erased family");

      // The parents remove the practice while its family page is open: the next click says so.
      const keyD = familyKey();
      const familyD = await newFamily(keyD, "mother", ["vk-zon"]);
      await linkedShare(keyD, familyD, ["vk-zon"], "phq9", [0, 0, 1, 0, 0, 0, 0, 0, 0], {
        role: "mother",
        stage: "pregnancy",
        week: 16,
      });
      await page.goto(`${origin}/inbox/#family=${familyD}`);
      await page.locator("#family .timeline").waitFor();
      expectStatus(
        await parentCall("DELETE", "/api/v1/family/memberships/vk-zon", keyD),
        200,
        "remove member while open",
      );
      await page.locator("#family .timeline li").first().getByRole("button").click();
      await page.locator("#family .notice").waitFor();
      assert.match(await page.locator("#family").innerText(), /^Verwijderd door de ouders\./);
      assert.match(await page.locator("#error").innerText(), /Verwijderd door de ouders/);
      assert.ok(await page.locator("#detail-section").isHidden(), "no share shown");

      // Youth health care sees the same family and who the midwife practice's contact person is.
      await page.getByRole("button", { name: "Uitloggen" }).click();
      await page.locator("#login-section").waitFor({ state: "visible" });
      await login("jan");
      await page.locator("#counts").waitFor();
      assert.equal(await count("all"), "3");
      await page.goto(`${origin}/inbox/#family=${familyA}`);
      await page.locator("#family .timeline").waitFor();
      const jansNetwork = await page.locator("#family .network").innerText();
      assert.match(
        jansNetwork,
        /Verloskundigenpraktijk De Zon[^]*Contactpersoon: anna \(verloskundige\)/,
      );
      assert.equal(await page.getByRole("button", { name: "Wijs aan mij toe" }).count(), 1);

      assert.deepEqual(
        problems.filter((text) => !/status of (401|403|410)/.test(text)),
        [],
        "console errors or CSP violations",
      );
    } finally {
      if (browser) await browser();
      server.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "inbox page on a phone (issue 14): Dutch login errors, band words, the parent's safety answer, the receipt code, no sideways scrolling, focus back on the share",
  {
    skip: missing.length ? `missing: ${missing.join(", ")}` : false,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const AxeBuilder = await loadAxe();
    const kb = await loadEngine();
    const { dir, db, port, origin, admin } = await prepare("kindband-inbox-phone-");
    admin(["create-organisation", "demo-vsv", "--origin", origin]);
    admin(
      ["create-professional", "anna", "--organisation", "demo-vsv", "--role", "verloskundige"],
      `${PASSWORD}\n`,
    );
    const server = await startServer({ db, port, origin });
    let close = null;
    try {
      const context = { role: "mother", stage: "pregnancy", week: 20 };
      // Item 9: "Meer dan de helft van de dagen"; the closing question (10): "Erg moeilijk".
      const answers = [2, 2, 2, 1, 1, 1, 1, 1, 2, 2];
      const shareId = crypto.randomUUID();
      const response = await fetch(`${origin}/api/v1/shares`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin },
        body: JSON.stringify({
          share_id: shareId,
          organisation: "demo-vsv",
          instrument: { id: "phq9", version: "2001" },
          context,
          language: "nl",
          shared: "result_and_answers",
          result: kb.score("phq9", answers, context),
          answers,
          contact: { name: "Sanne", phone: "06 1234 5678" },
          consent_version: "2026-11-v1",
          created_at: "2026-11-22T21:00:00Z",
        }),
      });
      assert.equal(response.status, 201, await response.text());

      const launched = await launchBrowser({ viewport: { width: 390, height: 844 } });
      close = launched.close;
      const page = launched.context.pages()[0] || (await launched.context.newPage());
      const noSideways = async (where) => {
        const [scroll, client] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          document.documentElement.clientWidth,
        ]);
        assert.ok(scroll <= client, `${where}: ${scroll} px wide in ${client} px`);
      };
      const axe = async (where) =>
        assert.deepEqual(
          (await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id),
          [],
          where,
        );
      await page.goto(`${origin}/inbox/`);
      await page.getByLabel("Gebruikersnaam").fill("anna");
      await page.getByLabel("Wachtwoord").fill("not the password at all");
      await page.getByRole("button", { name: "Inloggen" }).click();
      await page.getByText("Gebruikersnaam of wachtwoord klopt niet.").waitFor();
      await axe("login with an error");
      await page.getByLabel("Wachtwoord").fill(PASSWORD);
      await page.getByRole("button", { name: "Inloggen" }).click();
      const logout = page.getByRole("button", { name: "Uitloggen" });
      await logout.waitFor();
      const box = await logout.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, "log out is not cut off");
      await noSideways("my day");
      const open = page.locator("#day-section button.share-open").first();
      await open.click();
      await page.locator("#detail-section").waitFor({ state: "visible" });
      const detail = await page.locator("#detail").innerText();
      assert.match(
        detail,
        /Veiligheidssignaal: Vraag 9[^]*antwoord van de ouder: Meer dan de helft/,
      );
      assert.ok(!/\bmoderate\b/.test(detail), "band words, not the band's code");
      assert.match(detail, /Veel klachten/);
      // The unscored closing question: the parent's answer, without a value (it adds nothing).
      assert.match(
        detail,
        /10\. Als je een of meer van deze problemen hebt aangevinkt[^\n]*\tErg moeilijk\n/,
      );
      assert.ok(!detail.includes("Erg moeilijk (2)"), "no value for an unscored item");
      const code = shareId.replace(/-/g, "").slice(0, 8).toUpperCase();
      assert.ok(detail.includes(`${code.slice(0, 4)}-${code.slice(4)}`), "the parent's code");
      await noSideways("share");
      await axe("share on a phone");
      await page.getByRole("button", { name: "Terug naar mijn dag" }).click();
      // My day is drawn anew from the server; then the focus is on the share that was open.
      await page.waitForFunction(() => document.activeElement.className === "share-open", null, {
        timeout: EVENT_TIMEOUT_MS,
      });
    } finally {
      if (close) await close();
      server.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
