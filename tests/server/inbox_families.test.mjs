// Finding "their" families (issue 24, items 2 and 3) in the inbox page, in Debian's headless
// Chromium against the real kindband-server: a family shows by the name its parents chose (in my
// day, the inbox and on its page), never as "Gezin 1a2b3c4d" (one without a name is "Gezin zonder
// naam"); the "Gezinnen" view lists the
// families of our network with those waiting for us first, searches by name as one types, filters
// on "waiting for us", the state of what they shared and due or birth dates, and opens a family's
// page (items 2, 3); an invitation shows its link as a QR code that an independent decoder
// (zbarimg) reads back, and goes by e-mail from the same box (item 4). axe on every new screen, no sideways scrolling at
// 320 px. Run: KINDBAND_SERVER_BINARY=... KINDBAND_ADMIN_BINARY=... node --test tests/server/inbox_families.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  PASSWORD,
  launchBrowser,
  loadAxe,
  loadEngine,
  missing,
  parents,
  prepare,
  professionalSession,
  screenChecks,
  startServer,
} from "./inbox_harness.mjs";

const ZBARIMG = "/usr/bin/zbarimg";

test(
  "inbox page: families by name, the family list with search and filter",
  { skip: missing.length ? `missing: ${missing.join(", ")}` : false, timeout: 600000 },
  async () => {
    const kb = await loadEngine();
    const AxeBuilder = await loadAxe();
    const setup = await prepare("kindband-inbox-families-");
    const { admin, origin } = setup;
    admin(["create-coalition", "ks-teststad", "--name", "Kansrijke Start Teststad"]);
    admin(["create-organisation", "vk-zon", "--origin", origin, "--name", "De Zon"]);
    admin([
      "add-organisation-to-coalition",
      "vk-zon",
      "ks-teststad",
      "--type",
      "verloskunde",
      "--page",
      "https://www.example.nl/zwanger",
    ]);
    admin(
      ["create-professional", "anna", "--organisation", "vk-zon", "--role", "verloskundige"],
      `${PASSWORD}\n`,
    );
    const server = await startServer(setup);
    let closeBrowser = null;
    try {
      // Three families: one waiting for us (a share nobody took), two without news.
      const family = parents(origin, kb);
      const waitingKey = family.familyKey();
      const waitingId = await family.newFamily(
        waitingKey,
        "mother",
        ["vk-zon"],
        "Anouk en Sem, uitgerekend maart",
      );
      await family.linkedShare(
        waitingKey,
        waitingId,
        ["vk-zon"],
        "phq9",
        [1, 1, 1, 1, 1, 0, 0, 0, 0],
        {
          role: "mother",
          stage: "pregnancy",
          week: 20,
        },
      );
      await family.newFamily(family.familyKey(), "mother", ["vk-zon"], "Lotte en Daan");
      await family.newFamily(family.familyKey(), "mother", ["vk-zon"]);

      // A colleague agreed on a visit by our practice within three days: news for us (item 5).
      const colleague = await professionalSession(origin, "anna");
      const due = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
      const agreement = await colleague("POST", `/api/v1/inbox/families/${waitingId}/agreements`, {
        what: "Huisbezoek na de geboorte",
        owner_organisation: "vk-zon",
        due_date: due,
      });
      assert.equal(agreement.status, 201, agreement.text);

      const launched = await launchBrowser();
      closeBrowser = launched.close;
      const page = await launched.context.newPage();
      const problems = [];
      page.on("pageerror", (error) => problems.push(error.message));
      const { axe, noSideways } = screenChecks(page, AxeBuilder);
      await page.goto(`${origin}/inbox/`);
      await page.getByLabel("Gebruikersnaam").fill("anna");
      await page.getByLabel("Wachtwoord").fill(PASSWORD);
      await page.getByRole("button", { name: "Inloggen" }).click();

      // My day names the family as its parents did, and says what is new for us, once.
      await page.locator('#day [data-part="not-taken"] li').first().waitFor();
      const news = page.locator('#day [data-part="new-for-us"] li');
      assert.equal(await news.count(), 1);
      assert.match(
        await news.first().innerText(),
        /Afspraak voor jullie, uiterlijk .*Huisbezoek na de geboorte/,
      );
      assert.match(await news.first().innerText(), /Anouk en Sem, uitgerekend maart/);
      const dayText = await page.locator("#day").innerText();
      assert.match(dayText, /Anouk en Sem, uitgerekend maart/);
      assert.ok(!dayText.includes(waitingId.slice(0, 8)), "no id in my day");

      // The families view: waiting for us first, then by name; an unnamed one by its short id.
      await page.getByRole("button", { name: "Gezinnen", exact: true }).click();
      const rows = page.locator("#families-list > li");
      await rows.nth(2).waitFor();
      assert.deepEqual(await rows.locator(".family-link").allInnerTexts(), [
        "Anouk en Sem, uitgerekend maart",
        "Lotte en Daan",
        "Gezin zonder naam",
      ]);
      assert.match(await rows.first().innerText(), /Wacht op ons/);
      assert.match(await rows.first().innerText(), /1 nieuw gedeeld/);
      assert.equal(
        await page
          .getByRole("button", { name: "Gezinnen", exact: true })
          .getAttribute("aria-current"),
        "true",
      );
      await axe("families list");

      // Searching as one types (case does not matter).
      await page.getByLabel("Zoek op naam van het gezin").fill("lotte");
      await page.waitForFunction(
        () => document.querySelectorAll("#families-list > li").length === 1,
      );
      assert.equal(await rows.first().locator(".family-link").innerText(), "Lotte en Daan");
      await page.getByLabel("Zoek op naam van het gezin").fill("niemand");
      await page.locator("#families-empty").waitFor({ state: "visible" });
      await page.getByLabel("Zoek op naam van het gezin").fill("");
      await rows.nth(2).waitFor();
      // Only those waiting for us.
      await page.getByLabel("Alleen gezinnen die op ons wachten").check();
      await page.waitForFunction(
        () => document.querySelectorAll("#families-list > li").length === 1,
      );
      assert.equal(
        await rows.first().locator(".family-link").innerText(),
        "Anouk en Sem, uitgerekend maart",
      );

      await page.getByLabel("Alleen gezinnen die op ons wachten").uncheck();
      await rows.nth(2).waitFor();
      // The state of what they shared: only the family with a share nobody took yet.
      await page.getByLabel("Stand van wat ze deelden").selectOption("new");
      await page.waitForFunction(
        () => document.querySelectorAll("#families-list > li").length === 1,
      );
      assert.match(await rows.first().innerText(), /Anouk en Sem/);
      await page.getByLabel("Stand van wat ze deelden").selectOption("");
      await rows.nth(2).waitFor();
      // Due or born between two dates: the family shared in week 20, so it is due in 20 weeks.
      const day = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
      assert.match(await rows.first().innerText(), /Uitgerekend rond /);
      await page.locator("#families-from").fill(day(100));
      await page.locator("#families-to").fill(day(180));
      await page.locator("#families-to").dispatchEvent("change");
      await page.waitForFunction(
        () => document.querySelectorAll("#families-list > li").length === 1,
      );
      assert.match(await rows.first().innerText(), /Anouk en Sem/);
      await axe("families list with filters");
      await page.locator("#families-from").fill(day(200));
      await page.locator("#families-to").fill(day(260));
      await page.locator("#families-to").dispatchEvent("change");
      await page.locator("#families-empty").waitFor({ state: "visible" });
      await page.locator("#families-from").fill("");
      await page.locator("#families-to").fill("");
      await page.locator("#families-to").dispatchEvent("change");
      await rows.nth(2).waitFor();
      await page.getByLabel("Alleen gezinnen die op ons wachten").check();
      await page.waitForFunction(
        () => document.querySelectorAll("#families-list > li").length === 1,
      );

      // A family opens on its page, titled with its name; back leads to the list.
      await rows.first().locator(".family-link").click();
      await page.locator("#family-section").waitFor({ state: "visible" });
      assert.equal(
        await page.locator("#family-title").innerText(),
        "Gezinspagina van Anouk en Sem, uitgerekend maart",
      );
      await page.locator("#close-family").click();
      await page.locator("#families-section").waitFor({ state: "visible" });

      // An invitation for the consultation room: its link as a QR code, decoded by an independent
      // decoder (Debian's zbarimg) from what the browser drew.
      await page.getByRole("button", { name: "Gedeelde uitkomsten", exact: true }).click();
      await page.getByRole("button", { name: "Gezin uitnodigen" }).click();
      const qr = page.locator("#invitation-qr svg");
      await qr.waitFor();
      const link = await page.locator("#invitation-link").innerText();
      assert.match(link, /^https:\/\/www\.example\.nl\/zwanger#kindband-invite=/);
      const picture = path.join(setup.dir, "qr.png");
      await qr.screenshot({ path: picture });
      assert.ok(
        fs.existsSync(ZBARIMG),
        `${ZBARIMG} missing: run scripts/install-deps.sh (zbar-tools)`,
      );
      const decoded = spawnSync(ZBARIMG, ["--raw", "-q", picture], { encoding: "utf8" });
      assert.equal(decoded.status, 0, decoded.stderr);
      assert.equal(decoded.stdout.trim(), link);
      await axe("invitation with its QR code");
      // Sent by e-mail from here (issue 24): a clear error for what is no address, then queued.
      await page.getByLabel("E-mailadres van de ouder").fill("anouk-at-example");
      await page.getByRole("button", { name: "Stuur per e-mail" }).click();
      await page.getByText("Dit is geen e-mailadres. Kijk het na.").waitFor();
      await page.getByLabel("E-mailadres van de ouder").fill("anouk@example.org");
      await page.getByRole("button", { name: "Stuur per e-mail" }).click();
      await page.getByText("De uitnodiging gaat per e-mail naar anouk@example.org.").waitFor();
      assert.equal(await page.getByLabel("E-mailadres van de ouder").inputValue(), "");

      // Her own notification mail (issue 23): a clear error for what is no address, then saved
      // and read back after a reload.
      await page.getByRole("button", { name: "Mijn meldingen", exact: true }).click();
      const address = page.getByLabel("Je e-mailadres voor meldingen");
      await address.waitFor();
      assert.equal(await address.inputValue(), "", "no address yet");
      await address.fill("anna-bij-de-zon");
      await page.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("Dit is geen e-mailadres.", { exact: false }).waitFor();
      assert.equal(await address.getAttribute("aria-invalid"), "true");
      await address.fill("anna@verloskunde-zon.example");
      await page.getByLabel("Eén keer per dag, als samenvatting").check();
      await page.getByLabel(/Ik heb dienst/).check();
      await page.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("Opgeslagen. Je krijgt meldingen op dit adres.").waitFor();
      await axe("my notifications");
      await page.reload();
      await page.locator("#settings-section").waitFor({ state: "visible" });
      await page.getByLabel("Je e-mailadres voor meldingen").waitFor();
      assert.equal(
        await page.getByLabel("Je e-mailadres voor meldingen").inputValue(),
        "anna@verloskunde-zon.example",
      );
      assert.ok(await page.getByLabel("Eén keer per dag, als samenvatting").isChecked());
      assert.ok(await page.getByLabel(/Ik heb dienst/).isChecked());
      await page.setViewportSize({ width: 320, height: 640 });
      await noSideways("my notifications at 320 px");
      await page.getByRole("button", { name: "Gezinnen", exact: true }).click();
      await page.locator("#families-section").waitFor({ state: "visible" });

      // At 320 px nothing sticks out.
      await page.setViewportSize({ width: 320, height: 640 });
      await noSideways("families list at 320 px");
      assert.deepEqual(problems, []);
    } finally {
      if (closeBrowser) await closeBrowser();
      server.kill("SIGTERM");
      fs.rmSync(setup.dir, { recursive: true, force: true });
    }
  },
);
