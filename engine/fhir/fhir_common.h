// What the FHIR export and import share: the URIs we define, linkIds of the items we add, the
// LOINC codes of engine/fhir/codes.json, and small helpers over nlohmann::ordered_json (native
// only; the FHIR library is never linked into the wasm engine).
#ifndef KINDBAND_FHIR_COMMON_H_
#define KINDBAND_FHIR_COMMON_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "kindband/engine.h"

namespace kindband::fhir {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kLoinc = "http://loinc.org";
constexpr const char* kOrdinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
constexpr const char* kItemWeight = "http://hl7.org/fhir/StructureDefinition/itemWeight";
constexpr const char* kTranslation = "http://hl7.org/fhir/StructureDefinition/translation";
constexpr const char* kCalculatedExpression =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
// Our own code systems (docs/fhir.md): an answer's position in the printed order, and the ids of
// scales, bands and safety rules as "<instrument>.<id>".
constexpr const char* kAnswerPositionSystem = "urn:kindband:answer-position";
constexpr const char* kScaleSystem = "urn:kindband:scale";
constexpr const char* kBandSystem = "urn:kindband:band";
constexpr const char* kInterpretationSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
constexpr const char* kSafetyRuleSystem = "urn:kindband:safety-rule";
constexpr const char* kQuestionnairePrefix = "urn:kindband:questionnaire:";
// The opening display item (the period) and the calculated item of each scale. Item ids may hold
// only [a-z0-9_-] in practice, so "." keeps these apart from every item's linkId.
constexpr const char* kPeriodLinkId = "period";
std::string score_link_id(const std::string& scale_id);

// The LOINC codes for one instrument from engine/fhir/codes.json (an empty object when none).
const ordered_json& codes_for(const std::string& instrument_id);

// text[language], or "" when the text has no such language.
std::string text_in(const Text& text, std::string_view language);
// A score in hundredths as a JSON number: a whole number stays an integer.
ordered_json score_number(int32_t hundredths);
// Whether every option of every item of the scale has a whole value.
bool whole_scores(const Instrument& instrument, const Scale& scale);
// The coding of option `position` of item `item_index` in `language`: the LOINC answer code where
// codes.json has one, otherwise our answer-position code; display is the label, when there is one.
ordered_json answer_coding(const Instrument& instrument, size_t item_index, size_t position,
                           std::string_view language);
// The scale's name in `language` ("Total score" for a total without one).
std::string scale_name(const Scale& scale, std::string_view language);
// A FHIR id ([A-Za-z0-9-.]{1,64}) from one of ours: '_' becomes '-'.
std::string fhir_id(const std::string& id);

}  // namespace kindband::fhir

#endif  // KINDBAND_FHIR_COMMON_H_
