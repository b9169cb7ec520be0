// PBQ (Brockington 2001; 2006 item order). Options in printed order: Always, Very often, Quite
// often, Sometimes, Rarely, Never. Positively worded items 1, 4, 8, 9, 11, 16, 22, 25 score
// Always=0 ... Never=5; all others Always=5 ... Never=0. Scales: impaired bonding
// 1,2,6,7,8,9,10,12,13,15,16,17 (0-60); rejection and anger 3,4,5,11,14,21,23 (0-35);
// infant-focused anxiety 19,20,22,25 (0-20); incipient abuse 18,24 (0-10). Total 0-125.
// Rejection and anger >= 13 is high (Brockington 2006). Any incipient-abuse score raises a flag.
#include <algorithm>

#include "test_support.h"

namespace pbq_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

constexpr int kAlways = 0;
constexpr int kVeryOften = 1;
constexpr int kQuiteOften = 2;
constexpr int kSometimes = 3;
constexpr int kRarely = 4;
constexpr int kNever = 5;
constexpr int kMissing = kindband::kMissing;

const std::vector<int> kPositivelyWorded = {1, 4, 8, 9, 11, 16, 22, 25};

// Every item scores 0: Always on positively worded items, Never on the others.
kindband::Answers lowest() {
  kindband::Answers answers = repeat(25, kNever);
  for (int item : kPositivelyWorded) answers[item - 1] = kAlways;
  return answers;
}

// Every item scores 5.
kindband::Answers highest() {
  kindband::Answers answers = repeat(25, kAlways);
  for (int item : kPositivelyWorded) answers[item - 1] = kNever;
  return answers;
}

// lowest() with some items (1-based) set to a position.
kindband::Answers lowest_with(std::initializer_list<std::pair<int, int>> changes) {
  kindband::Answers answers = lowest();
  for (const auto& [item, position] : changes) answers[item - 1] = position;
  return answers;
}

TEST(Pbq, LoadsThe2006VersionWithSixOptionsPerItem) {
  const auto* pbq = load("pbq");
  ASSERT_NE(pbq, nullptr);
  EXPECT_EQ(pbq->version, "2006");
  ASSERT_EQ(pbq->items.size(), 25u);
  for (const auto& item : pbq->items) {
    ASSERT_EQ(item.options.size(), 6u) << item.id;
    EXPECT_EQ(item.options[0].label.at("en"), "Always");
    EXPECT_EQ(item.options[5].label.at("en"), "Never");
  }
}

TEST(Pbq, AllAlwaysScores85) {
  // 17 negatively worded items x 5. Scales: bonding 8 x 5, rejection 5 x 5, anxiety 2 x 5,
  // abuse 2 x 5.
  Scored s(*load("pbq"), repeat(25, kAlways));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 85);
  EXPECT_EQ(s.points("impaired_bonding"), 40);
  EXPECT_EQ(s.points("rejection_anger"), 25);
  EXPECT_EQ(s.points("infant_anxiety"), 10);
  EXPECT_EQ(s.points("incipient_abuse"), 10);
}

TEST(Pbq, AllNeverScores40) {
  // 8 positively worded items x 5: bonding has 1, 8, 9, 16; rejection 4, 11; anxiety 22, 25.
  Scored s(*load("pbq"), repeat(25, kNever));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 40);
  EXPECT_EQ(s.points("impaired_bonding"), 20);
  EXPECT_EQ(s.points("rejection_anger"), 10);
  EXPECT_EQ(s.points("infant_anxiety"), 10);
  EXPECT_EQ(s.points("incipient_abuse"), 0);
  EXPECT_TRUE(s.flags().empty());
}

TEST(Pbq, AllMinimumScoresZero) {
  Scored s(*load("pbq"), lowest());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.points("total"), 0);
  for (const char* scale :
       {"impaired_bonding", "rejection_anger", "infant_anxiety", "incipient_abuse"}) {
    EXPECT_EQ(s.points(scale), 0) << scale;
  }
  EXPECT_EQ(s.band("rejection_anger"), "rejection_anger_low");
  EXPECT_EQ(s.band("total"), "total_low");
  EXPECT_FALSE(s.positive());
  EXPECT_TRUE(s.flags().empty());
}

TEST(Pbq, AllMaximumScores125) {
  Scored s(*load("pbq"), highest());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 125);
  EXPECT_EQ(s.points("impaired_bonding"), 60);
  EXPECT_EQ(s.points("rejection_anger"), 35);
  EXPECT_EQ(s.points("infant_anxiety"), 20);
  EXPECT_EQ(s.points("incipient_abuse"), 10);
  EXPECT_EQ(s.band("rejection_anger"), "rejection_anger_high");
  EXPECT_TRUE(s.positive());
  EXPECT_EQ(s.flags(), std::vector<std::string>{"incipient_abuse"});
}

TEST(Pbq, ReversesPositivelyWordedItems) {
  // Always=0, Very often=1, Quite often=2, Sometimes=3, Rarely=4, Never=5.
  for (int item : kPositivelyWorded) {
    for (int position = kAlways; position <= kNever; ++position) {
      Scored s(*load("pbq"), lowest_with({{item, position}}));
      EXPECT_EQ(s.points("total"), position) << "item " << item << " position " << position;
    }
  }
}

TEST(Pbq, ScoresNegativelyWordedItemsAlwaysFive) {
  // Always=5, Very often=4, Quite often=3, Sometimes=2, Rarely=1, Never=0.
  const int expected[6] = {5, 4, 3, 2, 1, 0};
  for (int item = 1; item <= 25; ++item) {
    if (std::find(kPositivelyWorded.begin(), kPositivelyWorded.end(), item) !=
        kPositivelyWorded.end()) {
      continue;
    }
    for (int position = kAlways; position <= kNever; ++position) {
      Scored s(*load("pbq"), lowest_with({{item, position}}));
      EXPECT_EQ(s.points("total"), expected[position])
          << "item " << item << " position " << position;
    }
  }
}

TEST(Pbq, EachItemCountsInItsPublishedScale) {
  const std::vector<std::pair<const char*, std::vector<int>>> scales = {
      {"impaired_bonding", {1, 2, 6, 7, 8, 9, 10, 12, 13, 15, 16, 17}},
      {"rejection_anger", {3, 4, 5, 11, 14, 21, 23}},
      {"infant_anxiety", {19, 20, 22, 25}},
      {"incipient_abuse", {18, 24}},
  };
  for (const auto& [scale, items] : scales) {
    for (int item : items) {
      const bool positive = std::find(kPositivelyWorded.begin(), kPositivelyWorded.end(), item) !=
                            kPositivelyWorded.end();
      // The score-5 answer: Never on positively worded items, Always on the others.
      Scored s(*load("pbq"), lowest_with({{item, positive ? kNever : kAlways}}));
      EXPECT_EQ(s.points(scale), 5) << scale << " item " << item;
      EXPECT_EQ(s.points("total"), 5) << "item " << item;
    }
  }
}

TEST(Pbq, RejectionAndAngerIsHighFrom13) {
  // Item 3 Always (5) + item 5 Always (5) + item 14 Sometimes (2) = 12; Quite often (3) = 13.
  Scored twelve(*load("pbq"), lowest_with({{3, kAlways}, {5, kAlways}, {14, kSometimes}}));
  Scored thirteen(*load("pbq"), lowest_with({{3, kAlways}, {5, kAlways}, {14, kQuiteOften}}));
  EXPECT_EQ(twelve.points("rejection_anger"), 12);
  EXPECT_EQ(twelve.band("rejection_anger"), "rejection_anger_low");
  EXPECT_FALSE(twelve.positive());
  EXPECT_EQ(thirteen.points("rejection_anger"), 13);
  EXPECT_EQ(thirteen.band("rejection_anger"), "rejection_anger_high");
  EXPECT_EQ(thirteen.band_set("rejection_anger"), "brockington2006");
  EXPECT_TRUE(thirteen.band_set_verified("rejection_anger"));
  EXPECT_TRUE(thirteen.positive());
  EXPECT_EQ(thirteen.band("total"), "total_low");  // total 13 < 26
}

TEST(Pbq, ImpairedBondingUnverifiedCutOffIs12) {
  // Items 2 and 6 Always (5 + 5) + item 7 Rarely (1) = 11; Sometimes (2) = 12.
  Scored eleven(*load("pbq"), lowest_with({{2, kAlways}, {6, kAlways}, {7, kRarely}}));
  Scored twelve(*load("pbq"), lowest_with({{2, kAlways}, {6, kAlways}, {7, kSometimes}}));
  EXPECT_EQ(eleven.points("impaired_bonding"), 11);
  EXPECT_EQ(eleven.band("impaired_bonding"), "impaired_bonding_low");
  EXPECT_EQ(twelve.points("impaired_bonding"), 12);
  EXPECT_EQ(twelve.band("impaired_bonding"), "impaired_bonding_high");
  EXPECT_FALSE(twelve.band_set_verified("impaired_bonding"));
}

TEST(Pbq, InfantAnxietyUnverifiedCutOffIs10) {
  // Item 19 Always (5) + item 20 Very often (4) = 9; Always (5) = 10.
  Scored nine(*load("pbq"), lowest_with({{19, kAlways}, {20, kVeryOften}}));
  Scored ten(*load("pbq"), lowest_with({{19, kAlways}, {20, kAlways}}));
  EXPECT_EQ(nine.points("infant_anxiety"), 9);
  EXPECT_EQ(nine.band("infant_anxiety"), "infant_anxiety_low");
  EXPECT_EQ(ten.points("infant_anxiety"), 10);
  EXPECT_EQ(ten.band("infant_anxiety"), "infant_anxiety_high");
  EXPECT_FALSE(ten.band_set_verified("infant_anxiety"));
}

TEST(Pbq, TotalUnverifiedCutOffIs26) {
  // Items 2, 6, 7, 10, 12 Always = 25; item 13 Rarely adds 1.
  Scored s25(*load("pbq"),
             lowest_with({{2, kAlways}, {6, kAlways}, {7, kAlways}, {10, kAlways}, {12, kAlways}}));
  Scored s26(
      *load("pbq"),
      lowest_with(
          {{2, kAlways}, {6, kAlways}, {7, kAlways}, {10, kAlways}, {12, kAlways}, {13, kRarely}}));
  EXPECT_EQ(s25.points("total"), 25);
  EXPECT_EQ(s25.band("total"), "total_low");
  EXPECT_EQ(s26.points("total"), 26);
  EXPECT_EQ(s26.band("total"), "total_raised");
  EXPECT_FALSE(s26.band_set_verified("total"));
}

TEST(Pbq, IncipientAbuseHasNoBandButAnyScoreRaisesTheFlag) {
  Scored item18(*load("pbq"), lowest_with({{18, kRarely}}));     // scores 1
  Scored item24(*load("pbq"), lowest_with({{24, kSometimes}}));  // scores 2
  EXPECT_EQ(item18.points("incipient_abuse"), 1);
  EXPECT_EQ(item18.band("incipient_abuse"), "");
  EXPECT_EQ(item18.flags(), std::vector<std::string>{"incipient_abuse"});
  EXPECT_EQ(item24.points("incipient_abuse"), 2);
  EXPECT_EQ(item24.flags(), std::vector<std::string>{"incipient_abuse"});
  Scored never(*load("pbq"), lowest_with({{18, kNever}, {24, kNever}}));
  EXPECT_TRUE(never.flags().empty());
}

TEST(Pbq, IncipientAbuseFiresOnAnsweredItemsWhenTheRestIsMissing) {
  kindband::Answers answers = repeat(25, kMissing);
  answers[17] = kVeryOften;  // item 18 scores 4
  Scored s(*load("pbq"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("incipient_abuse"));
  EXPECT_EQ(s.band("total"), "");
  EXPECT_EQ(s.flags(), std::vector<std::string>{"incipient_abuse"});
}

TEST(Pbq, MissingAnswerLeavesOnlyItsScalesOpen) {
  kindband::Answers answers = highest();
  answers[0] = kMissing;  // item 1 belongs to impaired bonding
  Scored s(*load("pbq"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.missing(), std::vector<std::string>{"1"});
  EXPECT_FALSE(s.scale_complete("total"));
  EXPECT_FALSE(s.scale_complete("impaired_bonding"));
  EXPECT_EQ(s.band("impaired_bonding"), "");
  EXPECT_EQ(s.points("rejection_anger"), 35);
  EXPECT_EQ(s.band("rejection_anger"), "rejection_anger_high");
  EXPECT_EQ(s.flags(), std::vector<std::string>{"incipient_abuse"});
}

TEST(Pbq, IncipientAbuseAdviceIsUrgentAndNamesEmergencyNumbers) {
  Scored s(*load("pbq"), lowest_with({{24, kRarely}}));
  for (const char* lang : {"nl", "en"}) {
    kindband::Advice advice;
    kindband::Error error;
    ASSERT_TRUE(kindband::advise(s.result(), lang, &advice, &error));
    ASSERT_FALSE(advice.entries.empty());
    EXPECT_EQ(advice.entries[0].id, "incipient_abuse");
    EXPECT_TRUE(advice.entries[0].urgent);
    std::string steps;
    for (const auto& step : advice.entries[0].text.steps) steps += step + " ";
    EXPECT_NE(steps.find("112"), std::string::npos) << lang;
    EXPECT_NE(steps.find("huisartsenpost"), std::string::npos) << lang;
  }
}

TEST(Pbq, ShipsThePublishedEnglishWordingIn2006ItemOrder) {
  // Checked against the CamCOPS transcription (pbq.xml, Brockington 2006 order).
  const auto* pbq = load("pbq");
  ASSERT_NE(pbq, nullptr);
  for (const auto& item : pbq->items) {
    EXPECT_EQ(item.text.count("en"), 1u) << item.id;
    EXPECT_EQ(item.text.count("nl"), 0u) << item.id << ": no Dutch item wording is shipped";
  }
  EXPECT_EQ(pbq->items[0].text.at("en"), "I feel close to my baby");
  EXPECT_EQ(pbq->items[9].text.at("en"), "My baby irritates me");  // item 8 in the 2001 order
  EXPECT_EQ(pbq->items[17].text.at("en"), "I have done harmful things to my baby");
  EXPECT_EQ(pbq->items[19].text.at("en"), "I am afraid of my baby");
  EXPECT_EQ(pbq->items[21].text.at("en"), "I feel confident when changing my baby");
  EXPECT_EQ(pbq->items[23].text.at("en"), "I feel like hurting my baby");
  EXPECT_EQ(pbq->items[24].text.at("en"), "My baby is easily comforted");
  EXPECT_TRUE(pbq->wording.at("en").validated);
  EXPECT_TRUE(kindband::has_wording(*pbq, "en"));
  EXPECT_FALSE(kindband::has_wording(*pbq, "nl"));
}

}  // namespace
}  // namespace pbq_tests
