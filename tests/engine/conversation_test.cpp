// The intake triage as data (issues 15, 25): the built-in conversation file loads against the
// library, carries the indicators, the part held with the mother alone and the six elements (the
// journey's ids and names) in nl and en, a broken file is refused with the place and the problem,
// and a record is checked and written in canonical form, the part held alone only when confirmed.
#include "kindband/conversation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kindband/journey.h"

namespace conversation_tests {
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

const kindband::conversation::Section& section(const std::string& id) {
  for (const auto& candidate : triage().sections) {
    if (candidate.id == id) return candidate;
  }
  ADD_FAILURE() << "no section " << id;
  return triage().sections.front();
}

std::vector<std::string> topic_ids(const std::string& section_id) {
  std::vector<std::string> ids;
  for (const auto& topic : section(section_id).topics) ids.push_back(topic.id);
  return ids;
}

TEST(Conversation, TheBuiltInTriageHasTheIndicatorsThePartAloneAndTheSixElementsInDutchAndEnglish) {
  const Conversation& c = triage();
  ASSERT_EQ(c.sections.size(), 3u);
  EXPECT_EQ(c.sections[0].id, "indicators");
  EXPECT_EQ(c.sections[1].id, "alone");
  EXPECT_EQ(c.sections[2].id, "elements");
  for (const auto& section : c.sections) {
    EXPECT_EQ(section.default_status, "not_discussed");
    for (const auto& topic : section.topics) {
      EXPECT_FALSE(topic.label.nl.empty()) << topic.id;
      EXPECT_FALSE(topic.label.en.empty()) << topic.id;
      EXPECT_FALSE(topic.prompt.nl.empty()) << topic.id;
      EXPECT_FALSE(topic.prompt.en.empty()) << topic.id;
      // Only the part held alone is marked alone, and all of it.
      EXPECT_EQ(topic.alone, section.id == "alone") << topic.id;
    }
  }
  // The ten indicators of the seed, each also asked by the questionnaire of support indicators.
  for (const auto& topic : section("indicators").topics) {
    if (topic.questionnaires.empty()) continue;
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

TEST(Conversation, TheIndicatorsTheSeedsAndTheFieldNameAreAsked) {
  const std::vector<std::string> ids = topic_ids("indicators");
  for (const char* wanted :
       {"relationship_worries", "psychiatric_problems", "severe_mental_illness", "addiction",
        "trauma_or_neglect", "difficult_childhood", "severe_stress", "relationship_problems",
        "little_support", "unplanned_pregnancy", "pregnancy_complications", "fear_of_childbirth",
        "foetal_condition", "intellectual_disability", "child_protection_history",
        "other_indicator", "professional_concern"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), wanted), ids.end()) << wanted;
  }
  // Severe mental illness and postpartum psychosis, also in the family: the POP-poli route.
  for (const auto& topic : section("indicators").topics) {
    if (topic.id == "severe_mental_illness") {
      EXPECT_NE(topic.label.nl.find("kraambedpsychose"), std::string::npos);
      EXPECT_NE(topic.label.nl.find("familie"), std::string::npos);
    }
  }
  bool pop_poli = false;
  for (const auto& j : triage().judgements)
    pop_poli |= j.description.nl.find("POP-poli") != std::string::npos;
  EXPECT_TRUE(pop_poli);
}

TEST(Conversation, LabelsDoNotStigmatise) {
  for (const auto& section : triage().sections) {
    for (const auto& topic : section.topics) {
      for (const char* word : {"Verstandelijke beperking", "Verslaving", "verwaarlozing"}) {
        EXPECT_EQ(topic.label.nl.find(word), std::string::npos) << topic.id << ": " << word;
      }
    }
    for (const auto& status : section.statuses) {
      EXPECT_NE(status.label.nl, "Aandachtspunt") << section.id << ": ambiguous to every reader";
    }
  }
}

TEST(Conversation, ViolenceOrFearAtHomeIsAskedAloneWithTheMeldcodeAsAJudgement) {
  EXPECT_EQ(topic_ids("alone"), (std::vector<std::string>{"safety_at_home"}));
  EXPECT_NE(section("alone").intro.nl.find("alleen"), std::string::npos);
  const kindband::conversation::Judgement* acute = nullptr;
  for (const auto& j : triage().judgements) {
    if (j.id == "acute_safety") acute = &j;
  }
  ASSERT_NE(acute, nullptr);
  EXPECT_TRUE(acute->alone);
  EXPECT_EQ(acute->leads_to, "meldcode");
  EXPECT_NE(acute->label.nl.find("Acuut / veiligheid"), std::string::npos);
  EXPECT_NE(acute->description.nl.find("Veilig Thuis"), std::string::npos);
  EXPECT_NE(acute->description.nl.find("Meldcode"), std::string::npos);
}

TEST(Conversation, TheSixElementsHaveOneSetOfIdsAndNamesInJourneyReflectionsAndConversation) {
  kindband::Journey journey;
  std::vector<Error> errors;
  ASSERT_TRUE(kindband::builtin_journey(library(), &journey, &errors)) << join(errors);
  std::vector<std::string> journey_ids;
  for (const auto& element : journey.elements) journey_ids.push_back(element.id);
  EXPECT_EQ(topic_ids("elements"), journey_ids);
  for (size_t i = 0; i < journey.elements.size(); ++i) {
    const auto& topic = section("elements").topics[i];
    EXPECT_EQ(topic.element, journey.elements[i].id) << "links to the element's page";
    EXPECT_EQ(topic.label.nl, journey.elements[i].title.at("nl"));
    EXPECT_EQ(topic.label.en, journey.elements[i].title.at("en"));
  }
  for (const char* id : {"bonding_reflection", "bonding_reflection_pregnancy",
                         "bonding_reflection_pregnancy_partner"}) {
    const kindband::Instrument* reflection = library().find(id);
    ASSERT_NE(reflection, nullptr) << id;
    ASSERT_EQ(reflection->scales.size(), journey.elements.size()) << id;
    for (size_t i = 0; i < journey.elements.size(); ++i) {
      EXPECT_EQ(reflection->scales[i].id, journey.elements[i].id) << id;
      EXPECT_EQ(reflection->scales[i].name.at("nl"), journey.elements[i].title.at("nl")) << id;
    }
  }
}

TEST(Conversation, EmotionalSafetyIsRecognisingAndMirroringTheChildsFeelingsNotSafetyAtHome) {
  for (const auto& topic : section("elements").topics) {
    if (topic.id != "emotional_safety") continue;
    EXPECT_EQ(topic.prompt.nl.find("veilig"), std::string::npos) << topic.prompt.nl;
    EXPECT_EQ(topic.prompt.nl.find("bang voor"), std::string::npos) << topic.prompt.nl;
    EXPECT_NE(topic.prompt.nl.find("voelt"), std::string::npos) << topic.prompt.nl;
    EXPECT_NE(topic.prompt.nl.find("begrijpt"), std::string::npos) << topic.prompt.nl;
  }
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
  EXPECT_NE(broken(with("/sections/2/topics/0/id", "soothing")).find("'soothing' is used twice"),
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
  // Only a judgement of the part held alone leads to the Meldcode.
  EXPECT_NE(broken(with("/judgements/0/leads_to", "meldcode")).find("/judgements/0/leads_to"),
            std::string::npos);
  EXPECT_NE(broken(with("/sections/1/topics/0/alone", "yes"))
                .find("/sections/1/topics/0/alone: "
                      "expected true or false"),
            std::string::npos);
}

TEST(Conversation, ARecordIsWrittenWithEveryTopicAndTrimmedNotes) {
  std::string canonical;
  const std::string problem = check_record(triage(), R"({
    "occasion": "intake", "moment": {"stage": "pregnancy", "week": 12},
    "topics": {"little_support": {"status": "present", "note": "  Partner werkt veel.  "},
               "back_and_forth": {"status": "present"}},
    "parents_view": "We willen hulp bij de voorbereiding.",
    "judgement": {"support": "extra_attention", "note": "Kraamzorg extra uren"}})",
                                           &canonical);
  ASSERT_EQ(problem, "") << problem;
  json record = json::parse(canonical);
  EXPECT_EQ(record["topics"].size(), 23u) << "17 indicators and the six elements";
  EXPECT_EQ(record["topics"]["little_support"]["note"], "Partner werkt veel.");
  EXPECT_EQ(record["topics"]["addiction"]["status"], "not_discussed");
  EXPECT_EQ(record["topics"]["back_and_forth"]["note"], "");
  // The part held alone is always there, apart, and not confirmed unless the professional says so.
  EXPECT_EQ(record["alone"]["confirmed"], false);
  EXPECT_EQ(record["alone"]["topics"]["safety_at_home"]["status"], "not_discussed");
  EXPECT_FALSE(record["topics"].contains("safety_at_home"));
  EXPECT_EQ(record["parents_wishes"], "");
  EXPECT_EQ(record["moment"]["week"], 12);
  EXPECT_EQ(record["judgement"]["support"], "extra_attention");
}

// Records made before the element topics got the journey's ids (feeding_and_care, contact,
// calming) still read: the entry under a former id is the topic's, in the record and its display.
TEST(Conversation, ARecordWithFormerElementIdsIsReadUnderTheCurrentIds) {
  const Conversation& conversation = triage();
  std::map<std::string, std::string> former_of;
  for (const auto& section : conversation.sections) {
    for (const auto& topic : section.topics) {
      for (const std::string& former : topic.former_ids) former_of[former] = topic.id;
    }
  }
  EXPECT_EQ(former_of,
            (std::map<std::string, std::string>{{"calming", "soothing"},
                                                {"contact", "back_and_forth"},
                                                {"feeding_and_care", "attentive_care"}}));
  std::string canonical;
  const std::string problem = check_record(conversation, R"({
    "occasion": "intake",
    "topics": {"feeding_and_care": {"status": "present", "note": "Borstvoeding gaat goed"},
               "calming": {"status": "not_present"}},
    "judgement": {"support": "standard_care"}})",
                                           &canonical);
  ASSERT_EQ(problem, "") << problem;
  json record = json::parse(canonical);
  EXPECT_EQ(record["topics"]["attentive_care"]["note"], "Borstvoeding gaat goed");
  EXPECT_EQ(record["topics"]["soothing"]["status"], "not_present");
  EXPECT_FALSE(record["topics"].contains("calming"));
  // The file the server hands out names the former ids, so the widget and the inbox map them too.
  EXPECT_NE(conversation.json.find(R"("former_ids":["feeding_and_care"])"), std::string::npos);
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
  // Moments run to 42 weeks of pregnancy and to the second birthday (104 weeks after the birth).
  for (const char* moment :
       {R"({"stage": "pregnancy", "week": 43})", R"({"stage": "postpartum", "week": 105})",
        R"({"stage": "postpartum", "week": -1})", R"({"stage": "toddler", "week": 3})"}) {
    EXPECT_EQ(refused(R"({"occasion": "intake", "moment": )" + std::string(moment) + ", " +
                      ok_judgement + "}")
                  .rfind("/moment:", 0),
              0u)
        << moment;
  }
  EXPECT_EQ(refused(R"({"occasion": "intake", "moment": {"stage": "postpartum", "week": 104}, )" +
                    ok_judgement + "}"),
            "")
      << "the 2-year contact moment";
  EXPECT_EQ(kindband::conversation::max_moment_week("pregnancy"), 42);
  EXPECT_EQ(kindband::conversation::max_moment_week("postpartum"), 104);
  const std::string long_note(301, 'a');
  EXPECT_EQ(
      refused(R"({"occasion": "intake", "topics": {"soothing": {"status": "present", "note": ")" +
              long_note + "\"}}, " + ok_judgement + "}")
          .rfind("/topics/soothing/note", 0),
      0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "parents_view": "a\u0007b", )" + ok_judgement + "}")
                .rfind("/parents_view", 0),
            0u);
  // A newline in a note is fine: professionals write in paragraphs.
  EXPECT_EQ(refused(R"({"occasion": "intake", "parents_view": "a\nb", )" + ok_judgement + "}"), "");
}

TEST(Conversation, ThePartHeldAloneIsRecordedOnlyWhenTheProfessionalConfirmsSheWasAlone) {
  const std::string judgement =
      R"("judgement": {"support": "acute_safety", "note": "Veilig Thuis gebeld"})";
  // Not confirmed: refused with where and what, also for a note alone.
  EXPECT_EQ(refused(R"({"occasion": "intake", "alone": {"topics": {"safety_at_home":
                {"status": "present", "note": "Partner slaat"}}}, )" +
                    judgement + "}")
                .rfind("/alone/confirmed: 'safety_at_home' is asked with the parent alone", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "alone": {"confirmed": false, "topics":
                {"safety_at_home": {"status": "not_discussed", "note": "x"}}}, )" +
                    judgement + "}")
                .rfind("/alone/confirmed", 0),
            0u);
  // Under "topics" it is refused: it must not slip into the part the other parent may see.
  EXPECT_EQ(refused(R"({"occasion": "intake", "topics": {"safety_at_home": {"status": "present"}},
                "alone": {"confirmed": true}, )" +
                    judgement + "}")
                .rfind("/topics/safety_at_home: asked with the parent alone", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "alone": {"confirmed": true, "topics":
                {"addiction": {"status": "present"}}}, )" +
                    judgement + "}")
                .rfind("/alone/topics/addiction: not a topic asked alone", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "alone": {"confirmed": "ja"}, )" + judgement + "}")
                .rfind("/alone/confirmed", 0),
            0u);
  EXPECT_EQ(refused(R"({"occasion": "intake", "alone": {"seen": true}, )" + judgement + "}"),
            "/alone/seen: not a field of the part held alone");
  // Confirmed: recorded apart, the judgement of the part held alone marked so.
  std::string canonical;
  ASSERT_EQ(check_record(triage(),
                         R"({"occasion": "intake", "alone": {"confirmed": true,
                "topics": {"safety_at_home": {"status": "present", "note": " Partner slaat "}}}, )" +
                             judgement + "}",
                         &canonical),
            "");
  json record = json::parse(canonical);
  EXPECT_EQ(record["alone"]["confirmed"], true);
  EXPECT_EQ(record["alone"]["topics"]["safety_at_home"],
            (json{{"status", "present"}, {"note", "Partner slaat"}}));
  EXPECT_EQ(record["judgement"]["alone"], true);
  // A judgement not about the part held alone carries no mark.
  ASSERT_EQ(
      check_record(triage(), R"({"occasion": "intake", "judgement": {"support": "standard_care"}})",
                   &canonical),
      "");
  EXPECT_FALSE(json::parse(canonical)["judgement"].contains("alone"));
}

}  // namespace
}  // namespace conversation_tests
