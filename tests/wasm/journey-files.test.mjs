// The journey build has no journey compiled in: a journey page adds the journey file for parents in
// its language (dist/journeys/<id>.<lang>.json, kb.addJourney). It plans from it as the full build
// plans from the whole journey, less the professionals' fields, and refuses what does not fit.
// Run with --disallow-code-generation-from-strings.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import test from "node:test";

import { distDir, journeyFileNames, loadForNode } from "./load.mjs";

const full = await loadForNode("full");
const fileOf = (language) =>
  fs.readFileSync(path.join(distDir, "journeys", `first_1000_days.${language}.json`), "utf8");
const input = { role: "mother", due_date: "2027-03-01", birth_date: null, today: "2026-11-22" };
const withoutProfessionalFields = (plan) => ({
  ...plan,
  moments: plan.moments.map(({ reasoning, source, ...moment }) => moment),
});

test("JourneyBuild_WritesOneFileForParentsPerLanguage", () => {
  assert.deepEqual(journeyFileNames(), ["first_1000_days.en.json", "first_1000_days.nl.json"]);
  for (const language of ["nl", "en"]) {
    const file = JSON.parse(fileOf(language));
    assert.deepEqual(file.languages, [language]);
    assert.deepEqual(Object.keys(file.name), [language]);
    for (const moment of file.moments) {
      assert.equal(moment.reasoning, undefined, moment.id);
      assert.equal(moment.source, undefined, moment.id);
      assert.deepEqual(Object.keys(moment.description), [language], moment.id);
    }
    assert.deepEqual(Object.keys(file.support), [language]);
  }
});

test("JourneyBuild_StartsWithoutAJourneyAndSaysSo", async () => {
  const kb = await loadForNode("journey", { journey: "none" });
  assert.throws(() => kb.journey(input, "nl"), {
    message: '/language: no journey in "nl" has been added (addJourney)',
  });
  assert.throws(() => kb.journeyContent("en"), {
    message: '/language: no journey in "en" has been added (addJourney)',
  });
});

test("JourneyBuild_PlansFromTheFileForParentsAsTheFullBuildLessProfessionalFields", async () => {
  const kb = await loadForNode("journey", { journey: "none" });
  kb.addJourney(fileOf("nl"), "journeys/first_1000_days.nl.json");
  const plan = kb.journey(input, "nl");
  assert.deepEqual(plan, withoutProfessionalFields(full.journey(input, "nl")));
  assert.ok(plan.moments.length > 0);
  assert.deepEqual(kb.journeyContent("nl"), full.journeyContent("nl"));
  // Only Dutch so far: English waits for its own file (a parent who switches language).
  assert.throws(() => kb.journey(input, "en"), /no journey in "en" has been added/);
  kb.addJourney(JSON.parse(fileOf("en")));
  assert.deepEqual(kb.journey(input, "en"), withoutProfessionalFields(full.journey(input, "en")));
  assert.deepEqual(kb.journeyContent("en"), full.journeyContent("en"));
});

test("AddJourney_RefusesASecondFileForALanguageAndAnotherJourney", async () => {
  const kb = await loadForNode("journey", { journey: "none" });
  kb.addJourney(fileOf("nl"), "first_1000_days.nl.json");
  assert.throws(() => kb.addJourney(fileOf("nl"), "again.nl.json"), {
    message: 'again.nl.json: /languages: the journey in "nl" has already been added',
  });
  const other = { ...JSON.parse(fileOf("en")), version: "1999.1" };
  assert.throws(() => kb.addJourney(other, "old.en.json"), {
    message:
      'old.en.json: /id: journey "first_1000_days" 1999.1 is not the one already added ("first_1000_days" ' +
      `${JSON.parse(fileOf("nl")).version})`,
  });
  // Nothing changed: Dutch still plans, English still waits.
  assert.equal(kb.journey(input, "nl").stage, "pregnancy");
  assert.throws(() => kb.journey(input, "en"), /no journey in "en"/);
});

test("AddJourney_NamesTheFileAndFieldOfAnInvalidOne", async () => {
  const kb = await loadForNode("journey", { journey: "none" });
  const file = JSON.parse(fileOf("nl"));
  file.moments[2].name = { en: "English only" };
  assert.throws(
    () => kb.addJourney(file, "broken.nl.json"),
    (error) => {
      assert.match(error.message, /^broken\.nl\.json: \/moments\/2\/name: missing "nl"$/m);
      assert.match(
        error.message,
        /^broken\.nl\.json: \/moments\/2\/name\/en: "en" is not one of the file's "languages"$/m,
      );
      return true;
    },
  );
  assert.throws(() => kb.addJourney("{", "cut.nl.json"), /^Error: cut\.nl\.json: /);
  assert.throws(() => kb.addJourney({ ...file, languages: ["de"] }, "de.json"), {
    message: 'de.json: /languages/0: unknown language "de" (expected "nl" or "en")',
  });
  // None of it was added.
  assert.throws(() => kb.journey(input, "nl"), /no journey in "nl"/);
});

test("JourneyBuild_WithTheWholeJourneyFilePlansExactlyAsTheFullBuild", async () => {
  const kb = await loadForNode("journey", { journey: "whole" });
  for (const language of ["nl", "en"]) {
    assert.equal(kb.journeyText(input, language), full.journeyText(input, language));
  }
});
