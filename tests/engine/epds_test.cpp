// EPDS (Cox, Holden & Sagovsky 1987), scoring key only. Items 1, 2, 4 score 0,1,2,3 top to
// bottom; items 3 and 5-10 score 3,2,1,0. Total 0-30; anxiety subscale EPDS-3A = items 3+4+5.
// Total cut-offs depend on the context (first matching band set):
//   mother, pregnancy, week 0-13: >= 11 (Bergink 2011); mother, pregnancy, week 14-42: >= 10
//   (Bergink 2011); partner: > 10 (Edmondson 2010); otherwise Cox 1987: 10-12 possible, 13+
//   probable. Item 10 >= 1 raises self_harm.
// Answers below are option positions; the comment beside each gives the item scores.
#include "test_support.h"

namespace epds_tests {
namespace {

using kindband_test::context;
using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

constexpr int kMissing = kindband::kMissing;

// Scores 0 on every item: position 0 on items 1, 2, 4, position 3 on the reversed items.
const kindband::Answers kLowest = {0, 0, 3, 0, 3, 3, 3, 3, 3, 3};
// Scores 3 on every item.
const kindband::Answers kHighest = {3, 3, 0, 3, 0, 0, 0, 0, 0, 0};

// Totals around every cut-off, all with item 10 scoring 0.
// Scores: items 1, 2, 4 = 3 each (9), item 6 adds 0..3, item 7 adds 1 for 13.
const kindband::Answers kTotal9 = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
const kindband::Answers kTotal10 = {3, 3, 3, 3, 3, 2, 3, 3, 3, 3};
const kindband::Answers kTotal11 = {3, 3, 3, 3, 3, 1, 3, 3, 3, 3};
const kindband::Answers kTotal12 = {3, 3, 3, 3, 3, 0, 3, 3, 3, 3};
const kindband::Answers kTotal13 = {3, 3, 3, 3, 3, 0, 2, 3, 3, 3};

TEST(Epds, LoadsAsScoringKeyWithoutItemWording) {
  const auto* epds = load("epds");
  ASSERT_NE(epds, nullptr);
  ASSERT_EQ(epds->items.size(), 10u);
  for (const auto& item : epds->items) {
    EXPECT_TRUE(item.text.empty()) << "EPDS item " << item.id << " must not ship wording";
    ASSERT_EQ(item.options.size(), 4u);
    for (const auto& option : item.options) EXPECT_TRUE(option.label.empty());
  }
  EXPECT_TRUE(epds->period.empty());
  EXPECT_FALSE(epds->wording.at("nl").validated);
  EXPECT_FALSE(epds->wording.at("en").validated);
  EXPECT_NE(epds->licence.find("Royal College of Psychiatrists"), std::string::npos);
}

TEST(Epds, AllFirstOptionsScore21AndRaiseSelfHarm) {
  // Items 1, 2, 4 score 0; the seven reversed items score 3 each.
  Scored s(*load("epds"), repeat(10, 0));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 21);
  EXPECT_EQ(s.points("anxiety"), 6);  // 3 + 0 + 3
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
}

TEST(Epds, AllLastOptionsScore9WithoutSelfHarm) {
  // Items 1, 2, 4 score 3 each; the reversed items score 0.
  Scored s(*load("epds"), repeat(10, 3));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 9);
  EXPECT_EQ(s.points("anxiety"), 3);  // 0 + 3 + 0
  EXPECT_TRUE(s.flags().empty());
}

TEST(Epds, AllMinimumScoresZero) {
  Scored s(*load("epds"), kLowest);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.points("anxiety"), 0);
  EXPECT_EQ(s.band("total"), "below_threshold");
  EXPECT_EQ(s.band("anxiety"), "anxiety_low");
  EXPECT_FALSE(s.positive());
  EXPECT_TRUE(s.flags().empty());
}

TEST(Epds, AllMaximumScores30) {
  Scored s(*load("epds"), kHighest);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 30);
  EXPECT_EQ(s.points("anxiety"), 9);
  EXPECT_EQ(s.band("total"), "probable");
  EXPECT_EQ(s.band("anxiety"), "anxiety_raised");
  EXPECT_TRUE(s.positive());
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
}

TEST(Epds, ScoresItems1_2_4TopToBottom) {
  for (int item : {0, 1, 3}) {
    for (int position = 0; position < 4; ++position) {
      kindband::Answers answers = kLowest;
      answers[item] = position;
      Scored s(*load("epds"), answers);
      EXPECT_EQ(s.points("total"), position) << "item " << item + 1;
    }
  }
}

TEST(Epds, ReversesItems3And5To10) {
  // Printed order scores 3, 2, 1, 0.
  for (int item : {2, 4, 5, 6, 7, 8, 9}) {
    const int expected[4] = {3, 2, 1, 0};
    for (int position = 0; position < 4; ++position) {
      kindband::Answers answers = kLowest;
      answers[item] = position;
      Scored s(*load("epds"), answers);
      EXPECT_EQ(s.points("total"), expected[position])
          << "item " << item + 1 << " position " << position;
    }
  }
}

TEST(Epds, AnxietySubscaleSumsItems3To5Only) {
  // Item 3 scores 3 (position 0), item 4 scores 1 (position 1), item 5 scores 2 (position 1),
  // item 6 scores 3 (position 0): anxiety 6, total 9.
  Scored s(*load("epds"), {0, 0, 0, 1, 1, 0, 3, 3, 3, 3});
  EXPECT_EQ(s.points("anxiety"), 6);
  EXPECT_EQ(s.points("total"), 9);
}

TEST(Epds, AnxietySubscaleCutOffIsFiveOrMore) {
  // Anxiety 4: item 3 scores 3, item 4 scores 1. Anxiety 5: item 4 scores 2.
  // Smith-Nielsen's group: mothers 2-11 months after the birth.
  const auto ctx = context("mother", "postpartum", 20);
  Scored four(*load("epds"), {0, 0, 0, 1, 3, 3, 3, 3, 3, 3}, ctx);
  Scored five(*load("epds"), {0, 0, 0, 2, 3, 3, 3, 3, 3, 3}, ctx);
  EXPECT_EQ(four.points("anxiety"), 4);
  EXPECT_EQ(four.band("anxiety"), "anxiety_low");
  EXPECT_EQ(five.points("anxiety"), 5);
  EXPECT_EQ(five.band("anxiety"), "anxiety_raised");
  EXPECT_EQ(five.band_set("anxiety"), "smith_nielsen2021");
  EXPECT_TRUE(five.band_positive("anxiety"));
}

TEST(Epds, FirstTrimesterMotherUsesBergink11) {
  for (int week : {0, 13}) {
    const auto ctx = context("mother", "pregnancy", week);
    Scored ten(*load("epds"), kTotal10, ctx);
    Scored eleven(*load("epds"), kTotal11, ctx);
    EXPECT_EQ(ten.points("total"), 10);
    EXPECT_EQ(ten.band_set("total"), "bergink2011_trimester1") << "week " << week;
    EXPECT_EQ(ten.band("total"), "negative") << "week " << week;
    EXPECT_FALSE(ten.positive());
    EXPECT_EQ(eleven.points("total"), 11);
    EXPECT_EQ(eleven.band("total"), "positive") << "week " << week;
    EXPECT_TRUE(eleven.positive());
  }
}

TEST(Epds, SecondAndThirdTrimesterMotherUsesBergink10) {
  for (int week : {14, 28, 42}) {
    const auto ctx = context("mother", "pregnancy", week);
    Scored nine(*load("epds"), kTotal9, ctx);
    Scored ten(*load("epds"), kTotal10, ctx);
    EXPECT_EQ(nine.band_set("total"), "bergink2011_trimester2_3") << "week " << week;
    EXPECT_EQ(nine.band("total"), "negative") << "week " << week;
    EXPECT_EQ(ten.band("total"), "positive") << "week " << week;
    EXPECT_TRUE(ten.positive());
  }
}

TEST(Epds, PartnerUsesEdmondsonMoreThan10InEveryStage) {
  // Verified only around Edmondson's time point (about 7 weeks after the birth: weeks 4-12);
  // elsewhere the same cut-off is shown, marked unverified, and never makes the result positive.
  for (const auto& ctx : {context("partner", "pregnancy", 20), context("partner", "postpartum", 6),
                          context("partner", "postpartum", 30), context("partner", "")}) {
    const bool in_window = ctx.stage == "postpartum" && ctx.week == 6;
    Scored ten(*load("epds"), kTotal10, ctx);
    Scored eleven(*load("epds"), kTotal11, ctx);
    EXPECT_EQ(ten.band_set("total"),
              in_window ? "edmondson2010_partner" : "edmondson2010_partner_extrapolated");
    EXPECT_EQ(ten.band_set_verified("total"), in_window);
    EXPECT_EQ(ten.band("total"), "negative");
    EXPECT_FALSE(ten.positive());
    EXPECT_EQ(eleven.band("total"), "positive");
    EXPECT_EQ(eleven.positive(), in_window);
  }
}

TEST(Epds, PostpartumMotherUsesCox1987) {
  const auto ctx = context("mother", "postpartum", 6);
  Scored nine(*load("epds"), kTotal9, ctx);
  Scored ten(*load("epds"), kTotal10, ctx);
  Scored twelve(*load("epds"), kTotal12, ctx);
  Scored thirteen(*load("epds"), kTotal13, ctx);
  EXPECT_EQ(nine.band_set("total"), "cox1987");
  EXPECT_EQ(nine.band("total"), "below_threshold");
  EXPECT_FALSE(nine.positive());
  EXPECT_EQ(ten.band("total"), "possible");
  EXPECT_TRUE(ten.positive());
  EXPECT_EQ(twelve.points("total"), 12);
  EXPECT_EQ(twelve.band("total"), "possible");
  EXPECT_EQ(thirteen.points("total"), 13);
  EXPECT_EQ(thirteen.band("total"), "probable");
  EXPECT_TRUE(thirteen.positive());
}

TEST(Epds, UnknownContextUsesCox1987) {
  Scored nine(*load("epds"), kTotal9);
  Scored ten(*load("epds"), kTotal10);
  Scored thirteen(*load("epds"), kTotal13);
  EXPECT_EQ(nine.band_set("total"), "cox1987");
  EXPECT_EQ(nine.band("total"), "below_threshold");
  EXPECT_EQ(ten.band("total"), "possible");
  EXPECT_EQ(thirteen.band("total"), "probable");
}

TEST(Epds, PregnantMotherWithoutWeekFallsBackToCox1987) {
  // Bergink's sets need the week; an eleven in unknown week is "possible" by Cox.
  Scored s(*load("epds"), kTotal11, context("mother", "pregnancy"));
  EXPECT_EQ(s.band_set("total"), "cox1987");
  EXPECT_EQ(s.band("total"), "possible");
}

TEST(Epds, PregnancyBeyondWeek42FallsBackToCox1987) {
  Scored s(*load("epds"), kTotal10, context("mother", "pregnancy", 43));
  EXPECT_EQ(s.band_set("total"), "cox1987");
  EXPECT_EQ(s.band("total"), "possible");
}

TEST(Epds, EveryBandSetIsVerifiedExceptTheExtrapolations) {
  // The UNVERIFIED Dutch postpartum cut-off (Pop 1992) is deliberately not included. A published
  // cut-off used outside the group it was validated in is marked unverified (issue 25).
  const auto* epds = load("epds");
  ASSERT_NE(epds, nullptr);
  for (const auto& scale : epds->scales) {
    for (const auto& set : scale.band_sets) {
      const bool extrapolated = set.id.find("_extrapolated") != std::string::npos;
      EXPECT_EQ(set.verified, !extrapolated) << set.id;
      EXPECT_FALSE(set.source.empty()) << set.id;
    }
  }
}

TEST(Epds, AnyScoreOnItem10RaisesSelfHarm) {
  // Item 10 is reversed: positions 0, 1, 2 score 3, 2, 1; position 3 scores 0.
  for (int position = 0; position < 3; ++position) {
    kindband::Answers answers = kLowest;
    answers[9] = position;
    Scored s(*load("epds"), answers);
    EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"}) << "position " << position;
    EXPECT_EQ(s.band("total"), "below_threshold");
  }
  Scored none(*load("epds"), kLowest);
  EXPECT_TRUE(none.flags().empty());
}

TEST(Epds, MissingAnswerGivesNoBandButSafetyStillFires) {
  kindband::Answers answers = kHighest;
  answers[0] = kMissing;
  answers[9] = 2;  // item 10 scores 1
  Scored s(*load("epds"), answers, context("mother", "postpartum", 6));
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_EQ(s.points("total"), -1);
  EXPECT_EQ(s.missing(), std::vector<std::string>{"1"});
  // Items 3-5 are all answered, so the anxiety subscale is still scored.
  EXPECT_TRUE(s.scale_complete("anxiety"));
  EXPECT_EQ(s.points("anxiety"), 9);
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
}

TEST(Epds, MissingAnxietyItemLeavesTheAnxietySubscaleOpen) {
  kindband::Answers answers = kLowest;
  answers[3] = kMissing;
  Scored s(*load("epds"), answers);
  EXPECT_FALSE(s.scale_complete("anxiety"));
  EXPECT_EQ(s.band("anxiety"), "");
}

TEST(Epds, AdviceCoversSafetyTotalAndAnxietyInBothLanguages) {
  Scored s(*load("epds"), kHighest, context("mother", "pregnancy", 20));
  for (const char* lang : {"nl", "en"}) {
    EXPECT_EQ(kindband_test::advice_keys(s.result(), lang),
              (std::vector<std::string>{"safety::self_harm", "band:total:positive",
                                        "band:anxiety:anxiety_raised"}));
  }
  Scored cox(*load("epds"), kTotal10, context("mother", "postpartum", 20));
  EXPECT_EQ(kindband_test::advice_keys(cox.result(), "nl"),
            (std::vector<std::string>{"band:total:possible", "band:anxiety:anxiety_low"}));
  // Outside Smith-Nielsen's group the EPDS-3A band is unverified: beside a positive total its
  // reassurance is left out.
  Scored early(*load("epds"), kTotal10, context("mother", "postpartum", 6));
  EXPECT_EQ(kindband_test::advice_keys(early.result(), "nl"),
            (std::vector<std::string>{"band:total:possible"}));
}

}  // namespace
}  // namespace epds_tests
