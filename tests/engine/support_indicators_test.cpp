// Indicators for extra support (Connect2Grow list, our wording): 10 yes/no items (no=0, yes=1),
// total = number of indicators; 0 no_indicators, 1-10 indicators_present (an unverified band: shown
// as something to discuss, never a positive screen).
#include "test_support.h"

namespace support_indicators_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

constexpr int kNo = 0;
constexpr int kYes = 1;

TEST(SupportIndicators, LoadsTenYesNoIndicatorsInOurOwnWording) {
  const auto* indicators = load("support_indicators");
  ASSERT_NE(indicators, nullptr);
  EXPECT_FALSE(indicators->validated_instrument);
  EXPECT_FALSE(indicators->wording.at("nl").validated);
  ASSERT_EQ(indicators->items.size(), 10u);
  for (const auto& item : indicators->items) {
    ASSERT_EQ(item.options.size(), 2u);
    EXPECT_EQ(item.options[0].label.at("nl"), "Nee");
    EXPECT_EQ(item.options[1].label.at("nl"), "Ja");
  }
}

TEST(SupportIndicators, NoIndicatorsScoresZero) {
  Scored s(*load("support_indicators"), repeat(10, kNo));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.points("total"), 0);
  EXPECT_EQ(s.band("total"), "no_indicators");
  EXPECT_FALSE(s.positive());
}

TEST(SupportIndicators, EachIndicatorCountsOnce) {
  for (int item = 0; item < 10; ++item) {
    kindband::Answers answers = repeat(10, kNo);
    answers[item] = kYes;
    Scored s(*load("support_indicators"), answers);
    EXPECT_EQ(s.points("total"), 1) << "item " << item + 1;
    EXPECT_EQ(s.band("total"), "indicators_present") << "item " << item + 1;
    EXPECT_FALSE(s.positive());  // something to discuss, not a positive screen (issue 25)
  }
}

TEST(SupportIndicators, AllIndicatorsScoreTen) {
  Scored s(*load("support_indicators"), repeat(10, kYes));
  EXPECT_EQ(s.points("total"), 10);
  EXPECT_EQ(s.band("total"), "indicators_present");
}

TEST(SupportIndicators, AdviceNamesTheLocalNetworkAndTheParentsChoice) {
  Scored s(*load("support_indicators"), {kYes, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo, kNo});
  kindband::Advice advice;
  kindband::Error error;
  ASSERT_TRUE(kindband::advise(s.result(), "nl", &advice, &error));
  ASSERT_EQ(advice.entries.size(), 1u);
  std::string all = advice.entries[0].text.text;
  for (const auto& step : advice.entries[0].text.steps) all += " " + step;
  for (const char* word : {"VSV", "JGZ", "wijkteam", "Jij kiest zelf"}) {
    EXPECT_NE(all.find(word), std::string::npos) << word;
  }
}

TEST(SupportIndicators, MissingAnswerGivesNoBand) {
  kindband::Answers answers = repeat(10, kYes);
  answers[9] = kindband::kMissing;
  Scored s(*load("support_indicators"), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.band("total"), "");
  EXPECT_FALSE(s.positive());
  EXPECT_EQ(s.missing(), std::vector<std::string>{"10"});
}

}  // namespace
}  // namespace support_indicators_tests
