// Whooley questions (NICE CG192): two yes/no questions (no=0, yes=1) and an unscored, optional
// help question; a 'yes' to either scored question is positive.
#include "test_support.h"

namespace whooley_tests {
namespace {

using kindband_test::load;
using kindband_test::Scored;

constexpr int kNo = 0;
constexpr int kYes = 1;
constexpr int kMissing = kindband::kMissing;

TEST(Whooley, LoadsWithNiceWordingAndAnUnscoredHelpQuestion) {
  const auto* whooley = load("whooley");
  ASSERT_NE(whooley, nullptr);
  ASSERT_EQ(whooley->items.size(), 3u);
  EXPECT_EQ(whooley->items[0].text.at("en"),
            "During the past month, have you often been bothered by feeling down, depressed or "
            "hopeless?");
  EXPECT_EQ(whooley->items[2].text.at("en"),
            "Is this something you feel you need or want help with?");
  EXPECT_FALSE(whooley->items[2].scored);
  EXPECT_FALSE(whooley->items[2].required);
  EXPECT_NE(whooley->citation.find("CG192"), std::string::npos);
}

TEST(Whooley, TwoNoAnswersAreNegative) {
  Scored s(*load("whooley"), {kNo, kNo, kNo});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "negative");
  EXPECT_FALSE(s.positive());
}

TEST(Whooley, EitherYesIsPositive) {
  Scored low_mood(*load("whooley"), {kYes, kNo, kNo});
  Scored anhedonia(*load("whooley"), {kNo, kYes, kNo});
  EXPECT_EQ(low_mood.points("total"), 1);
  EXPECT_EQ(low_mood.band("total"), "positive");
  EXPECT_TRUE(low_mood.positive());
  EXPECT_EQ(anhedonia.points("total"), 1);
  EXPECT_EQ(anhedonia.band("total"), "positive");
}

TEST(Whooley, BothYesScoresTwoPositive) {
  Scored s(*load("whooley"), {kYes, kYes, kYes});
  EXPECT_EQ(s.points("total"), 2);
  EXPECT_EQ(s.band("total"), "positive");
}

TEST(Whooley, HelpQuestionIsNotCounted) {
  Scored s(*load("whooley"), {kNo, kNo, kYes});
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "negative");
}

TEST(Whooley, UnansweredHelpQuestionKeepsTheResultComplete) {
  Scored s(*load("whooley"), {kYes, kNo, kMissing});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.band("total"), "positive");
}

TEST(Whooley, UnansweredScoredQuestionMakesItIncomplete) {
  Scored s(*load("whooley"), {kYes, kMissing, kNo});
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_EQ(s.missing(), std::vector<std::string>{"2"});
}

}  // namespace
}  // namespace whooley_tests
