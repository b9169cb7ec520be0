// MAAS (Condon 1993; 2015 form): 19 items, 5 options, scored 1-5 (5 = strongest attachment).
// Items printed highest-first (5,4,3,2,1): 1, 3, 5, 6, 7, 9, 10, 12, 15, 16, 18; others 1..5.
// Quality 3,6,9,10,11,12,13,15,16,19 (10-50); intensity 1,2,4,5,8,14,17,18 (8-40); item 7 counts
// in the total only (19-95). No bands: scales are reported against their range.
#include "test_support.h"

namespace maas_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

const std::vector<int> kFlipped = {1, 3, 5, 6, 7, 9, 10, 12, 15, 16, 18};

bool flipped(int item) {
  for (int f : kFlipped) {
    if (f == item) return true;
  }
  return false;
}

// Every item scores 1: last option on flipped items, first on the others.
kindband::Answers lowest() {
  kindband::Answers answers = repeat(19, 0);
  for (int item : kFlipped) answers[item - 1] = 4;
  return answers;
}

TEST(Maas, ShipsCondonsPublishedEnglishWordingVerbatim) {
  // Checked against the CamCOPS transcription of Condon's 2015 form (maas.xml).
  const auto* maas = load("maas");
  ASSERT_NE(maas, nullptr);
  ASSERT_EQ(maas->items.size(), 19u);
  for (const auto& item : maas->items) {
    EXPECT_EQ(item.text.count("en"), 1u) << item.id;
    EXPECT_EQ(item.text.count("nl"), 0u) << item.id << ": no Dutch wording is shipped";
    ASSERT_EQ(item.options.size(), 5u) << item.id;
    for (const auto& option : item.options) EXPECT_EQ(option.label.count("en"), 1u) << item.id;
  }
  EXPECT_EQ(maas->items[0].text.at("en"),
            "Over the past two weeks I have thought about, or been preoccupied with the baby "
            "inside me:");
  EXPECT_EQ(maas->items[0].options[0].label.at("en"), "Almost all the time");
  EXPECT_EQ(maas->items[0].options[0].value_hundredths, 500);  // printed highest-first (flipped)
  EXPECT_EQ(maas->items[1].options[3].label.at("en"), "Fairly strong");
  EXPECT_EQ(maas->items[11].options[0].label.at("en"),
            "I couldn\u2019t imagine I would ever feel like this");
  EXPECT_EQ(maas->items[18].text.at("en"),
            "If the pregnancy was lost at this time (due to miscarriage or other accidental "
            "event) without any pain or injury to myself, I expect I would feel:");
  EXPECT_EQ(maas->items[18].options[2].label.at("en"),
            "Neutral (i.e. neither sad nor pleased; or mixed feelings)");
  EXPECT_TRUE(maas->wording.at("en").validated);
  EXPECT_FALSE(kindband::has_wording(*maas, "nl"));
  EXPECT_TRUE(kindband::has_wording(*maas, "en"));
  EXPECT_NE(maas->licence.find("CC BY 3.0 AU"), std::string::npos);
  EXPECT_NE(maas->citation.find("hdl.handle.net/2328/35292"), std::string::npos);
}

TEST(Maas, AllFirstOptionsScore63) {
  // 11 flipped items x 5 + 8 others x 1. Quality: 7 flipped (35) + 11, 13, 19 (3) = 38;
  // intensity: 1, 5, 18 flipped (15) + 5 others (5) = 20; item 7 adds 5 to the total.
  Scored s(*load("maas"), repeat(19, 0));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 63);
  EXPECT_EQ(s.points("quality"), 38);
  EXPECT_EQ(s.points("intensity"), 20);
}

TEST(Maas, AllLastOptionsScore51) {
  Scored s(*load("maas"), repeat(19, 4));
  EXPECT_EQ(s.points("total"), 51);
  EXPECT_EQ(s.points("quality"), 22);
  EXPECT_EQ(s.points("intensity"), 28);
}

TEST(Maas, AllMinimumScores19) {
  Scored s(*load("maas"), lowest());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.points("total"), 19);
  EXPECT_EQ(s.points("quality"), 10);
  EXPECT_EQ(s.points("intensity"), 8);
}

TEST(Maas, AllMaximumScores95) {
  kindband::Answers answers = repeat(19, 4);
  for (int item : kFlipped) answers[item - 1] = 0;
  Scored s(*load("maas"), answers);
  EXPECT_EQ(s.points("total"), 95);
  EXPECT_EQ(s.points("quality"), 50);
  EXPECT_EQ(s.points("intensity"), 40);
}

TEST(Maas, ScoresFlippedItemsHighestFirst) {
  for (int item = 1; item <= 19; ++item) {
    for (int position = 0; position < 5; ++position) {
      kindband::Answers answers = lowest();
      answers[item - 1] = position;
      const int item_score = flipped(item) ? 5 - position : position + 1;
      Scored s(*load("maas"), answers);
      EXPECT_EQ(s.points("total"), 18 + item_score) << "item " << item << " position " << position;
    }
  }
}

TEST(Maas, Item7CountsInTheTotalOnly) {
  kindband::Answers answers = lowest();
  answers[6] = 0;  // item 7 scores 5
  Scored s(*load("maas"), answers);
  EXPECT_EQ(s.points("total"), 23);
  EXPECT_EQ(s.points("quality"), 10);
  EXPECT_EQ(s.points("intensity"), 8);
}

TEST(Maas, QualityAndIntensityHoldTheirPublishedItems) {
  const std::vector<int> quality = {3, 6, 9, 10, 11, 12, 13, 15, 16, 19};
  const std::vector<int> intensity = {1, 2, 4, 5, 8, 14, 17, 18};
  for (int item : quality) {
    kindband::Answers answers = lowest();
    answers[item - 1] = flipped(item) ? 0 : 4;  // scores 5
    Scored s(*load("maas"), answers);
    EXPECT_EQ(s.points("quality"), 14) << "item " << item;
    EXPECT_EQ(s.points("intensity"), 8) << "item " << item;
  }
  for (int item : intensity) {
    kindband::Answers answers = lowest();
    answers[item - 1] = flipped(item) ? 0 : 4;
    Scored s(*load("maas"), answers);
    EXPECT_EQ(s.points("intensity"), 12) << "item " << item;
    EXPECT_EQ(s.points("quality"), 10) << "item " << item;
  }
}

// The lowest score on every item but item 12 at "I couldn't imagine I would ever feel like this"
// (5): item 12's low anchors raise the urge_to_hurt rule (clinical_review_test.cpp).
kindband::Answers lowest_without_item12() {
  kindband::Answers answers = lowest();
  answers[11] = 0;
  return answers;
}

TEST(Maas, HasNoBandsAndNeverScreensPositive) {
  Scored s(*load("maas"), lowest_without_item12());
  for (const char* scale : {"total", "quality", "intensity"}) EXPECT_EQ(s.band(scale), "");
  EXPECT_FALSE(s.positive());
  EXPECT_TRUE(s.flags().empty());
  Scored all_lowest(*load("maas"), lowest());
  EXPECT_FALSE(all_lowest.positive());
  EXPECT_EQ(all_lowest.flags(), std::vector<std::string>{"urge_to_hurt"});
}

TEST(Maas, AdviceSpeaksOfEachScaleInBothLanguages) {
  Scored s(*load("maas"), lowest_without_item12());
  for (const char* lang : {"nl", "en"}) {
    EXPECT_EQ(kindband_test::advice_keys(s.result(), lang),
              (std::vector<std::string>{"scale:total:total", "scale:quality:quality",
                                        "scale:intensity:intensity"}));
  }
}

TEST(Maas, MissingAnswerLeavesItsScalesOpen) {
  kindband::Answers answers = lowest();
  answers[1] = kindband::kMissing;  // item 2: intensity
  Scored s(*load("maas"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("total"));
  EXPECT_FALSE(s.scale_complete("intensity"));
  EXPECT_EQ(s.points("quality"), 10);
}

}  // namespace
}  // namespace maas_tests
