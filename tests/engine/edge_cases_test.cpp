// Edge cases found by fuzzing the engine (issue 12, item 7): numbers at and beyond the limits of
// the types that hold them, and an optional scored item left unanswered. Each test fails on the
// engine before its fix (the overflow one under UBSan, as in the sanitizer build of the test
// suite).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kindband/engine.h"

namespace edge_cases_tests {
namespace {

// A small instrument; `items` and `when` are spliced in, the rest is valid.
std::string definition(const std::string& items, const std::string& when = "",
                       const std::string& year = "2020") {
  return R"({"id": "edge", "version": "1", "name": {"en": "Edge", "nl": "Rand"},
    "authors": "Test", "year": )" +
         year + R"(, "citation": "Test", "licence": "Test",
    "wording": {"en": {"validated": false, "source": "test"}},
    "items": [)" +
         items + R"(],
    "total": {"band_sets": [{"id": "set", )" +
         (when.empty() ? "" : "\"when\": {" + when + "}, ") +
         R"("source": "Test", "bands": [{"id": "all", "min": 0, "max": 3}]}]},
    "advice": {"bands": {"all": {"nl": {"title": "t", "text": "x"}, "en": {"title": "t", "text": "x"}}}}
  })";
}

const char kTwoItems[] = R"(
  {"id": "a", "options": [{"value": 0}, {"value": 1}, {"value": 2}]},
  {"id": "b", "options": [{"value": 0}, {"value": 1}]})";

std::vector<std::string> errors_for(const std::string& text) {
  std::vector<kindband::Error> errors;
  const bool ok = kindband::Library::validate_instrument("edge.json", text, &errors);
  std::vector<std::string> out;
  for (const auto& error : errors) out.push_back(error.to_string());
  EXPECT_EQ(ok, out.empty());
  return out;
}

TEST(EdgeCases, TheSmallInstrumentIsValid) {
  EXPECT_EQ(errors_for(definition(kTwoItems, R"("week_min": 0, "week_max": 60)")),
            std::vector<std::string>{});
}

// Reading "week=2147483648" multiplied past INT_MAX before the length check refused it.
TEST(EdgeCases, ContextWeekOfManyDigits_RefusedWithoutOverflow) {
  kindband::Context context;
  kindband::Error error;
  for (const char* text : {"week=2147483648", "week=99999999999999999999999", "week=0061"}) {
    EXPECT_FALSE(kindband::parse_context(text, &context, &error)) << text;
    EXPECT_EQ(error.to_string(), "/context/week: week must be a whole number from 0 to 120")
        << text;
  }
  ASSERT_TRUE(kindband::parse_context("week=060", &context, &error));
  EXPECT_EQ(context.week, 60);
}

// Week limits and the year were cast to int: 4294967295 became -1 ("no limit") and 4294967297
// became 1.
TEST(EdgeCases, WholeNumbersBeyondTheirRange_RefusedNotTruncated) {
  EXPECT_EQ(
      errors_for(definition(kTwoItems, R"("week_max": 4294967295)")),
      std::vector<std::string>{"edge.json: /total/band_sets/0/when/week_max: expected a whole "
                               "number from 0 to 120, found 4294967295"});
  EXPECT_EQ(
      errors_for(definition(kTwoItems, R"("week_min": 4294967297)")),
      std::vector<std::string>{"edge.json: /total/band_sets/0/when/week_min: expected a whole "
                               "number from 0 to 120, found 4294967297"});
  EXPECT_EQ(
      errors_for(definition(kTwoItems, R"("week_min": -1)")),
      std::vector<std::string>{"edge.json: /total/band_sets/0/when/week_min: expected a whole "
                               "number from 0 to 120, found -1"});
  EXPECT_EQ(
      errors_for(definition(kTwoItems, "", "18446744073709551615")),
      std::vector<std::string>{"edge.json: /year: expected a whole number from 0 to 9999, found "
                               "18446744073709551615"});
}

// Option values are at most 999999.99 each, but 22 such items added up past INT32_MAX
// hundredths: the scale was accepted with a negative maximum.
TEST(EdgeCases, OptionValuesAddingUpPastTheScoreLimit_Refused) {
  std::string items;
  for (int i = 0; i < 22; ++i) {
    items += std::string(i ? "," : "") + R"({"id": "i)" + std::to_string(i) +
             R"(", "options": [{"value": 0}, {"value": 999999}]})";
  }
  std::string text = definition(items);
  // No band set: the band check would report the range differently.
  text.replace(text.find("\"band_sets\""), std::string("\"band_sets\"").size(), "\"note\"");
  text.replace(text.find("\"advice\""), text.rfind('}') - text.find("\"advice\""),
               "\"notes\": \"\"\n");
  EXPECT_EQ(errors_for(text),
            std::vector<std::string>{"edge.json: /total: the item scores of scale 'total' can add "
                                     "up beyond -9999999.99 to 9999999.99"});
}

// An optional item left unanswered adds 0. With options 1 and 2 the scale's range was computed as
// 1..5, so the complete result "score 0" was below it and advise_result_json refused the engine's
// own result.
TEST(EdgeCases, UnansweredOptionalItem_ScoreStaysInTheScaleRange) {
  const std::string items = R"(
    {"id": "a", "options": [{"value": 0}, {"value": 1}, {"value": 2}, {"value": 3}]},
    {"id": "extra", "options": [{"value": 1}, {"value": 2}], "required": false})";
  std::string text = definition(items);
  text.replace(text.find(R"("max": 3)"), 8, R"("max": 5)");
  kindband::Library library;
  std::vector<kindband::Error> errors;
  ASSERT_TRUE(library.add_instrument("edge.json", text, &errors))
      << (errors.empty() ? "" : errors[0].to_string());
  const kindband::Instrument& instrument = *library.find("edge");
  EXPECT_EQ(instrument.scales[0].min_hundredths, 0);
  EXPECT_EQ(instrument.scales[0].max_hundredths, 500);

  kindband::Result result;
  kindband::Error error;
  ASSERT_TRUE(kindband::score_instrument(instrument, {0, kindband::kMissing}, {}, &result, &error));
  ASSERT_TRUE(result.complete);
  EXPECT_EQ(result.scales[0].score_hundredths, 0);
  ASSERT_NE(result.scales[0].band, nullptr);
  kindband::Advice from_result;
  kindband::Advice from_json;
  ASSERT_TRUE(kindband::advise(result, "en", &from_result, &error));
  ASSERT_TRUE(
      kindband::advise_result_json(library, kindband::to_json(result), "en", &from_json, &error))
      << error.to_string();
  EXPECT_EQ(kindband::to_json(from_json), kindband::to_json(from_result));
}

// strtod turned 1e999 into infinity and the loader said "number out of range"; the JSON reader
// now refuses it, as nlohmann::json (the server's reader) does.
TEST(EdgeCases, NumbersBeyondDoubleRange_RefusedByTheJsonReader) {
  for (const char* number : {"1e999", "-1e999", "1" /* 400 digits below */}) {
    std::string written = number;
    if (written == "1") written += std::string(400, '0');
    const std::string text = definition(kTwoItems, "", written);
    const std::vector<std::string> errors = errors_for(text);
    ASSERT_EQ(errors.size(), 1u) << written;
    EXPECT_EQ(errors[0].rfind("edge.json: invalid JSON at line 2, column ", 0), 0u) << errors[0];
    EXPECT_NE(errors[0].find(": number out of range: "), std::string::npos) << errors[0];
  }
  // Tiny numbers underflow to zero, as in nlohmann::json: not an error.
  EXPECT_EQ(errors_for(definition(kTwoItems, "", "1e-999")),
            std::vector<std::string>{"edge.json: /year: expected a whole number, found number"});
}

}  // namespace
}  // namespace edge_cases_tests
