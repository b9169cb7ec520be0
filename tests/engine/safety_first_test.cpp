// Results agree with the safety help (issue 11): when a safety rule fires, the advice leads with it
// and band advice marked reassuring ("few symptoms", "fill it in again later") is left out. And
// what counts as positive: only a verified band set of a non-secondary scale makes a result
// positive.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_support.h"

namespace safety_first_tests {
namespace {

using kindband_test::builtin;
using kindband_test::context;
using kindband_test::load;
using kindband_test::Scored;

const char* const kLanguages[] = {"nl", "en"};

kindband::Advice advice_for(const kindband::Result& result, const char* language) {
  kindband::Advice advice;
  kindband::Error error;
  EXPECT_TRUE(kindband::advise(result, language, &advice, &error)) << error.to_string();
  return advice;
}

// Safety entries first, at least one of them, and no reassuring entry anywhere.
void expect_safety_first_without_reassurance(const kindband::Result& result,
                                             const std::string& what) {
  ASSERT_FALSE(result.safety_flags.empty()) << what << ": no safety rule fired";
  for (const char* language : kLanguages) {
    kindband::Advice advice = advice_for(result, language);
    ASSERT_FALSE(advice.entries.empty()) << what << " (" << language << ")";
    EXPECT_EQ(advice.entries.front().kind, "safety") << what << " (" << language << ")";
    bool past_safety = false;
    for (const auto& entry : advice.entries) {
      if (entry.kind != "safety") past_safety = true;
      EXPECT_FALSE(past_safety && entry.kind == "safety")
          << what << ": safety advice after other advice (" << language << ")";
      EXPECT_FALSE(entry.text.reassuring) << what << ": reassuring advice '" << entry.text.title
                                          << "' next to the safety help (" << language << ")";
    }
  }
}

std::vector<std::string> band_advice_ids(const kindband::Result& result, const char* language) {
  std::vector<std::string> ids;
  for (const auto& entry : advice_for(result, language).entries) {
    if (entry.kind == "band") ids.push_back(entry.scale + "." + entry.id);
  }
  return ids;
}

TEST(SafetyFirst, Phq9Item9WithLowTotalShowsNoReassurance) {
  // Total 3 ("minimal"), item 9 "Several days".
  kindband::Answers answers = {1, 0, 1, 0, 0, 0, 0, 0, 1};
  Scored s(*load("phq9"), answers);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.band("total"), "minimal");
  expect_safety_first_without_reassurance(s.result(), "phq9 item 9");
  for (const char* language : kLanguages) {
    EXPECT_TRUE(band_advice_ids(s.result(), language).empty()) << language;
  }
}

TEST(SafetyFirst, Phq9LowTotalWithoutItem9KeepsItsReassurance) {
  kindband::Answers answers = {1, 0, 1, 0, 0, 0, 0, 1, 0};
  Scored s(*load("phq9"), answers);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  for (const char* language : kLanguages) {
    EXPECT_EQ(band_advice_ids(s.result(), language), std::vector<std::string>{"total.minimal"});
  }
}

TEST(SafetyFirst, EpdsItem10WithLowTotalShowsNoReassurance) {
  // Items 1, 2, 4 score 0 at position 0; items 3 and 5-10 score 0 at position 3. Item 10 at
  // position 2 scores 1 ("hardly ever").
  kindband::Answers answers = {0, 0, 3, 0, 3, 3, 3, 3, 3, 2};
  Scored s(*load("epds"), answers, context("mother", "postpartum", 6));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.points("total"), 1);
  EXPECT_EQ(s.flags(), std::vector<std::string>{"self_harm"});
  expect_safety_first_without_reassurance(s.result(), "epds item 10");
  for (const char* language : kLanguages) {
    EXPECT_TRUE(band_advice_ids(s.result(), language).empty()) << language;
  }
}

TEST(SafetyFirst, PbqItem18Or24WithLowTotalsShowsNoReassurance) {
  // Every item at its 0-scoring option: positively worded items at "Always" (position 0), the
  // others at "Never" (position 5). Then item 18 or 24 at "Rarely" (position 4, scores 1).
  const auto* pbq = load("pbq");
  ASSERT_NE(pbq, nullptr);
  for (int item : {18, 24}) {
    kindband::Answers answers;
    for (const auto& each : pbq->items) {
      answers.push_back(each.options[0].value_hundredths == 0 ? 0 : 5);
    }
    answers[static_cast<size_t>(item - 1)] = 4;
    Scored s(*pbq, answers, context("mother", "postpartum", 5));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    EXPECT_EQ(s.points("total"), 1);
    EXPECT_EQ(s.flags(), std::vector<std::string>{"incipient_abuse"});
    expect_safety_first_without_reassurance(s.result(), "pbq item " + std::to_string(item));
    for (const char* language : kLanguages) {
      EXPECT_TRUE(band_advice_ids(s.result(), language).empty()) << language;
    }
  }
}

// Every safety rule of every built-in instrument, fired with all other answers at their lowest
// score: the advice leads with the safety help and holds no reassuring band advice.
TEST(SafetyFirst, EverySafetyRuleOnLowestAnswersLeadsAndSuppressesReassurance) {
  int rules_checked = 0;
  for (const kindband::Instrument* instrument : builtin().library.instruments()) {
    for (const kindband::SafetyRule& rule : instrument->safety_rules) {
      kindband::Answers answers;
      for (const auto& item : instrument->items) {
        size_t lowest = 0;
        for (size_t o = 0; o < item.options.size(); ++o) {
          if (item.options[o].value_hundredths < item.options[lowest].value_hundredths) lowest = o;
        }
        answers.push_back(static_cast<int>(lowest));
      }
      int trigger_item =
          rule.item_index >= 0
              ? rule.item_index
              : instrument->scales[static_cast<size_t>(rule.scale_index)].item_indexes.front();
      const auto& options = instrument->items[static_cast<size_t>(trigger_item)].options;
      int best = -1;
      for (size_t o = 0; o < options.size(); ++o) {
        // The firing option nearest the rule's limit (the least worrying answer that fires).
        const bool nearer =
            best < 0 ||
            (rule.has_max_score
                 ? options[o].value_hundredths > options[static_cast<size_t>(best)].value_hundredths
                 : options[o].value_hundredths <
                       options[static_cast<size_t>(best)].value_hundredths);
        if (rule.fires(options[o].value_hundredths) && nearer) {
          best = static_cast<int>(o);
        }
      }
      ASSERT_GE(best, 0) << instrument->id << " rule " << rule.id << " can never fire";
      answers[static_cast<size_t>(trigger_item)] = best;
      Scored s(*instrument, answers);
      ASSERT_TRUE(s.ok()) << s.error().to_string();
      expect_safety_first_without_reassurance(s.result(), instrument->id + " rule " + rule.id);
      ++rules_checked;
    }
  }
  EXPECT_GE(rules_checked, 3);  // phq9, epds, pbq at least
}

TEST(Positive, EpdsAnxietySubscaleAloneDoesNotMakeTheResultPositive) {
  // Items 3, 4, 5 at their highest (3 each): anxiety 9 (raised), total 9 (below 10).
  kindband::Answers answers = {0, 0, 0, 3, 0, 3, 3, 3, 3, 3};
  Scored s(*load("epds"), answers, context("mother", "postpartum", 8));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.points("anxiety"), 9);
  EXPECT_EQ(s.points("total"), 9);
  EXPECT_EQ(s.band("anxiety"), "anxiety_raised");
  EXPECT_TRUE(s.band_positive("anxiety"));  // the band itself is still marked positive
  EXPECT_FALSE(s.positive());
}

TEST(Positive, EpdsTotalAboveCutOffStillMakesTheResultPositive) {
  kindband::Answers answers = {3, 3, 0, 3, 0, 0, 0, 0, 0, 3};  // total 27, item 10 at 0
  Scored s(*load("epds"), answers, context("mother", "postpartum", 8));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.band("total"), "probable");
  EXPECT_TRUE(s.positive());
}

TEST(Positive, PbqUnverifiedTotalCutOffAloneDoesNotMakeTheResultPositive) {
  // Scores per item: scale 1 = 11 (items 2, 6: 5 each; item 7: 1), scale 2 = 12 (items 3, 5: 5
  // each; item 14: 2), scale 3 = 3 (item 19), scale 4 = 0. Total 26: the unverified total band.
  const auto* pbq = load("pbq");
  ASSERT_NE(pbq, nullptr);
  std::vector<int> score(25, 0);
  score[2 - 1] = 5;
  score[6 - 1] = 5;
  score[7 - 1] = 1;
  score[3 - 1] = 5;
  score[5 - 1] = 5;
  score[14 - 1] = 2;
  score[19 - 1] = 3;
  kindband::Answers answers;
  for (size_t i = 0; i < pbq->items.size(); ++i) {
    const bool zero_first = pbq->items[i].options[0].value_hundredths == 0;
    answers.push_back(zero_first ? score[i] : 5 - score[i]);
  }
  Scored s(*pbq, answers, context("mother", "postpartum", 5));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.points("total"), 26);
  EXPECT_EQ(s.points("rejection_anger"), 12);
  EXPECT_EQ(s.band("total"), "total_raised");
  EXPECT_FALSE(s.band_set_verified("total"));
  EXPECT_TRUE(s.flags().empty());
  EXPECT_FALSE(s.positive());
}

TEST(Positive, PbqVerifiedScale2CutOffMakesTheResultPositive) {
  const auto* pbq = load("pbq");
  ASSERT_NE(pbq, nullptr);
  std::vector<int> score(25, 0);
  for (int item : {3, 5, 14}) score[static_cast<size_t>(item - 1)] = 5;  // scale 2 = 15
  kindband::Answers answers;
  for (size_t i = 0; i < pbq->items.size(); ++i) {
    const bool zero_first = pbq->items[i].options[0].value_hundredths == 0;
    answers.push_back(zero_first ? score[i] : 5 - score[i]);
  }
  Scored s(*pbq, answers, context("mother", "postpartum", 5));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.band("rejection_anger"), "rejection_anger_high");
  EXPECT_TRUE(s.band_set_verified("rejection_anger"));
  EXPECT_TRUE(s.positive());
}

TEST(Positive, ResultJsonCarriesTheRuleAndReadsBack) {
  kindband::Answers answers = {0, 0, 0, 3, 0, 3, 3, 3, 3, 3};
  Scored s(*load("epds"), answers, context("mother", "postpartum", 8));
  ASSERT_TRUE(s.ok());
  const std::string text = kindband::to_json(s.result());
  EXPECT_EQ(nlohmann::json::parse(text)["positive"], false);
  kindband::Advice advice;
  kindband::Error error;
  EXPECT_TRUE(kindband::advise_result_json(builtin().library, text, "nl", &advice, &error))
      << error.to_string();
}

}  // namespace
}  // namespace safety_first_tests
