// The safety channel under abuse (issue 22), through Debian's nginx as shipped: the hostile-client
// findings of tests/server/safety_channel_test.cpp and guessing_test.cpp replayed over TLS through
// examples/nginx/kindband.conf. Source addresses really rotate: each client binds its socket to its
// own address of 127.0.0.0/8, so nginx's $remote_addr (and its per-address limit_req zones) see many
// clients, and the server hears them through X-Real-IP from its trusted proxy. Each test starts its
// own server and nginx, and is bounded in requests and time. Run by scripts/test-nginx.sh.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { startNginx, stop } from "./nginx_front.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const build = path.resolve(root, process.env.KINDBAND_BUILD || "build/native");
const serverBinary = path.join(build, "server/kindband-server");
const adminBinary = path.join(build, "server/kindband-admin");
const cliBinary = path.join(build, "tools/kindband");
const originA = "https://a.example";
const originC = "https://c.example";
const password = "correct horse battery";
const consent = "2026-11-v1";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function run(command, args, input) {
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")}: ${result.stderr || result.error}`);
  }
  return result.stdout;
}

// The n-th client address: 127.1.0.1, 127.1.0.2, ... (never 127.0.0.1, nginx's own).
const address = (n) => `127.1.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
const newKey = () => crypto.randomBytes(32).toString("base64url");

// PHQ-9 results scored by the project's own CLI (as the widget's engine would), once per answer set.
const scored = new Map();
function phq9(answers) {
  const text = answers.join(",");
  if (!scored.has(text)) {
    scored.set(
      text,
      JSON.parse(
        run(cliBinary, [
          "score",
          "--instrument",
          "phq9",
          "--context",
          "role=mother,stage=pregnancy,week=20",
          "--answers",
          text,
        ]),
      ),
    );
  }
  return scored.get(text);
}
const low = [0, 0, 0, 0, 0, 0, 0, 0, 0];
const moderate = [2, 2, 2, 2, 2, 0, 0, 0, 0];
const flagged = [0, 0, 0, 0, 0, 0, 0, 0, 1]; // item 9 > 0

function shareBody(answers, extra = {}) {
  const result = phq9(answers);
  return {
    share_id: crypto.randomUUID(),
    organisation: "vsv-a",
    instrument: { id: "phq9", version: result.version },
    context: { role: "mother", stage: "pregnancy", week: 20 },
    language: "nl",
    shared: "result_and_answers",
    result,
    answers,
    consent_version: consent,
    created_at: "2026-11-22T21:00:00Z",
    ...extra,
  };
}

/**
 * A care network behind nginx: coalition ks with vsv-a (anna) and jgz-c (carla); vsv-b (bert) in
 * none. `flags` are extra kindband-server flags. Returns helpers that talk TLS to nginx from a
 * chosen source address.
 */
async function careNetwork(t, flags = []) {
  for (const binary of [serverBinary, adminBinary, cliBinary]) {
    assert.ok(fs.existsSync(binary), `${binary} missing: build first (scripts/build.sh)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-hostile-"));
  const db = path.join(dir, "kindband.db");
  const admin = (args, input) => run(adminBinary, ["--database", db, ...args], input);
  admin(["create-organisation", "jgz-c", "--origin", originC, "--name", "JGZ Voorbeeldstad"]);
  admin(["create-coalition", "ks", "--name", "Kansrijke Start Voorbeeldstad"]);
  admin(["create-organisation", "vsv-a", "--origin", originA, "--name", "Verloskunde A"]);
  admin(["create-organisation", "vsv-b", "--origin", "https://b.example"]);
  admin(["add-organisation-to-coalition", "vsv-a", "ks", "--type", "verloskunde"]);
  admin(["add-organisation-to-coalition", "jgz-c", "ks", "--type", "jgz"]);
  for (const [name, organisation, role] of [
    ["anna", "vsv-a", "verloskundige"],
    ["bert", "vsv-b", "huisarts"],
    ["carla", "jgz-c", "jeugdverpleegkundige"],
  ]) {
    admin(
      ["create-professional", name, "--organisation", organisation, "--role", role],
      `${password}\n`,
    );
  }
  const portFile = path.join(dir, "server.port");
  const serverLog = fs.openSync(path.join(dir, "server.log"), "w");
  const server = spawn(
    serverBinary,
    [
      "--database",
      db,
      "--listen",
      "127.0.0.1:0",
      "--port-file",
      portFile,
      "--trusted-proxy",
      "127.0.0.1",
      ...flags,
    ],
    { stdio: ["ignore", serverLog, serverLog] },
  );
  const deadline = Date.now() + 30000;
  while (!(fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim())) {
    if (server.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `kindband-server did not start: ${fs.readFileSync(path.join(dir, "server.log"), "utf8")}`,
      );
    }
    await sleep(20);
  }
  const upstreamPort = Number(fs.readFileSync(portFile, "utf8").trim());
  const nginx = await startNginx({ dir, upstreamPort });
  t.after(async () => {
    for (const child of [nginx.process, server]) await stop(child);
    if (!process.env.KINDBAND_KEEP_TEST_DIR) fs.rmSync(dir, { recursive: true, force: true });
  });

  // One request over TLS through nginx from `from`; resolves {status, headers, body (parsed JSON
  // when it is JSON)}.
  const request = (method, pathname, { from = "127.1.255.1", headers = {}, body } = {}) =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const options = {
        host: "127.0.0.1",
        port: nginx.httpsPort,
        localAddress: from,
        servername: "localhost",
        ca: nginx.ca,
        method,
        path: pathname,
        headers: { ...headers },
        agent: false,
      };
      if (text !== undefined) {
        options.headers["Content-Type"] = "application/json";
        options.headers["Content-Length"] = Buffer.byteLength(text);
      }
      const req = https.request(options, (res) => {
        const parts = [];
        res.on("data", (part) => parts.push(part));
        res.on("end", () => {
          let raw = Buffer.concat(parts);
          if (res.headers["content-encoding"] === "gzip") raw = zlib.gunzipSync(raw);
          let parsed = raw.toString("utf8");
          try {
            parsed = JSON.parse(parsed);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode, headers: res.headers, body: parsed });
        });
      });
      req.setTimeout(30000, () =>
        req.destroy(new Error(`${method} ${pathname}: no answer in 30 s`)),
      );
      req.on("error", reject);
      if (text !== undefined) req.write(text);
      req.end();
    });

  // A parent's browser on the midwife's site (with its family key, if any).
  const parent = (method, pathname, key, body, from) =>
    request(method, pathname, {
      from,
      body: body ?? (method === "GET" ? undefined : {}),
      headers: { Origin: originA, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    });
  // A one-off (anonymous) share from a client address: its HTTP status (and id).
  const oneOff = async (from, answers) => {
    const body = shareBody(answers);
    const answer = await parent("POST", "/api/v1/shares", "", body, from);
    return { status: answer.status, id: body.share_id, body: answer.body };
  };
  const login = async (username, from = "127.1.254.1", cookies = "") => {
    const answer = await request("POST", "/api/v1/login", {
      from,
      body: { username, password },
      headers: cookies ? { Cookie: cookies } : {},
    });
    const jar = {};
    for (const line of answer.headers["set-cookie"] || []) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      jar[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return { status: answer.status, session: jar.kb_session, device: jar.kb_device };
  };
  const professional = (method, pathname, session, body) =>
    request(method, pathname, {
      body,
      headers: { Cookie: `kb_session=${session}` },
    });
  const makeFamily = async (key, members = ["vsv-a", "jgz-c"]) => {
    const familyId = crypto.randomUUID();
    const created = await parent("POST", "/api/v1/families", key, {
      family_id: familyId,
      role: "mother",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const organisation of members) {
      const added = await parent("POST", "/api/v1/family/memberships", key, {
        organisation,
        consent_version: consent,
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
    }
    return familyId;
  };
  // A family the midwife invited (known to vsv-a).
  const knownFamily = async (key, session) => {
    const familyId = await makeFamily(key, []);
    const invitation = await professional("POST", "/api/v1/inbox/invitations", session, {});
    assert.equal(invitation.status, 201, JSON.stringify(invitation.body));
    const added = await parent("POST", "/api/v1/family/memberships", key, {
      organisation: "vsv-a",
      consent_version: consent,
      invitation_code: invitation.body.code,
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    return familyId;
  };
  const linkedShare = (key, familyId, answers, recipients) => {
    const body = shareBody(answers, { family_id: familyId, recipients });
    delete body.organisation;
    return parent("POST", "/api/v1/shares", key, body);
  };
  return {
    db,
    request,
    parent,
    oneOff,
    login,
    professional,
    makeFamily,
    knownFamily,
    linkedShare,
  };
}

const count = (db, sql) => Number(run("sqlite3", [db, sql]).trim());

test("a flood from many addresses never refuses a genuine safety share: it is stored and first", async (t) => {
  const net = await careNetwork(t, ["--shares-per-organisation", "20"]);
  const anna = (await net.login("anna")).session;
  // 40 valid one-off shares from 10 real source addresses (4 each: under nginx's per-address
  // limit and the server's) spend the organisation's budget (20 a minute here).
  for (let i = 0; i < 40; ++i) {
    const sent = await net.oneOff(address(i % 10), low);
    assert.equal(sent.status, 201, `share ${i}: ${JSON.stringify(sent.body)}`);
  }
  // A genuine safety share of a family the midwife knows: accepted and first.
  const key = newKey();
  const familyId = await net.knownFamily(key, anna);
  const genuine = await net.linkedShare(key, familyId, flagged, ["vsv-a"]);
  assert.equal(genuine.status, 201, JSON.stringify(genuine.body));
  // A genuine anonymous safety share from a new address: stored too, never refused.
  const anonymous = await net.oneOff(address(200), flagged);
  assert.equal(anonymous.status, 201, JSON.stringify(anonymous.body));
  const inbox = await net.professional("GET", "/api/v1/inbox?limit=5", anna);
  assert.equal(inbox.status, 200);
  assert.equal(inbox.body.shares[0].share_id, genuine.body.share_id);
  assert.equal(inbox.body.shares[0].known_family, true);
  assert.equal(inbox.body.shares[1].share_id, anonymous.id);
  assert.equal(count(net.db, "SELECT COUNT(*) FROM shares"), 42);
  assert.equal(
    count(net.db, "SELECT COUNT(*) FROM share_recipients WHERE tier = 0"),
    21,
    "past the budget: stored quarantined",
  );
});

test("forged safety shares from many addresses do not bury a known family's safety share", async (t) => {
  const net = await careNetwork(t);
  const anna = (await net.login("anna")).session;
  const key = newKey();
  const familyId = await net.knownFamily(key, anna);
  const genuine = await net.linkedShare(key, familyId, flagged, ["vsv-a"]);
  assert.equal(genuine.status, 201, JSON.stringify(genuine.body));
  // 60 forged safety shares from 20 addresses (3 each: the per-source limit for anonymous safety
  // shares), and a fourth from one of them, which is stored quarantined.
  for (let i = 0; i < 60; ++i) {
    const sent = await net.oneOff(address(i % 20), flagged);
    assert.equal(sent.status, 201, `forged ${i}: ${JSON.stringify(sent.body)}`);
  }
  const pastLimit = await net.oneOff(address(1), flagged);
  assert.equal(pastLimit.status, 201);
  const inbox = await net.professional("GET", "/api/v1/inbox?limit=20", anna);
  assert.equal(inbox.status, 200);
  assert.equal(inbox.body.shares[0].share_id, genuine.body.share_id, "first, not buried");
  assert.equal(inbox.body.safety_not_shown, 62 - 20, "says how many it could not show");
  assert.equal(
    count(net.db, `SELECT tier FROM share_recipients WHERE share_id = '${pastLimit.id}'`),
    0,
  );
  const day = await net.professional("GET", "/api/v1/inbox/day", anna);
  assert.equal(day.status, 200);
  assert.equal(day.body.not_taken.organisation[0].share_id, genuine.body.share_id);
  assert.equal(day.body.not_taken.safety_not_shown, 0);
});

test("parents' messages are bounded per family, and organisations added uninvited per address", async (t) => {
  const net = await careNetwork(t, [
    "--messages-per-family",
    "5",
    "--uninvited-memberships-per-address",
    "3",
  ]);
  const key = newKey();
  const familyId = await net.makeFamily(key);
  // Five messages in the window from five addresses, then the family's limit, whatever the address.
  for (let i = 0; i < 5; ++i) {
    const sent = await net.parent(
      "POST",
      "/api/v1/family/messages",
      key,
      { text: "Bericht" },
      address(i),
    );
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
  }
  const flooded = await net.parent(
    "POST",
    "/api/v1/family/messages",
    key,
    { text: "Nog een" },
    address(99),
  );
  assert.equal(flooded.status, 429);
  assert.equal(flooded.body.error, "too_many_messages");
  // The family page is paged (newest 50 at most).
  const carla = (await net.login("carla")).session;
  const page = await net.professional("GET", `/api/v1/inbox/families/${familyId}`, carla);
  assert.equal(page.status, 200);
  assert.equal(page.body.messages.length, 5);
  assert.equal(page.body.messages_older, 0);
  // Organisations added without an invitation: three from one address, then refused...
  const from = address(300);
  const first = newKey();
  const second = newKey();
  for (const each of [first, second]) {
    const created = await net.parent(
      "POST",
      "/api/v1/families",
      each,
      { family_id: crypto.randomUUID(), role: "mother" },
      from,
    );
    assert.equal(created.status, 201);
  }
  const add = (each, organisation, extra = {}) =>
    net.parent(
      "POST",
      "/api/v1/family/memberships",
      each,
      { organisation, consent_version: consent, ...extra },
      from,
    );
  assert.equal((await add(first, "vsv-a")).status, 201);
  assert.equal((await add(first, "jgz-c")).status, 201);
  assert.equal((await add(second, "vsv-a")).status, 201);
  assert.equal((await add(second, "jgz-c")).status, 429);
  // ...but with an invitation (a professional vouched for it) the limit does not apply.
  const invitation = await net.professional("POST", "/api/v1/inbox/invitations", carla, {});
  assert.equal(invitation.status, 201);
  const invited = await add(second, "jgz-c", { invitation_code: invitation.body.code });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
});

test("'who looked' cannot be flushed or faked by an outsider's reads", async (t) => {
  const net = await careNetwork(t);
  const key = newKey();
  const familyId = await net.makeFamily(key);
  const share = await net.linkedShare(key, familyId, moderate, ["vsv-a", "jgz-c"]);
  assert.equal(share.status, 201, JSON.stringify(share.body));
  // An outsider (another coalition) filters its inbox on the family 30 times: nothing of the family
  // comes back, so it is not in the family's view.
  const bert = (await net.login("bert")).session;
  for (let i = 0; i < 30; ++i) {
    const read = await net.professional("GET", `/api/v1/inbox?family=${familyId}`, bert);
    assert.equal(read.status, 200);
    assert.equal(read.body.shares.length, 0);
  }
  // The member's real reads: five views of the family page are one line with a count.
  const carla = (await net.login("carla")).session;
  for (let i = 0; i < 5; ++i) {
    const read = await net.professional("GET", `/api/v1/inbox/families/${familyId}`, carla);
    assert.equal(read.status, 200);
  }
  // The day view shows the family's share: it is in the family's view too.
  const anna = (await net.login("anna")).session;
  assert.equal((await net.professional("GET", "/api/v1/inbox/day", anna)).status, 200);
  const log = await net.parent("GET", "/api/v1/family/access-log", key);
  assert.equal(log.status, 200, JSON.stringify(log.body));
  assert.ok(!JSON.stringify(log.body).includes("vsv-b"), JSON.stringify(log.body.events));
  const familyViews = log.body.events.filter(
    (event) => event.action === "family_view" && event.organisation === "jgz-c",
  );
  assert.equal(familyViews.length, 1, JSON.stringify(log.body.events));
  assert.equal(familyViews[0].count, 5);
  assert.ok(
    log.body.events.some((event) => event.action === "day_view" && event.organisation === "vsv-a"),
    JSON.stringify(log.body.events),
  );
  assert.equal(log.body.next_cursor, null);
});

test("code guesses from many addresses meet a server-wide limit, and a pairing code retires", async (t) => {
  const net = await careNetwork(t, ["--code-failures", "30", "--pairing-code-failures", "8"]);
  const mother = newKey();
  await net.makeFamily(mother, []);
  const code = await net.parent("POST", "/api/v1/family/pairing-code", mother);
  assert.equal(code.status, 201, JSON.stringify(code.body));
  const join = (from, pairingCode) =>
    net.parent("POST", "/api/v1/families/join", newKey(), { pairing_code: pairingCode }, from);
  // 60 wrong codes at once from one address: counted before they are checked (10 per address).
  const burst = await Promise.all(
    Array.from({ length: 60 }, () => join(address(500), "AAAA-AAAA")),
  );
  const checked = burst.filter((answer) => answer.status === 400).length;
  assert.ok(checked <= 10, `${checked} wrong codes were checked`);
  assert.equal(checked + burst.filter((answer) => answer.status === 429).length, 60);
  // The pairing code has seen more than 8 wrong codes: retired, even the right one fails now.
  const late = await join(address(501), code.body.code);
  assert.equal(late.status, 400, JSON.stringify(late.body));
  assert.equal(late.body.error, "invalid_code");
  // One wrong code from each of many new addresses: the server-wide budget (30) runs out.
  // Each address is new to the server (nginx's $remote_addr, passed on as X-Real-IP), so only the
  // server-wide budget stops them: it has room for 30 minus the failures above.
  let refused;
  let wrong = 0;
  for (let i = 0; i < 40 && !refused; ++i) {
    const answer = await join(address(600 + i), "BBBB-BBBB");
    if (answer.status === 429) refused = answer;
    else {
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      ++wrong;
    }
  }
  assert.ok(refused, "the server-wide limit never answered");
  assert.equal(wrong, 30 - checked - 1, "one address each: only the server-wide budget applies");
  assert.equal(refused.body.error, "too_many_attempts");
  assert.ok(refused.headers["retry-after"]);
  // Recovery and invitation codes share that budget...
  const recover = await net.parent(
    "POST",
    "/api/v1/families/recover",
    newKey(),
    { recovery_code: "AAAA-AAAA-AAAA-AAAA-AAAA" },
    address(700),
  );
  assert.equal(recover.status, 429);
  const lookup = await net.parent(
    "POST",
    "/api/v1/invitations/lookup",
    "",
    { code: "AAAA-AAAA" },
    address(701),
  );
  assert.equal(lookup.status, 429);
  // ...but the code routes are not the safety channel: a safety share from a new address is stored.
  const share = await net.oneOff(address(702), flagged);
  assert.equal(share.status, 201, JSON.stringify(share.body));
});

test("password guesses from many addresses neither get through nor lock the professional out", async (t) => {
  const net = await careNetwork(t, ["--lockout-after", "3", "--lockout-seconds", "60"]);
  // Anna logged in from her own browser before: it carries a device cookie for her account.
  const before = await net.login("anna", address(900));
  assert.equal(before.status, 200);
  assert.ok(before.device);
  let next = 0;
  let checked = 0;
  let throttled = 0;
  let stopped = false;
  const guesser = async () => {
    for (let i = 0; i < 20 && !stopped; ++i) {
      const answer = await net.request("POST", "/api/v1/login", {
        from: address(next++),
        body: { username: "anna", password: `guess ${i}` },
      });
      if (answer.status === 401) ++checked;
      if (answer.status === 429) ++throttled;
    }
  };
  const guessers = Array.from({ length: 8 }, guesser);
  // Meanwhile, once the account is being throttled, Anna logs in from her browser: not locked out.
  while (throttled === 0 && next < 160) await sleep(10);
  const started = performance.now();
  const mine = await net.login("anna", address(900), `kb_device=${before.device}`);
  const ms = performance.now() - started;
  stopped = true;
  await Promise.all(guessers);
  assert.equal(mine.status, 200);
  assert.ok(checked <= 12, `${checked} guesses were checked against the password`);
  assert.ok(throttled > 0);
  // A browser that never logged in to her account waits with the crowd (slowed, not locked).
  assert.equal((await net.login("anna", address(901))).status, 429);
  console.log(
    `nginx hostile: anna's own login during ${next} rotating guesses took ${ms.toFixed(0)} ms`,
  );
});

test("strict small things: consent versions, hidden characters and family keys", async (t) => {
  const net = await careNetwork(t);
  const mother = newKey();
  const familyId = await net.makeFamily(mother, []);
  for (const version of ["Mijn BSN is 123456782", "v1", `${consent} `]) {
    const refused = await net.parent("POST", "/api/v1/family/memberships", mother, {
      organisation: "vsv-a",
      consent_version: version,
    });
    assert.equal(refused.status, 400, version);
    assert.equal(refused.body.error, "invalid_value");
  }
  assert.equal(count(net.db, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%BSN%'"), 0);
  const added = await net.parent("POST", "/api/v1/family/memberships", mother, {
    organisation: "vsv-a",
    consent_version: consent,
  });
  assert.equal(added.status, 201);
  const anna = (await net.login("anna")).session;
  for (const hidden of ["Anna\u202Etsitrop", "Anna \u2066Bert\u2069", "Anna\u200F"]) {
    const signed = await net.professional(
      "POST",
      `/api/v1/inbox/families/${familyId}/messages`,
      anna,
      {
        text: "Hallo",
        sign_as: hidden,
      },
    );
    assert.equal(signed.status, 400, JSON.stringify(signed.body));
    const written = await net.parent("POST", "/api/v1/family/messages", mother, { text: hidden });
    assert.equal(written.status, 400, JSON.stringify(written.body));
  }
  // A family key is exactly 32 random bytes: 43 base64url characters.
  const short = crypto.randomBytes(24).toString("base64url"); // 32 characters
  const created = await net.parent("POST", "/api/v1/families", short, {
    family_id: crypto.randomUUID(),
    role: "mother",
  });
  assert.equal(created.status, 401, JSON.stringify(created.body));
});
