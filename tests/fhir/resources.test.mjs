// Our FHIR resources (issue 13) under the `fhir` npm package's structural R4 validation, and the
// `fhirpath` npm package (HL7's FHIRPath engine) evaluating each Questionnaire's
// calculatedExpressions on the QuestionnaireResponses of our share export: the same scores as
// `kindband score` and as the Bundle's Observations. Also: a result-only share has Observations
// only; contact details appear only when the parent gave them, and never as a Patient.
// Run: node --test tests/fhir/resources.test.mjs (scripts/test-browser.sh runs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  instrumentJson,
  kindband,
  missingPieces,
  randomAnswerSets,
  randomGenerator,
  requireFromBrowserTests,
  scoreAll,
  scoresById,
} from "./fhir_support.mjs";

const missing = missingPieces(["fhir", "fhirpath"]);
if (missing.length && !process.env.KINDBAND_FHIR_REQUIRED) {
  console.log(`skipped: missing ${missing.join(", ")}`);
  process.exit(77);
}
const { Fhir } = requireFromBrowserTests("fhir");
const fhirpath = requireFromBrowserTests("fhirpath");
const r4 = requireFromBrowserTests("fhirpath/fhir-context/r4");
const validator = new Fhir();

/**
 * Errors and warnings of the structural validation. Information messages pass, and so does one
 * kind of warning: a code "not found in value set" of a binding that is not required (the package
 * reports those as warnings; Observation.code is an example binding, where LOINC and our own
 * urn:kindband codes belong). A code outside a required binding is an error and fails.
 */
function problems(resource) {
  const outcome = validator.validate(resource, {});
  return outcome.messages
    .filter((m) => m.severity === "error" || m.severity === "warning")
    .filter((m) => !(m.severity === "warning" && m.message.endsWith("not found in value set")))
    .map((m) => `${m.location}: ${m.message}`);
}

const shareDir = fs.mkdtempSync(path.join(os.tmpdir(), "kindband-fhir-shares-"));
process.on("exit", () => fs.rmSync(shareDir, { recursive: true, force: true }));

const instruments = kindband("list")
  .trim()
  .split("\n")
  .map((line) => line.split(/\s+/)[0]);

/** A wording pack with every key filled (for instruments shipped without item wording). */
function fillerPack(id, lang) {
  const pack = JSON.parse(kindband("wording-pack", "template", id, "--lang", lang));
  const fill = (value, where) =>
    typeof value === "string" && value === ""
      ? `${where}`
      : Array.isArray(value)
        ? value.map((v, i) => fill(v, `${where} option ${i}`))
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, `${where} ${k}`)]))
          : value;
  const file = path.join(shareDir, `${id}-${lang}-pack.json`);
  fs.writeFileSync(file, JSON.stringify(fill(pack, id)));
  return file;
}

test("every exported Questionnaire passes FHIR R4 validation; no wording means a clear refusal", () => {
  let exported = 0;
  for (const id of instruments) {
    for (const lang of ["nl", "en"]) {
      let text;
      try {
        text = kindband("fhir", "questionnaire", id, "--lang", lang);
      } catch (error) {
        assert.match(error.message, /has no '(nl|en)' wording/, `${id} ${lang}`);
        // With a wording pack it exports.
        text = kindband(
          "fhir",
          "questionnaire",
          id,
          "--lang",
          lang,
          "--wording-pack",
          fillerPack(id, lang),
        );
      }
      const questionnaire = JSON.parse(text);
      assert.deepEqual(problems(questionnaire), [], `${id} ${lang}`);
      assert.equal(questionnaire.language, lang);
      exported++;
    }
  }
  assert.equal(exported, 2 * instruments.length);
});

function exportShare(share) {
  const file = path.join(shareDir, `${share.share_id}.json`);
  fs.writeFileSync(file, JSON.stringify(share));
  return JSON.parse(kindband("fhir", "share", file));
}

function makeShare(id, version, language, result, answers, extra = {}) {
  return {
    share_id: crypto.randomUUID(),
    organisation: "demo-vsv",
    instrument: { id, version },
    context: {},
    language,
    shared: answers ? "result_and_answers" : "result",
    result,
    ...(answers ? { answers } : {}),
    consent_version: "2026-11-v1",
    created_at: "2026-11-22T21:00:00Z",
    ...extra,
  };
}

function observationScores(bundle, instrument) {
  const scores = {};
  for (const { resource } of bundle.entry) {
    if (resource.resourceType !== "Observation") continue;
    const scale = resource.code.coding.find((c) => c.system === "urn:kindband:scale");
    if (!scale) continue;
    const id = scale.code.slice(instrument.length + 1);
    scores[id] = resource.valueQuantity ? resource.valueQuantity.value : null;
  }
  return scores;
}

function flagObservations(bundle) {
  return bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === "Observation" && r.valueBoolean === true)
    .map((r) => r.code.coding[0].code.split(".").slice(1).join("."));
}

test("fhirpath evaluates our calculatedExpressions on exported QuestionnaireResponses to the engine's scores", () => {
  let evaluated = 0;
  let validated = 0;
  for (const [id, count, seed] of [
    ["phq9", 200, 2301],
    ["gad7", 200, 2302],
    ["pbq", 100, 2303],
    ["mpas", 50, 2304],
    ["whooley", 30, 2305],
    ["epds", 30, 2306],
  ]) {
    const instrument = instrumentJson(id);
    const language = id === "epds" ? "nl" : "en";
    // The EPDS and MPAS ship without item wording: their Questionnaires need a wording pack.
    const packed = ["epds", "mpas"].includes(id)
      ? ["--wording-pack", fillerPack(id, language)]
      : [];
    const questionnaire = JSON.parse(
      kindband("fhir", "questionnaire", id, "--lang", language, ...packed),
    );
    const scoreItems = questionnaire.item
      .filter((item) => item.linkId.startsWith("score."))
      .map((item) => ({
        scale: item.linkId.slice("score.".length),
        evaluate: fhirpath.compile(item.extension[0].valueExpression.expression, r4),
      }));
    const random = randomGenerator(seed);
    const sets = randomAnswerSets(
      instrument.items.map((item) => item.options.length),
      count,
      random,
      0.05,
    );
    const results = scoreAll(id, sets);
    for (let s = 0; s < sets.length; s++) {
      const expected = scoresById(results[s]);
      const bundle = exportShare(makeShare(id, instrument.version, language, results[s], sets[s]));
      // The validator takes about 30 ms a Bundle: every tenth one.
      if (s % 10 === 0) {
        assert.deepEqual(problems(bundle), [], `${id} set ${s}`);
        validated++;
      }
      assert.equal(bundle.type, "collection");
      const response = bundle.entry[0].resource;
      assert.equal(response.resourceType, "QuestionnaireResponse");
      assert.equal(
        response.questionnaire,
        `urn:kindband:questionnaire:${id}|${instrument.version}`,
      );
      assert.equal(response.status, results[s].complete ? "completed" : "stopped");
      assert.deepEqual(observationScores(bundle, id), expected, `${id} set ${s}: Observations`);
      assert.deepEqual(flagObservations(bundle), results[s].flags, `${id} set ${s}: flags`);
      for (const { scale, evaluate } of scoreItems) {
        const value = evaluate(response, { resource: response, questionnaire });
        const computed = value.length ? Math.round(value[0] * 100) / 100 : null;
        assert.equal(computed, expected[scale], `${id} set ${s} ${scale}: [${sets[s]}]`);
        evaluated++;
      }
    }
  }
  console.log(
    `${evaluated} calculatedExpressions evaluated by fhirpath, all equal to the engine ` +
      `(${validated} of the Bundles structurally validated)`,
  );
});

test("a result-only share gives Observations only; contact only as the subject's display text", () => {
  const instrument = instrumentJson("phq9");
  const answers = [0, 1, 2, 3, 0, 1, 2, 3, 1];
  const [result] = scoreAll("phq9", [answers]);
  const resultOnly = exportShare(makeShare("phq9", instrument.version, "nl", result, null));
  assert.deepEqual(problems(resultOnly), []);
  assert.ok(resultOnly.entry.every((e) => e.resource.resourceType === "Observation"));
  assert.ok(resultOnly.entry.every((e) => !e.resource.derivedFrom && !e.resource.subject));
  assert.deepEqual(observationScores(resultOnly, "phq9"), { total: 13 });
  assert.deepEqual(flagObservations(resultOnly), ["self_harm"]);
  const total = resultOnly.entry[0].resource;
  assert.deepEqual(total.code.coding[0], { system: "http://loinc.org", code: "44261-6" });
  assert.match(total.interpretation[0].text, /Kroenke/);

  // HL7 interpretation: an EHR can flag the positive screen (PHQ-9 13 is moderate, >= 10).
  assert.deepEqual(total.interpretation[0].coding[1], {
    system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
    code: "POS",
    display: "Positive",
  });

  const contact = { name: "Sanne de Vries", phone: "0612345678", email: "sanne@example.nl" };
  const withContact = exportShare(
    makeShare("phq9", instrument.version, "en", result, answers, {
      contact,
      message: "Please call after 3 pm",
    }),
  );
  assert.deepEqual(problems(withContact), []);
  const text = JSON.stringify(withContact);
  assert.ok(!text.includes('"Patient"'), "no Patient resource or reference type");
  for (const { resource } of withContact.entry) {
    assert.match(
      resource.subject.display,
      /Sanne de Vries; phone 0612345678; e-mail sanne@example.nl/,
    );
  }
  assert.match(withContact.entry[1].resource.note[0].text, /Please call after 3 pm/);
  const withoutContact = JSON.stringify(
    exportShare(makeShare("phq9", instrument.version, "en", result, answers)),
  );
  assert.ok(!withoutContact.includes("subject"), "no subject without contact details");
});

test("bands carry HL7 POS/NEG only from a verified cut-off; no empty item arrays; PHQ-9 item 10 has its LOINC code", () => {
  const hl7 = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  const standard = (observation) =>
    (observation.interpretation?.[0].coding ?? [])
      .filter((c) => c.system === hl7)
      .map((c) => c.code);
  const byScale = (bundle, id) =>
    bundle.entry
      .map((e) => e.resource)
      .filter((r) => r.code.coding.some((c) => c.code.startsWith(`${id}.`)));
  // A calm PHQ-9: NEG.
  const calm = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const [calmResult] = scoreAll("phq9", [calm]);
  const calmBundle = exportShare(
    makeShare("phq9", instrumentJson("phq9").version, "en", calmResult, null),
  );
  assert.deepEqual(standard(byScale(calmBundle, "phq9")[0]), ["NEG"]);
  // PBQ: the total's cut-off (26) is unverified: no standard code; scale 2 (Brockington 2006) is.
  const pbq = instrumentJson("pbq");
  const pbqAnswers = pbq.items.map((item) => (item.options[0].value === 0 ? 0 : 5));
  const [pbqResult] = scoreAll("pbq", [pbqAnswers]);
  const pbqBundle = exportShare(makeShare("pbq", pbq.version, "en", pbqResult, null));
  const observations = byScale(pbqBundle, "pbq");
  const codeOf = (scale) =>
    observations.find((o) => o.code.coding.some((c) => c.code === `pbq.${scale}`));
  assert.deepEqual(standard(codeOf("total")), []);
  assert.deepEqual(standard(codeOf("rejection_anger")), ["NEG"]);
  // Support indicators: one "yes" is something to discuss, never a POS.
  const indicators = instrumentJson("support_indicators");
  const [oneYes] = scoreAll("support_indicators", [[0, 0, 0, 0, 0, 0, 0, 1, 0, 0]]);
  const indicatorBundle = exportShare(
    makeShare("support_indicators", indicators.version, "en", oneYes, null),
  );
  assert.deepEqual(standard(byScale(indicatorBundle, "support_indicators")[0]), []);

  // Nothing answered: the QuestionnaireResponse has no "item" at all (FHIR forbids empty arrays).
  const empty = new Array(9).fill(null);
  const [emptyResult] = scoreAll("phq9", [empty]);
  const emptyBundle = exportShare(
    makeShare("phq9", instrumentJson("phq9").version, "en", emptyResult, empty),
  );
  assert.deepEqual(problems(emptyBundle), []);
  const text = JSON.stringify(emptyBundle);
  assert.ok(!/:\[\]/.test(text), `no empty array in ${text}`);

  // PHQ-9 item 10 (difficulty): LOINC 69722-7 with its own answer list (LL359-1).
  const withTen = [0, 1, 0, 0, 0, 0, 0, 0, 0, 2];
  const [tenResult] = scoreAll("phq9", [withTen]);
  const tenBundle = exportShare(
    makeShare("phq9", instrumentJson("phq9").version, "en", tenResult, withTen),
  );
  const response = tenBundle.entry.find((e) => e.resource.resourceType === "QuestionnaireResponse");
  const item10 = response.resource.item.find((i) => i.linkId === "10");
  assert.deepEqual(item10.answer[0].valueCoding.code, "LA6575-0");
  assert.equal(item10.answer[0].valueCoding.system, "http://loinc.org");
});
