// PHQ-2 (Kroenke 2003): PHQ-9 items 1-2, scored 0-3, total 0-6, positive at 3 or more.
#include "test_support.h"

namespace phq2_tests {
namespace {

using kindband_test::load;
using kindband_test::Scored;

TEST(Phq2, LoadsWithTheFirstTwoPhq9Items) {
  const auto* phq2 = load("phq2");
  const auto* phq9 = load("phq9");
  ASSERT_NE(phq2, nullptr);
  ASSERT_NE(phq9, nullptr);
  ASSERT_EQ(phq2->items.size(), 2u);
  EXPECT_EQ(phq2->items[0].text.at("en"), phq9->items[0].text.at("en"));
  EXPECT_EQ(phq2->items[1].text.at("en"), phq9->items[1].text.at("en"));
  EXPECT_TRUE(phq2->safety_rules.empty());
}

TEST(Phq2, AllMinimumIsZeroNegative) {
  Scored s(*load("phq2"), {0, 0});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "negative");
  EXPECT_FALSE(s.positive());
}

TEST(Phq2, AllMaximumIsSixPositive) {
  Scored s(*load("phq2"), {3, 3});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 6);
  EXPECT_EQ(s.band("total"), "positive");
  EXPECT_TRUE(s.positive());
}

TEST(Phq2, CutOffIsThreeOrMore) {
  Scored two(*load("phq2"), {1, 1});
  Scored three(*load("phq2"), {2, 1});
  EXPECT_EQ(two.points("total"), 2);
  EXPECT_EQ(two.band("total"), "negative");
  EXPECT_EQ(three.points("total"), 3);
  EXPECT_EQ(three.band("total"), "positive");
  EXPECT_TRUE(three.positive());
  EXPECT_EQ(three.band_set("total"), "kroenke2003");
}

TEST(Phq2, MissingAnswerGivesNoBand) {
  Scored s(*load("phq2"), {3, kindband::kMissing});
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_EQ(s.missing(), std::vector<std::string>{"2"});
}

TEST(Phq2, BothBandsHaveAdviceInBothLanguages) {
  for (const char* lang : {"nl", "en"}) {
    EXPECT_EQ(kindband_test::advice_keys(Scored(*load("phq2"), {0, 0}).result(), lang),
              std::vector<std::string>{"band:total:negative"});
    EXPECT_EQ(kindband_test::advice_keys(Scored(*load("phq2"), {3, 0}).result(), lang),
              std::vector<std::string>{"band:total:positive"});
  }
}

}  // namespace
}  // namespace phq2_tests
