// The JS API of the wasm engine (wasm/kindband.mjs) under Node, run with
// --disallow-code-generation-from-strings (the CSP-equivalent check: no eval, no new Function).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { loadForNode } from "./load.mjs";

let kb;
before(async () => {
  kb = await loadForNode();
});

test("CodeGenerationFromStrings_IsDisallowedInThisRun", () => {
  // Proves the module below loaded and runs without eval: otherwise this suite proves nothing.
  assert.throws(() => new Function("return 1"), EvalError);
});

test("ListInstruments_SortedById_NamesInTheLanguage", () => {
  const nl = kb.listInstruments("nl");
  const en = kb.listInstruments("en");
  assert.ok(nl.length >= 5, `only ${nl.length} instruments`);
  const ids = nl.map((instrument) => instrument.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.deepEqual(
    ids,
    en.map((instrument) => instrument.id),
  );
  for (const instrument of nl) {
    assert.deepEqual(Object.keys(instrument), ["id", "version", "name", "short_name"]);
    assert.equal(typeof instrument.name, "string");
  }
  const phq9 = { nl: nl.find((i) => i.id === "phq9"), en: en.find((i) => i.id === "phq9") };
  assert.equal(phq9.en.name, "Patient Health Questionnaire-9");
  assert.notEqual(phq9.nl.name, phq9.en.name);
});

test("GetInstrument_GivesItemsAndOptionsForRendering", () => {
  const phq9 = kb.getInstrument("phq9", "en");
  assert.equal(phq9.id, "phq9");
  assert.equal(phq9.language, "en");
  assert.equal(phq9.items.length, 10); // nine scored items and the closing question
  for (const item of phq9.items) {
    assert.equal(typeof item.text, "string");
    assert.deepEqual(
      item.options.map((option) => option.value),
      [0, 1, 2, 3],
    );
    for (const option of item.options) assert.equal(typeof option.label, "string");
  }
  assert.deepEqual(phq9.scales[0], {
    id: "total",
    name: phq9.scales[0].name,
    min: 0,
    max: 27,
    better: "lower",
    secondary: false,
  });
});

test("Phq9ClosingQuestion_IsAskedLastUnscoredAndMayBeLeftOut", () => {
  const closing = kb.getInstrument("phq9", "en").items[9];
  assert.equal(closing.id, "10");
  assert.match(closing.text, /^If you checked off any problems, how difficult have these problems/);
  assert.equal(closing.scored, false);
  assert.equal(closing.required, false);
  const nine = [1, 1, 2, 1, 0, 1, 1, 0, 1];
  const context = { role: "mother", stage: "postpartum", week: 6 };
  const without = kb.score("phq9", nine, context);
  const withIt = kb.score("phq9", [...nine, 3], context);
  assert.equal(without.item_count, 9);
  assert.equal(withIt.item_count, 10);
  assert.equal(withIt.answered, 10);
  assert.deepEqual(
    { ...withIt, item_count: 9, answered: 9 },
    without,
    "the closing answer changes no score, band, flag or positive",
  );
  assert.deepEqual(
    kb.advise("phq9", [...nine, 3], context, "nl"),
    kb.advise("phq9", nine, context, "nl"),
  );
});

test("GetInstrument_EpdsWithoutWordingPack_HasNullWording", () => {
  const epds = kb.getInstrument("epds", "nl");
  assert.equal(epds.items.length, 10);
  for (const item of epds.items) {
    assert.equal(item.text, null);
    for (const option of item.options) assert.equal(option.label, null);
  }
});

test("Score_CompleteAnswers_SumsOptionValuesAndBands", () => {
  const result = kb.score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], {
    role: "mother",
    stage: "pregnancy",
    week: 14,
  });
  assert.equal(result.instrument, "phq9");
  assert.deepEqual(result.context, { role: "mother", stage: "pregnancy", week: 14 });
  assert.equal(result.complete, true);
  assert.equal(result.answered, 9);
  assert.deepEqual(result.missing, []);
  assert.equal(result.scales[0].id, "total");
  assert.equal(result.scales[0].score, 8);
  assert.equal(result.scales[0].band.id, "mild"); // Kroenke 2001: 5-9
  assert.deepEqual(result.flags, []);
});

test("Score_MissingAnswers_NullAndUndefinedAndHoles_AreMissing", () => {
  const sparse = [0, 1, , 3, 0, 0, 0, 0, 2]; // eslint-disable-line no-sparse-arrays
  for (const answers of [
    [0, 1, null, 3, 0, 0, 0, 0, 2],
    [0, 1, undefined, 3, 0, 0, 0, 0, 2],
    sparse,
  ]) {
    const result = kb.score("phq9", answers, {});
    assert.equal(result.complete, false);
    assert.deepEqual(result.missing, ["3"]);
    assert.equal(result.scales[0].score, null);
    assert.equal("band" in result.scales[0], false);
    assert.deepEqual(result.flags, ["self_harm"]); // item 9 answered: help shows even when incomplete
  }
});

test("Score_TypedArrayAnswers_AreAccepted", () => {
  const expected = kb.scoreText("phq2", [1, 2], {});
  assert.equal(kb.scoreText("phq2", Int32Array.from([1, 2]), {}), expected);
});

test("Score_ContextOmitted_IsTheEmptyContext", () => {
  const answers = [0, 1, 2, 3, 0, 1, 2, 3, 0];
  const empty = kb.scoreText("phq9", answers, {});
  assert.equal(kb.scoreText("phq9", answers), empty);
  assert.equal(kb.scoreText("phq9", answers, null), empty);
  assert.equal(JSON.parse(empty).context && JSON.stringify(JSON.parse(empty).context), "{}");
});

test("ScoreText_IsTheTextOfScore", () => {
  const answers = [0, 1, 2, 3, 0, 1, 2, 3, 1];
  const text = kb.scoreText("phq9", answers, { role: "partner" });
  assert.deepEqual(kb.score("phq9", answers, { role: "partner" }), JSON.parse(text));
  assert.equal(JSON.stringify(JSON.parse(text)), text); // no whitespace, stable key order
});

test("Advise_InEachLanguage_SafetyFirst", () => {
  const answers = [2, 2, 2, 2, 2, 2, 2, 2, 1];
  for (const language of ["nl", "en"]) {
    const advice = kb.advise("phq9", answers, { role: "mother" }, language);
    assert.equal(advice.language, language);
    assert.equal(advice.entries[0].kind, "safety");
    assert.equal(advice.entries[0].id, "self_harm");
    assert.equal(advice.entries[0].urgent, true);
    assert.ok(advice.entries[0].steps.length > 0);
    assert.ok(advice.entries.some((entry) => entry.kind === "band" && entry.scale === "total"));
  }
  const nl = kb.advise("phq9", answers, {}, "nl");
  const en = kb.advise("phq9", answers, {}, "en");
  assert.notEqual(nl.entries[0].title, en.entries[0].title);
});

test("Library_TravelsWithTheModule_NoRequestPerInstrument", () => {
  const originalFetch = globalThis.fetch;
  let requests = 0;
  globalThis.fetch = () => {
    requests++;
    throw new Error("no network expected");
  };
  try {
    for (const { id } of kb.listInstruments("en")) {
      const instrument = kb.getInstrument(id, "en");
      const answers = instrument.items.map(() => 0);
      assert.equal(kb.score(id, answers, {}).instrument, id);
      kb.advise(id, answers, {}, "nl");
    }
  } finally {
    globalThis.fetch = originalFetch;
  }
  assert.equal(requests, 0);
});

// A wording pack with made-up text (the real EPDS wording may not be shipped, see INSTRUMENTS.md).
function epdsTestPack(language, optionCount = undefined) {
  const epds = kb.getInstrument("epds", language);
  const items = {};
  for (const item of epds.items) {
    const count = optionCount ?? item.options.length;
    items[item.id] = {
      text: `Testvraag ${item.id}`,
      options: Array.from({ length: count }, (_, i) => `Testantwoord ${item.id}.${i}`),
    };
  }
  return {
    wording_pack: "epds-test",
    instrument: "epds",
    instrument_version: epds.version,
    language,
    validated: false,
    source: "Kindband test wording (not the EPDS)",
    licence: "test only",
    title: "EPDS (test wording)",
    period: "Test period: the past 7 days",
    items,
  };
}

test("AddWordingPack_Invalid_ThrowsWithWhereAndWhat_AndChangesNothing", async () => {
  const fresh = await loadForNode();
  const before = JSON.stringify(fresh.getInstrument("epds", "en"));
  assert.throws(() => fresh.addWordingPack(epdsTestPack("en", 3)), /\/items\/1\/options/);
  assert.throws(() => fresh.addWordingPack({ ...epdsTestPack("en"), instrument: "nope" }), /nope/);
  assert.throws(() => fresh.addWordingPack('{"wording_pack":'), /invalid JSON/);
  assert.throws(() => fresh.addWordingPack(42), /wording pack/);
  assert.equal(JSON.stringify(fresh.getInstrument("epds", "en")), before);
});

test("AddWordingPack_AsObjectOrText_AddsWordingAtRunTime", async () => {
  const fresh = await loadForNode();
  fresh.addWordingPack(epdsTestPack("nl"));
  fresh.addWordingPack(JSON.stringify(epdsTestPack("en")));
  for (const language of ["nl", "en"]) {
    const epds = fresh.getInstrument("epds", language);
    assert.equal(epds.items[0].text, "Testvraag 1");
    assert.equal(epds.items[9].options[3].label, "Testantwoord 10.3");
  }
  // Scoring is unchanged by wording.
  const answers = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1];
  assert.equal(fresh.scoreText("epds", answers, {}), kb.scoreText("epds", answers, {}));
});

test("Journey_PlanAndContent", () => {
  const plan = kb.journey(
    { role: "mother", due_date: "2027-03-01", birth_date: null, today: "2026-11-22" },
    "nl",
  );
  assert.equal(plan.stage, "pregnancy");
  assert.equal(plan.week, 25);
  assert.deepEqual(plan.context, { role: "mother", stage: "pregnancy", week: 25 });
  assert.ok(plan.moments.length > 0);
  assert.equal(
    kb.journeyText({ role: "mother", due_date: "2027-03-01", today: "2026-11-22" }, "nl"),
    JSON.stringify(
      JSON.parse(
        kb.journeyText({ role: "mother", due_date: "2027-03-01", today: "2026-11-22" }, "nl"),
      ),
    ),
  );
  const content = kb.journeyContent("en");
  assert.equal(content.language, "en");
  assert.ok(content.elements.length > 0);
  assert.throws(
    () => kb.journey({ role: "mother", due_date: "2027-02-30", today: "2026-11-22" }, "nl"),
    /due_date/,
  );
});
