// A real SDC renderer agrees with our engine (issue 13): LHC-Forms (the lforms npm package) in
// Debian's headless Chromium renders our exported PHQ-9, GAD-7 and PBQ Questionnaires, and for 200
// random answer sets per instrument the scale scores it computes from our calculatedExpressions
// equal `kindband score`. The first 10 sets are clicked in the rendered form (radio buttons); the
// other 190, some answers left out, are set in LHC-Forms' own data model and computed
// by its own expression processor (clicking 25 items x 190 sets would take minutes).
// Run: node --test tests/fhir/lforms.test.mjs (scripts/test-browser.sh runs it).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { launch } from "../browser/browser.mjs";
import {
  BROWSER_DIR,
  instrumentJson,
  kindband,
  missingPieces,
  randomAnswerSets,
  randomGenerator,
  scoreAll,
  scoresById,
} from "./fhir_support.mjs";

const LFORMS = path.join(BROWSER_DIR, "node_modules/lforms/dist/lforms");
const missing = missingPieces(["lforms", "playwright-core"]);
if (!fs.existsSync("/usr/bin/chromium")) missing.push("/usr/bin/chromium");
// scripts/test-browser.sh sets KINDBAND_FHIR_REQUIRED=1: there a missing piece fails the test.
if (missing.length && !process.env.KINDBAND_FHIR_REQUIRED) {
  console.log(`skipped: missing ${missing.join(", ")}`);
  process.exit(77);
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LHC-Forms</title>
<link rel="stylesheet" href="/webcomponent/styles.css"></head><body><div id="form"></div>
<script src="/webcomponent/assets/lib/zone.min.js"></script>
<script src="/webcomponent/runtime.js"></script><script src="/webcomponent/polyfills.js"></script>
<script src="/webcomponent/main.js"></script><script src="/fhir/lformsFHIRAll.min.js"></script>
</body></html>`;
const TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };
const CLICKED_SETS = 10;
const SETS = 200;

// Serves LHC-Forms' built files from node_modules under a made-up origin: no server, no network.
async function openRenderer(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.route("http://lhc-forms.test/**", (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === "/") return route.fulfill({ contentType: "text/html", body: PAGE });
    const file = path.join(LFORMS, path.normalize(url.pathname));
    if (!file.startsWith(LFORMS) || !fs.existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({
      body: fs.readFileSync(file),
      contentType: TYPES[path.extname(file)] || "application/octet-stream",
    });
  });
  await page.goto("http://lhc-forms.test/");
  await page.waitForFunction(() => window.LForms?.Util?.addFormToPage && window.LForms.FHIR);
  return { page, errors };
}

// In the page: render the Questionnaire, then compute the scale scores for every answer set.
async function lformsScores(page, questionnaire, sets, clicked) {
  return page.evaluate(
    async ({ questionnaire, sets, clicked }) => {
      await LForms.Util.addFormToPage(questionnaire, "form");
      const element = document.querySelector("wc-lhc-form");
      const deadline = Date.now() + 10000;
      while (!element.lhcFormData && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const form = element.lhcFormData;
      const byLinkId = Object.fromEntries(form.itemList.map((item) => [item.linkId, item]));
      const choiceItems = questionnaire.item.filter((item) => item.type === "choice");
      const scoreItems = questionnaire.item.filter((item) => item.linkId.startsWith("score."));
      const rendered = choiceItems.map(
        (item) =>
          document.querySelectorAll(
            `input[type=radio][name="radiogroup_${byLinkId[item.linkId]._elementId}"]`,
          ).length,
      );
      const read = () =>
        Object.fromEntries(
          scoreItems.map((item) => {
            const value = byLinkId[item.linkId].value;
            return [item.linkId.slice("score.".length), value === undefined ? null : value];
          }),
        );
      const scores = [];
      for (let s = 0; s < sets.length; s++) {
        if (s < clicked) {
          // As a parent would: click the radio button of each answer; LHC-Forms recomputes.
          choiceItems.forEach((item, i) => {
            const name = `radiogroup_${byLinkId[item.linkId]._elementId}`;
            document.querySelectorAll(`input[type=radio][name="${name}"]`)[sets[s][i]].click();
          });
          await new Promise((resolve) => setTimeout(resolve, 20));
        } else {
          choiceItems.forEach((item, i) => {
            const lformsItem = byLinkId[item.linkId];
            lformsItem.value = sets[s][i] === null ? null : lformsItem.answers[sets[s][i]];
          });
          await form._expressionProcessor.runCalculations(false);
        }
        scores.push(read());
      }
      // LHC-Forms' own QuestionnaireResponse for the last set carries the same scores.
      const response = LForms.Util.getFormFHIRData("QuestionnaireResponse", "R4", "#form");
      const lastResponseScores = Object.fromEntries(
        response.item
          .filter((item) => item.linkId.startsWith("score."))
          .map((item) => [
            item.linkId.slice("score.".length),
            item.answer[0].valueInteger ?? item.answer[0].valueDecimal,
          ]),
      );
      return { rendered, scores, lastResponseScores };
    },
    { questionnaire, sets, clicked },
  );
}

test("LHC-Forms computes the same scale scores as kindband score (PHQ-9, GAD-7, PBQ; 200 answer sets each)", async () => {
  assert.deepEqual(missing, [], `missing: ${missing.join(", ")}`);
  const { context, close } = await launch();
  try {
    const { page, errors } = await openRenderer(context);
    // Missing answers per item: fewer for the 25-item PBQ, so that it has complete sets too.
    for (const [id, seed, missingRate] of [
      ["phq9", 1301, 0.1],
      ["gad7", 1302, 0.1],
      ["pbq", 1303, 0.02],
    ]) {
      const started = Date.now();
      const questionnaire = JSON.parse(kindband("fhir", "questionnaire", id, "--lang", "en"));
      const optionCounts = instrumentJson(id).items.map((item) => item.options.length);
      const random = randomGenerator(seed);
      const sets = [
        ...randomAnswerSets(optionCounts, CLICKED_SETS, random, 0),
        ...randomAnswerSets(optionCounts, SETS - CLICKED_SETS, random, missingRate),
      ];
      const expected = scoreAll(id, sets).map(scoresById);
      const { rendered, scores, lastResponseScores } = await lformsScores(
        page,
        questionnaire,
        sets,
        CLICKED_SETS,
      );
      assert.deepEqual(rendered, optionCounts, `${id}: every item rendered with all its options`);
      let compared = 0;
      for (let s = 0; s < sets.length; s++) {
        assert.deepEqual(scores[s], expected[s], `${id} set ${s} (seed ${seed}): [${sets[s]}]`);
        compared += Object.keys(expected[s]).length;
      }
      const last = Object.fromEntries(
        Object.entries(expected.at(-1)).filter(([, score]) => score !== null),
      );
      assert.deepEqual(lastResponseScores, last, `${id}: LHC-Forms' QuestionnaireResponse`);
      const incomplete = expected.filter((scores) => Object.values(scores).includes(null)).length;
      console.log(
        `${id}: ${sets.length} answer sets (${CLICKED_SETS} clicked, ${incomplete} incomplete), ` +
          `${compared} scale scores equal to kindband score, ${Date.now() - started} ms`,
      );
    }
    assert.deepEqual(errors, [], "no page errors in LHC-Forms");
  } finally {
    await close();
  }
});

// The Whooley help question (NICE CG45) is asked only after a "yes" to question 1 or 2, in the
// widget and, through enableWhen, in a third-party renderer too.
test("LHC-Forms asks the Whooley help question only after a yes, as the widget does", async () => {
  assert.deepEqual(missing, [], `missing: ${missing.join(", ")}`);
  const { context, close } = await launch();
  try {
    const { page, errors } = await openRenderer(context);
    for (const lang of ["nl", "en"]) {
      const questionnaire = JSON.parse(
        kindband("fhir", "questionnaire", "whooley", "--lang", lang),
      );
      const help = questionnaire.item.find((item) => item.linkId === "help");
      assert.equal(help.enableBehavior, "any");
      assert.deepEqual(
        help.enableWhen.map((when) => when.question),
        ["1", "2"],
        "enabled by a yes to either question",
      );
      // Which radio button is "yes" and which "no", from the Questionnaire itself.
      const yesCode = help.enableWhen[0].answerCoding.code;
      const options = questionnaire.item.find((item) => item.linkId === "1").answerOption;
      const yes = options.findIndex((option) => option.valueCoding.code === yesCode);
      const no = options.findIndex((option) => option.valueCoding.code !== yesCode);
      const shown = await page.evaluate(
        async ({ questionnaire, yes, no }) => {
          await LForms.Util.addFormToPage(questionnaire, "form");
          const element = document.querySelector("wc-lhc-form");
          const deadline = Date.now() + 10000;
          while (!element.lhcFormData && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const form = element.lhcFormData;
          const item = (linkId) => form.itemList.find((entry) => entry.linkId === linkId);
          const radios = (linkId) =>
            document.querySelectorAll(
              `input[type=radio][name="radiogroup_${item(linkId)._elementId}"]`,
            );
          const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
          const helpShown = () => radios("help").length > 0;
          const seen = { start: helpShown() };
          radios("1")[no].click();
          radios("2")[no].click();
          await settle();
          seen.noNo = helpShown();
          radios("2")[yes].click();
          await settle();
          seen.noYes = helpShown();
          radios("2")[no].click();
          await settle();
          seen.backToNoNo = helpShown();
          radios("1")[yes].click();
          await settle();
          seen.yesNo = helpShown();
          return seen;
        },
        { questionnaire, yes, no },
      );
      assert.deepEqual(
        shown,
        { start: false, noNo: false, noYes: true, backToNoNo: false, yesNo: true },
        `${lang}: the help question follows a yes only`,
      );
    }
    assert.deepEqual(errors, [], "no page errors in LHC-Forms");
  } finally {
    await close();
  }
});
