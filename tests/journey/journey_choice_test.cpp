// No empty journey moment (issue 11): each moment lists its questionnaires with alternatives of the
// same purpose, and offers the first alternative that has wording in the parent's language.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kindband/engine.h"
#include "kindband/journey.h"

namespace kindband {
namespace {

const char* const kLanguages[] = {"nl", "en"};

class JourneyChoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Error> errors;
    library_ = Library::builtin(&errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
    ASSERT_TRUE(builtin_journey(library_, &journey_, &errors))
        << (errors.empty() ? "" : errors[0].to_string());
  }

  // EPDS's definition as the engine reads it (engine/instruments/epds.json, from the source tree).
  static std::string EpdsDefinition() {
    std::ifstream file(std::string(KINDBAND_SOURCE_DIR) + "/engine/instruments/epds.json");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  // An EPDS wording pack in `language` with placeholder text for every item.
  std::string EpdsPack(const std::string& language) const {
    const Instrument* epds = library_.find("epds");
    std::string items;
    for (const Item& item : epds->items) {
      items += std::string(items.empty() ? "" : ",") + "\"" + item.id + "\":{\"text\":\"Question " +
               item.id + "\",\"options\":[";
      for (size_t o = 0; o < item.options.size(); ++o) {
        items += std::string(o ? "," : "") + "\"Answer " + std::to_string(o) + "\"";
      }
      items += "]}";
    }
    return R"({"wording_pack":"epds-test","instrument":"epds","instrument_version":")" +
           epds->version + R"(","language":")" + language +
           R"(","validated":false,"source":"test","licence":"test","title":"EPDS test",)"
           R"("period":"In the past 7 days","items":{)" +
           items + "}}";
  }

  Library library_;
  Journey journey_;
};

TEST_F(JourneyChoiceTest, EveryMomentRoleAndLanguageOffersAFillableQuestionnaire) {
  int checked = 0;
  for (const JourneyMoment& moment : journey_.moments) {
    for (const std::string& role : moment.roles) {
      for (const char* language : kLanguages) {
        std::vector<std::string> offered;
        for (const QuestionnaireChoice& choice : moment.questionnaires) {
          for (const std::string& id : offer(choice, language).offered) {
            ASSERT_NE(library_.find(id), nullptr) << id;
            EXPECT_TRUE(has_wording(*library_.find(id), language))
                << moment.id << " offers " << id << " without " << language << " wording";
            offered.push_back(id);
          }
        }
        EXPECT_FALSE(offered.empty())
            << moment.id << " (" << role << ", " << language << ") offers nothing to fill in";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 44);  // 22 moments, one role each, 2 languages
}

TEST_F(JourneyChoiceTest, EpdsWithoutWordingFallsBackToPhq9AndGad7WithThePerinatalNote) {
  for (const JourneyMoment& moment : journey_.moments) {
    for (const QuestionnaireChoice& choice : moment.questionnaires) {
      if (choice.purpose != "mood") continue;
      for (const char* language : kLanguages) {
        OfferedQuestionnaire offered = offer(choice, language);
        ASSERT_EQ(offered.offered.size(), 2u) << moment.id;
        EXPECT_EQ(offered.offered[0], "phq9");
        EXPECT_EQ(offered.offered[1], "gad7");
        ASSERT_EQ(offered.skipped.size(), 1u);
        EXPECT_EQ(offered.skipped[0], "epds");
        EXPECT_FALSE(offered.first_choice);
        EXPECT_EQ(choice.fallback_note.count(language), 1u) << moment.id;
      }
    }
  }
}

TEST_F(JourneyChoiceTest, EpdsIsOfferedOnceAWordingPackSuppliesItsLanguage) {
  std::vector<Error> errors;
  ASSERT_TRUE(library_.add_wording_pack("epds-en.json", EpdsPack("en"), &errors))
      << (errors.empty() ? "" : errors[0].to_string());
  JourneyPlan plan;
  Error error;
  ASSERT_TRUE(compute_journey(journey_, {"mother", "", "2027-06-01", "2027-07-06"}, &plan, &error))
      << error.message;
  const std::string en = journey_plan_to_json(plan, "en");
  const std::string nl = journey_plan_to_json(plan, "nl");
  EXPECT_NE(en.find(R"("instruments":["epds","pbq"])"), std::string::npos) << en;
  EXPECT_NE(en.find(R"({"purpose":"mood","offered":["epds"],"instead_of":[],)"
                    R"("reason":"first_choice","note":null})"),
            std::string::npos)
      << en;
  // Dutch: no EPDS pack and no Dutch PBQ items: PHQ-9 + GAD-7 and the bonding reflection.
  EXPECT_NE(nl.find(R"("instruments":["phq9","gad7","bonding_reflection"])"), std::string::npos)
      << nl;
  EXPECT_NE(nl.find(R"({"purpose":"bonding","offered":["bonding_reflection"],"instead_of":["pbq"],)"
                    R"("reason":"first_choice_has_no_wording_in_language","note":"Deze)"),
            std::string::npos)
      << nl;
}

// The browser's journey build knows the instruments by their summaries only: its plans must be the
// plans of an engine with every definition, and a wording pack it applies (after adding the
// instrument's file) must count as it does there.
TEST_F(JourneyChoiceTest, ASummarizedLibraryPlansAsTheLoadedOne) {
  std::vector<Error> errors;
  Library summarized = Library::builtin_summaries(&errors);
  Journey journey;
  ASSERT_TRUE(builtin_journey(summarized, &journey, &errors))
      << (errors.empty() ? "" : errors[0].to_string());
  auto plans = [](const Journey& j) {
    std::string all;
    const JourneyInput inputs[] = {
        {"mother", "2027-03-01", "", "2026-08-01"},  {"mother", "2027-03-01", "", "2026-11-22"},
        {"partner", "2027-03-01", "", "2027-01-10"}, {"mother", "", "2027-06-01", "2027-07-06"},
        {"partner", "", "2027-06-01", "2028-01-06"}, {"mother", "", "2026-01-01", "2027-06-01"}};
    for (const JourneyInput& input : inputs) {
      JourneyPlan plan;
      Error error;
      EXPECT_TRUE(compute_journey(j, input, &plan, &error)) << error.message;
      for (const char* language : kLanguages) all += journey_plan_to_json(plan, language) + "\n";
    }
    return all;
  };
  EXPECT_EQ(plans(journey), plans(journey_));
  EXPECT_EQ(journey_content_to_json(journey, "nl"), journey_content_to_json(journey_, "nl"));

  ASSERT_TRUE(library_.add_wording_pack("epds-en.json", EpdsPack("en"), &errors));
  // Without EPDS's definition the pack has nothing to apply to; with it, EPDS is offered.
  EXPECT_FALSE(summarized.add_wording_pack("epds-en.json", EpdsPack("en"), &errors));
  errors.clear();
  ASSERT_TRUE(summarized.add_instrument("epds.json", EpdsDefinition(), &errors))
      << (errors.empty() ? "" : errors[0].to_string());
  ASSERT_TRUE(summarized.add_wording_pack("epds-en.json", EpdsPack("en"), &errors));
  EXPECT_EQ(plans(journey), plans(journey_));
  EXPECT_NE(plans(journey).find(R"("offered":["epds"])"), std::string::npos);
}

TEST_F(JourneyChoiceTest, PartnerInPregnancyGetsThePartnersReflection) {
  JourneyPlan plan;
  Error error;
  // 30 weeks pregnant: due date 70 days ahead.
  ASSERT_TRUE(compute_journey(journey_, {"partner", "2027-09-14", "", "2027-07-06"}, &plan, &error))
      << error.message;
  const std::string nl = journey_plan_to_json(plan, "nl");
  EXPECT_NE(nl.find(R"("instruments":["bonding_reflection_pregnancy_partner"])"), std::string::npos)
      << nl;
  EXPECT_EQ(nl.find(R"("instruments":["bonding_reflection_pregnancy"])"), std::string::npos);
}

TEST_F(JourneyChoiceTest, LoaderReportsUnknownAlternativesAtTheirPointer) {
  std::string text = R"({"id":"j","version":"1","name":{"nl":"n","en":"n"},"source":"s",
    "moments":[{"id":"m","stage":"postpartum","window":{"start_week":1,"end_week":2},
      "roles":["mother"],"instruments":[{"purpose":"mood","alternatives":["epds",["phq9","nope"]]}],
      "elements":[],"name":{"nl":"n","en":"n"},"description":{"nl":"d","en":"d"},"programme":{"nl":"p","en":"p"},
      "reasoning":"r","source":"s"}],
    "element_instruments":[],"elements":[],
    "support":{"nl":{"title":"t","text":"t","steps":[],"sharing":"s"},
               "en":{"title":"t","text":"t","steps":[],"sharing":"s"}}})";
  Journey journey;
  std::vector<Error> errors;
  EXPECT_FALSE(load_journey("j.json", text, library_, &journey, &errors));
  bool found = false;
  for (const Error& e : errors) {
    found = found || e.to_string() ==
                         "j.json: /moments/0/instruments/0/alternatives/1/1: unknown instrument "
                         "\"nope\"";
  }
  EXPECT_TRUE(found) << (errors.empty() ? "no errors" : errors[0].to_string());
}

}  // namespace
}  // namespace kindband
