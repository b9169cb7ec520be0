// PHQ-9 (Kroenke, Spitzer & Williams 2001): 9 items scored 0-3 in printed order, total 0-27;
// bands minimal 0-4, mild 5-9, moderate 10-14, moderately severe 15-19, severe 20-27 (moderate and
// up count as positive); any score on item 9 raises self_harm whatever the total.
#include "test_support.h"

namespace phq9_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

constexpr int kMissing = kindband::kMissing;

TEST(Phq9, LoadsFromTheBuiltinLibraryWithoutErrors) {
  const auto* phq9 = load("phq9");
  ASSERT_NE(phq9, nullptr);
  EXPECT_EQ(phq9->items.size(), 10u);  // the nine scored items and the closing question
  EXPECT_TRUE(phq9->validated_instrument);
  EXPECT_TRUE(phq9->wording.at("en").validated);
  EXPECT_FALSE(phq9->wording.at("nl").validated);  // our own translation
}

TEST(Phq9, ShipsThePublishedEnglishWording) {
  const auto* phq9 = load("phq9");
  ASSERT_NE(phq9, nullptr);
  EXPECT_EQ(phq9->items[0].text.at("en"), "Little interest or pleasure in doing things");
  EXPECT_EQ(phq9->items[8].text.at("en"),
            "Thoughts that you would be better off dead or of hurting yourself in some way");
  ASSERT_EQ(phq9->items[0].options.size(), 4u);
  EXPECT_EQ(phq9->items[0].options[0].label.at("en"), "Not at all");
  EXPECT_EQ(phq9->items[0].options[3].label.at("en"), "Nearly every day");
}

TEST(Phq9, AllNotAtAllScoresZeroMinimal) {
  Scored s(*load("phq9"), repeat(9, 0));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "minimal");
  EXPECT_FALSE(s.positive());
  EXPECT_TRUE(s.flags().empty());
}

TEST(Phq9, AllNearlyEveryDayScores27SevereWithSelfHarmFlag) {
  Scored s(*load("phq9"), repeat(9, 3));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 27);
  EXPECT_EQ(s.band("total"), "severe");
  EXPECT_TRUE(s.positive());
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
}

TEST(Phq9, EachOptionScoresItsPrintedPosition) {
  // Not at all 0, Several days 1, More than half the days 2, Nearly every day 3.
  for (int position = 0; position < 4; ++position) {
    kindband::Answers answers = repeat(9, 0);
    answers[3] = position;
    Scored s(*load("phq9"), answers);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.points("total"), position);
  }
}

struct Edge {
  kindband::Answers answers;
  int total;
  const char* band;
  bool positive;
};

TEST(Phq9, BandEdgesFollowKroenke2001) {
  // Item 9 stays 0 so that only the total decides.
  const std::vector<Edge> edges = {
      {{1, 1, 1, 1, 0, 0, 0, 0, 0}, 4, "minimal", false},
      {{1, 1, 1, 1, 1, 0, 0, 0, 0}, 5, "mild", false},
      {{3, 3, 3, 0, 0, 0, 0, 0, 0}, 9, "mild", false},
      {{3, 3, 3, 1, 0, 0, 0, 0, 0}, 10, "moderate", true},
      {{3, 3, 3, 3, 2, 0, 0, 0, 0}, 14, "moderate", true},
      {{3, 3, 3, 3, 3, 0, 0, 0, 0}, 15, "moderately_severe", true},
      {{3, 3, 3, 3, 3, 3, 1, 0, 0}, 19, "moderately_severe", true},
      {{3, 3, 3, 3, 3, 3, 2, 0, 0}, 20, "severe", true},
      {{3, 3, 3, 3, 3, 3, 3, 3, 0}, 24, "severe", true},
  };
  for (const Edge& edge : edges) {
    Scored s(*load("phq9"), edge.answers);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.points("total"), edge.total);
    EXPECT_EQ(s.band("total"), edge.band) << "total " << edge.total;
    EXPECT_EQ(s.positive(), edge.positive) << "total " << edge.total;
    EXPECT_EQ(s.band_set("total"), "kroenke2001");
    EXPECT_TRUE(s.flags().empty());
  }
}

TEST(Phq9, AnyScoreOnItem9RaisesSelfHarmWhateverTheTotal) {
  kindband::Answers answers = repeat(9, 0);
  answers[8] = 1;  // Several days
  Scored s(*load("phq9"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 1);
  EXPECT_EQ(s.band("total"), "minimal");
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
}

TEST(Phq9, NotAtAllOnItem9RaisesNoFlagEvenWithASevereTotal) {
  Scored s(*load("phq9"), {3, 3, 3, 3, 3, 3, 3, 3, 0});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.band("total"), "severe");
  EXPECT_TRUE(s.flags().empty());
}

TEST(Phq9, MissingAnswerLeavesTotalOpenButSafetyStillFires) {
  kindband::Answers answers = repeat(9, 0);
  answers[2] = kMissing;
  answers[8] = 2;
  Scored s(*load("phq9"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("total"));
  EXPECT_EQ(s.band("total"), "");
  EXPECT_FALSE(s.positive());
  EXPECT_EQ(s.missing(), std::vector<std::string>{"3"});
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
}

TEST(Phq9, SelfHarmAdviceComesFirstAndIsUrgentInBothLanguages) {
  kindband::Answers answers = repeat(9, 0);
  answers[8] = 1;
  Scored s(*load("phq9"), answers);
  ASSERT_TRUE(s.ok());
  for (const char* lang : {"nl", "en"}) {
    kindband::Advice advice;
    kindband::Error error;
    ASSERT_TRUE(kindband::advise(s.result(), lang, &advice, &error));
    ASSERT_FALSE(advice.entries.empty());
    EXPECT_EQ(advice.entries[0].kind, "safety");
    EXPECT_EQ(advice.entries[0].id, "self_harm");
    EXPECT_TRUE(advice.entries[0].urgent);
    std::string all = advice.entries[0].text.text;
    for (const auto& step : advice.entries[0].text.steps) all += " " + step;
    EXPECT_NE(all.find("0800-0113"), std::string::npos) << lang;
    EXPECT_NE(all.find("112"), std::string::npos) << lang;
    EXPECT_NE(all.find("huisartsenpost"), std::string::npos) << lang;
  }
}

TEST(Phq9, EveryBandHasAdviceInDutchAndEnglish) {
  const std::vector<kindband::Answers> one_per_band = {repeat(9, 0),
                                                       {1, 1, 1, 1, 1, 0, 0, 0, 0},
                                                       {3, 3, 3, 1, 0, 0, 0, 0, 0},
                                                       {3, 3, 3, 3, 3, 0, 0, 0, 0},
                                                       {3, 3, 3, 3, 3, 3, 3, 3, 0}};
  const std::vector<std::string> bands = {"minimal", "mild", "moderate", "moderately_severe",
                                          "severe"};
  for (size_t i = 0; i < bands.size(); ++i) {
    Scored s(*load("phq9"), one_per_band[i]);
    for (const char* lang : {"nl", "en"}) {
      EXPECT_EQ(kindband_test::advice_keys(s.result(), lang),
                std::vector<std::string>{"band:total:" + bands[i]});
    }
  }
}

// The form's closing question ("how difficult have these problems made it...") is item 10: asked
// last, never scored, never flagged, and answers may leave it out (responses from before it).
TEST(Phq9, ShipsTheClosingQuestionVerbatimUnscoredAndOptional) {
  const auto* phq9 = load("phq9");
  ASSERT_NE(phq9, nullptr);
  ASSERT_EQ(phq9->items.size(), 10u);
  const kindband::Item& closing = phq9->items[9];
  EXPECT_EQ(closing.id, "10");
  EXPECT_EQ(closing.text.at("en"),
            "If you checked off any problems, how difficult have these problems made it for you "
            "to do your work, take care of things at home, or get along with other people?");
  ASSERT_EQ(closing.options.size(), 4u);
  EXPECT_EQ(closing.options[0].label.at("en"), "Not difficult at all");
  EXPECT_EQ(closing.options[1].label.at("en"), "Somewhat difficult");
  EXPECT_EQ(closing.options[2].label.at("en"), "Very difficult");
  EXPECT_EQ(closing.options[3].label.at("en"), "Extremely difficult");
  EXPECT_FALSE(closing.text.at("nl").empty());  // our own translation, like items 1-9
  EXPECT_FALSE(closing.scored);
  EXPECT_FALSE(closing.required);
  EXPECT_TRUE(closing.may_be_left_out);
  EXPECT_EQ(kindband::fewest_answers(*phq9), 9u);
  EXPECT_EQ(phq9->version, "2001");
}

TEST(Phq9, NineAndTenAnswersScoreTheSame) {
  const auto* phq9 = load("phq9");
  for (int level = 0; level < 4; ++level) {
    kindband::Answers nine = repeat(9, level);
    nine[8] = 0;
    for (int closing : {kMissing, 0, 1, 2, 3}) {
      kindband::Answers ten = nine;
      ten.push_back(closing);
      Scored a(*phq9, nine), b(*phq9, ten);
      ASSERT_TRUE(a.ok()) << a.error().to_string();
      ASSERT_TRUE(b.ok()) << b.error().to_string();
      EXPECT_EQ(a.points("total"), b.points("total"));
      EXPECT_EQ(a.band("total"), b.band("total"));
      EXPECT_EQ(a.positive(), b.positive());
      EXPECT_EQ(a.complete(), b.complete());
      EXPECT_TRUE(b.complete());
      EXPECT_EQ(a.flags(), b.flags());
      EXPECT_EQ(a.missing(), b.missing());
      for (const char* lang : {"nl", "en"}) {
        EXPECT_EQ(kindband_test::advice_keys(a.result(), lang),
                  kindband_test::advice_keys(b.result(), lang));
      }
    }
  }
}

TEST(Phq9, ClosingQuestionIsNeverScoredNorFlagged) {
  const auto* phq9 = load("phq9");
  for (int closing = 0; closing < 4; ++closing) {
    kindband::Answers answers = repeat(9, 0);
    answers.push_back(closing);
    Scored s(*phq9, answers);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.points("total"), 0);
    EXPECT_EQ(s.band("total"), "minimal");
    EXPECT_TRUE(s.flags().empty());
    EXPECT_FALSE(s.positive());
  }
  for (const kindband::Scale& scale : phq9->scales) {
    for (int index : scale.item_indexes) EXPECT_NE(index, 9) << scale.id;
  }
  for (const kindband::SafetyRule& rule : phq9->safety_rules) EXPECT_NE(rule.item_index, 9);
}

TEST(Phq9, ResultJsonCountsTheItemsTheAnswersCovered) {
  // A 9-answer response writes the same JSON as before the closing question existed (stored
  // results keep matching); a 10-answer one says it covered 10 items.
  const auto* phq9 = load("phq9");
  kindband::Answers nine = repeat(9, 1);
  nine[8] = 0;
  kindband::Answers ten = nine;
  ten.push_back(2);
  const std::string nine_json = kindband::to_json(Scored(*phq9, nine).result());
  const std::string ten_json = kindband::to_json(Scored(*phq9, ten).result());
  EXPECT_NE(nine_json.find(R"("complete":true,"answered":9,"item_count":9,"missing":[])"),
            std::string::npos)
      << nine_json;
  EXPECT_NE(ten_json.find(R"("complete":true,"answered":10,"item_count":10,"missing":[])"),
            std::string::npos)
      << ten_json;
  EXPECT_EQ(nine_json.substr(nine_json.find("\"scales\"")),
            ten_json.substr(ten_json.find("\"scales\"")));
}

TEST(Phq9, RejectsFewerThanNineOrMoreThanTenAnswers) {
  for (int count : {0, 8, 11}) {
    Scored s(*load("phq9"), repeat(count, 0));
    EXPECT_FALSE(s.ok()) << count;
    EXPECT_EQ(s.error().pointer, "/answers");
    EXPECT_EQ(s.error().message, "expected 9 or 10 answers, found " + std::to_string(count));
  }
}

TEST(Phq9, RejectsAnAnswerOutsideTheFourOptions) {
  kindband::Answers answers = repeat(9, 0);
  answers[4] = 4;
  Scored s(*load("phq9"), answers);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error().pointer, "/answers/4");
}

}  // namespace
}  // namespace phq9_tests
