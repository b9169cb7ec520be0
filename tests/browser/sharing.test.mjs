// Sharing against the real kindband-server (temp SQLite database on loopback): what the parent chooses
// is exactly what is sent and stored; nothing is sent without a confirmed share; offline shares are
// queued and arrive exactly once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import {
  SERVER_BINARY,
  answerAll,
  nodeEngine,
  openBrowser,
  start,
  startSite,
  waitFor,
  widget,
} from "./harness.mjs";
import { openSealed } from "./sealed.mjs";

const skip = SERVER_BINARY
  ? false
  : "KINDBAND_SERVER_BINARY not set (scripts/test-browser.sh sets it)";
let site;
let engine;
before(async () => {
  if (skip) return;
  site = await startSite();
  engine = await nodeEngine();
});
after(async () => site?.close());

// Nine scored answers and the unscored closing question ("Erg moeilijk"): 10 answers.
const ANSWERS = [1, 2, 0, 3, 1, 0, 2, 1, 0, 2];
// The demo page does not say who the parent is (issue 14): no role or stage is assumed.
const CONTEXT = {};

/**
 * Rows of the server's shares table, read straight from its SQLite file; the payload is stored
 * sealed (docs/envelope.md) and opened here with the server's key file.
 */
function storedShares() {
  const out = execFileSync("sqlite3", [
    "-json",
    site.database,
    "SELECT share_id, status, payload FROM shares ORDER BY received_at",
  ]).toString();
  const rows = out.trim() ? JSON.parse(out) : [];
  for (const row of rows) {
    if (row.payload === null) continue;
    assert.ok(row.payload.startsWith("kb1."), "the payload is stored sealed");
    row.payload = openSealed(
      `${site.database}.keys`,
      "shares",
      "payload",
      row.share_id,
      row.payload,
    );
  }
  return rows;
}

function apiRequests(record) {
  return record.requests.filter((request) => new URL(request.url).pathname.startsWith("/api/"));
}

/**
 * The API requests that could carry something of the parent's: all except the public directory
 * entry of the page's `org` (a GET without a body, asked when the share screen opens to learn
 * whether `org` is a coalition: docs/care-network.md), which is checked to be nothing more.
 */
function dataRequests(record) {
  const directory = `/api/v1/directory/demo-vsv`;
  // The embedding check (issue 14) names only the organisation and the page's origin.
  const embedCheck = (request) => new URL(request.url).pathname === "/api/v1/embed-check";
  const isDirectory = (request) =>
    new URL(request.url).pathname === directory || embedCheck(request);
  for (const request of apiRequests(record).filter(isDirectory)) {
    assert.equal(request.method, "GET");
    assert.equal(request.body ?? null, null);
    const search = new URL(request.url).searchParams;
    assert.deepEqual(
      [...search.keys()],
      embedCheck(request) ? ["org", "origin"] : [],
      "a directory or embedding check carries nothing about the parent",
    );
  }
  return apiRequests(record).filter((request) => !isDirectory(request));
}

async function toShareScreen(page) {
  await page.goto(site.url);
  await start(page);
  await answerAll(page, ANSWERS);
  await widget(page).getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
}

async function withPage(fn) {
  const browser = await openBrowser();
  try {
    await fn(browser);
    assert.deepEqual(browser.record.violations, [], "no CSP violations");
  } finally {
    await browser.close();
  }
}

test("declining to share sends nothing", { skip }, async () => {
  await withPage(async ({ page, record }) => {
    const before = storedShares().length;
    await toShareScreen(page);
    const w = widget(page);
    await w.getByRole("radio", { name: "Niets delen" }).check();
    await w.getByRole("button", { name: "Verder zonder delen" }).click();
    await w.getByRole("heading", { name: /Je hebt niets gedeeld/ }).waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(dataRequests(record), [], "no request to the server");
    assert.equal(storedShares().length, before);
  });
});

test(
  "'result and advice' sends no answers (request and server), receipt shows status and withdraws",
  { skip },
  async () => {
    await withPage(async ({ page, record }) => {
      await toShareScreen(page);
      const w = widget(page);
      await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
      await w.getByRole("textbox", { name: "Naam" }).fill("Sanne de Vries");
      await w
        .getByRole("textbox", { name: /Bericht aan de zorgverlener/ })
        .fill("Bel me liever na 15 uur.");
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
      const preview = await w.locator("dl").first().textContent();
      assert.ok(preview.includes("Naam: Sanne de Vries"));
      assert.ok(preview.includes("Bel me liever na 15 uur."));
      const terms = await w.locator("dl").first().locator("dt").allTextContents();
      assert.ok(!terms.includes("Je antwoorden"), "the preview lists no answers");
      const shown = JSON.parse(await w.locator("[data-kb=payload]").textContent());
      assert.equal(shown.answers, undefined);
      assert.equal(dataRequests(record).length, 0, "nothing sent before confirming");

      await w.getByRole("button", { name: "Ja, verstuur" }).click();
      await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
      const posts = apiRequests(record).filter((request) => request.method === "POST");
      assert.equal(posts.length, 1);
      const sent = JSON.parse(posts[0].body);
      assert.deepEqual(sent, shown, "exactly what the preview showed was sent");
      assert.equal(sent.shared, "result");
      assert.equal("answers" in sent, false);
      assert.deepEqual(sent.result, engine.score("phq9", ANSWERS, CONTEXT));
      assert.deepEqual(sent.contact, { name: "Sanne de Vries" });

      const rows = storedShares().filter((row) => row.share_id === sent.share_id);
      assert.equal(rows.length, 1);
      const stored = JSON.parse(rows[0].payload);
      assert.equal("answers" in stored, false, "the server stored no answers");
      assert.equal(stored.shared, "result");

      // A status check redraws the receipt: wait for that event, not for text that was already there.
      const card = () => w.locator(`[data-share="${sent.share_id}"]`);
      const checkStatus = async () => {
        const old = await card().elementHandle();
        const redrawn = old.evaluate(
          (element) =>
            new Promise((resolve) => {
              if (!element.isConnected) return resolve();
              const observer = new MutationObserver(() => {
                if (element.isConnected) return;
                observer.disconnect();
                resolve();
              });
              observer.observe(element.getRootNode(), { childList: true, subtree: true });
            }),
        );
        await card().getByRole("button", { name: "Bekijk de status" }).click();
        await redrawn;
      };
      await checkStatus();
      // The status check brings the share's case: the receipt says what happens with it, in words
      // (once the care-network texts are here; until then the plain state).
      await w.getByText("Je uitslag is aangekomen. Nog niemand heeft hem opgepakt.").waitFor();
      // The question stays open through a redraw (a status check that returns after she pressed
      // "Deling intrekken") until she answers it.
      await w.getByRole("button", { name: "Deling intrekken" }).click();
      await checkStatus();
      await w.getByRole("button", { name: "Ja, intrekken" }).click();
      await w.getByText("Ingetrokken. De gegevens zijn gewist.").waitFor();
      const withdrawn = storedShares().find((row) => row.share_id === sent.share_id);
      assert.equal(withdrawn.status, "withdrawn");
      assert.equal(withdrawn.payload, null, "the payload is erased on the server");
    });
  },
);

test("'result and answers' sends the answers, which the server stores", { skip }, async () => {
  await withPage(async ({ page, record }) => {
    await toShareScreen(page);
    const w = widget(page);
    await w.getByRole("radio", { name: /al mijn antwoorden/ }).check();
    await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
    await w.getByText("Je antwoorden", { exact: true }).waitFor();
    await w.getByRole("button", { name: "Ja, verstuur" }).click();
    await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
    const sent = JSON.parse(apiRequests(record).find((request) => request.method === "POST").body);
    assert.deepEqual(sent.answers, ANSWERS);
    const stored = JSON.parse(storedShares().find((row) => row.share_id === sent.share_id).payload);
    assert.deepEqual(stored.answers, ANSWERS);
  });
});

test("offline, then online: the share is queued, then exactly one arrives", { skip }, async () => {
  await withPage(async ({ page, context, record }) => {
    await toShareScreen(page);
    const w = widget(page);
    await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
    await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
    const shareId = JSON.parse(await w.locator("[data-kb=payload]").textContent()).share_id;
    await context.setOffline(true);
    await w.getByRole("button", { name: "Ja, verstuur" }).click();
    await w.getByText(/Wacht op internet/).waitFor();
    const queue = await page.evaluate(() => JSON.parse(localStorage.getItem("kindband:shares")));
    assert.equal(queue.length, 1);
    assert.equal(queue[0].state, "queued");
    assert.equal(storedShares().filter((row) => row.share_id === shareId).length, 0);
    await w.getByRole("button", { name: "Terug naar de uitslag" }).click();
    await w.getByRole("button", { name: "Opnieuw beginnen", exact: true }).click();
    await w.getByRole("button", { name: "Ja, opnieuw beginnen" }).click();
    await w.getByRole("button", { name: "Vorige" }).click(); // back to the start screen
    await w.getByText("Nog niet verstuurd: 1.", { exact: false }).waitFor();
    await w.getByRole("button", { name: "Wat ik gedeeld heb (1)" }).click();

    await context.setOffline(false);
    await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
    await page.reload(); // a later page load must not send it again
    await widget(page)
      .getByRole("button", { name: /Ga verder|Begin/ })
      .first()
      .waitFor();
    await page.waitForTimeout(300);
    assert.equal(storedShares().filter((row) => row.share_id === shareId).length, 1);
    const posts = apiRequests(record).filter((request) => request.method === "POST");
    assert.ok(posts.every((post) => JSON.parse(post.body).share_id === shareId));
    const after = await page.evaluate(() => JSON.parse(localStorage.getItem("kindband:shares")));
    assert.equal(after[0].state, "received");
    assert.equal(after[0].body, undefined, "the body leaves the device once acknowledged");
  });
});

test(
  "a share whose reply is lost is sent again with the same id and stored once",
  { skip },
  async () => {
    await withPage(async ({ page, record }) => {
      await toShareScreen(page);
      const w = widget(page);
      await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
      await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
      const shareId = JSON.parse(await w.locator("[data-kb=payload]").textContent()).share_id;
      // The first POST reaches the real server, but its reply never reaches the page.
      let lost = 0;
      await page.route("**/api/v1/shares", async (route) => {
        if (lost === 0) {
          lost += 1;
          await route.fetch();
          return route.abort("connectionreset");
        }
        return route.continue();
      });
      await w.getByRole("button", { name: "Ja, verstuur" }).click();
      await w.getByText(/Wacht op internet/).waitFor();
      assert.equal(storedShares().filter((row) => row.share_id === shareId).length, 1);
      await page.evaluate(() => window.dispatchEvent(new Event("online")));
      await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
      const posts = apiRequests(record).filter((request) => request.method === "POST");
      assert.equal(posts.length, 2, "sent twice");
      assert.equal(posts[0].body, posts[1].body, "byte for byte the same body");
      assert.equal(
        storedShares().filter((row) => row.share_id === shareId).length,
        1,
        "stored once",
      );
    });
  },
);

test("the receipt shows when a professional has seen the share", { skip }, async () => {
  await withPage(async ({ page }) => {
    await toShareScreen(page);
    const w = widget(page);
    await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
    await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
    const shareId = JSON.parse(await w.locator("[data-kb=payload]").textContent()).share_id;
    await w.getByRole("button", { name: "Ja, verstuur" }).click();
    await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();

    // The professional's side, through the server's own admin tool and inbox API.
    const admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
    const password = "correct horse battery staple";
    execFileSync(
      admin,
      [
        "--database",
        site.database,
        "create-professional",
        "midwife",
        "--organisation",
        "demo-vsv",
        "--role",
        "verloskundige",
      ],
      { input: password + "\n", stdio: ["pipe", "ignore", "pipe"] },
    );
    const login = await fetch(`${site.api}/api/v1/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "midwife", password }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers.get("set-cookie").split(";")[0];
    const seen = await fetch(`${site.api}/api/v1/inbox/shares/${shareId}/seen`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie },
      body: "{}",
    });
    assert.equal(seen.status, 200, await seen.clone().text());

    await w.getByRole("button", { name: "Bekijk de status" }).click();
    await w.getByText("Bekeken door de verloskundige.").waitFor();
  });
});

// Issue 25: the preview advises the questionnaires of a session together, as the result does: a
// calm GAD-7 does not reassure beside PHQ-9 item 9 "bijna elke dag".
test("the preview of a session with safety help reassures nowhere", { skip }, async () => {
  await withPage(async ({ page }) => {
    const context = { role: "mother", stage: "pregnancy", week: 22 };
    const phq9 = [0, 0, 0, 0, 0, 0, 0, 0, 3, null];
    const gad7 = [1, 0, 0, 0, 0, 0, 0, null];
    const calm = engine
      .advise("gad7", gad7, context, "nl")
      .entries.filter((entry) => entry.kind === "band")
      .flatMap((entry) => [entry.title, entry.text]);
    assert.ok(calm.length > 0, "on its own the calm GAD-7 reassures");
    await page.goto(site.url);
    await widget(page).getByRole("button", { name: "Begin" }).waitFor();
    // The site's widget with the same settings, for one session of PHQ-9 and GAD-7.
    await page.evaluate(() => {
      const old = document.querySelector("kindband-screen");
      const kept = [...old.attributes]
        .filter((a) => !["instruments", "parent-role", "stage", "week"].includes(a.name))
        .map((a) => `${a.name}="${a.value.replaceAll('"', "&quot;")}"`);
      const holder = document.createElement("div");
      holder.innerHTML = `<kindband-screen ${kept.join(" ")} instruments="phq9 gad7"
        parent-role="mother" stage="pregnancy" week="22"></kindband-screen>`;
      old.replaceWith(holder.firstElementChild);
    });
    await start(page);
    await answerAll(page, [...phq9, ...gad7]);
    const w = widget(page);
    await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
    await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
    await w.getByRole("textbox", { name: "Naam" }).fill("Sanne de Vries");
    await w.getByRole("textbox", { name: /Telefoon/ }).fill("0612345678");
    await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
    await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
    const preview = await w.locator("dl").first().textContent();
    assert.match(preview, /GAD-7/, "the GAD-7 share is in the preview");
    for (const words of calm) {
      assert.ok(!preview.includes(words), `"${words}" in the preview beside the crisis help`);
    }
  });
});
