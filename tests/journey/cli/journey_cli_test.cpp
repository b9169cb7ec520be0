// `kindband journey`, run as a real process: output, messages and exit codes (0 ok, 2 usage,
// 3 invalid input).
#include <gtest/gtest.h>

#include <string>

#include "support/cli_run.h"

namespace {

using kindband_test::CliRun;
using kindband_test::contains;
using kindband_test::read_all;

CliRun run(const std::string& args) { return kindband_test::run_cli(KINDBAND_CLI, args); }

TEST(JourneyCli, ListsTheMothersMomentsWithTheirStatus) {
  CliRun r = run("journey --role mother --due 2027-03-01 --today 2026-11-22");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // 2027-03-01 - 280 days = 2026-05-25; 2026-11-22 is 181 days later: 25+6.
  EXPECT_TRUE(contains(r.out, "pregnancy week 25+6; context role=mother,stage=pregnancy,week=25"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "past     mother_booking")) << r.out;
  EXPECT_TRUE(contains(r.out, "upcoming mother_third_trimester")) << r.out;
  EXPECT_FALSE(contains(r.out, "partner_")) << r.out;
}

TEST(JourneyCli, JsonForThePartnerAfterBirth) {
  CliRun r = run("journey --role partner --birth 2027-03-01 --today 2027-04-05 --json --lang nl");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"journey\":\"first_1000_days\"", 0), 0u) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "\"context\":{\"role\":\"partner\",\"stage\":\"postpartum\","
                       "\"week\":5}"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "{\"id\":\"partner_six_weeks\",\"status\":\"due\"")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"name\":\"Rond 6 weken na de geboorte\"")) << r.out;
}

TEST(JourneyCli, InvalidDatesExitWith3AndNameTheField) {
  CliRun r = run("journey --role mother --due 2027-02-30 --today 2026-11-22");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, "journey: /due_date: \"2027-02-30\" is not a date")) << r.err;
  r = run("journey --role mother --birth 2026-12-01 --today 2026-11-22");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, "/birth_date: the birth date 2026-12-01 is after today")) << r.err;
  r = run("journey --role father --due 2027-03-01");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, "/role: unknown role \"father\"")) << r.err;
}

TEST(JourneyCli, MissingArgumentsAreUsageErrors) {
  EXPECT_EQ(run("journey --due 2027-03-01").exit_code, 2);
  EXPECT_EQ(run("journey --role mother").exit_code, 2);
  EXPECT_EQ(run("journey --role mother --due 2027-03-01 --lang de").exit_code, 2);
}

TEST(JourneyCli, ValidatesJourneyFilesNamingFileAndPointer) {
  CliRun ok =
      run(std::string("validate ") + KINDBAND_SOURCE_DIR + "/engine/journeys/first-1000-days.json");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  std::string text =
      read_all(std::string(KINDBAND_SOURCE_DIR) + "/engine/journeys/first-1000-days.json");
  const std::string from = "\"maas\",";
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "\"maas2\",");
  std::string path =
      ::testing::TempDir() + "kindband_journey_" + std::to_string(::getpid()) + "_bad-journey.json";
  std::ofstream(path) << text;
  CliRun bad = run("validate " + path);
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(
      contains(bad.err,
               "bad-journey.json: /moments/3/instruments/0/alternatives/0: unknown instrument "
               "\"maas2\""))
      << bad.err;
}

TEST(JourneyCli, DefaultsTodayToTheLocalDate) {
  // A due date far ahead is rejected only relative to today: proves --today defaults to a date.
  CliRun r = run("journey --role mother --due 2199-12-31");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, "is more than 40 weeks after today")) << r.err;
}

}  // namespace
