// The core engine build (no journey, what pages that only screen load) scores exactly as the full
// build, and says clearly that it has no journey.
import assert from "node:assert/strict";
import test from "node:test";

import path from "node:path";
import { pathToFileURL } from "node:url";

import { addInstrumentFiles, distDir, instrumentFileIds, loadForNode } from "./load.mjs";

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

test("CoreBuild_StartsWithoutDefinitionsAndScoresOnceTheFileIsAdded", async () => {
  const fresh = await loadForNode("core", { instruments: "none" });
  assert.deepEqual(fresh.loadedInstruments(), []);
  // Every instrument is known by name and version before its file is added.
  assert.deepEqual(fresh.listInstruments("nl"), full.listInstruments("nl"));
  assert.throws(
    () => fresh.score("phq9", [0, 1, 2, 3, 0, 0, 0, 0, 0], {}),
    /^Error: instrument "phq9" is not loaded: add its file first \(addInstrument, docs\/js-api\.md\)$/,
  );
  assert.throws(() => fresh.getInstrument("phq9", "nl"), /"phq9" is not loaded/);
  assert.throws(() => fresh.score("phq10", [0], {}), /^Error: unknown instrument "phq10"/);
  addInstrumentFiles(fresh, ["phq9"]);
  assert.deepEqual(fresh.loadedInstruments(), ["phq9"]);
  const answers = [0, 1, 2, 3, 0, 0, 0, 0, 1];
  assert.equal(fresh.scoreText("phq9", answers, {}), full.scoreText("phq9", answers, {}));
  assert.deepEqual(fresh.getInstrument("phq9", "en"), full.getInstrument("phq9", "en"));
  // A second copy of the same instrument is refused, and the first stays.
  assert.throws(() => addInstrumentFiles(fresh, ["phq9"]), /phq9\.json: \/id: .*already loaded/);
  // An invalid definition says where and what, and adds nothing.
  assert.throws(
    () => fresh.addInstrument('{"id":"broken"}', "broken.json"),
    /^Error: broken\.json: /,
  );
  assert.deepEqual(fresh.loadedInstruments(), ["phq9"]);
});

test("InstrumentFiles_OneForEveryInstrumentTheEngineKnows", () => {
  assert.deepEqual(
    instrumentFileIds(),
    full.listInstruments("en").map(({ id }) => id),
  );
});
