// Steps of the demo story that several browser suites walk: the parent's side in the widget
// (opening the network, answering and sharing with the network) and the demo's care network itself
// (scripts/demo-seed.sh, as scripts/demo.sh makes it), with a professional's session on the API.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { REPO, SERVER_BINARY, answerAll, start, widget } from "./harness.mjs";

/** Opens "Ons zorgnetwerk" from any screen that offers it and waits until it has loaded. */
export async function openNetwork(page) {
  const w = widget(page);
  await w.getByRole("button", { name: "Ons zorgnetwerk" }).click();
  await w.getByRole("heading", { level: 2, name: "Ons zorgnetwerk" }).waitFor();
  await w.getByText("Even geduld…").waitFor({ state: "detached" });
}

/**
 * Answers a questionnaire from the start screen and shares the result with the ticked network;
 * `atResult` (optional) runs on the result screen first.
 */
export async function shareWithNetwork(
  page,
  answers,
  { expectMembers, message, name, atResult } = {},
) {
  const w = widget(page);
  await start(page, /^(Begin|Start|Opnieuw beginnen)$/);
  await answerAll(page, answers);
  if (atResult) await atResult();
  await w.getByRole("button", { name: "Delen met mijn zorgverlener" }).click();
  await w.getByRole("radio", { name: "Mijn uitslag en het advies" }).check();
  await w.getByRole("radio", { name: "Met ons zorgnetwerk" }).waitFor();
  assert.equal(await w.getByRole("radio", { name: "Met ons zorgnetwerk" }).isChecked(), true);
  for (const member of expectMembers)
    assert.equal(await w.getByRole("checkbox", { name: member }).isChecked(), true, member);
  if (name) await w.getByRole("textbox", { name: "Naam" }).fill(name);
  if (message) await w.getByRole("textbox", { name: /Bericht aan de zorgverlener/ }).fill(message);
  await w.getByRole("button", { name: "Bekijk wat je verstuurt" }).click();
  // After the safety help, without phone or e-mail, the widget asks once (issue 14).
  const withoutContact = w.getByRole("button", { name: "Nee, ga verder zonder" });
  if (await withoutContact.isVisible()) await withoutContact.click();
  await w.getByRole("heading", { name: "Dit verstuur je" }).waitFor();
  const payload = JSON.parse(await w.locator("[data-kb=payload]").textContent());
  await w.getByRole("button", { name: "Ja, verstuur" }).click();
  await w.getByText("Ontvangen. Nog niet bekeken.").waitFor();
  return payload;
}

export const DEMO_PASSWORD = "demo story test password";

/**
 * The demo's care network on the site's database (scripts/demo-seed.sh, the same script
 * scripts/demo.sh runs), with one password for every account. Resolves to the accounts:
 * [{username, name, organisation}] (organisation: its display name).
 */
export function seedDemo(site) {
  const admin = path.join(path.dirname(SERVER_BINARY), "kindband-admin");
  const out = execFileSync(
    path.join(REPO, "scripts/demo-seed.sh"),
    [admin, site.database, site.url],
    { env: { ...process.env, KINDBAND_DEMO_PASSWORD: DEMO_PASSWORD }, encoding: "utf8" },
  );
  return out
    .trim()
    .split("\n")
    .map((line) => {
      const [username, name, organisation] = line.split("|");
      return { username, name, organisation };
    });
}

/** A professional's session on the API: call(method, path, body) -> {status, body}. */
export async function professionalApi(site, username, password = DEMO_PASSWORD) {
  const login = await fetch(`${site.api}/api/v1/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
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
