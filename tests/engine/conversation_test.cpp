// The intake triage as data (issue 15): the built-in conversation file loads against the library,
// carries the ten indicators and the six elements in nl and en, a broken file is refused with the
// place and the problem, and a record is checked and written in canonical form.
#include "kindband/conversation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using kindband::Error;
using kindband::Library;
using kindband::conversation::builtin_conversations;
using kindband::conversation::check_record;
using kindband::conversation::Conversation;
using kindband::conversation::find_conversation;
using kindband::conversation::load_conversation;
using nlohmann::json;

const Library& library() {
  static const Library lib = [] {
    std::vector<Error> errors;
    Library l = Library::builtin(&errors);
    EXPECT_TRUE(errors.empty());
    return l;
  }();
  return lib;
}

const Conversation& triage() {
  static const std::vector<Conversation> all = [] {
    std::vector<Error> errors;
    auto list = builtin_conversations(library(), &errors);
    for (const Error& e : errors) ADD_FAILURE() << e.to_string();
    return list;
  }();
  const Conversation* found = find_conversation(all, "triage_parent_child");
  EXPECT_NE(found, nullptr);
  return *found;
}

std::string join(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += e.to_string() + "\n";
  return out;
}

TEST(Conversation, TheBuiltInTriageHasTheTenIndicatorsAndTheSixElementsInDutchAndEnglish) {
  const Conversation& c = triage();
  ASSERT_EQ(c.sections.size(), 2u);
  EXPECT_EQ(c.sections[0].id, "indicators");
  EXPECT_EQ(c.sections[0].topics.size(), 10u);
  EXPECT_EQ(c.sections[1].id, "elements");
  std::vector<std::string> elements;
  for (const auto& topic : c.sections[1].topics) elements.push_back(topic.id);
  EXPECT_EQ(elements,
            (std::vector<std::string>{"feeding_and_care", "contact", "calming", "emotional_safety",
                                      "fun_together", "physical_contact"}));
  for (const auto& section : c.sections) {
    EXPECT_EQ(section.default_status, "not_discussed");
    for (const auto& topic : section.topics) {
      EXPECT_FALSE(topic.label.nl.empty()) << topic.id;
      EXPECT_FALSE(topic.label.en.empty()) << topic.id;
      EXPECT_FALSE(topic.prompt.nl.empty()) << topic.id;
      EXPECT_FALSE(topic.prompt.en.empty()) << topic.id;
    }
  }
  // Every indicator is also asked by the questionnaire of support indicators.
  for (const auto& topic : c.sections[0].topics) {
    ASSERT_EQ(topic.questionnaires.size(), 1u) << topic.id;
    EXPECT_EQ(topic.questionnaires[0].instrument, "support_indicators");
  }
  // A record of judgement: standard care leads nowhere, the others to an agreement or referral.
  ASSERT_GE(c.judgements.size(), 3u);
  EXPECT_EQ(c.judgements[0].leads_to, "");
  bool imh = false;
  for (const auto& j : c.judgements) {
    for (const auto& type : j.suggested_types) imh |= type == "imh";
  }
  EXPECT_TRUE(imh) << "specialised support suggests infant mental health";
  EXPECT_FALSE(json::parse(c.json).contains("cutoffs"));
  EXPECT_EQ(json::parse(c.json)["wording"]["nl"]["validated"], false);
  EXPECT_EQ(json::parse(c.json)["wording"]["en"]["validated"], false);
}

std::string with(const std::string& pointer, const json& value) {
  json file = json::parse(triage().json);
  file[json::json_pointer(pointer)] = value;
  return file.dump();
}

std::string broken(const std::string& text) {
  Conversation out;
  std::vector<Error> errors;
  EXPECT_FALSE(load_conversation("broken.json", text, library(), &out, &errors));
  return join(errors);
}

TEST(Conversation, TheFileAsShippedLoadsAgainFromItsOwnJson) {
  Conversation again;
  std::vector<Error> errors;
  EXPECT_TRUE(load_conversation("again.json", triage().json, library(), &again, &errors))
      << join(errors);
  EXPECT_EQ(again.sections.size(), triage().sections.size());
}

TEST(Conversation, ABrokenFileIsRefusedNamingFileAndPointer) {
  EXPECT_NE(broken("[1,2]").find("broken.json"), std::string::npos);
  EXPECT_NE(broken(with("/sections/0/topics/2/label", json{{"nl", "Alleen Nederlands"}}))
                .find("/sections/0/topics/2/label"),
            std::string::npos);
  EXPECT_NE(broken(with("/sections/1/topics/0/id", "contact")).find("'contact' is used twice"),
            std::string::npos);
  EXPECT_NE(broken(with("/sections/0/default_status", "maybe"))
                .find("/sections/0/default_status: 'maybe' is not one of the statuses"),
            std::string::npos);
  EXPECT_NE(broken(with("/sections/0/topics/0/questionnaires/0/item", "99"))
                .find("/sections/0/topics/0/questionnaires/0/item: '99' is not an item of "
                      "support_indicators"),
            std::string::npos);
  EXPECT_NE(broken(with("/sections/0/topics/0/questionnaires/0/instrument", "nope"))
                .find("'nope' is not an instrument of the library"),
            std::string::npos);
  EXPECT_NE(broken(with("/judgements/1/leads_to", "phone_call")).find("/judgements/1/leads_to"),
            std::string::npos);
  EXPECT_NE(broken(with("/cutoff", 12)).find("/cutoff: unknown key"), std::string::npos);
  EXPECT_NE(broken(with("/occasions/0/id", "Intake!")).find("ids use a-z, 0-9 and _ only"),
            std::string::npos);
}

TEST(Conversation, ARecordIsWrittenWithEveryTopicAndTrimmedNotes) {
  std::string canonical;
  const std::string problem = check_record(triage(), R"({
    "occasion": "intake", "moment": {"stage": "pregnancy", "week": 12},
    "topics": {"little_support": {"status": "present", "note": "  Partner werkt veel.  "},
               "contact": {"status": "present"}},
    "parents_view": "We willen hulp bij de voorbereiding.",
    "judgement": {"support": "extra_attention", "note": "Kraamzorg extra uren"}})",
                                           &canonical);
  ASSERT_EQ(problem, "") << problem;
  json record = json::parse(canonical);
  EXPECT_EQ(record["topics"].size(), 16u);
  EXPECT_EQ(record["topics"]["little_support"]["note"], "Partner werkt veel.");
  EXPECT_EQ(record["topics"]["addiction"]["status"], "not_discussed");
  EXPECT_EQ(record["topics"]["contact"]["note"], "");
  EXPECT_EQ(record["parents_wishes"], "");
  EXPECT_EQ(record["moment"]["week"], 12);
  EXPECT_EQ(record["judgement"]["support"], "extra_attention");
}

std::string refused(const std::string& record) {
  std::string canonical;
  return check_record(triage(), record, &canonical);
}

TEST(Conversation, ABadRecordSaysWhereAndWhat) {
  const std::string ok_judgement = R"("judgement": {"support": "standard_care"})";
  EXPECT_EQ(refused("nope"), "/: expected a JSON object");
  EXPECT_EQ(refused("{" + ok_judgement + "}").rfind("/occasion: required", 0), 0u);
  EXPECT_EQ(refused(R"({"occasion": "birthday", )" + ok_judgement + "}")
                .rfind("/occasion: 'birthday' is not one of", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "topics": {"addiction": {"status": "yes"}}, )" +
                    ok_judgement + "}")
                .rfind("/topics/addiction/status: 'yes' is not one of", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "topics": {"astrology": {"status": "present"}}, )" +
                    ok_judgement + "}")
                .rfind("/topics/astrology: not a topic of triage_parent_child", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "score": 3, )" + ok_judgement + "}"),
            "/score: not a field of a record");
  EXPECT_EQ(refused(R"({"occasion": "intake"})").rfind("/judgement: required", 0), 0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "judgement": {"support": "cure"}})")
                .rfind("/judgement/support", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "moment": {"stage": "pregnancy", "week": 61}, )" +
                    ok_judgement + "}")
                .rfind("/moment:", 0),
            0u);
  const std::string long_note(301, 'a');
  EXPECT_EQ(
      refused(R"({"occasion": "intake", "topics": {"contact": {"status": "present", "note": ")" +
              long_note + "\"}}, " + ok_judgement + "}")
          .rfind("/topics/contact/note", 0),
      0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "parents_view": "a\u0007b", )" + ok_judgement + "}")
                .rfind("/parents_view", 0),
            0u);
  // A newline in a note is fine: professionals write in paragraphs.
  EXPECT_EQ(refused(R"({"occasion": "intake", "parents_view": "a\nb", )" + ok_judgement + "}"), "");
}

}  // namespace
