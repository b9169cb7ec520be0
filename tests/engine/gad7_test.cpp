// GAD-7 (Spitzer 2006): 7 items scored 0-3 in printed order, total 0-21; bands minimal 0-4,
// mild 5-9, moderate 10-14, severe 15-21 (moderate and up positive). No safety rule.
#include "test_support.h"

namespace gad7_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

TEST(Gad7, LoadsWithThePublishedEnglishWording) {
  const auto* gad7 = load("gad7");
  ASSERT_NE(gad7, nullptr);
  ASSERT_EQ(gad7->items.size(), 8u);  // the seven scored items and the closing question
  EXPECT_EQ(gad7->items[0].text.at("en"), "Feeling nervous, anxious or on edge");
  EXPECT_EQ(gad7->items[6].text.at("en"), "Feeling afraid as if something awful might happen");
  // The 0 option reads "Not at all" (not "Not at all sure").
  EXPECT_EQ(gad7->items[0].options[0].label.at("en"), "Not at all");
  EXPECT_TRUE(gad7->wording.at("en").validated);
  EXPECT_FALSE(gad7->wording.at("nl").validated);
  EXPECT_TRUE(gad7->safety_rules.empty());
}

TEST(Gad7, AllMinimumScoresZeroMinimal) {
  Scored s(*load("gad7"), repeat(7, 0));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "minimal");
  EXPECT_FALSE(s.positive());
}

TEST(Gad7, AllMaximumScores21Severe) {
  Scored s(*load("gad7"), repeat(7, 3));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 21);
  EXPECT_EQ(s.band("total"), "severe");
  EXPECT_TRUE(s.positive());
  EXPECT_TRUE(s.flags().empty());
}

TEST(Gad7, BandEdgesFollowSpitzer2006) {
  struct Edge {
    kindband::Answers answers;
    int total;
    const char* band;
    bool positive;
  };
  const std::vector<Edge> edges = {
      {{1, 1, 1, 1, 0, 0, 0}, 4, "minimal", false},  {{1, 1, 1, 1, 1, 0, 0}, 5, "mild", false},
      {{3, 3, 3, 0, 0, 0, 0}, 9, "mild", false},     {{3, 3, 3, 1, 0, 0, 0}, 10, "moderate", true},
      {{3, 3, 3, 3, 2, 0, 0}, 14, "moderate", true}, {{3, 3, 3, 3, 3, 0, 0}, 15, "severe", true},
  };
  for (const Edge& edge : edges) {
    Scored s(*load("gad7"), edge.answers);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.points("total"), edge.total);
    EXPECT_EQ(s.band("total"), edge.band) << "total " << edge.total;
    EXPECT_EQ(s.positive(), edge.positive) << "total " << edge.total;
    EXPECT_EQ(s.band_set("total"), "spitzer2006");
  }
}

TEST(Gad7, MissingAnswerGivesIncompleteResultWithoutBand) {
  kindband::Answers answers = repeat(7, 3);
  answers[6] = kindband::kMissing;
  Scored s(*load("gad7"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.points("total"), -1);
  EXPECT_EQ(s.band("total"), "");
  EXPECT_FALSE(s.positive());
  EXPECT_EQ(s.missing(), std::vector<std::string>{"7"});
}

TEST(Gad7, EveryBandHasAdviceInBothLanguages) {
  const std::vector<std::pair<kindband::Answers, std::string>> cases = {
      {repeat(7, 0), "minimal"},
      {{1, 1, 1, 1, 1, 0, 0}, "mild"},
      {{3, 3, 3, 1, 0, 0, 0}, "moderate"},
      {repeat(7, 3), "severe"}};
  for (const auto& [answers, band] : cases) {
    for (const char* lang : {"nl", "en"}) {
      EXPECT_EQ(kindband_test::advice_keys(Scored(*load("gad7"), answers).result(), lang),
                std::vector<std::string>{"band:total:" + band});
    }
  }
}

// The closing question ("how difficult have these problems made it...") is item 8: never scored,
// and answers may leave it out (7 or 8 answers score the same).
TEST(Gad7, SevenAndEightAnswersScoreTheSameAndTheClosingQuestionIsNeverScored) {
  const auto* gad7 = load("gad7");
  ASSERT_EQ(gad7->items.size(), 8u);
  const kindband::Item& closing = gad7->items[7];
  EXPECT_EQ(closing.id, "8");
  EXPECT_EQ(closing.text.at("en"),
            "If you checked off any problems, how difficult have these problems made it for you "
            "to do your work, take care of things at home, or get along with other people?");
  EXPECT_EQ(closing.options[0].label.at("en"), "Not difficult at all");
  EXPECT_EQ(closing.options[3].label.at("en"), "Extremely difficult");
  EXPECT_FALSE(closing.scored);
  EXPECT_FALSE(closing.required);
  EXPECT_EQ(kindband::fewest_answers(*gad7), 7u);
  for (int level = 0; level < 4; ++level) {
    Scored seven(*gad7, repeat(7, level));
    for (int answer : {kindband::kMissing, 0, 3}) {
      kindband::Answers answers = repeat(7, level);
      answers.push_back(answer);
      Scored eight(*gad7, answers);
      ASSERT_TRUE(eight.ok()) << eight.error().to_string();
      EXPECT_EQ(seven.points("total"), eight.points("total"));
      EXPECT_EQ(seven.band("total"), eight.band("total"));
      EXPECT_EQ(seven.positive(), eight.positive());
      EXPECT_TRUE(eight.complete());
      EXPECT_TRUE(eight.flags().empty());
    }
  }
  Scored nine(*gad7, repeat(9, 0));
  EXPECT_FALSE(nine.ok());
  EXPECT_EQ(nine.error().message, "expected 7 or 8 answers, found 9");
}

}  // namespace
}  // namespace gad7_tests
