// Runs the engine in the page under the CSP served by tests/wasm/browser.mjs: every instrument, bad
// calls, and the latency of kb.score() (median per call over batches of calls).
const violations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  violations.push(`${event.violatedDirective} ${event.blockedURI}`),
);

async function run() {
  const { loadKindband } = await import("./dist/kindband.mjs");
  const started = performance.now();
  const kb = await loadKindband();
  const loadMs = performance.now() - started;
  const again = await loadKindband();
  if (again !== kb) throw new Error("loadKindband() loaded a second copy");

  const instruments = kb.listInstruments("nl");
  for (const { id } of instruments) {
    const instrument = kb.getInstrument(id, "en");
    const answers = instrument.items.map((item) => item.options.length - 1);
    const result = kb.score(id, answers, { role: "mother", stage: "postpartum", week: 6 });
    if (result.instrument !== id || !result.complete) throw new Error(`${id}: unexpected result`);
    kb.advise(id, answers, {}, "nl");
  }
  let badCall = "";
  try {
    kb.score("phq9", [0, "x"], {});
  } catch (error) {
    badCall = error.message;
  }

  // Latency: batches of calls, so that the browser's coarse timer (100 µs without cross-origin
  // isolation) does not dominate; the median batch divided by its size.
  const batch = 100;
  const batches = 150;
  const latency = {};
  for (const id of ["phq9", "epds", "pbq"]) {
    if (!instruments.some((instrument) => instrument.id === id)) continue;
    const items = kb.getInstrument(id, "nl").items;
    const sets = Array.from({ length: batch }, (_, s) =>
      items.map((item, i) => (s + i) % item.options.length),
    );
    const context = { role: "mother", stage: "pregnancy", week: 20 };
    for (const call of ["score", "scoreText", "advise"]) {
      const perCall = [];
      for (let b = 0; b < batches; b++) {
        const t0 = performance.now();
        for (const answers of sets) {
          if (call === "advise") kb.advise(id, answers, context, "nl");
          else kb[call](id, answers, context);
        }
        perCall.push(((performance.now() - t0) * 1000) / batch);
      }
      perCall.sort((a, b) => a - b);
      latency[`${id}.${call}`] = perCall[perCall.length >> 1];
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 100)); // let violation events arrive
  return { instruments: instruments.length, badCall, loadMs, latency, violations };
}

window.kindbandTest = run().catch((error) => ({
  error: `${error.name}: ${error.message}`,
  violations,
}));
