#include "engine_calls.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using kindband::calls::Session;

const Session& session() {
  static const Session instance;
  return instance;
}

TEST(EngineCalls, BuiltinLibrary_LoadsWithoutErrors) { EXPECT_EQ(session().load_errors(), ""); }

TEST(EngineCalls, Score_SameTextAsTheEngine) {
  const auto reply = session().score("phq9", "[1,1,1,1,1,1,1,1,null]", R"({"role":"mother"})");
  ASSERT_TRUE(reply.ok) << reply.text;
  kindband::Result result;
  kindband::Error error;
  kindband::Context context;
  context.role = "mother";
  ASSERT_TRUE(kindband::score_instrument(*session().library().find("phq9"),
                                         {1, 1, 1, 1, 1, 1, 1, 1, kindband::kMissing}, context,
                                         &result, &error));
  EXPECT_EQ(reply.text, kindband::to_json(result));
}

TEST(EngineCalls, ParseAnswers_ErrorsSayWhereAndWhat) {
  kindband::Answers answers;
  std::string message;
  const std::pair<const char*, const char*> cases[] = {
      {"[0,\"x\"]",
       "phq9: /answers/1: expected an option position (a whole number) or null, "
       "found \"x\""},
      {"[0,-1]", "phq9: /answers/1: expected an option position (0 or more) or null, found -1"},
      {"[0,1.5]",
       "phq9: /answers/1: expected an option position (a whole number) or null, "
       "found 1.5"},
      {"[4294967296]", "phq9: /answers/0: answer 4294967296 is out of range"},
      {"[1e300]", "phq9: /answers/0: answer 1e300 is out of range"},
      {"{}", "phq9: /answers: expected an array of option positions, found an object"},
      {"[0,", "phq9: /answers: invalid JSON at line 1, column 4: unexpected end of input"},
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_FALSE(kindband::calls::parse_answers("phq9", input, &answers, &message)) << input;
    EXPECT_EQ(message, expected) << input;
  }
  ASSERT_TRUE(kindband::calls::parse_answers("phq9", "[0,null,3]", &answers, &message));
  EXPECT_EQ(answers, (kindband::Answers{0, kindband::kMissing, 3}));
}

// Numbers are named as the caller wrote them: 1.0 was called "answer 1 is out of range", a
// denormal printed as "-.92...e-325" and 1e999 (read as infinity) as "inf".
TEST(EngineCalls, ParseAnswers_NumbersNamedAsWritten) {
  kindband::Answers answers;
  std::string message;
  const std::pair<const char*, const char*> cases[] = {
      {"[1.0]",
       "phq9: /answers/0: expected an option position (a whole number) or null, found 1.0"},
      {"[1e0]",
       "phq9: /answers/0: expected an option position (a whole number) or null, found 1e0"},
      {"[-9.2e-325]",
       "phq9: /answers/0: expected an option position (a whole number) or null, found -9.2e-325"},
      {"[-0.0]",
       "phq9: /answers/0: expected an option position (a whole number) or null, found -0.0"},
      {"[100000000000000000000]", "phq9: /answers/0: answer 1e+20 is out of range"},
      {"[1e999]", "phq9: /answers: invalid JSON at line 1, column 2: number out of range: 1e999"},
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_FALSE(kindband::calls::parse_answers("phq9", input, &answers, &message)) << input;
    EXPECT_EQ(message, expected) << input;
  }
}

// {"week":"2147483648"} through the JS API overflowed an int while the digits were read.
TEST(EngineCalls, ParseContext_WeekOfManyDigits_Refused) {
  kindband::Context context;
  std::string message;
  for (const char* input : {R"({"week":"2147483648"})", R"({"week":2147483648})",
                            R"({"week":"99999999999999999999999"})"}) {
    EXPECT_FALSE(kindband::calls::parse_context_json(input, &context, &message)) << input;
    EXPECT_EQ(message, "/context/week: week must be a whole number from 0 to 120") << input;
  }
}

TEST(EngineCalls, ParseAnswers_TooLongOrTooMany_Refused) {
  kindband::Answers answers;
  std::string message;
  const std::string long_text(kindband::calls::kMaxAnswersBytes + 1, ' ');
  EXPECT_FALSE(kindband::calls::parse_answers("x", long_text, &answers, &message));
  EXPECT_EQ(message.rfind("x: /answers: too long", 0), 0u) << message;
  std::string many = "[0";
  for (size_t i = 0; i < kindband::calls::kMaxAnswers; ++i) many += ",0";
  EXPECT_FALSE(kindband::calls::parse_answers("x", many + "]", &answers, &message));
  EXPECT_NE(message.find("answers is too many"), std::string::npos) << message;
}

TEST(EngineCalls, ParseContext_ObjectToEngineContext) {
  kindband::Context context;
  std::string message;
  ASSERT_TRUE(kindband::calls::parse_context_json(
      R"({"role":"partner","stage":"postpartum","week":6})", &context, &message))
      << message;
  EXPECT_EQ(context.role, "partner");
  EXPECT_EQ(context.stage, "postpartum");
  EXPECT_EQ(context.week, 6);
  ASSERT_TRUE(kindband::calls::parse_context_json("", &context, &message));
  EXPECT_EQ(context.role, "");
  ASSERT_TRUE(kindband::calls::parse_context_json(R"({"role":null})", &context, &message));
  EXPECT_EQ(context.role, "");
}

TEST(EngineCalls, ParseContext_SeparatorsCannotSmuggleKeys) {
  kindband::Context context;
  std::string message;
  EXPECT_FALSE(kindband::calls::parse_context_json(R"({"role":"mother,stage=postpartum"})",
                                                   &context, &message));
  EXPECT_EQ(message, "/context/role: invalid value \"mother,stage=postpartum\"");
  EXPECT_FALSE(kindband::calls::parse_context_json(R"({"role=mother,x":"y"})", &context, &message));
  EXPECT_EQ(message.rfind("/context: unknown key", 0), 0u) << message;
}

TEST(EngineCalls, UnknownInstrumentAndLanguage_ListWhatExists) {
  auto reply = session().get_instrument("nope", "nl");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("unknown instrument \"nope\" (available: ", 0), 0u) << reply.text;
  reply = session().list_instruments("de");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "unknown language \"de\" (available: en, nl)");
}

TEST(EngineCalls, QuotedInput_CutAtCharacterBoundary) {
  // 59 ASCII bytes, then a 2-byte character straddling the 60-byte cut.
  const std::string id = std::string(59, 'a') + "\xc3\xa9" + "tail";
  const auto reply = session().get_instrument(id, "nl");
  ASSERT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("unknown instrument \"" + std::string(59, 'a') + "...\"", 0), 0u)
      << reply.text;
}

TEST(EngineCalls, AddWordingPack_InvalidLeavesLibraryUnchanged) {
  Session fresh;
  const std::string before = fresh.get_instrument("epds", "nl").text;
  const auto reply = fresh.add_wording_pack(R"({"wording_pack":"x","instrument":"epds"})");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("wording pack: ", 0), 0u) << reply.text;
  EXPECT_EQ(fresh.get_instrument("epds", "nl").text, before);
}

TEST(EngineCalls, AdviseResult_SameAdviceAsForTheAnswers) {
  const char answers[] = "[3,3,3,3,3,3,3,3,2]";
  const char context[] = R"({"role":"mother","stage":"postpartum","week":6})";
  const auto result = session().score("phq9", answers, context);
  ASSERT_TRUE(result.ok) << result.text;
  for (const char* language : {"nl", "en"}) {
    const auto from_answers = session().advise("phq9", answers, context, language);
    const auto from_result = session().advise_result(result.text, language);
    ASSERT_TRUE(from_result.ok) << from_result.text;
    EXPECT_EQ(from_result.text, from_answers.text);
    EXPECT_NE(from_result.text.find(R"("kind":"safety")"), std::string::npos) << from_result.text;
  }
}

TEST(EngineCalls, AdviseResult_ErrorsPointIntoTheResult) {
  const auto result = session().score("phq9", "[0,0,0,0,0,0,0,0,0]", "");
  ASSERT_TRUE(result.ok) << result.text;
  std::string changed = result.text;
  const size_t flags = changed.find(R"("flags":[])");
  ASSERT_NE(flags, std::string::npos);
  changed.replace(flags, 10, R"("flags":["nope"])");
  auto reply = session().advise_result(changed, "nl");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "phq9: /result/flags/0: unknown safety rule 'nope'");
  reply = session().advise_result("{", "nl");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("/result: invalid JSON", 0), 0u) << reply.text;
  reply = session().advise_result(result.text, "de");
  EXPECT_EQ(reply.text, "unknown language \"de\" (available: en, nl)");
  reply = session().advise_result(std::string(kindband::calls::kMaxResultBytes + 1, ' '), "nl");
  EXPECT_EQ(reply.text, "result: too long (65537 bytes, at most 65536)");
}

TEST(EngineCalls, AdviseSession_NoReassuranceBesideAnotherQuestionnairesSafetyHelp) {
  // PHQ-9 item 9 "Nearly every day" and a calm GAD-7 in one journey moment.
  const char session_json[] = R"([{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,3]},)"
                              R"({"instrument":"gad7","answers":[1,0,0,0,0,0,0]}])";
  const char context[] = R"({"role":"mother","stage":"pregnancy","week":22})";
  for (const char* language : {"nl", "en"}) {
    const auto reply = session().advise_session(session_json, context, language);
    ASSERT_TRUE(reply.ok) << reply.text;
    EXPECT_EQ(reply.text.rfind(R"({"safety":true,"advice":[{"language":")", 0), 0u) << reply.text;
    EXPECT_EQ(reply.text.find(R"("id":"minimal")"), std::string::npos) << reply.text;
    // Alone, the GAD-7 keeps its reassurance.
    const auto alone = session().advise("gad7", "[1,0,0,0,0,0,0]", context, language);
    EXPECT_NE(alone.text.find(R"("id":"minimal")"), std::string::npos) << alone.text;
  }
  const auto calm =
      session().advise_session(R"([{"instrument":"gad7","answers":[1,0,0,0,0,0,0]}])", "", "nl");
  ASSERT_TRUE(calm.ok) << calm.text;
  EXPECT_EQ(calm.text, R"({"safety":false,"advice":[)" +
                           session().advise("gad7", "[1,0,0,0,0,0,0]", "", "nl").text + "]}");
}

TEST(EngineCalls, AdviseSession_ErrorsSayWhereAndWhat) {
  auto reply = session().advise_session("{}", "", "nl");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text.rfind("session: expected an array of 1 to 16", 0), 0u) << reply.text;
  reply = session().advise_session(R"([{"instrument":"nope","answers":[]}])", "", "nl");
  EXPECT_EQ(reply.text.rfind("session: /0/instrument: unknown instrument", 0), 0u) << reply.text;
  reply = session().advise_session(R"([{"instrument":"phq9","answers":[0,"x"]}])", "", "nl");
  EXPECT_EQ(reply.text.rfind("phq9: /answers/1: ", 0), 0u) << reply.text;
  reply = session().advise_session(R"([{"instrument":"phq9"}])", "", "nl");
  EXPECT_FALSE(reply.ok);
  reply = session().advise_session(R"([{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0]}])", "",
                                   "de");
  EXPECT_EQ(reply.text, "unknown language \"de\" (available: en, nl)");
}

// The browser's core and journey builds start from the summaries and add instruments at run time.
TEST(EngineCalls, SummariesOnly_ListEverythingScoreOnlyWhatIsAdded) {
  std::vector<kindband::Error> errors;
  Session fresh(kindband::Library::builtin_summaries(&errors), errors);
  EXPECT_EQ(fresh.load_errors(), "");
  EXPECT_EQ(fresh.list_instruments("nl").text, session().list_instruments("nl").text);
  EXPECT_EQ(fresh.loaded_instruments().text, "[]");
  const auto before = fresh.score("phq9", "[0,0,0,0,0,0,0,0,0]", "");
  EXPECT_FALSE(before.ok);
  EXPECT_EQ(
      before.text,
      "instrument \"phq9\" is not loaded: add its file first (addInstrument, docs/js-api.md)");
  std::ifstream file(std::string(KINDBAND_SOURCE_DIR) + "/engine/instruments/phq9.json");
  std::stringstream definition;
  definition << file.rdbuf();
  const auto added = fresh.add_instrument("phq9.json", definition.str());
  ASSERT_TRUE(added.ok) << added.text;
  EXPECT_EQ(fresh.loaded_instruments().text, "[\"phq9\"]");
  EXPECT_EQ(fresh.score("phq9", "[0,1,2,3,0,1,2,3,0]", "").text,
            session().score("phq9", "[0,1,2,3,0,1,2,3,0]", "").text);
  EXPECT_EQ(fresh.get_instrument("phq9", "en").text, session().get_instrument("phq9", "en").text);
  const auto again = fresh.add_instrument("phq9.json", definition.str());
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.text, "phq9.json: /id: instrument 'phq9' is already loaded");
  const auto broken = fresh.add_instrument("broken.json", "{\"id\":");
  EXPECT_FALSE(broken.ok);
  EXPECT_EQ(broken.text.rfind("broken.json: ", 0), 0u) << broken.text;
  EXPECT_EQ(fresh.loaded_instruments().text, "[\"phq9\"]");
}

}  // namespace
