// PAAS (Condon 1993; 2015 form): 16 items scored 1-5, total 16-80. Items printed highest-first:
// 1, 3, 5, 6, 7, 8, 12, 13, 15. Quality 1,2,3,6,7,9,11,12,13,16 (10-50); intensity
// 4,5,8,10,14,15 (6-30). No bands.
#include "test_support.h"

namespace paas_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

const std::vector<int> kFlipped = {1, 3, 5, 6, 7, 8, 12, 13, 15};

bool flipped(int item) {
  for (int f : kFlipped) {
    if (f == item) return true;
  }
  return false;
}

kindband::Answers lowest() {
  kindband::Answers answers = repeat(16, 0);
  for (int item : kFlipped) answers[item - 1] = 4;
  return answers;
}

TEST(Paas, LoadsAsScoringKeyWithoutWording) {
  const auto* paas = load("paas");
  ASSERT_NE(paas, nullptr);
  ASSERT_EQ(paas->items.size(), 16u);
  for (const auto& item : paas->items) EXPECT_TRUE(item.text.empty()) << item.id;
}

TEST(Paas, AllFirstOptionsScore52) {
  // 9 flipped x 5 + 7 others x 1. Quality: 1, 3, 6, 7, 12, 13 flipped (30) + 2, 9, 11, 16 (4);
  // intensity: 5, 8, 15 flipped (15) + 4, 10, 14 (3).
  Scored s(*load("paas"), repeat(16, 0));
  EXPECT_EQ(s.points("total"), 52);
  EXPECT_EQ(s.points("quality"), 34);
  EXPECT_EQ(s.points("intensity"), 18);
}

TEST(Paas, AllMinimumScores16) {
  Scored s(*load("paas"), lowest());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 16);
  EXPECT_EQ(s.points("quality"), 10);
  EXPECT_EQ(s.points("intensity"), 6);
}

TEST(Paas, AllMaximumScores80) {
  kindband::Answers answers = repeat(16, 4);
  for (int item : kFlipped) answers[item - 1] = 0;
  Scored s(*load("paas"), answers);
  EXPECT_EQ(s.points("total"), 80);
  EXPECT_EQ(s.points("quality"), 50);
  EXPECT_EQ(s.points("intensity"), 30);
}

TEST(Paas, ScoresFlippedItemsHighestFirst) {
  for (int item = 1; item <= 16; ++item) {
    for (int position = 0; position < 5; ++position) {
      kindband::Answers answers = lowest();
      answers[item - 1] = position;
      const int item_score = flipped(item) ? 5 - position : position + 1;
      Scored s(*load("paas"), answers);
      EXPECT_EQ(s.points("total"), 15 + item_score) << "item " << item << " position " << position;
    }
  }
}

TEST(Paas, HasNoBandsAndAdviceForEachScale) {
  Scored s(*load("paas"), lowest());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_FALSE(s.positive());
  for (const char* lang : {"nl", "en"}) {
    EXPECT_EQ(kindband_test::advice_keys(s.result(), lang),
              (std::vector<std::string>{"scale:total:total", "scale:quality:quality",
                                        "scale:intensity:intensity"}));
  }
}

TEST(Paas, MissingAnswerLeavesItsScalesOpen) {
  kindband::Answers answers = lowest();
  answers[15] = kindband::kMissing;  // item 16 (pregnancy loss): quality
  Scored s(*load("paas"), answers);
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("quality"));
  EXPECT_EQ(s.points("intensity"), 6);
}

}  // namespace
}  // namespace paas_tests
