// Our own bonding reflections (postnatal and pregnancy): not validated, two statements per element
// of a good parent-child relationship, options "Dit lukt al goed" (2), "Soms" (1), "Nog niet zo"
// (0). One subscale per element (0-4), no total, no bands, tips per element.
#include "test_support.h"

namespace bonding_reflection_tests {
namespace {

using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

// The element ids of the journey's element pages and of the intake conversation (one set).
const std::vector<std::string> kElements = {"attentive_care", "back_and_forth",
                                            "soothing",       "emotional_safety",
                                            "fun_together",   "physical_contact"};

class BondingReflection : public ::testing::TestWithParam<const char*> {};

TEST_P(BondingReflection, IsMarkedAsOurOwnUnvalidatedTool) {
  const auto* reflection = load(GetParam());
  ASSERT_NE(reflection, nullptr);
  EXPECT_FALSE(reflection->validated_instrument);
  EXPECT_FALSE(reflection->wording.at("nl").validated);
  EXPECT_FALSE(reflection->wording.at("en").validated);
  EXPECT_FALSE(reflection->has_total);
  ASSERT_EQ(reflection->items.size(), 12u);
  for (const auto& item : reflection->items) {
    EXPECT_FALSE(item.text.at("nl").empty());
    EXPECT_FALSE(item.text.at("en").empty());
    ASSERT_EQ(item.options.size(), 3u);
    EXPECT_EQ(item.options[0].label.at("nl"), "Dit lukt al goed");
    EXPECT_EQ(item.options[1].label.at("nl"), "Soms");
    EXPECT_EQ(item.options[2].label.at("nl"), "Nog niet zo");
  }
}

TEST_P(BondingReflection, HasOneScalePerElementInOrder) {
  const auto* reflection = load(GetParam());
  ASSERT_NE(reflection, nullptr);
  ASSERT_EQ(reflection->scales.size(), kElements.size());
  for (size_t i = 0; i < kElements.size(); ++i) {
    EXPECT_EQ(reflection->scales[i].id, kElements[i]);
    EXPECT_EQ(reflection->scales[i].item_indexes,
              (std::vector<int>{static_cast<int>(2 * i), static_cast<int>(2 * i + 1)}));
    EXPECT_TRUE(reflection->scales[i].band_sets.empty());
  }
}

TEST_P(BondingReflection, AllGoingWellScoresFourPerElement) {
  Scored s(*load(GetParam()), repeat(12, 0));
  ASSERT_TRUE(s.ok());
  for (const auto& element : kElements) EXPECT_EQ(s.points(element), 4) << element;
  EXPECT_FALSE(s.positive());
}

TEST_P(BondingReflection, AllNotYetScoresZeroPerElement) {
  Scored s(*load(GetParam()), repeat(12, 2));
  ASSERT_TRUE(s.ok());
  for (const auto& element : kElements) EXPECT_EQ(s.points(element), 0) << element;
  EXPECT_FALSE(s.positive());
  EXPECT_TRUE(s.flags().empty());
}

TEST_P(BondingReflection, EachStatementCountsForItsOwnElement) {
  for (size_t i = 0; i < kElements.size(); ++i) {
    kindband::Answers answers = repeat(12, 2);
    answers[2 * i] = 1;      // Soms: 1
    answers[2 * i + 1] = 0;  // Dit lukt al goed: 2
    Scored s(*load(GetParam()), answers);
    for (size_t j = 0; j < kElements.size(); ++j) {
      EXPECT_EQ(s.points(kElements[j]), i == j ? 3 : 0) << kElements[j];
    }
  }
}

TEST_P(BondingReflection, GivesTipsForEveryElementInBothLanguages) {
  Scored s(*load(GetParam()), repeat(12, 1));
  for (const char* lang : {"nl", "en"}) {
    kindband::Advice advice;
    kindband::Error error;
    ASSERT_TRUE(kindband::advise(s.result(), lang, &advice, &error));
    ASSERT_EQ(advice.entries.size(), kElements.size());
    for (size_t i = 0; i < kElements.size(); ++i) {
      EXPECT_EQ(advice.entries[i].kind, "scale");
      EXPECT_EQ(advice.entries[i].id, kElements[i]);
      EXPECT_FALSE(advice.entries[i].urgent);
      EXPECT_GE(advice.entries[i].text.steps.size(), 2u) << kElements[i];
    }
  }
}

TEST_P(BondingReflection, MissingAnswerLeavesOnlyThatElementOpen) {
  kindband::Answers answers = repeat(12, 0);
  answers[5] = kindband::kMissing;  // second statement of "soothing"
  Scored s(*load(GetParam()), answers);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.scale_complete("soothing"));
  EXPECT_EQ(s.points("fun_together"), 4);
}

INSTANTIATE_TEST_SUITE_P(PostnatalAndPregnancy, BondingReflection,
                         ::testing::Values("bonding_reflection", "bonding_reflection_pregnancy",
                                           "bonding_reflection_toddler"));

}  // namespace
}  // namespace bonding_reflection_tests
