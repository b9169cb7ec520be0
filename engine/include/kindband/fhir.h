// FHIR R4 in and out (docs/fhir.md): instruments as SDC Questionnaires, shares as a Bundle of a
// QuestionnaireResponse and Observations, and a FHIR Questionnaire back into a draft instrument.
//
// Pure data transformation like the engine (no I/O), but a library of its own (kindband_fhir):
// only the command line and the server link it, so the browser's wasm download does not carry it.
#ifndef KINDBAND_FHIR_H_
#define KINDBAND_FHIR_H_

#include <string>
#include <string_view>
#include <vector>

#include "kindband/engine.h"

namespace kindband::fhir {

// The canonical URL of an instrument's Questionnaire: "urn:kindband:questionnaire:<id>". A URN,
// not a web address: nothing has to be served there; QuestionnaireResponses name it with
// "|<version>".
std::string questionnaire_url(const Instrument& instrument);

// The Questionnaire (FHIR R4 JSON, SDC extensions) for an instrument in "nl" or "en": each item
// with its id as linkId, its text, and answerOptions whose codings carry the scored value
// (ordinalValue extension); the period as an opening display item; one read-only item per scale
// whose calculatedExpression (FHIRPath) computes the scale's score as the engine does (no score
// while a required item of the scale is unanswered); citation and licence in copyright; LOINC codes
// where engine/fhir/codes.json has verified ones. Returns false, with error.message saying why, for
// an unknown language or an instrument without item wording in that language (e.g. the EPDS
// without a wording pack).
bool questionnaire_json(const Instrument& instrument, std::string_view language, std::string* out,
                        Error* error);

// The Bundle (type "collection") for a stored share (docs/share-api.md, the object under "share"
// of GET /api/v1/inbox/shares/{id}): a QuestionnaireResponse with every answer as the chosen
// option's coding when the parent shared the answers, and an Observation per scale score (band as
// interpretation) and per safety flag. A result-only share gives the Observations only. No
// Patient: a contact the parent gave appears only as the subject's display text. Returns false
// with error.pointer (into the share) and error.message when the share does not fit an instrument
// in `library`.
bool share_bundle_json(const Library& library, std::string_view share_json, std::string* out,
                       Error* error);

// A draft instrument file (docs/instrument-format.md, pretty-printed JSON) from a FHIR R4
// Questionnaire: items with their options and scored values (ordinalValue or itemWeight), text per
// language (the Questionnaire's language plus any translation extensions), scales recovered from
// calculatedExpressions that name items by linkId. Bands, safety rules and advice are left for a
// person to add; the draft's "notes" say so. Returns false and fills errors (file: /pointer: what)
// for a wrong resourceType, nested groups, items we cannot score, or options without values.
bool import_questionnaire(std::string_view file_name, std::string_view questionnaire_json,
                          std::string* instrument_json, std::vector<Error>* errors);

}  // namespace kindband::fhir

#endif  // KINDBAND_FHIR_H_
