// GAD-2 (Kroenke 2007): GAD-7 items 1-2, scored 0-3, total 0-6, positive at 3 or more.
#include "test_support.h"

namespace gad2_tests {
namespace {

using kindband_test::load;
using kindband_test::Scored;

TEST(Gad2, LoadsWithTheFirstTwoGad7Items) {
  const auto* gad2 = load("gad2");
  const auto* gad7 = load("gad7");
  ASSERT_NE(gad2, nullptr);
  ASSERT_NE(gad7, nullptr);
  ASSERT_EQ(gad2->items.size(), 2u);
  EXPECT_EQ(gad2->items[0].text.at("en"), gad7->items[0].text.at("en"));
  EXPECT_EQ(gad2->items[1].text.at("en"), gad7->items[1].text.at("en"));
}

TEST(Gad2, AllMinimumIsZeroNegative) {
  Scored s(*load("gad2"), {0, 0});
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "negative");
  EXPECT_FALSE(s.positive());
}

TEST(Gad2, AllMaximumIsSixPositive) {
  Scored s(*load("gad2"), {3, 3});
  EXPECT_EQ(s.points("total"), 6);
  EXPECT_EQ(s.band("total"), "positive");
  EXPECT_TRUE(s.positive());
}

TEST(Gad2, CutOffIsThreeOrMore) {
  Scored two(*load("gad2"), {0, 2});
  Scored three(*load("gad2"), {0, 3});
  EXPECT_EQ(two.points("total"), 2);
  EXPECT_EQ(two.band("total"), "negative");
  EXPECT_EQ(three.points("total"), 3);
  EXPECT_EQ(three.band("total"), "positive");
  EXPECT_EQ(three.band_set("total"), "kroenke2007");
}

TEST(Gad2, MissingAnswerGivesNoBand) {
  Scored s(*load("gad2"), {kindband::kMissing, 3});
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_EQ(s.missing(), std::vector<std::string>{"1"});
}

}  // namespace
}  // namespace gad2_tests
