// The loader rejects bad definitions with errors naming the file, the JSON pointer and what is
// wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kindband/engine.h"

namespace loader_tests {
namespace {

using nlohmann::json;

// A small valid instrument; each test breaks one thing.
json valid_definition() {
  return json::parse(R"({
    "id": "mini", "version": "1", "name": {"en": "Mini", "nl": "Mini"},
    "authors": "Test", "year": 2020, "citation": "Test 2020", "licence": "Test licence",
    "wording": {"en": {"validated": false, "source": "test"}},
    "option_sets": {"four": [
      {"value": 0, "label": {"en": "a"}}, {"value": 1, "label": {"en": "b"}},
      {"value": 2, "label": {"en": "c"}}, {"value": 3, "label": {"en": "d"}}]},
    "items": [
      {"id": "1", "text": {"en": "one"}, "options": "four", "expected_options": 4},
      {"id": "2", "text": {"en": "two"}, "options": "four"},
      {"id": "3", "text": {"en": "three"}, "options": "four"}],
    "total": {"band_sets": [{"id": "set", "source": "Test 2020", "bands": [
      {"id": "low", "min": 0, "max": 4}, {"id": "high", "min": 5, "max": 9, "positive": true}]}]},
    "subscales": [{"id": "first_two", "name": {"en": "First two"}, "items": ["1", "2"]}],
    "safety_rules": [{"id": "danger", "item": "3", "min_score": 1, "source": "Test 2020"}],
    "advice": {
      "bands": {
        "low": {"nl": {"title": "t", "text": "x"}, "en": {"title": "t", "text": "x"}},
        "high": {"nl": {"title": "t", "text": "x"}, "en": {"title": "t", "text": "x", "steps": ["s"]}}},
      "safety": {"danger": {"nl": {"title": "t", "text": "x"}, "en": {"title": "t", "text": "x"}}}}
  })");
}

std::vector<std::string> errors_for_text(const std::string& text) {
  std::vector<kindband::Error> errors;
  bool ok = kindband::Library::validate_instrument("mini.json", text, &errors);
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.to_string());
  EXPECT_EQ(ok, out.empty());
  return out;
}

std::vector<std::string> errors_for(const json& definition) {
  return errors_for_text(definition.dump());
}

// True when one error equals `expected` exactly.
::testing::AssertionResult has_error(const std::vector<std::string>& errors,
                                     const std::string& expected) {
  for (const auto& e : errors) {
    if (e == expected) return ::testing::AssertionSuccess();
  }
  std::string all;
  for (const auto& e : errors) all += "\n  " + e;
  return ::testing::AssertionFailure() << "missing error: " << expected << "\ngot:" << all;
}

TEST(Loader, AcceptsValidDefinition) { EXPECT_TRUE(errors_for(valid_definition()).empty()); }

TEST(Loader, ReportsMalformedJsonWithLineAndColumn) {
  auto errors = errors_for_text("{\n  \"id\": \"mini\",\n  \"version\": }");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "mini.json: invalid JSON at line 3, column 14: unexpected '}'");
}

TEST(Loader, ReportsTruncatedJson) {
  auto errors = errors_for_text("{\"id\": \"mi");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("unexpected end of input"), std::string::npos) << errors[0];
}

TEST(Loader, ReportsWrongOptionCountAtItsPointer) {
  json d = valid_definition();
  d["items"][0]["expected_options"] = 5;
  EXPECT_TRUE(has_error(errors_for(d), "mini.json: /items/0/options: expected 5 options, found 4"));
}

TEST(Loader, AcceptsTrailingItemsThatMayBeLeftOut) {
  json d = valid_definition();
  for (const char* id : {"4", "5"}) {
    d["items"].push_back({{"id", id},
                          {"text", {{"en", "closing"}}},
                          {"options", "four"},
                          {"scored", false},
                          {"required", false},
                          {"may_be_left_out", true}});
  }
  EXPECT_TRUE(errors_for(d).empty());
}

TEST(Loader, ReportsAnItemThatMayBeLeftOutButIsScoredOrRequired) {
  json d = valid_definition();
  d["items"].push_back(
      {{"id", "4"}, {"text", {{"en", "closing"}}}, {"options", "four"}, {"may_be_left_out", true}});
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /items/3/may_be_left_out: an item that may be left out must "
                        "have \"scored\": false and \"required\": false"));
}

TEST(Loader, ReportsAnItemThatMayBeLeftOutBeforeOneThatMayNot) {
  json d = valid_definition();
  d["items"][1]["scored"] = false;
  d["items"][1]["required"] = false;
  d["items"][1]["may_be_left_out"] = true;
  d["subscales"][0]["items"] = {"1"};
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /items/1/may_be_left_out: only the last items may be left out "
                        "(item '3' after it may not)"));
}

TEST(Loader, ReportsDuplicateItemIds) {
  json d = valid_definition();
  d["items"][2]["id"] = "1";
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /items/2/id: duplicate item id '1' (first at /items/0)"));
}

TEST(Loader, ReportsSubscaleNamingUnknownItem) {
  json d = valid_definition();
  d["subscales"][0]["items"][1] = "26";
  EXPECT_TRUE(
      has_error(errors_for(d),
                "mini.json: /subscales/0/items/1: subscale 'first_two' names unknown item '26'"));
}

TEST(Loader, ReportsGapBetweenBands) {
  json d = valid_definition();
  d["total"]["band_sets"][0]["bands"][1]["min"] = 6;
  EXPECT_TRUE(
      has_error(errors_for(d),
                "mini.json: /total/band_sets/0/bands/1: gap between bands 'low' (max 4) and "
                "'high' (min 6)"));
}

TEST(Loader, ReportsOverlappingBands) {
  json d = valid_definition();
  d["total"]["band_sets"][0]["bands"][1]["min"] = 4;
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /total/band_sets/0/bands/1: bands 'low' and 'high' overlap"));
}

TEST(Loader, ReportsBandsNotCoveringTheScale) {
  json d = valid_definition();
  d["total"]["band_sets"][0]["bands"][1]["max"] = 8;
  EXPECT_TRUE(
      has_error(errors_for(d),
                "mini.json: /total/band_sets/0/bands: last band 'high' ends at 8 but the scale "
                "ends at 9"));
  d = valid_definition();
  d["total"]["band_sets"][0]["bands"][0]["min"] = 1;
  EXPECT_TRUE(
      has_error(errors_for(d),
                "mini.json: /total/band_sets/0/bands/0: first band 'low' starts at 1 but the "
                "scale starts at 0"));
}

TEST(Loader, ReportsMissingAdviceForABand) {
  json d = valid_definition();
  d["advice"]["bands"].erase("high");
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /advice/bands: missing advice for band 'high' of scale 'total' "
                        "(key 'high' or 'total.high')"));
}

TEST(Loader, ReportsMissingAdviceLanguage) {
  json d = valid_definition();
  d["advice"]["bands"]["low"].erase("nl");
  EXPECT_TRUE(
      has_error(errors_for(d),
                "mini.json: /advice/bands/low: missing advice for band 'low' in language 'nl'"));
}

TEST(Loader, ReportsMissingAdviceForASafetyRule) {
  json d = valid_definition();
  d["advice"]["safety"].erase("danger");
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /advice/safety: missing advice for safety rule 'danger'"));
}

TEST(Loader, ReportsAdviceForUnknownBand) {
  json d = valid_definition();
  d["advice"]["bands"]["medium"] = d["advice"]["bands"]["low"];
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /advice/bands/medium: advice for unknown band 'medium'"));
}

TEST(Loader, ReportsSafetyRuleOnUnknownItem) {
  json d = valid_definition();
  d["safety_rules"][0]["item"] = "10";
  EXPECT_TRUE(
      has_error(errors_for(d),
                "mini.json: /safety_rules/0/item: safety rule 'danger' names unknown item '10'"));
}

TEST(Loader, ReportsMissingRequiredKey) {
  json d = valid_definition();
  d.erase("licence");
  EXPECT_TRUE(has_error(errors_for(d), "mini.json: missing required key 'licence'"));
}

TEST(Loader, ReportsWrongType) {
  json d = valid_definition();
  d["items"][1]["required"] = "yes";
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /items/1/required: expected true or false, found string"));
}

TEST(Loader, ReportsUnknownKeys) {
  json d = valid_definition();
  d["items"][0]["reversed"] = true;
  EXPECT_TRUE(has_error(errors_for(d), "mini.json: /items/0/reversed: unknown key 'reversed'"));
}

TEST(Loader, ReportsUnknownLanguage) {
  json d = valid_definition();
  d["name"]["de"] = "Mini";
  EXPECT_TRUE(
      has_error(errors_for(d), "mini.json: /name/de: unknown language 'de' (expected nl, en)"));
}

TEST(Loader, ReportsUnknownOptionSet) {
  json d = valid_definition();
  d["items"][1]["options"] = "five";
  EXPECT_TRUE(has_error(errors_for(d), "mini.json: /items/1/options: unknown option set 'five'"));
}

TEST(Loader, ReportsMoreThanTwoDecimals) {
  json d = valid_definition();
  d["option_sets"]["four"][1]["value"] = 1.234;
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /option_sets/four/1/value: at most two decimals allowed"));
}

TEST(Loader, ReportsInvalidContextInBandSet) {
  json d = valid_definition();
  d["total"]["band_sets"][0]["when"] = {{"role", {"father"}}};
  EXPECT_TRUE(has_error(
      errors_for(d), "mini.json: /total/band_sets/0/when/role/0: expected one of mother, partner"));
}

TEST(Loader, ReportsDuplicateInstrumentInLibrary) {
  kindband::Library library;
  std::vector<kindband::Error> errors;
  ASSERT_TRUE(library.add_instrument("mini.json", valid_definition().dump(), &errors));
  EXPECT_FALSE(library.add_instrument("copy.json", valid_definition().dump(), &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(), "copy.json: /id: instrument 'mini' is already loaded");
}

TEST(Loader, ReportsAllProblemsOfAFileAtOnce) {
  json d = valid_definition();
  d["items"][0]["expected_options"] = 5;
  d["subscales"][0]["items"][1] = "99";
  EXPECT_GE(errors_for(d).size(), 2u);
}

TEST(Loader, BuiltinLibraryLoadsWithoutErrors) {
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin(&errors);
  for (const auto& e : errors) ADD_FAILURE() << e.to_string();
  EXPECT_NE(library.find("phq9"), nullptr);
}

// The browser's core and journey builds know the built-in instruments only by the summaries made at
// build time (cmake/instrument_summaries.mjs): they must say what the engine says of the files.
TEST(Loader, BuiltinSummariesEqualTheEnginesSummariesOfTheFiles) {
  std::vector<kindband::Error> errors;
  const kindband::Library loaded = kindband::Library::builtin(&errors);
  const kindband::Library summarized = kindband::Library::builtin_summaries(&errors);
  for (const auto& e : errors) ADD_FAILURE() << e.to_string();
  const std::vector<kindband::InstrumentSummary> expected = loaded.summaries();
  const std::vector<kindband::InstrumentSummary> actual = summarized.summaries();
  ASSERT_EQ(actual.size(), expected.size());
  ASSERT_EQ(expected.size(), loaded.instruments().size());
  EXPECT_TRUE(summarized.instruments().empty());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].id, expected[i].id);
    EXPECT_EQ(actual[i].version, expected[i].version) << expected[i].id;
    EXPECT_EQ(actual[i].name, expected[i].name) << expected[i].id;
    EXPECT_EQ(actual[i].short_name, expected[i].short_name) << expected[i].id;
    EXPECT_EQ(actual[i].wording_languages, expected[i].wording_languages) << expected[i].id;
    for (const char* language : {"nl", "en", "de"}) {
      EXPECT_EQ(summarized.has_wording(expected[i].id, language),
                loaded.has_wording(expected[i].id, language))
          << expected[i].id << " " << language;
    }
    EXPECT_TRUE(summarized.knows(expected[i].id));
  }
  // The summaries are not all alike: EPDS ships without wording, PHQ-9 with both languages.
  EXPECT_FALSE(summarized.has_wording("epds", "nl"));
  EXPECT_TRUE(summarized.has_wording("phq9", "nl"));
  EXPECT_FALSE(summarized.knows("phq10"));
  // named_in (the quick language check of every wasm call) agrees with the summaries' names, in the
  // loaded, the summarized and an empty library.
  const kindband::Library empty;
  for (const char* language : {"nl", "en", "de", ""}) {
    bool named = false;
    for (const kindband::InstrumentSummary& summary : expected) {
      named = named || summary.name.count(language) != 0;
    }
    EXPECT_EQ(loaded.named_in(language), named) << language;
    EXPECT_EQ(summarized.named_in(language), named) << language;
    EXPECT_FALSE(empty.named_in(language)) << language;
  }
  EXPECT_TRUE(summarized.named_in("nl"));
  EXPECT_FALSE(summarized.named_in("de"));
}

TEST(Loader, AnInstrumentAddedToASummarizedLibraryReplacesItsSummary) {
  std::vector<kindband::Error> errors;
  kindband::Library library = kindband::Library::builtin_summaries(&errors);
  const size_t known = library.summaries().size();
  EXPECT_EQ(library.find("mini"), nullptr);
  ASSERT_TRUE(library.add_instrument("mini.json", valid_definition().dump(), &errors));
  EXPECT_EQ(library.summaries().size(), known + 1);  // mini was not built in
  ASSERT_NE(library.find("mini"), nullptr);
  EXPECT_TRUE(library.knows("mini"));
  EXPECT_EQ(library.instruments().size(), 1u);
}

// Wording packs.

kindband::Library library_with_mini() {
  kindband::Library library;
  std::vector<kindband::Error> errors;
  EXPECT_TRUE(library.add_instrument("mini.json", valid_definition().dump(), &errors));
  return library;
}

json valid_pack() {
  return json::parse(R"({
    "wording_pack": "mini-nl", "instrument": "mini", "instrument_version": "1", "language": "nl",
    "validated": true, "source": "Test translation 2021", "licence": "Licensed to test",
    "title": "Mini NL", "period": "In de afgelopen week",
    "items": {
  "1" : {"text" : "een", "options" : [ "A", "B", "C", "D" ]},
        "2" : {"text" : "twee", "options" : [ "A", "B", "C", "D" ]},
              "3" : {
    "text" : "drie", "options" : [ "A", "B", "C", "D" ]
  }}
  })");
}

TEST(WordingPack, SuppliesWordingAndValidationMark) {
  kindband::Library library = library_with_mini();
  std::vector<kindband::Error> errors;
  ASSERT_TRUE(library.add_wording_pack("mini-nl.json", valid_pack().dump(), &errors));
  const kindband::Instrument* in = library.find("mini");
  EXPECT_EQ(in->items[0].text.at("nl"), "een");
  EXPECT_EQ(in->items[0].options[3].label.at("nl"), "D");
  EXPECT_EQ(in->items[0].text.at("en"), "one");
  EXPECT_TRUE(in->wording.at("nl").validated);
  EXPECT_EQ(in->wording.at("nl").source, "Test translation 2021");
  EXPECT_EQ(in->name.at("nl"), "Mini NL");
  EXPECT_EQ(in->period.at("nl"), "In de afgelopen week");
  EXPECT_TRUE(kindband::has_wording(*in, "nl"));
}

TEST(WordingPack, NamesEveryMissingAndExtraKey) {
  kindband::Library library = library_with_mini();
  json pack = valid_pack();
  pack.erase("title");
  pack.erase("period");
  pack["items"].erase("2");
  pack["items"]["3"].erase("options");
  pack["items"]["4"] = {{"text", "vier"}, {"options", {"A", "B", "C", "D"}}};
  pack["subtitle"] = "x";
  std::vector<kindband::Error> errors;
  EXPECT_FALSE(library.add_wording_pack("mini-nl.json", pack.dump(), &errors));
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.to_string());
  EXPECT_TRUE(has_error(messages, "mini-nl.json: missing required key 'title'"));
  EXPECT_TRUE(has_error(messages, "mini-nl.json: missing required key 'period'"));
  EXPECT_TRUE(has_error(messages,
                        "mini-nl.json: /items: missing item '2' of 'mini' (a pack supplies every "
                        "item)"));
  EXPECT_TRUE(has_error(messages, "mini-nl.json: /items/3: missing required key 'options'"));
  EXPECT_TRUE(has_error(messages, "mini-nl.json: /items/4: unknown item '4' in 'mini'"));
  EXPECT_TRUE(has_error(messages, "mini-nl.json: /subtitle: unknown key 'subtitle'"));
  EXPECT_FALSE(kindband::has_wording(*library.find("mini"), "nl")) << "nothing applied on error";
}

TEST(Loader, ReportsItemWordingMissingInOneItemOfALanguage) {
  json d = valid_definition();
  d["items"][1].erase("text");
  d["items"][2]["options"] = json::parse(R"([{"value": 0}, {"value": 1, "label": {"en": "b"}}])");
  auto errors = errors_for(d);
  EXPECT_TRUE(has_error(
      errors, "mini.json: /items/1/text: no 'en' text, but other items have 'en' wording"));
  EXPECT_TRUE(has_error(errors,
                        "mini.json: /items/2/options/0/label: no 'en' label, but the items have "
                        "'en' wording"));
}

TEST(WordingPack, ReportsWrongOptionCount) {
  kindband::Library library = library_with_mini();
  json pack = valid_pack();
  pack["items"]["1"]["options"] = {"A", "B", "C"};
  std::vector<kindband::Error> errors;
  EXPECT_FALSE(library.add_wording_pack("mini-nl.json", pack.dump(), &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].to_string(), "mini-nl.json: /items/1/options: expected 4 options, found 3");
  EXPECT_EQ(library.find("mini")->items[0].text.count("nl"), 0u) << "nothing applied on error";
}

TEST(WordingPack, ReportsUnknownItemAndVersionMismatch) {
  kindband::Library library = library_with_mini();
  json pack = valid_pack();
  pack["items"]["7"] = {{"text", "zeven"}};
  pack["instrument_version"] = "2";
  std::vector<kindband::Error> errors;
  EXPECT_FALSE(library.add_wording_pack("mini-nl.json", pack.dump(), &errors));
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.to_string());
  EXPECT_TRUE(has_error(messages, "mini-nl.json: /items/7: unknown item '7' in 'mini'"));
  EXPECT_TRUE(has_error(messages,
                        "mini-nl.json: /instrument_version: pack is for version '2' but 'mini' is "
                        "version '1'"));
}

TEST(WordingPack, ReportsUnknownInstrument) {
  kindband::Library library = library_with_mini();
  json pack = valid_pack();
  pack["instrument"] = "nope";
  std::vector<kindband::Error> errors;
  EXPECT_FALSE(library.add_wording_pack("p.json", pack.dump(), &errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].to_string(), "p.json: /instrument: unknown instrument 'nope'");
}

// Reassuring advice, secondary scales and the better direction (issue 11).

TEST(Loader, ReadsReassuringAdviceSecondaryScaleAndBetterDirection) {
  json d = valid_definition();
  d["advice"]["bands"]["low"]["nl"]["reassuring"] = true;
  d["advice"]["bands"]["low"]["en"]["reassuring"] = true;
  d["subscales"][0]["secondary"] = true;
  d["subscales"][0]["better"] = "lower";
  kindband::Library library;
  std::vector<kindband::Error> errors;
  ASSERT_TRUE(library.add_instrument("mini.json", d.dump(), &errors));
  const kindband::Instrument* in = library.find("mini");
  EXPECT_TRUE(in->band_advice.at("low").at("en").reassuring);
  EXPECT_FALSE(in->band_advice.at("high").at("en").reassuring);
  EXPECT_TRUE(in->scales[1].secondary);
  EXPECT_EQ(in->scales[1].better, "lower");
  EXPECT_FALSE(in->scales[0].secondary);
}

TEST(Loader, ReportsReassuringAdviceOnAPositiveBand) {
  json d = valid_definition();
  d["advice"]["bands"]["high"]["nl"]["reassuring"] = true;
  d["advice"]["bands"]["high"]["en"]["reassuring"] = true;
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /advice/bands/high: advice for band 'high' of scale 'total' is "
                        "marked reassuring, but the band is positive"));
}

TEST(Loader, ReportsReassuringInOnlyOneLanguage) {
  json d = valid_definition();
  d["advice"]["bands"]["low"]["en"]["reassuring"] = true;
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /advice/bands/low: 'reassuring' must be the same in every "
                        "language of band advice 'low'"));
}

TEST(Loader, ReportsReassuringSafetyAdvice) {
  json d = valid_definition();
  d["advice"]["safety"]["danger"]["en"]["reassuring"] = true;
  EXPECT_TRUE(has_error(errors_for(d),
                        "mini.json: /advice/safety/danger/en/reassuring: only band advice can be "
                        "reassuring (it is left out when a safety rule fires)"));
}

TEST(Loader, ReportsUnknownBetterDirection) {
  json d = valid_definition();
  d["total"]["better"] = "up";
  EXPECT_TRUE(
      has_error(errors_for(d), "mini.json: /total/better: expected \"higher\" or \"lower\""));
}

}  // namespace
}  // namespace loader_tests
