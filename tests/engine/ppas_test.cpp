// PPAS (Condon, Corkindale & Boyce 2008; 2015 form): 19 items with 2-5 options rescaled to 1-5.
// Forward: 1, 2, 3 (5 options), 6, 17, 18, 19 (4 options). Reversed: 4, 5, 10, 12, 14 (5 options),
// 7, 9, 11, 15 (4 options), 8, 13 (2 options), 16 (3 options). Patience and tolerance
// 1,2,6,11,13,17,18,19; pleasure in interaction 4,5,8,9,10,12,15; affection and pride 3,7,14,16.
#include "test_support.h"

namespace ppas_tests {
namespace {

using kindband_test::load;
using kindband_test::Scored;

// Every item scores 1.
const kindband::Answers kLowest = {0, 0, 0, 4, 4, 0, 3, 1, 3, 4, 3, 4, 1, 4, 3, 2, 0, 0, 0};
// Every item scores 5.
const kindband::Answers kHighest = {4, 4, 4, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3};

TEST(Ppas, LoadsWithOptionCountsPerItem) {
  const auto* ppas = load("ppas");
  ASSERT_NE(ppas, nullptr);
  ASSERT_EQ(ppas->items.size(), 19u);
  const size_t counts[19] = {5, 5, 5, 5, 5, 4, 4, 2, 4, 5, 4, 5, 2, 5, 4, 3, 4, 4, 4};
  for (size_t i = 0; i < 19; ++i) {
    EXPECT_EQ(ppas->items[i].options.size(), counts[i]) << "item " << i + 1;
  }
}

TEST(Ppas, AllMinimumScores19) {
  Scored s(*load("ppas"), kLowest);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.hundredths("total"), 1900);
  EXPECT_EQ(s.hundredths("patience_tolerance"), 800);
  EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 700);
  EXPECT_EQ(s.hundredths("affection_pride"), 400);
}

TEST(Ppas, AllMaximumScores95) {
  Scored s(*load("ppas"), kHighest);
  EXPECT_EQ(s.hundredths("total"), 9500);
  EXPECT_EQ(s.hundredths("patience_tolerance"), 4000);
  EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 3500);
  EXPECT_EQ(s.hundredths("affection_pride"), 2000);
}

TEST(Ppas, AllFirstOptionsScore67) {
  // Forward items 1, 2, 3, 6, 17, 18, 19 score 1 (7); the 12 reversed items score 5 (60).
  // Patience 1,2,6,17,18,19 (6) + 11, 13 (10) = 16; pleasure all reversed = 35;
  // affection 3 (1) + 7, 14, 16 (15) = 16.
  Scored s(*load("ppas"), kindband::Answers(19, 0));
  EXPECT_EQ(s.hundredths("total"), 6700);
  EXPECT_EQ(s.hundredths("patience_tolerance"), 1600);
  EXPECT_EQ(s.hundredths("pleasure_in_interaction"), 3500);
  EXPECT_EQ(s.hundredths("affection_pride"), 1600);
}

TEST(Ppas, ReversesEachReversedItem) {
  struct Reversed {
    int item;
    std::vector<int> scores;  // hundredths in printed order
  };
  const std::vector<Reversed> reversed = {
      {4, {500, 400, 300, 200, 100}},
      {5, {500, 400, 300, 200, 100}},
      {7, {500, 367, 233, 100}},
      {8, {500, 100}},
      {9, {500, 367, 233, 100}},
      {10, {500, 400, 300, 200, 100}},
      {11, {500, 367, 233, 100}},
      {12, {500, 400, 300, 200, 100}},
      {13, {500, 100}},
      {14, {500, 400, 300, 200, 100}},
      {15, {500, 367, 233, 100}},
      {16, {500, 300, 100}},
  };
  for (const auto& r : reversed) {
    for (size_t position = 0; position < r.scores.size(); ++position) {
      kindband::Answers answers = kLowest;
      answers[r.item - 1] = static_cast<int>(position);
      Scored s(*load("ppas"), answers);
      EXPECT_EQ(s.hundredths("total"), 1800 + r.scores[position])
          << "item " << r.item << " position " << position;
    }
  }
}

TEST(Ppas, ForwardFourOptionItemsRescale) {
  for (int item : {6, 17, 18, 19}) {
    const int expected[4] = {100, 233, 367, 500};
    for (int position = 0; position < 4; ++position) {
      kindband::Answers answers = kLowest;
      answers[item - 1] = position;
      EXPECT_EQ(Scored(*load("ppas"), answers).hundredths("patience_tolerance"),
                700 + expected[position])
          << "item " << item;
    }
  }
}

TEST(Ppas, HasNoBandsAndAdviceForEachScale) {
  Scored s(*load("ppas"), kLowest);
  EXPECT_FALSE(s.positive());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_EQ(
      kindband_test::advice_keys(s.result(), "en"),
      (std::vector<std::string>{"scale:total:total", "scale:patience_tolerance:patience_tolerance",
                                "scale:pleasure_in_interaction:pleasure_in_interaction",
                                "scale:affection_pride:affection_pride"}));
}

TEST(Ppas, MissingAnswerLeavesItsScalesOpen) {
  kindband::Answers answers = kLowest;
  answers[15] = kindband::kMissing;  // item 16: affection and pride
  Scored s(*load("ppas"), answers);
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("affection_pride"));
  EXPECT_EQ(s.hundredths("patience_tolerance"), 800);
}

}  // namespace
}  // namespace ppas_tests
