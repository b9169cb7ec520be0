// kb.adviseResult: the advice for a result without its answers (a share of the result only) is the
// advice advise() gives for the answers, for every instrument; a result the engine could not have
// written is refused with the field named. Run with --disallow-code-generation-from-strings.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { loadForNode } from "./load.mjs";

let kb;
let core;
let journey;
before(async () => {
  kb = await loadForNode();
  core = await loadForNode("core");
  journey = await loadForNode("journey");
});

// Deterministic answer sets: all first, all last, and pseudo-random ones with some left empty.
function answerSets(instrument) {
  const sets = [
    instrument.items.map(() => 0),
    instrument.items.map((item) => item.options.length - 1),
  ];
  let state = 7;
  for (let seed = 0; seed < 6; seed++) {
    sets.push(
      instrument.items.map((item) => {
        state = (state * 1103515245 + 12345) % 2147483648;
        if (seed >= 3 && state % 5 === 0) return null;
        return state % item.options.length;
      }),
    );
  }
  return sets;
}

test("AdviseResult_SameAdviceAsForTheAnswers_EveryInstrument", () => {
  const contexts = [{}, { role: "mother", stage: "pregnancy", week: 10 }, { role: "partner" }];
  let withSafety = 0;
  for (const { id } of kb.listInstruments("en")) {
    const instrument = kb.getInstrument(id, "en");
    for (const answers of answerSets(instrument)) {
      for (const context of contexts) {
        const resultText = kb.scoreText(id, answers, context);
        for (const language of ["nl", "en"]) {
          const expected = kb.adviseText(id, answers, context, language);
          assert.equal(kb.adviseResultText(resultText, language), expected, resultText);
          assert.deepEqual(kb.adviseResult(JSON.parse(resultText), language), JSON.parse(expected));
          if (expected.includes('"kind":"safety"')) withSafety++;
        }
      }
    }
  }
  assert.ok(
    withSafety > 10,
    `only ${withSafety} results with safety advice: the sweep is too weak`,
  );
});

test("AdviseResult_ResultTheEngineCouldNotHaveGiven_ThrowsNamingTheField", () => {
  const result = kb.score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0], {});
  assert.equal(result.scales[0].band.id, "severe");
  const cases = [
    [{ ...result, version: "1999" }, /^phq9: \/result\/version: the result is for version '1999'/],
    [{ ...result, instrument: "nope" }, /^\/result\/instrument: unknown instrument 'nope'/],
    [
      { ...result, scales: [{ ...result.scales[0], band: { ...result.scales[0].band, id: "x" } }] },
      /^phq9: \/result\/scales\/0\/band\/id: unknown band 'x' in band set 'kroenke2001'$/,
    ],
    [{ ...result, flags: ["nope"] }, /^phq9: \/result\/flags\/0: unknown safety rule 'nope'$/],
    [{ ...result, answers: [] }, /^phq9: \/result\/answers: unknown key$/],
    [{ ...result, complete: "yes" }, /^phq9: \/result\/complete: expected true or false/],
    [null, /^\/result: expected a result object, found null$/],
    ["{", /^\/result: invalid JSON/],
    [42, /^\/result: expected a result object, found a number$/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => kb.adviseResult(bad, "en"), { message }, JSON.stringify(bad));
  }
  assert.throws(() => kb.adviseResult(result, "de"), { message: /^unknown language "de"/ });
  assert.throws(() => kb.adviseResult(result), {
    message: /^language: expected text, found undefined$/,
  });
  // The module keeps working after the errors.
  assert.equal(kb.adviseResult(result, "en").entries[0].id, "severe");
});

test("AdviseResult_NotInTheCoreBuild_SaysSo", () => {
  // The parents' screening download (core) leaves it out; the inbox loads the full build.
  const result = core.score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], {});
  assert.throws(() => core.adviseResult(result, "nl"), {
    message: "kindband: this engine build has no advise_result (built without it)",
  });
  assert.deepEqual(
    kb.adviseResult(result, "nl"),
    kb.advise("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], {}, "nl"),
  );
});

test("AdviseResult_NotInTheJourneyBuild_WhichHasTheJourney", () => {
  // A parent's journey page loads the journey build: the journey, but no result reading.
  const result = journey.score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], {});
  assert.throws(() => journey.adviseResult(result, "nl"), {
    message: "kindband: this engine build has no advise_result (built without it)",
  });
  const input = { role: "mother", due_date: "2027-03-01", birth_date: null, today: "2026-11-22" };
  assert.equal(journey.journeyText(input, "nl"), kb.journeyText(input, "nl"));
  assert.equal(
    JSON.stringify(journey.journeyContent("en")),
    JSON.stringify(kb.journeyContent("en")),
  );
});
