// Mail when there is news (issue 23), the parent's side in headless Chromium against the real
// kindband-server: the widget offers it once, in plain words; a wrong address gets a clear message;
// the address goes only to PUT /family/notifications (with this page as the link), and the parent
// changes or stops it. docs/care-network.md, "Notifications by e-mail".
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { SERVER_BINARY, openBrowser, startSite, widget } from "./harness.mjs";

const skip = SERVER_BINARY
  ? false
  : "KINDBAND_SERVER_BINARY not set (scripts/test-browser.sh sets it)";
const COALITION = "ks-mail";
const MIDWIFE = { slug: "vk-mail", name: "Verloskundigen Mail", type: "verloskunde" };
const PAGE = "org=ks-mail&instruments=phq2&parent-role=mother&stage=pregnancy&week=30";

let site;
before(async () => {
  if (skip) return;
  site = await startSite();
  const admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
  const run = (args) =>
    execFileSync(admin, ["--database", site.database, ...args], { stdio: "pipe" });
  run(["create-coalition", COALITION, "--name", "Kansrijke Start Mail"]);
  run(["create-organisation", MIDWIFE.slug, "--name", MIDWIFE.name, "--origin", site.url]);
  run(["add-organisation-to-coalition", MIDWIFE.slug, COALITION, "--type", MIDWIFE.type]);
});
after(async () => site?.close());

async function openNetwork(page) {
  const w = widget(page);
  await page.goto(`${site.url}/test/network.html?${PAGE}`);
  await w.getByRole("button", { name: "Ons zorgnetwerk" }).click();
  await w.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
  await w.getByText("Even geduld…").waitFor({ state: "detached" });
}

/** The requests with this method to /api/v1/family/notifications after `mark`, bodies parsed. */
function mailCalls(record, mark, method) {
  return record.requests
    .slice(mark)
    .filter(
      (r) => r.method === method && new URL(r.url).pathname === "/api/v1/family/notifications",
    )
    .map((r) => (r.body ? JSON.parse(r.body) : null));
}

test(
  "the widget offers mail once, keeps the address the parent's own, and stops it",
  { skip },
  async () => {
    const mother = await openBrowser();
    const m = widget(mother.page);
    try {
      await openNetwork(mother.page);
      await m.getByRole("button", { name: "Begin ons zorgnetwerk" }).click();
      await m.getByText("Jullie zorgnetwerk is begonnen.", { exact: false }).waitFor();

      // Offered in plain words: the mail never says what the news is.
      const offer = m.locator("[data-kb=mail-offer]");
      await offer.getByRole("heading", { name: "Wil je een mail als er nieuws is?" }).waitFor();
      await offer
        .getByText("In de mail staat nooit wat er is of van wie.", { exact: false })
        .waitFor();
      await offer.getByText("Zorgverleners zien het niet.", { exact: false }).waitFor();

      const field = offer.getByRole("textbox", { name: "Je e-mailadres" });
      await field.fill("moeder at thuis");
      let mark = mother.record.requests.length;
      await offer.getByRole("button", { name: "Mail mij bij nieuws" }).click();
      await offer.getByText("Dit is geen e-mailadres.", { exact: false }).waitFor();
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.equal(mailCalls(mother.record, mark, "PUT").length, 1, "the server said 422");

      await field.fill("moeder@example.org");
      mark = mother.record.requests.length;
      await offer.getByRole("button", { name: "Mail mij bij nieuws" }).click();
      await m
        .getByText("Als er nieuws is, krijg je een mail op moeder@example.org.", { exact: false })
        .waitFor();
      assert.deepEqual(mailCalls(mother.record, mark, "PUT"), [
        { email: "moeder@example.org", page: `${site.url}/test/network.html` },
      ]);

      // Back later: no offer again; the address is shown to this parent, who stops it.
      await openNetwork(mother.page);
      await m.getByText("krijg je een mail op moeder@example.org", { exact: false }).waitFor();
      assert.equal(await m.locator("[data-kb=mail-offer]").count(), 0);
      mark = mother.record.requests.length;
      await m.getByRole("button", { name: "Geen mail meer" }).click();
      await m.getByText("Je krijgt geen mail. Kijk hier zelf of er nieuws is.").waitFor();
      assert.equal(mailCalls(mother.record, mark, "DELETE").length, 1);

      // Offered once: without an address the part stays a short line with a button.
      await openNetwork(mother.page);
      await m.getByText("Je krijgt geen mail. Kijk hier zelf of er nieuws is.").waitFor();
      assert.equal(await m.locator("[data-kb=mail-offer]").count(), 0);
      await m
        .locator("[data-kb=mail]")
        .getByRole("button", { name: "Mail mij bij nieuws" })
        .waitFor();
      assert.deepEqual(mother.record.violations, [], "no CSP violations");
      // The one refused address shows as the browser's own note on the 422 answer, nothing else.
      assert.deepEqual(
        mother.record.errors.filter((text) => !/status of 422/.test(text)),
        [],
        "no page errors",
      );
    } finally {
      await mother.close();
    }
  },
);
