// Two kindband-server instances on one PostgreSQL database behind Debian's nginx, with
// examples/nginx/kindband.conf and the upstream block of examples/nginx/kindband-instances.conf
// (issue 27): a session made through one instance works through the other; with one instance
// killed, GETs keep working through the other; a POST that an instance received and never answered
// is not sent again by nginx (the client gets 503, and its retry with the same share id is the
// first time the share is stored). scripts/test-nginx.sh starts a throw-away PostgreSQL cluster and
// names its empty database in KINDBAND_NGINX_POSTGRES; without it this test fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { startNginx, stop } from "./nginx_front.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const build = path.resolve(root, process.env.KINDBAND_BUILD || "build/native");
const serverBinary = path.join(build, "server/kindband-server");
const adminBinary = path.join(build, "server/kindband-admin");
const cliBinary = path.join(build, "tools/kindband");
const origin = "https://a.example";
const password = "correct horse battery";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function run(command, args, input) {
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")}: ${result.stderr || result.error}`);
  }
  return result.stdout;
}

async function waitFor(check, what, ms = 60000) {
  const deadline = Date.now() + ms; // a ceiling for a busy machine, not the expected time
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

function shareBody(shareId) {
  const answers = [0, 1, 0, 0, 0, 0, 0, 0, 0];
  const result = JSON.parse(
    run(cliBinary, [
      "score",
      "--instrument",
      "phq9",
      "--context",
      "role=mother,stage=pregnancy,week=20",
      "--answers",
      answers.join(","),
    ]),
  );
  return JSON.stringify({
    share_id: shareId,
    organisation: "vsv-a",
    instrument: { id: "phq9", version: result.version },
    context: { role: "mother", stage: "pregnancy", week: 20 },
    language: "nl",
    shared: "result_and_answers",
    result,
    answers,
    consent_version: "2026-11-v1",
    created_at: "2026-11-22T21:00:00Z",
  });
}

// Connections to 127.0.0.1:port that hold bytes the process has not read (/proc/net/tcp: an
// established socket with a receive queue): a request that reached an instance that does not run.
function unreadConnections(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return fs
    .readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 4 && f[1].endsWith(`:${hexPort}`) && f[3] === "01")
    .filter((f) => parseInt(f[4].split(":")[1], 16) > 0).length;
}

test("two instances on one PostgreSQL database behind nginx: shared sessions, GETs survive a killed instance, a POST in flight is never sent twice", async (t) => {
  const database = process.env.KINDBAND_NGINX_POSTGRES;
  assert.ok(
    database,
    "KINDBAND_NGINX_POSTGRES is not set: run scripts/test-nginx.sh (it starts PostgreSQL)",
  );
  for (const binary of [serverBinary, adminBinary, cliBinary]) {
    assert.ok(fs.existsSync(binary), `${binary} missing: build first (scripts/build.sh)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-instances-"));
  const keys = path.join(dir, "kindband.keys");
  const admin = (args, input) => run(adminBinary, ["--database", database, ...args], input);
  admin(["migrate"]);
  admin(["create-key-file", keys]);
  admin(["create-organisation", "vsv-a", "--origin", origin]);
  admin(
    ["create-professional", "anna", "--organisation", "vsv-a", "--role", "verloskundige"],
    `${password}\n`,
  );

  const instances = [];
  let nginx;
  t.after(async () => {
    for (const child of [nginx?.process, ...instances.map((i) => i.process)]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT");
        await stop(child);
      }
    }
    if (!process.env.KINDBAND_KEEP_TEST_DIR) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const name of ["one", "two"]) {
    const portFile = path.join(dir, `${name}.port`);
    const log = fs.openSync(path.join(dir, `${name}.log`), "w");
    const child = spawn(
      serverBinary,
      [
        "--database",
        database,
        "--key-file",
        keys,
        "--listen",
        "127.0.0.1:0",
        "--port-file",
        portFile,
        "--trusted-proxy",
        "127.0.0.1",
      ],
      { stdio: ["ignore", log, log] },
    );
    instances.push({ name, process: child });
    await waitFor(
      () => child.exitCode === null && fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim(),
      `kindband-server ${name} (${path.join(dir, `${name}.log`)})`,
    );
    instances.at(-1).port = Number(fs.readFileSync(portFile, "utf8").trim());
  }
  const [one, two] = instances;
  nginx = await startNginx({ dir, upstreamPorts: [one.port, two.port] });

  // One request through nginx; resolves {status, headers, body}. Each has its own connection.
  const request = (method, pathname, { headers = {}, body } = {}) =>
    new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: "127.0.0.1",
          port: nginx.httpsPort,
          servername: "localhost",
          ca: nginx.ca,
          method,
          path: pathname,
          headers: {
            ...headers,
            ...(body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) }),
          },
          agent: false,
        },
        (res) => {
          const parts = [];
          res.on("data", (part) => parts.push(part));
          res.on("end", () =>
            resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString() }),
          );
        },
      );
      req.setTimeout(60000, () => req.destroy(new Error(`${method} ${pathname}: no answer in 60 s`)));
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  const accessLog = () =>
    fs.readFileSync(path.join(dir, "logs/access.log"), "utf8").split("\n").filter(Boolean);
  const shareHeaders = { "Content-Type": "application/json", Origin: origin };

  // A session made through one instance works through the other: nginx sends requests round
  // robin, so the inbox reads below are answered by both (the access log names the instance).
  const login = await request("POST", "/api/v1/login", {
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "anna", password }),
  });
  assert.equal(login.status, 200, login.body);
  const cookie = login.headers["set-cookie"][0].split(";")[0];
  const first = await request("POST", "/api/v1/shares", {
    headers: shareHeaders,
    body: shareBody(crypto.randomUUID()),
  });
  assert.equal(first.status, 201, first.body);
  for (let i = 0; i < 6; ++i) {
    const inbox = await request("GET", `/api/v1/inbox?limit=${10 + i}`, { headers: { Cookie: cookie } });
    assert.equal(inbox.status, 200, inbox.body);
    assert.equal(JSON.parse(inbox.body).shares.length, 1);
  }
  const inboxReads = accessLog().filter((line) => line.includes("GET /api/v1/inbox?limit="));
  for (const instance of [one, two]) {
    assert.ok(
      inboxReads.some((line) => line.endsWith(`upstream=127.0.0.1:${instance.port}`)),
      `no inbox read was answered by instance ${instance.name}:\n${inboxReads.join("\n")}`,
    );
  }

  // A POST that reached an instance which then died: instance one is stopped (SIGSTOP: its
  // connections accept bytes that nobody reads), shares are sent one by one until one is in flight
  // there (it holds unread bytes), then instance one is killed.
  one.process.kill("SIGSTOP");
  let inFlight;
  let inFlightId;
  for (let attempt = 0; attempt < 4 && !inFlight; ++attempt) {
    const id = crypto.randomUUID();
    const before = unreadConnections(one.port);
    const pending = request("POST", "/api/v1/shares", { headers: shareHeaders, body: shareBody(id) });
    let answered = null;
    pending.then((r) => (answered = r), (e) => (answered = e));
    await waitFor(
      () => answered !== null || unreadConnections(one.port) > before,
      "the share to be answered by instance two or to wait at instance one",
    );
    if (answered === null) {
      inFlight = pending;
      inFlightId = id;
    } else {
      assert.equal(answered.status, 201, `instance two answered ${answered.body ?? answered}`);
    }
  }
  assert.ok(inFlight, "round robin never sent a share to instance one");
  one.process.kill("SIGKILL");
  const lost = await inFlight;
  assert.equal(lost.status, 503, `nginx answered ${lost.status}: ${lost.body}`);
  assert.equal(JSON.parse(lost.body).error, "unavailable");
  // nginx tried one instance for it, not two: no ", " list of upstreams in its log line (written
  // once the answer has gone out; the error page's internal redirect logs the method as GET).
  const isLost = (line) => /^503 (POST|GET) \/api\/v1\/shares /.test(line);
  await waitFor(() => accessLog().some(isLost), "the access log line of the 503");
  const lostLine = accessLog().find(isLost);
  assert.match(lostLine, new RegExp(` upstream=127\\.0\\.0\\.1:${one.port}$`));
  // The client's retry with the same share id is the first time the share is stored: 201, not
  // the 200 of a share the server had already (which it would be had nginx sent it to instance two).
  const retried = await request("POST", "/api/v1/shares", {
    headers: shareHeaders,
    body: shareBody(inFlightId),
  });
  assert.equal(retried.status, 201, retried.body);
  const again = await request("POST", "/api/v1/shares", {
    headers: shareHeaders,
    body: shareBody(inFlightId),
  });
  assert.equal(again.status, 200, `a repeated share: ${again.body}`);

  // With instance one gone, every GET (and new POSTs) are answered through instance two; the
  // session is still valid there.
  for (let i = 0; i < 6; ++i) {
    const inbox = await request("GET", `/api/v1/inbox?limit=${20 + i}`, { headers: { Cookie: cookie } });
    assert.equal(inbox.status, 200, inbox.body);
  }
  const health = await request("GET", "/healthz");
  assert.equal(health.status, 200);
  const latest = await request("POST", "/api/v1/shares", {
    headers: shareHeaders,
    body: shareBody(crypto.randomUUID()),
  });
  assert.equal(latest.status, 201, latest.body);
  const inbox = await request("GET", "/api/v1/inbox?limit=100", { headers: { Cookie: cookie } });
  const ids = JSON.parse(inbox.body).shares.map((s) => s.share_id);
  assert.equal(ids.filter((id) => id === inFlightId).length, 1, "the retried share, once");
});
