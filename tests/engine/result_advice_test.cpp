// advise_result_json: the advice for a result read back from its JSON (a share without answers) is
// byte for byte the advice for the result itself, and every result the engine would not have
// written is refused with the field that is wrong.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "kindband/engine.h"
#include "test_support.h"

namespace result_advice_tests {
namespace {

std::string advice_json(const kindband::Result& result, const std::string& language) {
  kindband::Advice advice;
  kindband::Error error;
  EXPECT_TRUE(kindband::advise(result, language, &advice, &error)) << error.to_string();
  return kindband::to_json(advice);
}

// A deterministic spread of answer sets: all first options, all last options, a staircase, and
// pseudo-random answers with some items left empty.
std::vector<kindband::Answers> answer_sets(const kindband::Instrument& instrument) {
  std::vector<kindband::Answers> sets(3);
  for (size_t i = 0; i < instrument.items.size(); ++i) {
    const int options = static_cast<int>(instrument.items[i].options.size());
    sets[0].push_back(0);
    sets[1].push_back(options - 1);
    sets[2].push_back(static_cast<int>(i) % options);
  }
  uint32_t state = 12345;
  for (int seed = 0; seed < 12; ++seed) {
    kindband::Answers answers;
    for (const kindband::Item& item : instrument.items) {
      state = state * 1664525u + 1013904223u;
      const uint32_t draw = state >> 8;
      // The first seeds answer everything (complete results with bands); later ones leave gaps.
      if (seed >= 6 && draw % 5 == 0) {
        answers.push_back(kindband::kMissing);
      } else {
        answers.push_back(static_cast<int>(draw % item.options.size()));
      }
    }
    sets.push_back(answers);
  }
  // Responses that leave out the trailing items that may be (PHQ-9 with 9 of its 10 answers).
  const size_t fewest = kindband::fewest_answers(instrument);
  for (size_t i = 0; fewest < instrument.items.size() && i < 2; ++i) {
    kindband::Answers shorter = sets[i == 0 ? 1 : sets.size() - 1];
    shorter.resize(fewest);
    sets.push_back(shorter);
  }
  return sets;
}

TEST(ResultAdvice, EqualsAdviceOfTheResultForEveryBuiltinInstrument) {
  const auto& loaded = kindband_test::builtin();
  ASSERT_TRUE(loaded.errors.empty()) << kindband_test::describe(loaded.errors);
  const std::vector<std::string> contexts = {
      "", "role=mother,stage=pregnancy,week=10", "role=mother,stage=postpartum,week=6",
      "role=partner,stage=pregnancy,week=30", "role=partner,stage=postpartum"};
  int compared = 0, with_flags = 0, with_bands = 0, incomplete = 0;
  ASSERT_GE(loaded.library.instruments().size(), 10u);
  for (const kindband::Instrument* instrument : loaded.library.instruments()) {
    for (const kindband::Answers& answers : answer_sets(*instrument)) {
      for (const std::string& context_text : contexts) {
        kindband::Context context;
        kindband::Error error;
        ASSERT_TRUE(kindband::parse_context(context_text, &context, &error));
        kindband::Result result;
        ASSERT_TRUE(kindband::score_instrument(*instrument, answers, context, &result, &error))
            << error.to_string();
        const std::string result_json = kindband::to_json(result);
        for (const std::string language : {"nl", "en"}) {
          kindband::Advice advice;
          ASSERT_TRUE(
              kindband::advise_result_json(loaded.library, result_json, language, &advice, &error))
              << error.to_string() << "\n"
              << result_json;
          EXPECT_EQ(kindband::to_json(advice), advice_json(result, language)) << result_json;
          ++compared;
        }
        with_flags += !result.safety_flags.empty();
        incomplete += !result.complete;
        for (const kindband::ScaleResult& scale : result.scales)
          with_bands += scale.band != nullptr;
      }
    }
  }
  // The sweep means something only if it met flags, bands and incomplete results.
  EXPECT_GT(with_flags, 20);
  EXPECT_GT(with_bands, 200);
  EXPECT_GT(incomplete, 50);
  EXPECT_GT(compared, 1000);
}

// Three items, a subscale, an item and a scale safety rule, band sets chosen by context.
// A PHQ-9 result written from 9 answers (before the closing question existed, e.g. a stored
// share) and one from 10 are both read back; other item counts are refused.
TEST(ResultAdvice, ReadsPhq9ResultsOfNineAndTenItemsBack) {
  const auto& loaded = kindband_test::builtin();
  const kindband::Instrument* phq9 = loaded.library.find("phq9");
  ASSERT_NE(phq9, nullptr);
  kindband::Answers answers(9, 1);
  kindband::Result result;
  kindband::Error error;
  ASSERT_TRUE(kindband::score_instrument(*phq9, answers, {}, &result, &error));
  const std::string nine = kindband::to_json(result);
  answers.push_back(3);
  ASSERT_TRUE(kindband::score_instrument(*phq9, answers, {}, &result, &error));
  const std::string ten = kindband::to_json(result);
  kindband::Advice advice;
  for (const std::string& text : {nine, ten}) {
    EXPECT_TRUE(kindband::advise_result_json(loaded.library, text, "en", &advice, &error))
        << error.to_string() << "\n"
        << text;
  }
  std::string eight = nine;
  eight.replace(eight.find(R"("item_count":9)"), 14, R"("item_count":8)");
  EXPECT_FALSE(kindband::advise_result_json(loaded.library, eight, "en", &advice, &error));
  EXPECT_EQ(error.pointer, "/item_count");
  EXPECT_EQ(error.message, "expected 9 or 10, found 8");
  std::string eleven = ten;
  eleven.replace(eleven.find(R"("item_count":10)"), 15, R"("item_count":11)");
  EXPECT_FALSE(kindband::advise_result_json(loaded.library, eleven, "en", &advice, &error));
  EXPECT_EQ(error.message, "expected 9 or 10, found 11");
}

const char kDefinition[] = R"({
  "id": "ctx", "version": "1", "name": {"en": "Context test", "nl": "Contexttest"},
  "authors": "Test", "year": 2020, "citation": "Test 2020", "licence": "Test",
  "wording": {"en": {"validated": false, "source": "test"}},
  "items": [
    {"id": "a", "options": [{"value": 0}, {"value": 1}, {"value": 2}, {"value": 3}]},
    {"id": "b", "options": [{"value": 3}, {"value": 2}, {"value": 1}, {"value": 0}]},
    {"id": "c", "options": [{"value": 0}, {"value": 2}], "required": false}
  ],
  "total": {"band_sets": [
    {"id": "early", "when": {"role": ["mother"], "stage": ["pregnancy"], "week_min": 0, "week_max": 13},
     "source": "Early source", "bands": [{"id": "negative", "min": 0, "max": 3}, {"id": "positive", "min": 4, "max": 8, "positive": true}]},
    {"id": "general", "source": "General source", "verified": false,
     "bands": [{"id": "negative", "min": 0, "max": 2}, {"id": "positive", "min": 3, "max": 8, "positive": true}]}
  ]},
  "subscales": [{"id": "ab", "name": {"en": "A and B"}, "items": ["a", "b"]}],
  "safety_rules": [
    {"id": "item_rule", "item": "a", "min_score": 3, "source": "s"},
    {"id": "scale_rule", "scale": "ab", "min_score": 5, "source": "s"}
  ],
  "advice": {
    "bands": {
      "negative": {"nl": {"title": "Nee", "text": "n"}, "en": {"title": "No", "text": "n"}},
      "positive": {"nl": {"title": "Ja", "text": "p"}, "en": {"title": "Yes", "text": "p", "steps": ["Call"]}}},
    "safety": {
      "item_rule": {"nl": {"title": "Hulp", "text": "h"}, "en": {"title": "Help", "text": "h"}},
      "scale_rule": {"nl": {"title": "Hulp2", "text": "h"}, "en": {"title": "Help2", "text": "h"}}},
    "scales": {"ab": {"nl": {"title": "AB", "text": "ab"}, "en": {"title": "AB", "text": "ab"}}}
  }
})";

class ResultAdviceErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<kindband::Error> errors;
    ASSERT_TRUE(library_.add_instrument("ctx.json", kDefinition, &errors))
        << kindband_test::describe(errors);
    complete_ = result_json({3, 0, 1}, "role=mother,stage=pregnancy,week=10");
    incomplete_ = result_json({kindband::kMissing, 0, kindband::kMissing}, "");
  }

  std::string result_json(const kindband::Answers& answers, const std::string& context_text) {
    kindband::Context context;
    kindband::Error error;
    EXPECT_TRUE(kindband::parse_context(context_text, &context, &error));
    EXPECT_TRUE(
        kindband::score_instrument(*library_.find("ctx"), answers, context, &result_, &error))
        << error.to_string();
    return kindband::to_json(result_);
  }

  // `text` with the one occurrence of `from` replaced by `to`.
  static std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " not in " << text;
    EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from << " twice in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  // The error for `json` as "pointer: message" (the file, the instrument id, is checked apart).
  std::string error_for(const std::string& json, const std::string& language = "en") {
    kindband::Advice advice;
    kindband::Error error;
    if (kindband::advise_result_json(library_, json, language, &advice, &error)) return "accepted";
    return error.pointer + ": " + error.message;
  }

  kindband::Library library_;
  kindband::Result result_;
  std::string complete_;
  std::string incomplete_;
};

TEST_F(ResultAdviceErrors, TheUnchangedResultsAreAccepted) {
  // Guards the fixture: every refusal below comes from the one change it makes.
  ASSERT_EQ(
      complete_,
      R"({"instrument":"ctx","version":"1","context":{"role":"mother","stage":"pregnancy",)"
      R"("week":10},"complete":true,"answered":3,"item_count":3,"missing":[],"scales":[{"id":)"
      R"("total","complete":true,"score":8,"min":0,"max":8,"band":{"id":"positive","set":)"
      R"("early","source":"Early source","verified":true,"positive":true}},{"id":"ab",)"
      R"("complete":true,"score":6,"min":0,"max":6}],"flags":["item_rule","scale_rule"],)"
      R"("positive":true})");
  EXPECT_EQ(error_for(complete_), "accepted");
  EXPECT_EQ(error_for(incomplete_), "accepted");
  kindband::Advice advice;
  kindband::Error error;
  ASSERT_TRUE(kindband::advise_result_json(library_, complete_, "nl", &advice, &error));
  EXPECT_EQ(kindband::to_json(advice),
            R"({"language":"nl","entries":[{"kind":"safety","id":"item_rule","urgent":true,)"
            R"("title":"Hulp","text":"h","steps":[]},{"kind":"safety","id":"scale_rule",)"
            R"("urgent":true,"title":"Hulp2","text":"h","steps":[]},{"kind":"band","scale":)"
            R"("total","id":"positive","urgent":false,"title":"Ja","text":"p","steps":[]},)"
            R"({"kind":"scale","scale":"ab","id":"ab","urgent":false,"title":"AB","text":"ab",)"
            R"("steps":[]}]})");
}

TEST_F(ResultAdviceErrors, RefusesTextThatIsNoResult) {
  EXPECT_EQ(error_for("{\"instrument\":").rfind(": invalid JSON at line 1, column ", 0), 0u)
      << error_for("{\"instrument\":");
  EXPECT_EQ(error_for("[]"), ": expected a result object, found an array");
}

TEST_F(ResultAdviceErrors, RefusesUnknownInstrumentAndOtherVersion) {
  EXPECT_EQ(error_for(replaced(complete_, R"("ctx")", R"("phq9")")),
            "/instrument: unknown instrument 'phq9' (known: ctx)");
  kindband::Advice advice;
  kindband::Error error;
  EXPECT_FALSE(kindband::advise_result_json(
      library_, replaced(complete_, R"("version":"1")", R"("version":"2")"), "en", &advice,
      &error));
  EXPECT_EQ(error.to_string(),
            "ctx: /version: the result is for version '2', this engine has version '1'");
}

TEST_F(ResultAdviceErrors, RefusesMissingAndUnknownKeys) {
  EXPECT_EQ(error_for(replaced(complete_, R"(],"positive":true})", "]}")), "/positive: missing");
  EXPECT_EQ(error_for(replaced(complete_, R"("answered":3,)", R"("answered":3,"answers":[1],)")),
            "/answers: unknown key");
  EXPECT_EQ(error_for(replaced(complete_, R"("verified":true,)", R"("verified":true,"a/b":1,)")),
            "/scales/0/band/a~1b: unknown key");
  EXPECT_EQ(error_for(replaced(complete_, R"("min":0,"max":6})", R"("min":0})")),
            "/scales/1/max: missing");
}

TEST_F(ResultAdviceErrors, RefusesWrongTypes) {
  EXPECT_EQ(error_for(replaced(complete_, R"("complete":true,"answered")",
                               R"("complete":"yes","answered")")),
            "/complete: expected true or false, found text");
  EXPECT_EQ(error_for(replaced(complete_, R"("score":8,)", R"("score":"8",)")),
            "/scales/0/score: expected a score, found text");
  EXPECT_EQ(
      error_for(replaced(complete_, R"("flags":["item_rule","scale_rule"])", R"("flags":{})")),
      "/flags: expected an array of safety rule ids, found an object");
  const size_t scales = complete_.find(R"("scales":[)");
  const size_t flags = complete_.find(R"(],"flags")");
  ASSERT_LT(scales, flags);
  EXPECT_EQ(error_for(complete_.substr(0, scales) + R"("scales":7)" + complete_.substr(flags + 1)),
            "/scales: expected an array of scale results, found a number");
  EXPECT_EQ(error_for(replaced(complete_, R"("answered":3)", R"("answered":2.5)")),
            "/answered: expected a whole number, found a number");
  EXPECT_EQ(error_for(replaced(complete_, R"("score":8,)", R"("score":7.999,)")),
            "/scales/0/score: expected a score with at most two decimals");
}

TEST_F(ResultAdviceErrors, RefusesUnknownScalesBandsAndFlags) {
  EXPECT_EQ(error_for(replaced(complete_, R"("id":"ab")", R"("id":"xy")")),
            "/scales/1/id: unknown scale 'xy'");
  EXPECT_EQ(error_for(replaced(complete_, R"("id":"ab")", R"("id":"total")")),
            "/scales/1/id: expected scale 'ab' here, found 'total' (scales are in the engine's "
            "order)");
  EXPECT_EQ(error_for(replaced(complete_, R"("set":"early")", R"("set":"late")")),
            "/scales/0/band/set: unknown band set 'late' for scale 'total'");
  EXPECT_EQ(error_for(replaced(complete_, R"("id":"positive")", R"("id":"severe")")),
            "/scales/0/band/id: unknown band 'severe' in band set 'early'");
  EXPECT_EQ(error_for(replaced(complete_, R"("id":"positive")", R"("id":"negative")")),
            "/scales/0/band/id: band 'negative' is 0 to 3, the score is 8");
  EXPECT_EQ(error_for(replaced(complete_, R"("item_rule",)", R"("other_rule",)")),
            "/flags/0: unknown safety rule 'other_rule'");
  EXPECT_EQ(error_for(replaced(complete_, R"(["item_rule","scale_rule"])",
                               R"(["scale_rule","item_rule"])")),
            "/flags/1: safety rule 'item_rule' is repeated or out of rule order");
  EXPECT_EQ(error_for(replaced(incomplete_, R"("missing":["a"])", R"("missing":["zz"])")),
            "/missing/0: unknown item 'zz'");
}

TEST_F(ResultAdviceErrors, RefusesInconsistentResults) {
  EXPECT_EQ(error_for(replaced(complete_, R"("complete":true,"score":8)",
                               R"("complete":false,"score":null)")),
            "/scales/0/band: an incomplete scale has no band");
  EXPECT_EQ(error_for(replaced(complete_, R"("score":8,)", R"("score":9,)")),
            "/scales/0/score: out of range 0 to 8");
  EXPECT_EQ(error_for(replaced(complete_, R"("verified":true)", R"("verified":false)")),
            "/scales/0/band/verified: expected true");
  EXPECT_EQ(error_for(replaced(complete_, R"(],"positive":true})", R"(],"positive":false})")),
            "/positive: expected true (a band is positive)");
  EXPECT_EQ(error_for(replaced(complete_, R"("complete":true,"answered")",
                               R"("complete":false,"answered")")),
            "/complete: false, but no item is missing");
  EXPECT_EQ(error_for(replaced(complete_, R"("item_count":3)", R"("item_count":4)")),
            "/item_count: expected 3, found 4");
}

TEST_F(ResultAdviceErrors, RefusesBadContextAndLanguage) {
  EXPECT_EQ(error_for(replaced(complete_, R"("week":10)", R"("week":121)")),
            "/context/week: expected a whole number from 0 to 120");
  EXPECT_EQ(error_for(replaced(complete_, R"("role":"mother")", R"("role":"aunt")")),
            "/context/role: role must be mother or partner");
  EXPECT_EQ(error_for(complete_, "fr"), "/language: unknown language 'fr' (expected nl or en)");
}

}  // namespace
}  // namespace result_advice_tests
