// FHIR export and import (engine/fhir, docs/fhir.md): an exported Questionnaire imports back into a
// draft instrument that `kindband validate` accepts and that scores 1,000 random answer sets per
// instrument exactly as the original (bands, safety rules and advice are not imported); bad FHIR
// gets errors that name the JSON pointer.
#include "kindband/fhir.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "kindband/engine.h"

namespace kindband {
namespace {

using nlohmann::json;

Library builtin_library() {
  std::vector<Error> errors;
  Library library = Library::builtin(&errors);
  EXPECT_TRUE(errors.empty());
  return library;
}

// The instrument with English wording everywhere: instruments shipped without item wording (the
// EPDS, MPAS, ...) get placeholder texts, as a wording pack would supply, so they export too.
Instrument with_english_wording(const Instrument& original) {
  Instrument copy = original;
  for (Item& item : copy.items) {
    if (!item.text.count("en")) item.text["en"] = "Item " + item.id;
    for (size_t o = 0; o < item.options.size(); ++o) {
      if (!item.options[o].label.count("en")) {
        item.options[o].label["en"] = "Option " + std::to_string(o);
      }
    }
  }
  return copy;
}

std::string errors_text(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& e : errors) out += e.to_string() + "\n";
  return out;
}

TEST(FhirRoundTrip, EveryInstrumentImportsBackAndScoresThousandAnswerSetsAlike) {
  Library library = builtin_library();
  std::mt19937 random(1313);
  int compared = 0;
  for (const Instrument* original : library.instruments()) {
    SCOPED_TRACE(original->id);
    Instrument source = with_english_wording(*original);
    std::string questionnaire;
    Error error;
    ASSERT_TRUE(fhir::questionnaire_json(source, "en", &questionnaire, &error)) << error.message;
    std::string draft;
    std::vector<Error> errors;
    ASSERT_TRUE(fhir::import_questionnaire("q.json", questionnaire, &draft, &errors))
        << errors_text(errors);
    ASSERT_TRUE(Library::validate_instrument("draft.json", draft, &errors))
        << errors_text(errors) << draft;
    Library drafts;
    ASSERT_TRUE(drafts.add_instrument("draft.json", draft, &errors)) << errors_text(errors);
    const Instrument& imported = *drafts.instruments().front();
    ASSERT_EQ(imported.items.size(), original->items.size());
    ASSERT_EQ(imported.scales.size(), original->scales.size());
    EXPECT_TRUE(imported.band_advice.empty() && imported.safety_rules.empty());

    for (int set = 0; set < 1000; ++set) {
      Answers answers;
      for (const Item& item : original->items) {
        bool leave_out = random() % 20 == 0;
        answers.push_back(leave_out ? kMissing : static_cast<int>(random() % item.options.size()));
      }
      Result expected, actual;
      ASSERT_TRUE(score_instrument(*original, answers, Context{}, &expected, &error));
      ASSERT_TRUE(score_instrument(imported, answers, Context{}, &actual, &error));
      ASSERT_EQ(actual.complete, expected.complete);
      ASSERT_EQ(actual.answered, expected.answered);
      ASSERT_EQ(actual.missing_required, expected.missing_required);
      for (size_t s = 0; s < expected.scales.size(); ++s) {
        ASSERT_EQ(imported.scales[s].id, original->scales[s].id);
        ASSERT_EQ(actual.scales[s].complete, expected.scales[s].complete) << "set " << set;
        if (expected.scales[s].complete) {
          ASSERT_EQ(actual.scales[s].score_hundredths, expected.scales[s].score_hundredths)
              << "set " << set << " scale " << original->scales[s].id;
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 16000);
}

TEST(FhirRoundTrip, DutchExportImportsWithDutchTextsAndThePeriod) {
  Library library = builtin_library();
  std::string questionnaire, draft;
  Error error;
  ASSERT_TRUE(fhir::questionnaire_json(*library.find("phq9"), "nl", &questionnaire, &error));
  std::vector<Error> errors;
  ASSERT_TRUE(fhir::import_questionnaire("phq9-nl.json", questionnaire, &draft, &errors));
  json instrument = json::parse(draft);
  EXPECT_EQ(instrument["id"], "phq9");
  EXPECT_EQ(instrument["items"][0]["text"]["nl"], library.find("phq9")->items[0].text.at("nl"));
  EXPECT_EQ(instrument["period"]["nl"], library.find("phq9")->period.at("nl"));
  EXPECT_EQ(instrument["wording"]["nl"]["validated"], false);
  EXPECT_NE(instrument["notes"].get<std::string>().find("DRAFT"), std::string::npos);
  EXPECT_FALSE(instrument.contains("advice"));
}

TEST(FhirExport, RefusesAnInstrumentWithoutWordingInThatLanguage) {
  Library library = builtin_library();
  std::string out;
  Error error;
  EXPECT_FALSE(fhir::questionnaire_json(*library.find("epds"), "nl", &out, &error));
  EXPECT_NE(error.message.find("has no 'nl' wording"), std::string::npos) << error.message;
  EXPECT_FALSE(fhir::questionnaire_json(*library.find("phq9"), "de", &out, &error));
}

TEST(FhirExport, QuestionnaireCarriesScoresExpressionsAndVerifiedLoincCodes) {
  Library library = builtin_library();
  std::string text;
  Error error;
  ASSERT_TRUE(fhir::questionnaire_json(*library.find("pbq"), "en", &text, &error));
  json q = json::parse(text);
  EXPECT_EQ(q["resourceType"], "Questionnaire");
  EXPECT_FALSE(q.contains("code"));  // no LOINC code verified for the PBQ
  int calculated = 0;
  for (const json& item : q["item"]) {
    if (item["type"] == "choice") {
      EXPECT_EQ(item["answerOption"].size(), 6u);
      EXPECT_EQ(item["answerOption"][0]["extension"][0]["url"],
                "http://hl7.org/fhir/StructureDefinition/ordinalValue");
    }
    if (item.value("readOnly", false)) ++calculated;
  }
  EXPECT_EQ(calculated, 5);  // total and four scales
  ASSERT_TRUE(fhir::questionnaire_json(*library.find("gad7"), "en", &text, &error));
  q = json::parse(text);
  EXPECT_EQ(q["item"][2]["code"][0]["code"], "68509-9");  // item 2, after the period
  EXPECT_EQ(q["item"][2]["answerOption"][3]["valueCoding"]["code"], "LA6571-9");
}

// One import error for a Questionnaire changed by `change`.
Error import_error(const std::function<void(json&)>& change) {
  Library library = builtin_library();
  std::string text, draft;
  Error error;
  EXPECT_TRUE(fhir::questionnaire_json(*library.find("gad7"), "en", &text, &error));
  json q = json::parse(text);
  change(q);
  std::vector<Error> errors;
  EXPECT_FALSE(fhir::import_questionnaire("bad.json", q.dump(), &draft, &errors));
  return errors.empty() ? Error{} : errors.front();
}

TEST(FhirImport, BadFhirGetsAnErrorNamingTheJsonPointer) {
  Error e = import_error([](json& q) { q["resourceType"] = "Patient"; });
  EXPECT_EQ(e.to_string(),
            "bad.json: /resourceType: expected a FHIR Questionnaire (resourceType "
            "'Questionnaire')");
  e = import_error([](json& q) {
    json inner = {{"linkId", "g2"}, {"type", "group"}, {"item", json::array({q["item"][1]})}};
    q["item"] = json::array({{{"linkId", "g1"}, {"type", "group"}, {"item", {inner}}}});
  });
  EXPECT_EQ(e.pointer, "/item/0/item/0");
  EXPECT_NE(e.message.find("group inside a group"), std::string::npos);
  e = import_error([](json& q) { q["item"][3]["answerOption"][2].erase("extension"); });
  EXPECT_EQ(e.pointer, "/item/3/answerOption/2");
  EXPECT_NE(e.message.find("no scored value"), std::string::npos);
  e = import_error([](json& q) { q["item"][1]["type"] = "string"; });
  EXPECT_EQ(e.pointer, "/item/1/type");
  std::vector<Error> errors;
  std::string draft;
  EXPECT_FALSE(fhir::import_questionnaire("x.json", "{not json", &draft, &errors));
}

TEST(FhirShare, ShareForAnUnknownInstrumentNamesTheField) {
  Library library = builtin_library();
  std::string out;
  Error error;
  EXPECT_FALSE(fhir::share_bundle_json(
      library,
      R"({"share_id":"7d4f0c4e-1b7a-4c55-9a7e-3f2a1c0d9e11","instrument":{"id":"nope","version":"1"}})",
      &out, &error));
  EXPECT_EQ(error.pointer, "/instrument/id");
}

}  // namespace
}  // namespace kindband
