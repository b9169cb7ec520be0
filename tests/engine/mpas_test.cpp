// MPAS (Condon & Corkindale 1998; 2015 form): 19 items with 2-5 options, rescaled so each item
// scores 1-5: 2 options 1/5, 3 options 1/3/5, 4 options 1/2.33/3.67/5, 5 options 1-5. Reversed
// (printed highest-first): 7, 8, 9, 10, 11, 12, 13, 14. Option counts: 5 on 1, 2, 3, 9, 11, 13;
// 4 on 4, 5, 6, 7, 10, 15-19; 2 on 8, 12; 3 on 14. Quality 3,4,5,6,7,10,14,18,19; absence of
// hostility 1,2,15,16,17; pleasure in interaction 8,9,11,12,13. Scores are in hundredths.
#include "test_support.h"

namespace mpas_tests {
namespace {

using kindband_test::load;
using kindband_test::Scored;

// Every item scores 1 (1.00): first option on forward items, last option on reversed items.
const kindband::Answers kLowest = {0, 0, 0, 0, 0, 0, 3, 1, 4, 3, 4, 1, 4, 2, 0, 0, 0, 0, 0};
// Every item scores 5.
const kindband::Answers kHighest = {4, 4, 4, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3};

TEST(Mpas, LoadsWithPublishedOptionCounts) {
  const auto* mpas = load("mpas");
  ASSERT_NE(mpas, nullptr);
  ASSERT_EQ(mpas->items.size(), 19u);
  const size_t counts[19] = {5, 5, 5, 4, 4, 4, 4, 2, 5, 4, 5, 2, 5, 3, 4, 4, 4, 4, 4};
  for (size_t i = 0; i < 19; ++i) {
    EXPECT_EQ(mpas->items[i].options.size(), counts[i]) << "item " << i + 1;
    EXPECT_TRUE(mpas->items[i].text.empty()) << "item " << i + 1;
  }
}

TEST(Mpas, AllMinimumScores19) {
  Scored s(*load("mpas"), kLowest);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.hundredths("total"), 1900);
  EXPECT_EQ(s.hundredths("quality"), 900);
  EXPECT_EQ(s.hundredths("absence_of_hostility"), 500);
  EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 500);
}

TEST(Mpas, AllMaximumScores95) {
  Scored s(*load("mpas"), kHighest);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.hundredths("total"), 9500);
  EXPECT_EQ(s.hundredths("quality"), 4500);
  EXPECT_EQ(s.hundredths("absence_of_hostility"), 2500);
  EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 2500);
}

TEST(Mpas, AllFirstOptionsScore51) {
  // Items 1-6 and 15-19 score 1 (11), the reversed items 7-14 score 5 (40).
  // Quality 3,4,5,6,18,19 = 6 + 7,10,14 = 15 -> 21; hostility 5; pleasure 25.
  Scored s(*load("mpas"), kindband::Answers(19, 0));
  EXPECT_EQ(s.hundredths("total"), 5100);
  EXPECT_EQ(s.hundredths("quality"), 2100);
  EXPECT_EQ(s.hundredths("absence_of_hostility"), 500);
  EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 2500);
}

TEST(Mpas, RescalesFourOptionItemsTo233And367) {
  kindband::Answers answers = kLowest;
  answers[3] = 1;  // item 4, second option: 2.33
  EXPECT_EQ(Scored(*load("mpas"), answers).hundredths("total"), 1900 - 100 + 233);
  answers[3] = 2;  // third option: 3.67
  EXPECT_EQ(Scored(*load("mpas"), answers).hundredths("total"), 1900 - 100 + 367);
}

TEST(Mpas, ReversesFourOptionItems7And10) {
  // Printed order scores 5, 3.67, 2.33, 1.
  const int expected[4] = {500, 367, 233, 100};
  for (int item : {7, 10}) {
    for (int position = 0; position < 4; ++position) {
      kindband::Answers answers = kLowest;
      answers[item - 1] = position;
      Scored s(*load("mpas"), answers);
      EXPECT_EQ(s.hundredths("quality"), 800 + expected[position])
          << "item " << item << " position " << position;
    }
  }
}

TEST(Mpas, ReversesTwoOptionItems8And12) {
  for (int item : {8, 12}) {
    kindband::Answers answers = kLowest;
    answers[item - 1] = 0;  // first option scores 5
    EXPECT_EQ(Scored(*load("mpas"), answers).hundredths("pleasure_in_interaction"), 900);
    answers[item - 1] = 1;  // second option scores 1
    EXPECT_EQ(Scored(*load("mpas"), answers).hundredths("pleasure_in_interaction"), 500);
  }
}

TEST(Mpas, ReversesFiveOptionItems9_11_13) {
  for (int item : {9, 11, 13}) {
    for (int position = 0; position < 5; ++position) {
      kindband::Answers answers = kLowest;
      answers[item - 1] = position;
      Scored s(*load("mpas"), answers);
      EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 400 + (5 - position) * 100)
          << "item " << item << " position " << position;
    }
  }
}

TEST(Mpas, ReversesThreeOptionItem14) {
  const int expected[3] = {500, 300, 100};
  for (int position = 0; position < 3; ++position) {
    kindband::Answers answers = kLowest;
    answers[13] = position;
    EXPECT_EQ(Scored(*load("mpas"), answers).hundredths("quality"), 800 + expected[position]);
  }
}

TEST(Mpas, ForwardItemsScoreLowestFirst) {
  // Five-option items 1, 2 (hostility) and 3 (quality); four-option 15, 16, 17 (hostility).
  kindband::Answers answers = kLowest;
  answers[0] = 4;   // 5
  answers[1] = 2;   // 3
  answers[14] = 3;  // 5
  answers[15] = 1;  // 2.33
  answers[16] = 2;  // 3.67
  Scored s(*load("mpas"), answers);
  EXPECT_EQ(s.hundredths("absence_of_hostility"), 500 + 300 + 500 + 233 + 367);
}

TEST(Mpas, SumsRescaledValuesExactlyInHundredths) {
  // Items 4, 5, 6 at 2.33 each: 19 - 3 + 6.99 = 22.99, exactly.
  kindband::Answers answers = kLowest;
  answers[3] = answers[4] = answers[5] = 1;
  Scored s(*load("mpas"), answers);
  EXPECT_EQ(s.hundredths("total"), 2299);
  EXPECT_EQ(s.hundredths("quality"), 1299);
  EXPECT_EQ(kindband::format_hundredths(s.hundredths("total")), "22.99");
}

TEST(Mpas, RejectsAThirdOptionOnATwoOptionItem) {
  kindband::Answers answers = kLowest;
  answers[7] = 2;
  Scored s(*load("mpas"), answers);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error().pointer, "/answers/7");
}

TEST(Mpas, HasNoBandsAndAdviceForEachScale) {
  Scored s(*load("mpas"), kHighest);
  EXPECT_EQ(s.band("total"), "");
  EXPECT_FALSE(s.positive());
  EXPECT_EQ(kindband_test::advice_keys(s.result(), "nl"),
            (std::vector<std::string>{"scale:total:total", "scale:quality:quality",
                                      "scale:absence_of_hostility:absence_of_hostility",
                                      "scale:pleasure_in_interaction:pleasure_in_interaction"}));
}

TEST(Mpas, MissingAnswerLeavesItsScalesOpen) {
  kindband::Answers answers = kHighest;
  answers[7] = kindband::kMissing;  // item 8: pleasure in interaction
  Scored s(*load("mpas"), answers);
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("pleasure_in_interaction"));
  EXPECT_EQ(s.hundredths("quality"), 4500);
}

}  // namespace
}  // namespace mpas_tests
