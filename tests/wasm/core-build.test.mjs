// The core engine build (no journey, what pages that only screen load) scores exactly as the full
// build, and says clearly that it has no journey.
import assert from "node:assert/strict";
import test from "node:test";

import path from "node:path";
import { pathToFileURL } from "node:url";

import { distDir, loadForNode } from "./load.mjs";

const full = await loadForNode("full");
const core = await loadForNode("core");

test("CoreBuild_ScoresAndAdvisesEveryInstrumentAsTheFullBuild", () => {
  const instruments = full.listInstruments("en");
  assert.deepEqual(core.listInstruments("en"), instruments);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (const { id } of instruments) {
    const items = full.getInstrument(id, "nl").items;
    assert.equal(core.getInstrument(id, "nl").items.length, items.length);
    for (let round = 0; round < 50; round += 1) {
      const answers = items.map((item) =>
        next() % 10 === 0 ? null : next() % item.options.length,
      );
      const context = {
        role: round % 2 ? "partner" : "mother",
        stage: "pregnancy",
        week: round,
      };
      assert.equal(core.scoreText(id, answers, context), full.scoreText(id, answers, context));
      assert.equal(
        core.adviseText(id, answers, context, "nl"),
        full.adviseText(id, answers, context, "nl"),
      );
    }
  }
});

test("CoreBuild_HasNoJourneyAndSaysSo", () => {
  assert.throws(
    () => core.journey({ role: "mother", due_date: "2027-03-01", today: "2026-11-22" }, "nl"),
    /^Error: kindband: this engine build has no journey_plan \(built without it\)$/,
  );
  assert.equal(
    full.journey({ role: "mother", due_date: "2027-03-01", today: "2026-11-22" }, "nl").stage,
    "pregnancy",
  );
});

test("LoadKindband_RejectsAnUnknownBuild", async () => {
  const { loadKindband } = await import(pathToFileURL(path.join(distDir, "kindband.mjs")).href);
  await assert.rejects(() => loadKindband({ engine: "tiny" }), /unknown engine build "tiny"/);
});
