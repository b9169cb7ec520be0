// Bad calls from JavaScript: each gives an Error whose message says where and what, and the module
// keeps working afterwards (checked after every single bad call).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { loadForNode } from "./load.mjs";

let kb;
const good = {
  id: "phq9",
  answers: [0, 1, 2, 3, 0, 1, 2, 3, 1],
  context: { role: "mother", stage: "pregnancy", week: 20 },
};
let goodResult;
let goodAdvice;

before(async () => {
  kb = await loadForNode();
  goodResult = kb.scoreText(good.id, good.answers, good.context);
  goodAdvice = kb.adviseText(good.id, good.answers, good.context, "nl");
});

// Runs a bad call, requires an Error matching `message`, then requires the module to still work.
function rejects(call, message) {
  let thrown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof Error, `expected an Error, got ${thrown}`);
  assert.match(thrown.message, message);
  assert.equal(kb.scoreText(good.id, good.answers, good.context), goodResult);
  assert.equal(kb.adviseText(good.id, good.answers, good.context, "nl"), goodAdvice);
  return thrown.message;
}

test("UnknownInstrument_NamesItAndTheAvailableOnes", () => {
  const message = rejects(
    () => kb.score("phq10", good.answers, {}),
    /^unknown instrument "phq10" \(available: .*phq9/,
  );
  assert.ok(message.includes("epds"));
  rejects(() => kb.getInstrument("", "nl"), /^unknown instrument ""/);
  rejects(() => kb.advise("PHQ9", good.answers, {}, "nl"), /^unknown instrument "PHQ9"/);
});

test("WrongAnswerCount_SaysExpectedAndFound", () => {
  // PHQ-9's closing question may be left out: 9 or 10 answers.
  rejects(
    () => kb.score("phq9", [0, 1], {}),
    /^phq9: \/answers: expected 9 or 10 answers, found 2$/,
  );
  rejects(() => kb.score("phq9", [], {}), /^phq9: \/answers: expected 9 or 10 answers, found 0$/);
  rejects(() => kb.score("phq9", new Array(11).fill(0), {}), /expected 9 or 10 answers, found 11/);
  rejects(() => kb.score("gad7", new Array(9).fill(0), {}), /expected 7 or 8 answers, found 9/);
});

test("NonNumericAnswers_NameThePositionAndTheValue", () => {
  const at2 = (value) => good.answers.map((answer, i) => (i === 2 ? value : answer));
  rejects(
    () => kb.score("phq9", at2("2"), {}),
    /^phq9: \/answers\/2: expected an option position \(a whole number\) or null, found "2"$/,
  );
  rejects(() => kb.score("phq9", at2(NaN), {}), /\/answers\/2: .* found "NaN"$/);
  rejects(() => kb.score("phq9", at2(Infinity), {}), /\/answers\/2: .* found "Infinity"$/);
  rejects(() => kb.score("phq9", at2(1.5), {}), /\/answers\/2: .* found 1.5$/);
  rejects(() => kb.score("phq9", at2(true), {}), /\/answers\/2: .* found true$/);
  rejects(() => kb.score("phq9", at2({}), {}), /\/answers\/2: .* found an object$/);
  rejects(() => kb.score("phq9", at2([1]), {}), /\/answers\/2: .* found an array$/);
  rejects(() => kb.score("phq9", at2(2n), {}), /\/answers\/2: .* found "2n"$/);
  rejects(
    () =>
      kb.score(
        "phq9",
        at2(() => 1),
        {},
      ),
    /\/answers\/2: .* found "\[function\]"$/,
  );
  rejects(() => kb.score("phq9", at2(Symbol("x")), {}), /\/answers\/2: .* found "\[symbol\]"$/);
  rejects(
    () => kb.score("phq9", at2(-1), {}),
    /\/answers\/2: expected an option position \(0 or more\) or null, found -1$/,
  );
  rejects(() => kb.score("phq9", at2(4), {}), /^phq9: \/answers\/2: answer 4 is out of range/);
  rejects(() => kb.score("phq9", at2(1e20), {}), /\/answers\/2: answer 1e\+20 is out of range$/);
  rejects(
    () => kb.score("phq9", at2(2 ** 31), {}),
    /\/answers\/2: answer 2147483648 is out of range$/,
  );
});

test("AnswersNotAnArray_SaysWhatWasFound", () => {
  rejects(
    () => kb.score("phq9", "0,1,2", {}),
    /^phq9: \/answers: expected an array of option positions, found "0,1,2"$/,
  );
  rejects(
    () => kb.score("phq9", undefined, {}),
    /^phq9: \/answers: expected an array .*, found null$/,
  );
  rejects(() => kb.score("phq9", { 0: 1 }, {}), /found an object$/);
  rejects(() => kb.score("phq9", 7, {}), /found 7$/);
  const circular = [0];
  circular.push(circular);
  rejects(() => kb.score("phq9", circular, {}), /^phq9: \/answers: cannot be read/);
});

test("WrongArgumentTypes_SayWhichArgument", () => {
  rejects(() => kb.score(9, good.answers, {}), /^instrument id: expected text, found 9$/);
  rejects(
    () => kb.score(undefined, good.answers, {}),
    /^instrument id: expected text, found undefined$/,
  );
  rejects(() => kb.listInstruments(), /^language: expected text, found undefined$/);
  rejects(() => kb.listInstruments("de"), /^unknown language "de" \(available: en, nl\)$/);
  rejects(() => kb.advise("phq9", good.answers, {}, "fr"), /^unknown language "fr"/);
  rejects(
    () => kb.getInstrument("phq9", { language: "nl" }),
    /^language: expected text, found an object$/,
  );
});

test("BadContext_NamesTheKey", () => {
  rejects(
    () => kb.score("phq9", good.answers, { role: "father" }),
    /^\/context\/role: role must be mother or partner$/,
  );
  rejects(() => kb.score("phq9", good.answers, { stage: "toddler" }), /^\/context\/stage: /);
  rejects(
    () => kb.score("phq9", good.answers, { week: 121 }),
    /^\/context\/week: week must be a whole number from 0 to 120$/,
  );
  rejects(() => kb.score("phq9", good.answers, { week: -3 }), /^\/context\/week: /);
  rejects(
    () => kb.score("phq9", good.answers, { week: 1.5 }),
    /^\/context\/week: expected text or a whole number, found 1.5$/,
  );
  rejects(
    () => kb.score("phq9", good.answers, { weeks: 3 }),
    /^\/context\/weeks: unknown context key/,
  );
  rejects(
    () => kb.score("phq9", good.answers, { role: "mother,stage=postpartum" }),
    /^\/context\/role: invalid value/,
  );
  rejects(() => kb.score("phq9", good.answers, "role=mother"), /^\/context: expected an object/);
  rejects(() => kb.score("phq9", good.answers, ["mother"]), /^\/context: expected an object/);
});

test("HugeInputs_AreRefusedClearly", () => {
  rejects(
    () => kb.score("phq9", new Array(10_000_000).fill(0), {}),
    /^phq9: \/answers: 10000000 answers is too many \(at most \d+\)$/,
  );
  rejects(
    () => kb.score("phq9", new Array(1500).fill(0), {}),
    /^phq9: \/answers: expected 9 or 10 answers, found 1500$/,
  );
  rejects(
    () => kb.score("x".repeat(50_000_000), good.answers, {}),
    /^instrument id: too long \(50000000 characters\)$/,
  );
  rejects(
    () => kb.score("x".repeat(100_000), good.answers, {}),
    /^unknown instrument "x{60}\.\.\." /,
  );
  rejects(
    () => kb.score("phq9", good.answers, { role: "m".repeat(100_000) }),
    /^\/context: too long/,
  );
  const deep = "[".repeat(30_000) + "]".repeat(30_000);
  rejects(() => kb.addWordingPack(deep), /^wording pack: /);
  rejects(
    () => kb.addWordingPack("[".repeat(500_000) + "]".repeat(500_000)),
    /^wording pack: invalid JSON at line 1, column 513: nested deeper than 512 levels$/,
  );
  rejects(() => kb.score("phq9", JSON.parse(deep), {}), /^phq9: \/answers: cannot be read/);
  rejects(
    () => kb.addWordingPack("[".repeat(3_000_000) + "]".repeat(3_000_000)),
    /^wording pack: too long/,
  );
  rejects(() => kb.addWordingPack(" ".repeat(1024 * 1024 + 1)), /^wording pack: too long/);
  const longText = { text: "x".repeat(900_000), options: ["a", "b", "c", "d"] };
  rejects(
    () =>
      kb.addWordingPack({
        wording_pack: "big",
        instrument: "epds",
        instrument_version: "1987",
        language: "nl",
        items: { 1: longText },
      }),
    /^wording pack: /,
  );
  rejects(
    () => kb.journey({ role: "mother", today: "2026-11-22", due_date: "x".repeat(10_000) }, "nl"),
    /^\/: too long/,
  );
});

test("InvalidUtf16_IsReportedNotFatal", () => {
  rejects(() => kb.score("\uD800", good.answers, {}), /^unknown instrument/);
  rejects(() => kb.score("phq9", good.answers, { role: "\uDC00" }), /^\/context: invalid JSON/);
  rejects(() => kb.addWordingPack('{"wording_pack":"\uD800"}'), /^wording pack: /);
});

test("ManyBadCallsInARow_LeaveNoTrace", () => {
  for (let i = 0; i < 2000; i++) {
    assert.throws(() => kb.score("phq9", [i], { week: i }), Error);
  }
  assert.equal(kb.scoreText(good.id, good.answers, good.context), goodResult);
});
