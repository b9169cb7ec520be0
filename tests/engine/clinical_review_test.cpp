// The harms a perinatal clinician found in the content (issue 25), each pinned in Dutch and
// English: reassurance beside crisis help across the questionnaires of one session, PBQ leading
// with an unverified reassurance while its verified scale 2 is positive, MAAS item 12 without a
// flag, the Whooley help question ignored, support indicators positive on one "yes", and cut-offs
// used as verified outside the group they were validated in.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace clinical_review_tests {
namespace {

using kindband_test::context;
using kindband_test::load;
using kindband_test::repeat;
using kindband_test::Scored;

const char* const kLanguages[] = {"nl", "en"};

// All advice of a session, one Advice per result.
std::vector<kindband::Advice> session_advice(const std::vector<const kindband::Result*>& results,
                                             const char* language, bool* any_safety) {
  std::vector<kindband::Advice> advice;
  kindband::Error error;
  EXPECT_TRUE(kindband::advise_session(results, language, &advice, any_safety, &error))
      << error.to_string();
  EXPECT_EQ(advice.size(), results.size());
  return advice;
}

kindband::Advice advice_for(const kindband::Result& result, const char* language) {
  kindband::Advice advice;
  kindband::Error error;
  EXPECT_TRUE(kindband::advise(result, language, &advice, &error)) << error.to_string();
  return advice;
}

std::string all_text(const kindband::Advice& advice) {
  std::string text;
  for (const auto& entry : advice.entries) {
    text += entry.text.title + "\n" + entry.text.text + "\n";
    for (const auto& step : entry.text.steps) text += step + "\n";
  }
  return text;
}

bool has_reassurance(const kindband::Advice& advice) {
  for (const auto& entry : advice.entries) {
    if (entry.text.reassuring) return true;
  }
  return false;
}

// PHQ-9 answers with item 9 "Nearly every day" (position 3) and nothing else: total 3, minimal.
const kindband::Answers kPhq9OnlyItem9 = {0, 0, 0, 0, 0, 0, 0, 0, 3};
// A calm GAD-7: total 1, minimal ("Weinig klachten" / "Few symptoms").
const kindband::Answers kCalmGad7 = {1, 0, 0, 0, 0, 0, 0};

TEST(SessionSafety, Phq9Item9AndACalmGad7ShowNoReassuranceAnywhere) {
  Scored phq9(*load("phq9"), kPhq9OnlyItem9, context("mother", "pregnancy", 22));
  Scored gad7(*load("gad7"), kCalmGad7, context("mother", "pregnancy", 22));
  ASSERT_TRUE(phq9.ok() && gad7.ok());
  ASSERT_EQ(phq9.flags(), std::vector<std::string>{"self_harm"});
  ASSERT_EQ(gad7.band("total"), "minimal");
  for (const char* language : kLanguages) {
    bool any_safety = false;
    auto advice = session_advice({&phq9.result(), &gad7.result()}, language, &any_safety);
    EXPECT_TRUE(any_safety) << language;
    EXPECT_EQ(advice[0].entries.front().kind, "safety") << language;
    for (const auto& each : advice) {
      EXPECT_FALSE(has_reassurance(each)) << language;
    }
    // The words the reviewer saw under the help box are gone from the GAD-7 card.
    const std::string gad7_text = all_text(advice[1]);
    for (const char* words : {"Weinig klachten", "Blijf goed voor jezelf zorgen", "Few symptoms"}) {
      EXPECT_EQ(gad7_text.find(words), std::string::npos) << words << " (" << language << ")";
    }
  }
  // On its own (no safety rule in its session) the calm GAD-7 keeps its reassurance.
  for (const char* language : kLanguages) {
    EXPECT_TRUE(has_reassurance(advice_for(gad7.result(), language))) << language;
  }
}

TEST(SessionSafety, OrderDoesNotMatterTheFlagCanComeFromTheLastQuestionnaire) {
  Scored gad7(*load("gad7"), kCalmGad7);
  Scored phq9(*load("phq9"), kPhq9OnlyItem9);
  for (const char* language : kLanguages) {
    bool any_safety = false;
    auto advice = session_advice({&gad7.result(), &phq9.result()}, language, &any_safety);
    EXPECT_TRUE(any_safety);
    EXPECT_FALSE(has_reassurance(advice[0])) << language;
    EXPECT_FALSE(has_reassurance(advice[1])) << language;
  }
}

TEST(SessionSafety, EpdsItem10AndACalmPbqShowNoReassurance) {
  // EPDS: all 0 except item 10 "Hardly ever" (position 2, scores 1).
  Scored epds(*load("epds"), {0, 0, 3, 0, 3, 3, 3, 3, 3, 2}, context("mother", "postpartum", 6));
  const auto* pbq_instrument = load("pbq");
  kindband::Answers calm;
  for (const auto& item : pbq_instrument->items) {
    calm.push_back(item.options[0].value_hundredths == 0 ? 0 : 5);
  }
  Scored pbq(*pbq_instrument, calm, context("mother", "postpartum", 6));
  ASSERT_EQ(epds.flags(), std::vector<std::string>{"self_harm"});
  ASSERT_TRUE(pbq.flags().empty());
  for (const char* language : kLanguages) {
    ASSERT_TRUE(has_reassurance(advice_for(pbq.result(), language)));
    bool any_safety = false;
    auto advice = session_advice({&epds.result(), &pbq.result()}, language, &any_safety);
    EXPECT_TRUE(any_safety);
    EXPECT_FALSE(has_reassurance(advice[1])) << language;
    EXPECT_EQ(all_text(advice[1]).find("Geen grote zorgen"), std::string::npos);
  }
}

TEST(SessionSafety, WithoutAnyFlagEachResultKeepsItsOwnAdvice) {
  Scored phq9(*load("phq9"), {1, 0, 0, 0, 0, 0, 0, 0, 0});
  Scored gad7(*load("gad7"), kCalmGad7);
  for (const char* language : kLanguages) {
    bool any_safety = true;
    auto advice = session_advice({&phq9.result(), &gad7.result()}, language, &any_safety);
    EXPECT_FALSE(any_safety);
    EXPECT_EQ(kindband::to_json(advice[0]), kindband::to_json(advice_for(phq9.result(), language)));
    EXPECT_EQ(kindband::to_json(advice[1]), kindband::to_json(advice_for(gad7.result(), language)));
  }
}

TEST(SessionSafety, UnknownLanguageIsAnError) {
  Scored phq9(*load("phq9"), kPhq9OnlyItem9);
  std::vector<kindband::Advice> advice;
  kindband::Error error;
  EXPECT_FALSE(kindband::advise_session({&phq9.result()}, "de", &advice, nullptr, &error));
  EXPECT_EQ(error.pointer, "/language");
}

TEST(PbqOrder, PositiveScale2LeadsAndTheUnverifiedTotalDoesNotReassure) {
  // Item 3 "I feel distant from my baby" Quite often (3), items 4 "I love to cuddle my baby" and
  // 11 "I enjoy playing with my baby" Never (5 each): scale 2 = 13 (Brockington 2006: high), total
  // 13 (below the unverified 26).
  const auto* pbq = load("pbq");
  kindband::Answers answers;
  for (const auto& item : pbq->items)
    answers.push_back(item.options[0].value_hundredths == 0 ? 0 : 5);
  answers[2] = 2;
  answers[3] = 5;
  answers[10] = 5;
  Scored s(*pbq, answers, context("mother", "postpartum", 6));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s.points("rejection_anger"), 13);
  EXPECT_EQ(s.points("total"), 13);
  EXPECT_EQ(s.band("total"), "total_low");
  EXPECT_TRUE(s.positive());
  for (const char* language : kLanguages) {
    kindband::Advice advice = advice_for(s.result(), language);
    ASSERT_FALSE(advice.entries.empty());
    EXPECT_EQ(advice.entries.front().scale, "rejection_anger") << language;
    EXPECT_EQ(advice.entries.front().id, "rejection_anger_high") << language;
    EXPECT_FALSE(has_reassurance(advice)) << language;
    const std::string text = all_text(advice);
    EXPECT_EQ(text.find("Geen grote zorgen"), std::string::npos) << language;
  }
}

TEST(PbqOrder, DutchScaleNamesReadTheRightWayRound) {
  const auto* pbq = load("pbq");
  for (const auto& scale : pbq->scales) {
    if (scale.id == "impaired_bonding") {
      EXPECT_EQ(scale.name.at("nl"), "Moeite met de band met je baby");
    }
  }
}

TEST(Maas, Item12UrgeToHurtRaisesSameDayHelp) {
  const auto* maas = load("maas");
  ASSERT_NE(maas, nullptr);
  // Every item at its highest score (strongest attachment), then item 12 at each anchor: positions
  // 3 "occasionally" (2) and 4 "often" (1) fire, "once or twice" (3) and above do not.
  for (int position = 0; position < 5; ++position) {
    kindband::Answers answers;
    for (const auto& item : maas->items) {
      size_t best = 0;
      for (size_t o = 0; o < item.options.size(); ++o) {
        if (item.options[o].value_hundredths > item.options[best].value_hundredths) best = o;
      }
      answers.push_back(static_cast<int>(best));
    }
    answers[11] = position;
    Scored s(*maas, answers, context("mother", "pregnancy", 30));
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    const bool fires = position >= 3;
    EXPECT_EQ(s.flags(),
              fires ? std::vector<std::string>{"urge_to_hurt"} : std::vector<std::string>{})
        << "position " << position;
    EXPECT_FALSE(s.positive());  // a flag, not a screen: the MAAS has no cut-offs
    if (!fires) continue;
    for (const char* language : kLanguages) {
      kindband::Advice advice = advice_for(s.result(), language);
      ASSERT_FALSE(advice.entries.empty());
      EXPECT_EQ(advice.entries.front().kind, "safety");
      EXPECT_TRUE(advice.entries.front().urgent);
      EXPECT_NE(all_text(advice).find("112"), std::string::npos);
    }
  }
  EXPECT_NE(maas->safety_rules.front().source.find("Kindband's own rule"), std::string::npos);
}

TEST(Whooley, HelpQuestionYesAfterTwoNoIsNeverReassured) {
  // "Nee, Nee, Ja": the reviewer's case. A yes to help is help, not "no signs of low mood".
  Scored s(*load("whooley"), {0, 0, 1});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.flags(), std::vector<std::string>{"wants_help"});
  for (const char* language : kLanguages) {
    kindband::Advice advice = advice_for(s.result(), language);
    ASSERT_FALSE(advice.entries.empty());
    EXPECT_EQ(advice.entries.front().kind, "safety") << language;
    EXPECT_EQ(advice.entries.front().id, "wants_help") << language;
    EXPECT_FALSE(has_reassurance(advice)) << language;
    const std::string text = all_text(advice);
    EXPECT_EQ(text.find("Geen aanwijzingen voor somberheid"), std::string::npos);
    EXPECT_EQ(text.find("No signs of low mood"), std::string::npos);
  }
}

TEST(Whooley, HelpQuestionYesAfterAYesFlagsForContact) {
  Scored s(*load("whooley"), {1, 0, 1});
  EXPECT_TRUE(s.positive());
  EXPECT_EQ(s.flags(), std::vector<std::string>{"wants_help"});
  Scored no_help(*load("whooley"), {1, 0, 0});
  EXPECT_TRUE(no_help.flags().empty());
}

TEST(Whooley, HelpQuestionIsAskedOnlyAfterAYes) {
  const auto* whooley = load("whooley");
  const auto& help = whooley->items[2];
  EXPECT_EQ(help.id, "help");
  EXPECT_FALSE(help.required);
  EXPECT_EQ(help.ask_when_any, (std::vector<int>{0, 1}));
  EXPECT_EQ(help.ask_when_min_hundredths, 100);
  const std::string json = kindband::instrument_to_json(*whooley, "nl");
  EXPECT_NE(json.find("\"ask_when_any\":{\"items\":[\"1\",\"2\"],\"min_score\":1}"),
            std::string::npos)
      << json;
  // Not asked (two "no"): no flag, the reassurance stands.
  Scored s(*whooley, {0, 0, kindband::kMissing});
  EXPECT_TRUE(s.flags().empty());
  EXPECT_TRUE(has_reassurance(advice_for(s.result(), "nl")));
}

TEST(Loader, AskWhenAnyMustNameEarlierItemsAndBeOptional) {
  const char* kTemplate = R"({
    "id": "t", "version": "1", "name": {"nl": "T", "en": "T"}, "short_name": {"nl": "T", "en": "T"},
    "authors": "A", "year": 2020, "citation": "C", "licence": "L", "validated_instrument": false,
    "wording": {"nl": {"validated": false, "source": "s"}, "en": {"validated": false, "source": "s"}},
    "items": [
      {"id": "a", "text": {"nl": "a", "en": "a"}, "options": [{"value": 0, "label": {"nl": "n", "en": "n"}}, {"value": 1, "label": {"nl": "j", "en": "y"}}]},
      {"id": "b", "text": {"nl": "b", "en": "b"}, "options": [{"value": 0, "label": {"nl": "n", "en": "n"}}, {"value": 1, "label": {"nl": "j", "en": "y"}}],
       "scored": false, REQUIRED "ask_when_any": {"items": [ITEMS], "min_score": 1}}
    ],
    "total": {"name": {"nl": "T", "en": "T"}, "band_sets": []}})";
  auto make = [&](const std::string& required, const std::string& items) {
    std::string text = kTemplate;
    text.replace(text.find("REQUIRED"), 8, required);
    text.replace(text.find("ITEMS"), 5, items);
    return text;
  };
  std::vector<kindband::Error> errors;
  EXPECT_TRUE(kindband::Library::validate_instrument(
      "t.json", make("\"required\": false,", "\"a\""), &errors))
      << kindband_test::describe(errors);
  errors.clear();
  EXPECT_FALSE(kindband::Library::validate_instrument("t.json", make("", "\"a\""), &errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].pointer, "/items/1/ask_when_any");
  errors.clear();
  EXPECT_FALSE(kindband::Library::validate_instrument(
      "t.json", make("\"required\": false,", "\"b\""), &errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].pointer, "/items/1/ask_when_any/items/0");
}

TEST(SupportIndicators, OneYesIsSomethingToDiscussNotAPositiveScreen) {
  kindband::Answers answers = repeat(10, 0);
  answers[7] = 1;  // "Deze zwangerschap was niet gepland of niet gewenst."
  Scored s(*load("support_indicators"), answers);
  EXPECT_EQ(s.band("total"), "indicators_present");
  EXPECT_FALSE(s.band_set_verified("total"));
  EXPECT_FALSE(s.positive());
  Scored all(*load("support_indicators"), repeat(10, 1));
  EXPECT_FALSE(all.positive());  // no count of indicators is a validated cut-off
  for (const char* language : kLanguages) {
    kindband::Advice advice = advice_for(s.result(), language);
    ASSERT_EQ(advice.entries.size(), 1u);
    EXPECT_EQ(advice.entries[0].id, "indicators_present");
  }
}

TEST(EpdsContext, FathersCutOffIsVerifiedOnlyAroundSevenWeeksPostpartum) {
  // Total 11: above Edmondson's "more than 10".
  const kindband::Answers eleven = {1, 1, 2, 1, 2, 2, 2, 2, 0, 3};
  Scored at_seven(*load("epds"), eleven, context("partner", "postpartum", 7));
  EXPECT_EQ(at_seven.points("total"), 11);
  EXPECT_EQ(at_seven.band_set("total"), "edmondson2010_partner");
  EXPECT_TRUE(at_seven.band_set_verified("total"));
  EXPECT_TRUE(at_seven.positive());
  for (const auto& other :
       {context("partner", "pregnancy", 30), context("partner", "postpartum", 26),
        context("partner", "postpartum", 2)}) {
    Scored s(*load("epds"), eleven, other);
    EXPECT_EQ(s.band_set("total"), "edmondson2010_partner_extrapolated") << other.week;
    EXPECT_FALSE(s.band_set_verified("total"));
    EXPECT_EQ(s.band("total"), "positive");
    EXPECT_FALSE(s.positive()) << other.stage << " " << other.week;
  }
}

TEST(EpdsContext, Epds3aCutOffIsVerifiedOnlyForMothersTwoToElevenMonthsPostpartum) {
  const kindband::Answers anxious = {0, 0, 0, 3, 0, 3, 3, 3, 3, 3};  // items 3-5 at 3: 3A = 9
  Scored in_window(*load("epds"), anxious, context("mother", "postpartum", 20));
  EXPECT_EQ(in_window.band_set("anxiety"), "smith_nielsen2021");
  EXPECT_TRUE(in_window.band_set_verified("anxiety"));
  for (const auto& other :
       {context("mother", "postpartum", 5), context("mother", "pregnancy", 20),
        context("partner", "postpartum", 20), context("mother", "postpartum", 50)}) {
    Scored s(*load("epds"), anxious, other);
    EXPECT_EQ(s.band_set("anxiety"), "smith_nielsen2021_extrapolated");
    EXPECT_FALSE(s.band_set_verified("anxiety"));
  }
}

TEST(EpdsWording, TotalBelowTheCutOffDoesNotSpeakOfWorryBesideARaisedEpds3a) {
  const kindband::Answers anxious = {0, 0, 0, 3, 0, 3, 3, 3, 3, 3};  // 3A = 9, total 9
  Scored s(*load("epds"), anxious, context("mother", "postpartum", 20));
  ASSERT_EQ(s.band("total"), "below_threshold");
  ASSERT_EQ(s.band("anxiety"), "anxiety_raised");
  for (const auto& entry : advice_for(s.result(), "nl").entries) {
    if (entry.scale != "total") continue;
    EXPECT_EQ(entry.text.text.find("zorgen of spanning"), std::string::npos);
  }
  for (const auto& entry : advice_for(s.result(), "en").entries) {
    if (entry.scale != "total") continue;
    EXPECT_EQ(entry.text.text.find("worry or tension"), std::string::npos);
  }
}

// Safety texts do not say "sometimes" when the answer may have been "nearly every day".
TEST(SafetyWording, SafetyTextsDoNotSaySometimes) {
  for (const kindband::Instrument* instrument : kindband_test::builtin().library.instruments()) {
    for (const auto& [rule, by_language] : instrument->safety_advice) {
      for (const auto& [language, text] : by_language) {
        const std::string lower = text.text;
        EXPECT_EQ(lower.find(" soms "), std::string::npos) << instrument->id << " " << rule;
        EXPECT_EQ(lower.find(" sometimes "), std::string::npos) << instrument->id << " " << rule;
      }
    }
  }
}

}  // namespace
}  // namespace clinical_review_tests
