// The journey calls behind kb.journey() / kb.journeyContent(): JSON text in, Reply out.
#include "journey_calls.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kindband::calls {
namespace {

class JourneyCallsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Error> errors;
    library_ = Library::builtin(&errors);
    ASSERT_TRUE(errors.empty()) << errors[0].to_string();
  }
  Library library_;
};

TEST_F(JourneyCallsTest, PlanFromJsonInputMatchesTheEngine) {
  JourneyCalls calls(library_);
  ASSERT_EQ(calls.load_errors(), "");
  Reply reply = calls.plan(
      R"({"role":"mother","due_date":"2027-03-01","birth_date":null,"today":"2026-11-22"})", "nl");
  ASSERT_TRUE(reply.ok) << reply.text;

  Journey journey;
  std::vector<Error> errors;
  ASSERT_TRUE(builtin_journey(library_, &journey, &errors));
  JourneyPlan plan;
  Error error;
  ASSERT_TRUE(compute_journey(journey, {"mother", "2027-03-01", "", "2026-11-22"}, &plan, &error));
  EXPECT_EQ(reply.text, journey_plan_to_json(plan, "nl"));
  EXPECT_NE(reply.text.find(R"("context":{"role":"mother","stage":"pregnancy","week":25})"),
            std::string::npos);
}

TEST_F(JourneyCallsTest, ErrorsNameTheField) {
  JourneyCalls calls(library_);
  Reply reply =
      calls.plan(R"({"role":"mother","due_date":"2027-02-29","today":"2026-11-22"})", "en");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "/due_date: \"2027-02-29\" is not a date (expected YYYY-MM-DD, 1900-2199)");
  reply = calls.plan("[1]", "en");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "/: expected a JSON object");
  reply = calls.plan(R"({"role":"mother","due_date":"2027-03-01","today":"2026-11-22"})", "de");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "/language: expected \"nl\" or \"en\"");
  reply = calls.plan(std::string(5000, ' '), "en");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "/: too long (5000 bytes, at most 4096)");
}

TEST_F(JourneyCallsTest, ContentHasTheSixElementsInTheLanguage) {
  JourneyCalls calls(library_);
  Reply reply = calls.content("nl");
  ASSERT_TRUE(reply.ok) << reply.text;
  EXPECT_NE(reply.text.find(R"("title":"Samen plezier hebben")"), std::string::npos);
  EXPECT_NE(reply.text.find(R"("element_instruments":["bonding_reflection")"), std::string::npos);
  EXPECT_NE(reply.text.find(R"("support":{"title":"Extra steun bij jou in de buurt")"),
            std::string::npos);
}

// The journey build's calls start without a journey and take the file for parents of a language.
const char kParentsJourney[] = R"({"id":"test_journey","version":"1","languages":["nl"],
  "name":{"nl":"Test"},
  "moments":[{"id":"booking","stage":"pregnancy","window":{"start_week":6,"end_week":13},
    "roles":["mother"],"instruments":["whooley","gad2"],"elements":[],
    "name":{"nl":"Begin"},"description":{"nl":"d"},"programme":{"nl":"p"}}],
  "element_instruments":[],"elements":[],
  "support":{"nl":{"title":"Steun","text":"t","steps":[],"sharing":"delen"}}})";

TEST_F(JourneyCallsTest, WithoutBuiltin_PlansOnlyInTheLanguagesOfTheFilesAdded) {
  JourneyCalls calls(library_, JourneyCalls::WithoutBuiltin{});
  EXPECT_EQ(calls.load_errors(), "");
  const char input[] = R"({"role":"mother","due_date":"2027-03-01","today":"2026-08-01"})";
  Reply reply = calls.plan(input, "nl");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "/language: no journey in \"nl\" has been added (addJourney)");

  reply = calls.add("parents.nl.json", kParentsJourney);
  ASSERT_TRUE(reply.ok) << reply.text;
  reply = calls.plan(input, "nl");
  ASSERT_TRUE(reply.ok) << reply.text;
  EXPECT_NE(reply.text.find(R"("id":"booking","status":"due")"), std::string::npos) << reply.text;
  reply = calls.content("en");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "/language: no journey in \"en\" has been added (addJourney)");
}

TEST_F(JourneyCallsTest, Add_RefusesInvalidFilesAndASecondOneForALanguage) {
  JourneyCalls calls(library_, JourneyCalls::WithoutBuiltin{});
  Reply reply = calls.add("cut.json", "{");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("cut.json: ", 0), 0u) << reply.text;
  ASSERT_TRUE(calls.add("parents.nl.json", kParentsJourney).ok);
  reply = calls.add("again.nl.json", kParentsJourney);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "again.nl.json: /languages: the journey in \"nl\" has already been added");
  // The built-in journey already has both languages.
  JourneyCalls full(library_);
  reply = full.add("parents.nl.json", kParentsJourney);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text,
            "parents.nl.json: /id: journey \"test_journey\" 1 is not the one already added "
            "(\"first_1000_days\" 2027.1)");
}

}  // namespace
}  // namespace kindband::calls
