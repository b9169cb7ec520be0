// Engine behaviour independent of any one instrument: answer checks, context-dependent bands,
// completeness, safety rules on partial answers, advice order and the exact JSON shape.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kindband/engine.h"

namespace scoring_tests {
namespace {

// Three items 0-3 (item 2 reversed), a subscale, a scale-level and an item-level safety rule, and
// band sets chosen by context.
const char kDefinition[] = R"({
  "id": "ctx", "version": "1", "name": {"en": "Context test", "nl": "Contexttest"},
  "authors": "Test", "year": 2020, "citation": "Test 2020", "licence": "Test",
  "wording": {"en": {"validated": false, "source": "test"}},
  "items": [
    {"id": "a", "text": {"en": "A \"quoted\"\nline"}, "options": [{"value": 0, "label": {"en": "o"}}, {"value": 1, "label": {"en": "o"}}, {"value": 2, "label": {"en": "o"}}, {"value": 3, "label": {"en": "o"}}]},
    {"id": "b", "text": {"en": "b"}, "options": [{"value": 3, "label": {"en": "o"}}, {"value": 2, "label": {"en": "o"}}, {"value": 1, "label": {"en": "o"}}, {"value": 0, "label": {"en": "o"}}]},
    {"id": "c", "text": {"en": "c"}, "options": [{"value": 0, "label": {"en": "o"}}, {"value": 2, "label": {"en": "o"}}], "required": false},
    {"id": "help", "text": {"en": "help"}, "options": [{"value": 0, "label": {"en": "o"}}, {"value": 1, "label": {"en": "o"}}], "scored": false, "required": false}
  ],
  "total": {"band_sets": [
    {"id": "early", "when": {"role": ["mother"], "stage": ["pregnancy"], "week_min": 0, "week_max": 13},
     "source": "Early source", "bands": [{"id": "negative", "min": 0, "max": 3}, {"id": "positive", "min": 4, "max": 8, "positive": true}]},
    {"id": "partner", "when": {"role": ["partner"]}, "source": "Partner source", "verified": false,
     "bands": [{"id": "negative", "min": 0, "max": 4}, {"id": "positive", "min": 5, "max": 8, "positive": true}]},
    {"id": "general", "source": "General source",
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

class Scoring : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<kindband::Error> errors;
    bool added = library_.add_instrument("ctx.json", kDefinition, &errors);
    for (const auto& e : errors) ADD_FAILURE() << e.to_string();
    ASSERT_TRUE(added);
    instrument_ = library_.find("ctx");
  }

  kindband::Result score(const kindband::Answers& answers, const std::string& context = "") {
    kindband::Context c;
    kindband::Error error;
    EXPECT_TRUE(kindband::parse_context(context, &c, &error)) << error.to_string();
    kindband::Result result;
    EXPECT_TRUE(kindband::score_instrument(*instrument_, answers, c, &result, &error))
        << error.to_string();
    return result;
  }

  kindband::Library library_;
  const kindband::Instrument* instrument_ = nullptr;
};

TEST_F(Scoring, UsesOptionValueNotPosition) {
  kindband::Result r = score({0, 0, 0, 0});
  EXPECT_EQ(r.scales[0].score_hundredths, 300) << "item b position 0 is worth 3";
}

TEST(DecimalScores, SumExactlyAndPrintShortest) {
  // MPAS-style rescaled values: 1, 2.33, 3.67, 5.
  const char definition[] = R"({
    "id": "dec", "version": "1", "name": {"en": "Decimals"}, "authors": "T", "year": 2020,
    "citation": "T", "licence": "T", "wording": {"en": {"validated": false, "source": "t"}},
    "option_sets": {"r": [{"value": 1}, {"value": 2.33}, {"value": 3.67}, {"value": 5}]},
    "items": [{"id": "1", "options": "r"}, {"id": "2", "options": "r"}, {"id": "3", "options": "r"}],
    "total": {}
  })";
  kindband::Library library;
  std::vector<kindband::Error> errors;
  ASSERT_TRUE(library.add_instrument("dec.json", definition, &errors));
  kindband::Result r;
  kindband::Error error;
  ASSERT_TRUE(kindband::score_instrument(*library.find("dec"), {1, 2, 1}, {}, &r, &error));
  EXPECT_EQ(r.scales[0].score_hundredths, 833);
  EXPECT_NE(kindband::to_json(r).find(R"("score":8.33,"min":3,"max":15)"), std::string::npos);
  ASSERT_TRUE(kindband::score_instrument(*library.find("dec"), {1, 2, 0}, {}, &r, &error));
  EXPECT_NE(kindband::to_json(r).find(R"("score":7,)"), std::string::npos)
      << "2.33 + 3.67 + 1 is exactly 7";
}

TEST(DecimalScores, BandSetsNeedWholeNumberScores) {
  const char definition[] = R"({
    "id": "dec", "version": "1", "name": {"en": "Decimals"}, "authors": "T", "year": 2020,
    "citation": "T", "licence": "T", "wording": {"en": {"validated": false, "source": "t"}},
    "items": [{"id": "1", "options": [{"value": 0}, {"value": 1.5}]}],
    "total": {"band_sets": [{"id": "s", "source": "s", "bands": [{"id": "all", "min": 0, "max": 2}]}]},
    "advice": {"bands": {"all": {"nl": {"title": "t", "text": "t"}, "en": {"title": "t", "text": "t"}}}}
  })";
  std::vector<kindband::Error> errors;
  EXPECT_FALSE(kindband::Library::validate_instrument("dec.json", definition, &errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].to_string(),
            "dec.json: /total/band_sets: band sets need whole-number item scores on scale 'total'");
}

TEST_F(Scoring, RejectsWrongAnswerCount) {
  kindband::Result result;
  kindband::Error error;
  EXPECT_FALSE(kindband::score_instrument(*instrument_, {0, 0, 0}, {}, &result, &error));
  EXPECT_EQ(error.to_string(), "ctx: /answers: expected 4 answers, found 3");
}

TEST_F(Scoring, RejectsOutOfRangeAnswersInsteadOfClamping) {
  kindband::Result result;
  kindband::Error error;
  EXPECT_FALSE(kindband::score_instrument(*instrument_, {0, 4, 0, 0}, {}, &result, &error));
  EXPECT_EQ(error.to_string(),
            "ctx: /answers/1: answer 4 is out of range for item 'b' (0 to 3, or empty when not "
            "answered)");
  EXPECT_FALSE(kindband::score_instrument(*instrument_, {0, 0, -2, 0}, {}, &result, &error));
  EXPECT_EQ(error.pointer, "/answers/2");
}

TEST_F(Scoring, ChoosesFirstBandSetMatchingTheContext) {
  // Total 4 (a=1, b=position 0 -> 3, c=0).
  kindband::Answers answers = {1, 0, 0, kindband::kMissing};
  EXPECT_EQ(score(answers, "role=mother,stage=pregnancy,week=13").scales[0].band_set->id, "early");
  EXPECT_EQ(score(answers, "role=mother,stage=pregnancy,week=13").scales[0].band->id, "positive");
  EXPECT_EQ(score(answers, "role=mother,stage=pregnancy,week=14").scales[0].band_set->id,
            "general");
  EXPECT_EQ(score(answers, "role=partner,stage=pregnancy,week=10").scales[0].band_set->id,
            "partner");
  EXPECT_EQ(score(answers, "role=partner").scales[0].band->id, "negative");
  EXPECT_EQ(score(answers, "role=mother,stage=pregnancy").scales[0].band_set->id, "general")
      << "a week range never matches an unknown week";
  EXPECT_EQ(score(answers).scales[0].band->id, "positive");
}

TEST_F(Scoring, IncompleteResultHasNoScoreOrBandButOptionalItemsDoNotCount) {
  kindband::Result r = score({1, kindband::kMissing, 0, 0});
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.scales[0].band, nullptr);
  EXPECT_EQ(r.missing_required, std::vector<int>{1});
  kindband::Result optional_missing = score({1, 1, kindband::kMissing, kindband::kMissing});
  EXPECT_TRUE(optional_missing.complete);
  EXPECT_NE(optional_missing.scales[0].band, nullptr);
}

TEST_F(Scoring, UnscoredItemsDoNotCount) {
  EXPECT_EQ(score({0, 3, 0, 0}).scales[0].score_hundredths,
            score({0, 3, 0, 1}).scales[0].score_hundredths);
}

TEST_F(Scoring, SafetyRulesFireOnPartialAnswers) {
  kindband::Result r = score({3, kindband::kMissing, kindband::kMissing, kindband::kMissing});
  EXPECT_FALSE(r.complete);
  ASSERT_EQ(r.safety_flags.size(), 1u);
  EXPECT_EQ(instrument_->safety_rules[static_cast<size_t>(r.safety_flags[0])].id, "item_rule");
  EXPECT_TRUE(score({2, kindband::kMissing, 0, 0}).safety_flags.empty());
  kindband::Result scale_rule = score({2, 0, 0, 0});  // a + b = 2 + 3 = 5
  ASSERT_EQ(scale_rule.safety_flags.size(), 1u);
  EXPECT_EQ(instrument_->safety_rules[static_cast<size_t>(scale_rule.safety_flags[0])].id,
            "scale_rule");
  EXPECT_TRUE(score({1, 0, 0, 0}).safety_flags.empty());
}

TEST_F(Scoring, ResultJsonIsStable) {
  kindband::Result r = score({3, 3, kindband::kMissing, 1}, "role=partner,week=4");
  // total = 3 + 0 (b reversed) = 3; partner bands: negative 0-4.
  EXPECT_EQ(
      kindband::to_json(r),
      R"({"instrument":"ctx","version":"1","context":{"role":"partner","week":4},"complete":true,)"
      R"("answered":3,"item_count":4,"missing":[],"scales":[{"id":"total","complete":true,"score":3,)"
      R"("min":0,"max":8,"band":{"id":"negative","set":"partner","source":"Partner source",)"
      R"("verified":false,"positive":false}},{"id":"ab","complete":true,"score":3,"min":0,"max":6}],)"
      R"("flags":["item_rule"],"positive":false})");
}

TEST_F(Scoring, AdviceListsSafetyFirstThenScalesInOrder) {
  kindband::Result r = score({3, 0, 0, 0});
  kindband::Advice advice;
  kindband::Error error;
  ASSERT_TRUE(kindband::advise(r, "en", &advice, &error));
  EXPECT_EQ(
      kindband::to_json(advice),
      R"({"language":"en","entries":[)"
      R"({"kind":"safety","id":"item_rule","urgent":true,"title":"Help","text":"h","steps":[]},)"
      R"({"kind":"safety","id":"scale_rule","urgent":true,"title":"Help2","text":"h","steps":[]},)"
      R"({"kind":"band","scale":"total","id":"positive","urgent":false,"title":"Yes","text":"p","steps":["Call"]},)"
      R"({"kind":"scale","scale":"ab","id":"ab","urgent":false,"title":"AB","text":"ab","steps":[]}]})");
  EXPECT_FALSE(kindband::advise(r, "de", &advice, &error));
  EXPECT_EQ(error.to_string(), "ctx: /language: unknown language 'de' (expected nl or en)");
}

TEST_F(Scoring, InstrumentJsonEscapesTextAndMarksMissingWording) {
  std::string json = kindband::instrument_to_json(*instrument_, "nl");
  EXPECT_NE(json.find(R"("items":[{"id":"a","text":null,)"), std::string::npos) << json;
  std::string en = kindband::instrument_to_json(*instrument_, "en");
  EXPECT_NE(en.find(R"("text":"A \"quoted\"\nline")"), std::string::npos) << en;
  EXPECT_NE(
      en.find(R"("safety_rules":[{"id":"item_rule","item":"a"},{"id":"scale_rule","scale":"ab"}])"),
      std::string::npos);
}

TEST(Context, ParsesAndRejects) {
  kindband::Context c;
  kindband::Error error;
  ASSERT_TRUE(kindband::parse_context("role=partner,stage=pregnancy,week=14", &c, &error));
  EXPECT_EQ(c.role, "partner");
  EXPECT_EQ(c.stage, "pregnancy");
  EXPECT_EQ(c.week, 14);
  EXPECT_FALSE(kindband::parse_context("role=father", &c, &error));
  EXPECT_EQ(error.to_string(), "/context/role: role must be mother or partner");
  EXPECT_FALSE(kindband::parse_context("week=-1", &c, &error));
  EXPECT_FALSE(kindband::parse_context("week=121", &c, &error));
  EXPECT_FALSE(kindband::parse_context("trimester=2", &c, &error));
  EXPECT_FALSE(kindband::parse_context("role", &c, &error));
}

TEST(FormatHundredths, PrintsShortestExactDecimal) {
  EXPECT_EQ(kindband::format_hundredths(0), "0");
  EXPECT_EQ(kindband::format_hundredths(1200), "12");
  EXPECT_EQ(kindband::format_hundredths(4567), "45.67");
  EXPECT_EQ(kindband::format_hundredths(250), "2.5");
  EXPECT_EQ(kindband::format_hundredths(7), "0.07");
  EXPECT_EQ(kindband::format_hundredths(-150), "-1.5");
}

}  // namespace
}  // namespace scoring_tests
