// Widget report: download size (gzip, every file of build/web and what a page load fetches), the
// bytes a screening page and a journey page really transfer (precompressed files, with headers) from
// kindband-server and through Debian's nginx with the shipped examples/nginx/kindband.conf (TLS,
// HTTP/2), and the time from navigation to the first question's answer options being on screen,
// against a static HTML page with the same question from the same server in the same run, and
// SurveyJS (survey-core + survey-js-ui from npm) rendering that question (median and fastest of
// several cold loads each, for each server; then on a throttled phone profile: 4x CPU slowdown and a
// slow mobile network, the browser's own emulation, static vs widget vs SurveyJS).
//
//   node report.mjs [--loads N] [--phone-loads N]   (scripts/widget-report.sh builds build/web and
//                                                    names kindband-server in KINDBAND_SERVER_BINARY)
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { launch } from "./browser.mjs";
import { WEB, nodeEngine } from "./build-paths.mjs";
import { startStaticServer } from "./static-server.mjs";
import { NGINX_BINARY, startNginx, stop } from "../nginx/nginx_front.mjs";

const BUDGET_BYTES = 100 * 1024;
const args = process.argv.slice(2);
const option = (name, fallback) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback;
const loads = option("--loads", 15);
const phoneLoads = option("--phone-loads", 5);
// DevTools' "Slow 4G" (its former "Fast 3G"): 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up.
const SLOW_MOBILE = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};
const PHONE_CPU_SLOWDOWN = 4;

function gzipSize(file) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

// The files of the build, without their precompressed .br/.gz copies.
function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return /\.(br|gz)$/.test(entry.name) ? [] : [full];
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

// ---- size ----
const files = listFiles(WEB).sort();
const sizes = files.map((file) => ({
  name: path.relative(WEB, file),
  raw: fs.statSync(file).size,
  gz: gzipSize(file),
}));
const sum = (list, key) => list.reduce((total, entry) => total + entry[key], 0);
const line = (name, raw, gz, note = "") =>
  console.log(
    `  ${name.padEnd(34)} ${kb(raw).padStart(10)} raw ${kb(gz).padStart(10)} gzip${note}`,
  );
const isEngine = (name) => name.startsWith("kindband.mjs") || name.startsWith("kindband-engine");
const isInstrument = (name) => name.startsWith("instruments/");
// The journey for parents, one file per language: a journey page adds its language's to its engine.
const isJourneyFile = (name) => name.startsWith("journeys/");
console.log("Widget download size (build/web, gzip -9 per file):");
for (const entry of sizes.filter((e) => !isInstrument(e.name) && !isJourneyFile(e.name)))
  line(entry.name, entry.raw, entry.gz);
const instrumentFiles = sizes.filter((e) => isInstrument(e.name));
line(
  `instruments/*.json (${instrumentFiles.length} files)`,
  sum(instrumentFiles, "raw"),
  sum(instrumentFiles, "gz"),
  `   (a page fetches only its own: largest ${kb(Math.max(...instrumentFiles.map((e) => e.gz)))})`,
);
// Engine builds: a page loads core, or journey when an element has the journey attribute; the full
// build is the inbox's.
const isFull = (name) => name === "kindband-engine.js" || name === "kindband-engine.wasm";
const isCore = (name) => name.startsWith("kindband-engine-core.");
const isJourney = (name) => name.startsWith("kindband-engine-journey.");
const api = sizes.filter((e) => e.name === "kindband.mjs");
const engineCore = [...api, ...sizes.filter((e) => isCore(e.name))];
const journeyDataFiles = sizes.filter((e) => isJourneyFile(e.name));
line(
  `journeys/*.json (${journeyDataFiles.length} files)`,
  sum(journeyDataFiles, "raw"),
  sum(journeyDataFiles, "gz"),
  "   (a journey page adds its language's)",
);
// The journey engine as a journey page has it: with the journey file in the page's language.
const largestJourneyFile = journeyDataFiles.reduce(
  (a, b) => (b.gz > a.gz ? b : a),
  journeyDataFiles[0],
);
const engineJourney = [
  ...api,
  ...sizes.filter((e) => isJourney(e.name)),
  ...(largestJourneyFile ? [largestJourneyFile] : []),
];
const engineFull = [...api, ...sizes.filter((e) => isFull(e.name))];
// screens/: separate files. The journey screens are fetched at once by a journey page only; the
// others (the result's and the care network's screens) only when a parent gets to them, not by a page
// load.
const isJourneyScreens = (name) => name === "screens/journey.js";
const isLazy = (name) => name.startsWith("screens/") && !isJourneyScreens(name);
const widgetFiles = sizes.filter(
  (e) =>
    !isEngine(e.name) &&
    !isInstrument(e.name) &&
    !isJourneyFile(e.name) &&
    !isLazy(e.name) &&
    !isJourneyScreens(e.name),
);
const journeyScreens = sizes.filter((e) => isJourneyScreens(e.name));
const lazyFiles = sizes.filter((e) => isLazy(e.name));
const largestInstrument = Math.max(...instrumentFiles.map((e) => e.gz));
console.log("  ---");
line("engine, core (kindband.mjs + -core.*)", sum(engineCore, "raw"), sum(engineCore, "gz"));
line("engine, journey (+ journey file)", sum(engineJourney, "raw"), sum(engineJourney, "gz"));
line("engine, full (+ adviseResult: inbox)", sum(engineFull, "raw"), sum(engineFull, "gz"));
line("widget script(s)", sum(widgetFiles, "raw"), sum(widgetFiles, "gz"));
line("journey screens (journey pages)", sum(journeyScreens, "raw"), sum(journeyScreens, "gz"));
if (lazyFiles.length)
  line(
    "later screens (result, care network)",
    sum(lazyFiles, "raw"),
    sum(lazyFiles, "gz"),
    "   (not part of a page load)",
  );
// A screening page fetches its instruments' rendering files and the core engine; a journey page the
// journey screens, and the journey engine only once the parent sends the form (or at once when the
// device already has the parent's details): both are shown (the page loads below check the first).
for (const [name, pageFiles, instrumentGz] of [
  ["a screening page (core engine)", [...engineCore, ...widgetFiles], largestInstrument],
  ["a journey page (before the form is sent)", [...widgetFiles, ...journeyScreens], 0],
  ["a journey page with its engine", [...engineJourney, ...widgetFiles, ...journeyScreens], 0],
]) {
  const total = sum(pageFiles, "gz") + instrumentGz;
  line(
    `TOTAL, ${name}`,
    sum(pageFiles, "raw"),
    total,
    `   budget ${kb(BUDGET_BYTES)}: ${total <= BUDGET_BYTES ? "within" : "OVER"} (${((100 * total) / BUDGET_BYTES).toFixed(0)}%)`,
  );
}

// ---- time to the first answer option ----
const engine = await nodeEngine();
const def = engine.getInstrument("phq9", "nl");
const escape = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const pages = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-report-"));
const head = (title) =>
  `<!doctype html><html lang="nl"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<link rel="icon" href="data:,"><title>${title}</title>`;
// Baseline: the same first question as plain HTML, no script at all.
fs.writeFileSync(
  path.join(pages, "static.html"),
  `${head("Static PHQ-9 question")}</head><body><main><h1>Hoe gaat het met je?</h1>` +
    `<h2>Vraag 1 van ${def.items.length}</h2><p>${escape(def.period)}</p><form><fieldset>` +
    `<legend>${escape(def.items[0].text)}</legend>` +
    def.items[0].options
      .map(
        (o, i) => `<label><input type="radio" name="q1" value="${i}"> ${escape(o.label)}</label>`,
      )
      .join("") +
    `</fieldset><button type="submit">Volgende</button></form></main></body></html>`,
);
fs.writeFileSync(
  path.join(pages, "widget.html"),
  `${head("Widget PHQ-9")}<script type="module" src="/kindband/kindband-screen.js"></script>` +
    `</head><body><main><h1>Hoe gaat het met je?</h1>` +
    `<kindband-screen instruments="phq9" lang="nl"></kindband-screen></main></body></html>`,
);

// SurveyJS with the same first question (its own default theme), its files from the same server.
const SURVEYJS_FILES = [
  "survey-core/survey.core.min.js",
  "survey-js-ui/survey-js-ui.min.js",
  "survey-core/survey-core.fontless.min.css",
];
fs.mkdirSync(path.join(pages, "surveyjs"));
for (const file of SURVEYJS_FILES)
  fs.copyFileSync(
    path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules", file),
    path.join(pages, "surveyjs", path.basename(file)),
  );
const surveyModel = {
  title: "Hoe gaat het met je?",
  pages: [
    {
      elements: [
        {
          type: "radiogroup",
          name: "q1",
          title: def.items[0].text,
          description: def.period,
          choices: def.items[0].options.map((o, i) => ({ value: i, text: o.label })),
        },
      ],
    },
  ],
};
fs.writeFileSync(
  path.join(pages, "surveyjs", "page.js"),
  `new Survey.Model(${JSON.stringify(surveyModel)}).render(document.getElementById("survey"));\n`,
);
fs.writeFileSync(
  path.join(pages, "surveyjs.html"),
  `${head("SurveyJS PHQ-9")}<link rel="stylesheet" href="/surveyjs/survey-core.fontless.min.css">` +
    `<script src="/surveyjs/survey.core.min.js"></script>` +
    `<script src="/surveyjs/survey-js-ui.min.js"></script></head><body><main>` +
    `<div id="survey"></div><script src="/surveyjs/page.js"></script></main></body></html>`,
);

// A journey page (docs/widget.md, `journey`): its first field is the form's first radio button. The
// static page and SurveyJS show the same form (the widget's own Dutch texts).
fs.writeFileSync(
  path.join(pages, "journey.html"),
  `${head("Widget journey")}<script type="module" src="/kindband/kindband-screen.js"></script>` +
    `</head><body><main><h1>Jouw reis</h1>` +
    `<kindband-screen journey lang="nl"></kindband-screen></main></body></html>`,
);
const JOURNEY_FORM = {
  title: "Jouw reis: de eerste 1000 dagen",
  legend: "Wie ben jij?",
  roles: ["Ik ben zwanger, of ik ben de moeder", "Ik ben de partner"],
  due: "Uitgerekende datum",
  birth: "Geboortedatum van je baby (als je baby al geboren is)",
  show: "Toon mijn reis",
};
fs.writeFileSync(
  path.join(pages, "static-journey.html"),
  `${head("Static journey form")}</head><body><main><h1>Jouw reis</h1>` +
    `<h2>${JOURNEY_FORM.title}</h2><form><fieldset><legend>${JOURNEY_FORM.legend}</legend>` +
    JOURNEY_FORM.roles
      .map((label, i) => `<label><input type="radio" name="role" value="${i}"> ${label}</label>`)
      .join("") +
    `</fieldset><label>${JOURNEY_FORM.due} <input type="date" name="due"></label>` +
    `<label>${JOURNEY_FORM.birth} <input type="date" name="birth"></label>` +
    `<button type="submit">${JOURNEY_FORM.show}</button></form></main></body></html>`,
);
fs.writeFileSync(
  path.join(pages, "surveyjs", "journey.js"),
  `new Survey.Model(${JSON.stringify({
    title: JOURNEY_FORM.title,
    completeText: JOURNEY_FORM.show,
    pages: [
      {
        elements: [
          {
            type: "radiogroup",
            name: "role",
            title: JOURNEY_FORM.legend,
            choices: JOURNEY_FORM.roles,
          },
          { type: "text", inputType: "date", name: "due", title: JOURNEY_FORM.due },
          { type: "text", inputType: "date", name: "birth", title: JOURNEY_FORM.birth },
        ],
      },
    ],
  })}).render(document.getElementById("survey"));\n`,
);
fs.writeFileSync(
  path.join(pages, "surveyjs-journey.html"),
  `${head("SurveyJS journey form")}<link rel="stylesheet" href="/surveyjs/survey-core.fontless.min.css">` +
    `<script src="/surveyjs/survey.core.min.js"></script>` +
    `<script src="/surveyjs/survey-js-ui.min.js"></script></head><body><main>` +
    `<div id="survey"></div><script src="/surveyjs/journey.js"></script></main></body></html>`,
);

// Served by kindband-server's static folders when KINDBAND_SERVER_BINARY is given (as in production
// behind nginx), else by the small Node server of the tests. Both pages come from the same server.
async function startServer() {
  if (!process.env.KINDBAND_SERVER_BINARY) {
    return startStaticServer({
      mounts: [
        ["/", pages],
        ["/kindband/", WEB],
      ],
    });
  }
  const portFile = path.join(pages, "port");
  const database = path.join(pages, "report.db");
  const child = spawn(
    process.env.KINDBAND_SERVER_BINARY,
    [
      "--listen",
      "127.0.0.1:0",
      "--port-file",
      portFile,
      "--database",
      database,
      "--static",
      `/=${pages}`,
      "--static",
      `/kindband/=${WEB}`,
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 200 && !fs.existsSync(portFile); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const port = fs.readFileSync(portFile, "utf8").trim();
  return {
    url: `http://127.0.0.1:${port}`,
    port: Number(port),
    kill: () => child.exitCode === null && child.kill("SIGKILL"),
    close: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}
const server = await startServer();
const serverName = process.env.KINDBAND_SERVER_BINARY ? "kindband-server" : "the Node test server";
// The same kindband-server behind nginx with the shipped site file, over TLS (HTTP/2), as deployed.
let front = null;
if (process.env.KINDBAND_SERVER_BINARY && fs.existsSync(NGINX_BINARY)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-report-nginx-"));
  front = { dir, ...(await startNginx({ dir, upstreamPort: server.port })) };
} else {
  console.log(`\n(no nginx: ${NGINX_BINARY} missing or no kindband-server; measured without it)`);
}
// A report that fails half-way leaves no server or nginx behind.
process.on("exit", () => {
  server.kill?.();
  front?.process.kill("SIGKILL");
});
const fronts = [{ name: serverName, url: server.url }];
if (front) fronts.push({ name: "nginx (examples/nginx/kindband.conf, TLS)", url: front.origin });
console.log(`\nServed by ${fronts.map((f) => f.name).join(", then by ")}.`);

// In the page: note when the first answer option exists and when the next frame has been drawn.
// For the widget, the parent's click on "Begin" is simulated the moment the start screen is ready.
function probe() {
  const mark = () => {
    if (window.__kbFirstOption) return;
    window.__kbFirstOption = { inDom: performance.now() };
    requestAnimationFrame(() =>
      setTimeout(() => {
        window.__kbFirstOption.painted = performance.now();
      }, 0),
    );
  };
  document.addEventListener("DOMContentLoaded", () => {
    if (document.querySelector("input[type=radio]")) mark();
  });
  // SurveyJS renders its question from script: the moment its first radio button is added.
  if (location.pathname.startsWith("/surveyjs")) {
    new MutationObserver((changes, observer) => {
      if (document.querySelector("input[type=radio]")) {
        mark();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }
  // The widget: its first field on a journey page (the form), else "Begin" on the start screen.
  document.addEventListener("kindband-ready", (event) => {
    const root = event.target.shadowRoot;
    if (root.querySelector("input[type=radio]")) mark();
    else root.querySelector("button.kb-button").click();
  });
  document.addEventListener("kindband-screen", (event) => {
    if (event.detail.screen === "question") mark();
  });
}

// The test certificate of the nginx front is made for this run: the browser is told to accept it.
const { context, close } = await launch({ ignoreHTTPSErrors: true });
await context.addInitScript(probe);
const downloaded = new Map();
const transferred = {}; // page kind -> {files, bytes, encodings} of its last cold load

// One cold load (cache disabled: every load is a first visit) of `url`, optionally on the phone
// profile; until the first option is painted, or with `idle` until the network is idle. Counts the
// bytes the widget's files took on the wire (body as sent plus headers, from the browser's own
// accounting) under `kind`. With `engine` (a journey page), then also until its engine has arrived,
// asked for as sending the form asks for it (the element's requestEngine(): no form data involved),
// with the journey file in the page's language it adds. With `moment` as well, the parent then fills
// in the journey moment whose questionnaires weigh most, through the page as a parent does: the form
// (dates that make that moment due), "Nu invullen", "Begin", every question, up to its result; every
// file the page fetches on the way counts (the questionnaires' files, the result's screens, ...).
const load = async (
  url,
  {
    phone = false,
    idle = false,
    kind = null,
    gzipOnly = false,
    engine = false,
    moment = false,
  } = {},
) => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  // A browser that does not take brotli (Chromium asks for it over HTTPS and on localhost).
  if (gzipOnly)
    await cdp.send("Network.setExtraHTTPHeaders", {
      headers: { "Accept-Encoding": "gzip, deflate" },
    });
  if (phone) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: PHONE_CPU_SLOWDOWN });
    await cdp.send("Network.emulateNetworkConditions", SLOW_MOBILE);
  }
  const requests = new Map(); // requestId -> {path, encoding}
  const finished = new Set(); // requestIds whose body has been received
  const wire = { files: 0, bytes: 0, encodings: {}, paths: [] };
  cdp.on("Network.responseReceived", ({ requestId, response }) => {
    const pathname = new URL(response.url).pathname;
    if (!pathname.startsWith("/kindband/")) return;
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    requests.set(requestId, headers["content-encoding"] || "identity");
    wire.paths.push(pathname.slice(10));
    downloaded.set(pathname, path.join(WEB, pathname.slice(10)));
  });
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    if (!requests.has(requestId)) return;
    finished.add(requestId);
    const encoding = requests.get(requestId);
    wire.files += 1;
    wire.bytes += encodedDataLength;
    wire.encodings[encoding] = (wire.encodings[encoding] || 0) + 1;
  });
  // Ceilings for a machine busy with other work, not expected times.
  if (idle) {
    await page.goto(url, { waitUntil: "networkidle", timeout: 180000 });
  } else {
    await page.goto(url, { timeout: 180000 });
    await page.waitForFunction(() => window.__kbFirstOption?.painted, null, { timeout: 180000 });
  }
  if (engine) {
    await page.evaluate(() => {
      const element = document.querySelector("kindband-screen");
      element.requestEngine();
      return element.engineReady;
    });
    if (moment) {
      await fillHeaviestMoment(page);
      // Until nothing more has been asked for half a second: what the result fetches after it is
      // drawn counts too.
      for (let seen = -1; seen !== requests.size;) {
        seen = requests.size;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    // The engine's files are read by then; the browser's accounting of them may follow a moment later.
    while ([...requests.keys()].some((id) => !finished.has(id)))
      await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const times = idle ? null : await page.evaluate(() => window.__kbFirstOption);
  if (!idle && kind) await page.waitForLoadState("networkidle", { timeout: 180000 }); // the engine too
  await page.close();
  if (kind) transferred[kind] = wire;
  return times;
};
// The moment whose questionnaires' files weigh most (gzip), of every moment for both roles as the
// plan offers them in the page's language.
async function heaviestMomentOf(page) {
  const offered = await page.evaluate(() => {
    const element = document.querySelector("kindband-screen");
    const { engine } = element;
    return ["mother", "partner"].flatMap((role) =>
      engine
        .journey({ role, birth_date: "2026-01-01", today: "2027-12-31" }, element.state.lang)
        .moments.map((m) => ({
          id: m.id,
          role,
          name: m.name,
          stage: m.stage,
          start_week: m.start_week,
          instruments: m.instruments,
          lang: element.state.lang,
        })),
    );
  });
  const weight = ({ instruments, lang }) =>
    instruments.reduce(
      (total, id) => total + gzipSize(path.join(WEB, "instruments", `${id}.${lang}.json`)),
      0,
    );
  return offered.reduce((a, b) => (weight(b) > weight(a) ? b : a));
}

// A date `days` after today (the browser's local date, as the widget's).
const localDate = (days) => {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

// Fills in the heaviest moment on a journey page as a parent does, up to its result.
async function fillHeaviestMoment(page) {
  heaviestMoment = await heaviestMomentOf(page);
  const w = page.locator("kindband-screen");
  const days = heaviestMoment.start_week * 7 + 3; // 3 days into the moment's first week
  await w
    .getByRole("radio", {
      name: heaviestMoment.role === "mother" ? /^Ik ben zwanger/ : "Ik ben de partner",
    })
    .check();
  if (heaviestMoment.stage === "postpartum") {
    await w.getByLabel(/^Geboortedatum/).fill(localDate(-days));
  } else {
    await w.getByLabel("Uitgerekende datum").fill(localDate(280 - days));
  }
  await w.getByRole("button", { name: "Toon mijn reis" }).click();
  const moment = w.locator(`[data-moment=${heaviestMoment.id}]`);
  await moment.getByRole("button", { name: "Nu invullen" }).click({ timeout: 180000 });
  await w.getByRole("button", { name: "Begin" }).click({ timeout: 180000 });
  // Every question: its first option, then "Next", until the result.
  for (let question = 1; ; question += 1) {
    const heading = w.getByRole("heading", {
      level: 2,
      name: new RegExp(`^Vraag ${question} van (\\d+)`),
    });
    await heading.waitFor({ timeout: 180000 });
    const total = Number(/van (\d+)/.exec(await heading.textContent())[1]);
    await w.getByRole("radio").first().check();
    await w.locator("form button[type=submit]").click();
    if (question === total) break;
  }
  await w.getByRole("heading", { level: 2, name: "Je uitslag" }).waitFor({ timeout: 180000 });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Static and widget loads alternate, so both see the same machine (others' builds come and go);
// SurveyJS joins them on kindband-server. The same for the journey page and its static form.
const KINDS = [
  { kind: "screening", label: "a screening page (PHQ-9)", pages: ["static", "widget", "surveyjs"] },
  {
    kind: "journey",
    label: "a journey page (the form)",
    pages: ["static-journey", "journey", "surveyjs-journey"],
  },
];
const timesOf = async (url, pageNames, count, options, withSurvey, kind = null) => {
  const [staticPage, widgetPage, surveyPage] = pageNames;
  const runs = { static: [], widget: [], surveyjs: [] };
  for (let i = 0; i < count; i += 1) {
    runs.static.push(await load(`${url}/${staticPage}.html`, options));
    runs.widget.push(await load(`${url}/${widgetPage}.html`, { ...options, kind }));
    if (withSurvey) runs.surveyjs.push(await load(`${url}/${surveyPage}.html`, options));
  }
  return runs;
};
const runsByFront = [];
let heaviestMoment = null;
let screeningFiles = null;
let journeyFiles = null;
for (const [index, { name, url }] of fronts.entries()) {
  const withSurvey = index === 0;
  await load(`${url}/static.html`); // warm up the browser process and the connection
  await load(`${url}/widget.html`);
  for (const { kind, pages: names } of KINDS) {
    const runs = await timesOf(url, names, loads, {}, withSurvey);
    runsByFront.push({ name, kind, runs });
  }
  // What each page kind fetches (one cold load each, until nothing is loading).
  downloaded.clear();
  await load(`${url}/widget.html`, { idle: true, kind: `${name}|screening` });
  if (!screeningFiles) screeningFiles = new Map(downloaded);
  downloaded.clear();
  await load(`${url}/journey.html`, { idle: true, kind: `${name}|journey` });
  if (!journeyFiles) journeyFiles = new Map(downloaded);
  await load(`${url}/widget.html`, { idle: true, kind: `${name}|screening-gzip`, gzipOnly: true });
  await load(`${url}/journey.html`, { idle: true, kind: `${name}|journey-gzip`, gzipOnly: true });
  const withEngine = { idle: true, engine: true };
  await load(`${url}/journey.html`, { ...withEngine, kind: `${name}|journey-engine` });
  await load(`${url}/journey.html`, {
    ...withEngine,
    kind: `${name}|journey-engine-gzip`,
    gzipOnly: true,
  });
  const withMoment = { ...withEngine, moment: true };
  await load(`${url}/journey.html`, { ...withMoment, kind: `${name}|journey-moment` });
  await load(`${url}/journey.html`, {
    ...withMoment,
    kind: `${name}|journey-moment-gzip`,
    gzipOnly: true,
  });
}
const phoneRuns = {};
for (const { kind, pages: names } of KINDS) {
  phoneRuns[kind] = await timesOf(server.url, names, phoneLoads, { phone: true }, true);
}
await close();
if (front) {
  await stop(front.process);
  fs.rmSync(front.dir, { recursive: true, force: true });
}
await server.close();
fs.rmSync(pages, { recursive: true, force: true });

console.log();
for (const [what, files] of [
  ["a screening page load (PHQ-9)", screeningFiles],
  ["a journey page load", journeyFiles],
]) {
  let fetchedGzip = 0;
  for (const file of files.values()) fetchedGzip += gzipSize(file);
  console.log(
    `What ${what} fetches: ${files.size} files, ${kb(fetchedGzip)} gzip -9` +
      `   (${[...files.keys()].map((p) => p.slice(10)).join(", ")})`,
  );
}
for (const { name } of fronts) {
  console.log(
    `\nTransferred from ${name} (the widget's files as sent: compressed body + headers, one cold load):`,
  );
  for (const [kind, label] of [
    ["screening", "a screening page (PHQ-9)"],
    ["journey", "a journey page"],
    ["screening-gzip", "a screening page, gzip only"],
    ["journey-gzip", "a journey page, gzip only"],
    ["journey-engine", "a journey page with its engine"],
    ["journey-engine-gzip", "the same, gzip only"],
    ["journey-moment", "... the heaviest moment, to its result"],
    ["journey-moment-gzip", "the same, gzip only"],
  ]) {
    const wire = transferred[`${name}|${kind}`];
    const encodings = Object.entries(wire.encodings)
      .map(([name, count]) => `${count} ${name}`)
      .join(", ");
    console.log(
      `  ${label.padEnd(34)} ${kb(wire.bytes).padStart(10)} in ${wire.files} files (${encodings})` +
        `   budget ${kb(BUDGET_BYTES)}: ${wire.bytes <= BUDGET_BYTES ? "within" : "OVER"}` +
        ` (${((100 * wire.bytes) / BUDGET_BYTES).toFixed(0)}%)`,
    );
  }
  console.log(
    "  (gzip only is what a browser gets over plain HTTP: over HTTPS every browser that runs the" +
      " widget asks for brotli)",
  );
  console.log(
    `  (the heaviest moment: ${heaviestMoment.id}, ${heaviestMoment.instruments.join(", ")}:` +
      " filled in on the journey page as a parent does, from the form to its result; every file" +
      ` the page fetched counts: ${transferred[`${name}|journey-moment`].paths.join(", ")})`,
  );
}

const row = (name, key, set, other = "widget") => {
  const st = median(set.static.map((r) => r[key]));
  const w = median(set[other].map((r) => r[key]));
  // The fastest load of each, too: on a busy machine the median mostly measures the other processes.
  const bestStatic = Math.min(...set.static.map((r) => r[key]));
  const bestOther = Math.min(...set[other].map((r) => r[key]));
  console.log(
    `  ${name.padEnd(38)} static ${st.toFixed(1).padStart(7)} ms   ${other.padEnd(8)} ${w.toFixed(1).padStart(7)} ms   ratio ${(w / st).toFixed(2)}x` +
      `   (fastest: ${bestStatic.toFixed(1)} / ${bestOther.toFixed(1)} ms, ${(bestOther / bestStatic).toFixed(2)}x)`,
  );
  return { median: w / st, fastest: bestOther / bestStatic };
};
const targets = [];
const labelOf = (kind) => KINDS.find((k) => k.kind === kind).label;
for (const { name, kind, runs } of runsByFront) {
  console.log(
    `\nNavigation -> first answer option / field, ${labelOf(kind)}, median of ${loads} cold loads each, alternating (headless Chromium, ${name}):`,
  );
  row("option in the DOM", "inDom", runs);
  const ratio = row("option on screen (next frame drawn)", "painted", runs);
  targets.push({ what: `desktop, ${labelOf(kind)}, ${name}`, ratio });
  if (runs.surveyjs.length) {
    row("SurveyJS: option in the DOM", "inDom", runs, "surveyjs");
    row("SurveyJS: option on screen", "painted", runs, "surveyjs");
  }
}
for (const { kind } of KINDS) {
  console.log(
    `\nPhone profile, ${labelOf(kind)} (${PHONE_CPU_SLOWDOWN}x CPU slowdown, ${SLOW_MOBILE.latency} ms latency, ` +
      `${((SLOW_MOBILE.downloadThroughput * 8) / 1e6).toFixed(2)} Mbit/s down, ${serverName}), median of ${phoneLoads} cold loads each:`,
  );
  row("option in the DOM", "inDom", phoneRuns[kind]);
  const ratio = row("option on screen (next frame drawn)", "painted", phoneRuns[kind]);
  targets.push({ what: `phone, ${labelOf(kind)}, ${serverName}`, ratio });
  row("SurveyJS: option in the DOM", "inDom", phoneRuns[kind], "surveyjs");
  row("SurveyJS: option on screen", "painted", phoneRuns[kind], "surveyjs");
}
console.log();
for (const { what, ratio } of targets) {
  console.log(
    `  target: widget <= 1.5x static (on screen, plain embed, median), ${what}: ${ratio.median <= 1.5 ? "met" : "NOT met"}` +
      ` (${ratio.median.toFixed(2)}x; fastest loads ${ratio.fastest.toFixed(2)}x)`,
  );
}
