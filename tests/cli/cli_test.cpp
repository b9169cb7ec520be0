// The kindband command line, run as a real process: output, messages and exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "support/cli_run.h"

namespace {

using kindband_test::CliRun;
using kindband_test::contains;
using kindband_test::temp_path;

CliRun run(const std::string& args) { return kindband_test::run_cli(KINDBAND_CLI, args); }

std::string write_temp(const std::string& name, const std::string& content) {
  std::string path = temp_path(name);
  std::ofstream(path) << content;
  return path;
}

TEST(Cli, ListsInstruments) {
  CliRun r = run("list");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "phq9")) << r.out;
  EXPECT_TRUE(contains(r.out, "pbq")) << r.out;
}

TEST(Cli, ShowsAnInstrument) {
  CliRun r = run("show phq9 --lang en");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Safety rule self_harm: item 9 >= 1")) << r.out;
  CliRun json = run("show phq9 --json --lang nl");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(json.out.rfind("{\"id\":\"phq9\"", 0), 0u) << json.out;
}

TEST(Cli, ScoresAnswersToResultJson) {
  CliRun r = run("score --instrument phq9 --answers 1,1,1,1,2,2,2,2,0");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, R"("scales":[{"id":"total","complete":true,"score":12,)")) << r.out;
  EXPECT_TRUE(contains(r.out, R"("band":{"id":"moderate")")) << r.out;
  EXPECT_TRUE(contains(r.out, R"("flags":[])")) << r.out;
}

TEST(Cli, EmptyPositionIsAMissingAnswer) {
  CliRun r = run("score --instrument phq9 --answers 0,1,,3,0,0,0,0,1");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, R"("complete":false,"answered":8,"item_count":9,"missing":["3"])"))
      << r.out;
  EXPECT_TRUE(contains(r.out, R"("flags":["self_harm"])")) << r.out;
}

TEST(Cli, LangAddsAdvice) {
  CliRun r = run("score --instrument phq9 --answers 0,0,0,0,0,0,0,0,1 --lang nl");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(R"({"result":{"instrument":"phq9")", 0), 0u) << r.out;
  EXPECT_TRUE(
      contains(r.out, R"("advice":{"language":"nl","entries":[{"kind":"safety","id":"self_harm")"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "0800-0113")) << r.out;
}

TEST(Cli, ContextChoosesTheBandSet) {
  std::string answers =
      " --answers 0,0,1,0,1,1,1,1,1,1";  // EPDS, reversed items at position 1 -> 2
  CliRun first =
      run("score --instrument epds --context role=mother,stage=pregnancy,week=10" + answers);
  CliRun second =
      run("score --instrument epds --context role=mother,stage=pregnancy,week=20" + answers);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(contains(first.out, R"("context":{"role":"mother","stage":"pregnancy","week":10})"));
  EXPECT_NE(first.out, second.out);
}

TEST(Cli, OutOfRangeAnswerIsInvalidInput) {
  CliRun r = run("score --instrument phq9 --answers 0,1,7,3,0,0,0,0,0");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(contains(r.err, "phq9: /answers/2: answer 7 is out of range for item '3'")) << r.err;
}

TEST(Cli, NonNumericAndWrongCountAreInvalidInput) {
  CliRun letters = run("score --instrument phq9 --answers 0,a,0,0,0,0,0,0,0");
  EXPECT_EQ(letters.exit_code, 3);
  EXPECT_TRUE(contains(letters.err, "/answers/1: 'a' is not an option position")) << letters.err;
  CliRun count = run("score --instrument phq9 --answers 0,0");
  EXPECT_EQ(count.exit_code, 3);
  EXPECT_TRUE(contains(count.err, "phq9: /answers: expected 9 or 10 answers, found 2"))
      << count.err;
}

TEST(Cli, UnknownInstrumentIsInvalidInput) {
  CliRun r = run("score --instrument nope --answers 0");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, "unknown instrument 'nope'")) << r.err;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  EXPECT_EQ(run("score --answers 0").exit_code, 2);
  EXPECT_EQ(run("score --instrument phq9").exit_code, 2);
  EXPECT_EQ(run("score --instrument phq9 --answers 0 --lang de").exit_code, 2);
  EXPECT_EQ(run("score --instrument phq9 --answers 0 --colour red").exit_code, 2);
  CliRun context = run("score --instrument epds --context role=father --answers 0");
  EXPECT_EQ(context.exit_code, 2);
  EXPECT_TRUE(contains(context.err, "role must be mother or partner")) << context.err;
}

TEST(Cli, ValidateAcceptsTheLibraryAndRejectsBrokenFiles) {
  CliRun good =
      run(std::string("validate ") + KINDBAND_SOURCE_DIR + "/engine/instruments/phq9.json");
  EXPECT_EQ(good.exit_code, 0) << good.err;
  std::string broken = write_temp("broken.json", R"({"id": "x", "version": "1"})");
  CliRun bad = run("validate " + broken);
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(contains(bad.err, "broken.json: missing required key 'items'")) << bad.err;
  CliRun missing = run("validate /nonexistent/file.json");
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_TRUE(contains(missing.err, "/nonexistent/file.json: cannot read file")) << missing.err;
}

TEST(Cli, ValidateChecksConversationFilesLikeInstruments) {
  const std::string shipped =
      std::string(KINDBAND_SOURCE_DIR) + "/engine/conversations/triage-parent-child.json";
  CliRun good = run("validate " + shipped);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  std::ifstream in(shipped);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "\"leads_to\": \"referral\"";
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "\"leads_to\": \"phone\"");
  CliRun bad = run("validate " + write_temp("triage-broken.json", text));
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(contains(bad.err, "triage-broken.json: /judgements/")) << bad.err;
  EXPECT_TRUE(contains(bad.err, "/leads_to: expected")) << bad.err;
}

TEST(Cli, BatchScoresEveryGoodLineAndReportsBadOnesByLineNumber) {
  std::string csv = write_temp("responses.csv",
                               "# id,answers\n"
                               "r1,0,0,0,0,0,0,0,0,0\n"
                               "1,1,1,1,2,2,2,2,0\n"
                               "r3,0,9,0,0,0,0,0,0,0\n"
                               "\n"
                               "0,0,,0,0,0,0,0,0\r\n"
                               "x,y\n");
  CliRun r = run("score --instrument phq9 --csv " + csv);
  EXPECT_EQ(r.exit_code, 3) << "bad lines make the batch exit 3 after scoring the rest";
  std::istringstream lines(r.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) ++count;
  EXPECT_EQ(count, 3) << r.out;
  EXPECT_TRUE(contains(r.out, R"({"line":2,"id":"r1","result":{"instrument":"phq9")")) << r.out;
  EXPECT_TRUE(contains(r.out, R"({"line":3,"result":)")) << r.out;
  EXPECT_TRUE(contains(r.out, R"({"line":6,"result":)")) << r.out;
  EXPECT_TRUE(contains(r.err, "responses.csv:4: /answers/1: answer 9 is out of range")) << r.err;
  EXPECT_TRUE(contains(r.err, "responses.csv:7: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "2 invalid line(s) skipped")) << r.err;
}

}  // namespace

// Wording packs without a developer (issue 11): the template names every key, validate names each
// key still missing, and a filled template adds the wording.
namespace {

std::string fill_placeholders(std::string text) {
  int counter = 0;
  for (size_t at = text.find("\"\""); at != std::string::npos; at = text.find("\"\"", at)) {
    const std::string value = "\"Placeholder " + std::to_string(++counter) + "\"";
    text.replace(at, 2, value);
    at += value.size();
  }
  return text;
}

TEST(CliWordingPack, TemplateHasEveryKeyAndValidateNamesEachEmptyOne) {
  CliRun made = run("wording-pack template epds --lang nl");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(contains(made.out, "\"instrument_version\": \"1987\""));
  EXPECT_TRUE(
      contains(made.out, "\"10\": {\"text\": \"\", \"options\": [\"\", \"\", \"\", \"\"]}"));
  EXPECT_TRUE(contains(made.err, "item 3: 4 options in printed order, scored 3 2 1 0"));
  const std::string path = temp_path("epds-template.nl.json");
  std::ofstream(path) << made.out;
  CliRun checked = run("validate " + path);
  EXPECT_EQ(checked.exit_code, 3);
  EXPECT_TRUE(contains(checked.err, "/title: must not be empty"));
  EXPECT_TRUE(contains(checked.err, "/period: must not be empty"));
  EXPECT_TRUE(contains(checked.err, "/items/10/text: must not be empty"));
  EXPECT_TRUE(contains(checked.err, "/items/10/options/3: expected a non-empty string"));
}

TEST(CliWordingPack, FilledTemplateValidatesAndSuppliesTheWording) {
  CliRun made = run("wording-pack template epds --lang nl");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string path = temp_path("epds-filled.nl.json");
  std::ofstream(path) << fill_placeholders(made.out);
  CliRun checked = run("validate " + path);
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  CliRun shown = run("show epds --lang nl --wording-pack " + path);
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_FALSE(contains(shown.out, "(no wording)")) << shown.out;
}

// The shipped template for the Dutch EPDS (Pop et al. 1992) keeps fitting the instrument: once a
// VSV has copied the licensed text into it, it validates and supplies the Dutch wording.
TEST(CliWordingPack, ShippedDutchEpdsTemplateFitsTheInstrument) {
  std::ifstream file(std::string(KINDBAND_SOURCE_DIR) +
                     "/examples/wording-packs/epds-nl-pop1992.template.json");
  ASSERT_TRUE(file) << "examples/wording-packs/epds-nl-pop1992.template.json is missing";
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(contains(text, "Pop VJ, Komproe IH, van Son MJ")) << text;
  EXPECT_TRUE(contains(text, "\"validated\": true")) << text;
  const std::string empty = temp_path("epds-pop1992-empty.nl.json");
  std::ofstream(empty) << text;
  CliRun unfilled = run("validate " + empty);
  EXPECT_EQ(unfilled.exit_code, 3);  // a template, not wording: never usable as it is
  const std::string path = temp_path("epds-pop1992.nl.json");
  std::ofstream(path) << fill_placeholders(text);
  CliRun checked = run("validate " + path);
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  CliRun shown = run("show epds --lang nl --wording-pack " + path);
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_FALSE(contains(shown.out, "(no wording)")) << shown.out;
}

TEST(CliWordingPack, PackWithAMissingItemIsRefusedNamingIt) {
  CliRun made = run("wording-pack template epds --lang nl");
  std::string text = fill_placeholders(made.out);
  const size_t at = text.find("\"10\":");
  ASSERT_NE(at, std::string::npos);
  text = text.substr(0, text.rfind(',', at)) + "\n  }\n}\n";
  const std::string path = temp_path("epds-missing.nl.json");
  std::ofstream(path) << text;
  CliRun checked = run("validate " + path);
  EXPECT_EQ(checked.exit_code, 3);
  EXPECT_TRUE(contains(checked.err, "/items: missing item '10' of 'epds'")) << checked.err;
}

TEST(Cli, BatchReadsPhq9WithAndWithoutItsClosingQuestion) {
  // PHQ-9's closing question may be left out: 9 or 10 answers. A line of 10 fields is then 10
  // answers or an id and 9: only an id that is not a number tells them apart, so a line of 10
  // numbers is refused instead of read either way.
  std::string csv = write_temp("closing.csv",
                               "r1,0,0,0,0,0,0,0,0,1\n"
                               "r2,0,0,0,0,0,0,0,0,1,3\n"
                               "0,0,0,0,0,0,0,0,1\n"
                               "7,0,0,0,0,0,0,0,0,1\n");
  CliRun r = run("score --instrument phq9 --csv " + csv);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.out, R"({"line":1,"id":"r1","result":{"instrument":"phq9")")) << r.out;
  EXPECT_TRUE(contains(r.out, R"({"line":2,"id":"r2","result":{"instrument":"phq9")")) << r.out;
  EXPECT_TRUE(contains(r.out, R"({"line":3,"result":)")) << r.out;
  EXPECT_TRUE(contains(r.out, R"("answered":9,"item_count":9,)")) << r.out;
  EXPECT_TRUE(contains(r.out, R"("answered":10,"item_count":10,)")) << r.out;
  EXPECT_TRUE(contains(r.err,
                       "closing.csv:4: /answers: 10 fields are 10 answers or a response id "
                       "and 9"))
      << r.err;
  EXPECT_FALSE(contains(r.out, R"({"line":4)")) << r.out;
}

}  // namespace
