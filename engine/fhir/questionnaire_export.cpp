// Instrument -> FHIR R4 Questionnaire with the SDC extensions renderers use to score.
#include <string>

#include "fhir_common.h"
#include "kindband/fhir.h"

namespace kindband::fhir {

namespace {

// "bonding_reflection" -> "BondingReflection": Questionnaire.name must start with a capital.
std::string computable_name(const std::string& id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '_' || c == '-') {
      upper = true;
    } else {
      out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  return out;
}

// A FHIRPath string literal.
std::string fhirpath_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// %resource.item.where(linkId = '1' or linkId = '2')
std::string select_items(const Instrument& instrument, const std::vector<int>& indexes) {
  std::string condition;
  for (int index : indexes) {
    if (!condition.empty()) condition += " or ";
    condition += "linkId = " + fhirpath_string(instrument.items[static_cast<size_t>(index)].id);
  }
  return "%resource.item.where(" + condition + ")";
}

// The engine's rule as FHIRPath: the sum of the answered items' scored values, and no score while
// a required item of the scale is unanswered.
std::string score_expression(const Instrument& instrument, const Scale& scale) {
  std::string sum = select_items(instrument, scale.item_indexes) + ".answer.value.weight().sum()";
  if (!whole_scores(instrument, scale)) sum = "(" + sum + ").round(2)";
  std::vector<int> required;
  for (int index : scale.item_indexes) {
    if (instrument.items[static_cast<size_t>(index)].required) required.push_back(index);
  }
  if (required.empty()) return sum;
  return "iif(" + select_items(instrument, required) +
         ".answer.count() = " + std::to_string(required.size()) + ", " + sum + ")";
}

ordered_json loinc_code(const ordered_json& code) {
  return ordered_json::array({{{"system", kLoinc}, {"code", code}}});
}

}  // namespace

std::string questionnaire_url(const Instrument& instrument) {
  return kQuestionnairePrefix + instrument.id;
}

bool questionnaire_json(const Instrument& instrument, std::string_view language, std::string* out,
                        Error* error) {
  *error = Error{instrument.file_name, "", ""};
  if (language != "nl" && language != "en") {
    error->message = "language must be nl or en";
    return false;
  }
  if (!has_wording(instrument, language)) {
    error->message = instrument.id + " has no '" + std::string(language) +
                     "' wording for its items (licensed wording comes with a wording pack); "
                     "a Questionnaire without item text cannot be filled in";
    return false;
  }
  for (const Item& item : instrument.items) {
    if (item.id == kPeriodLinkId || item.id.rfind("score.", 0) == 0) {
      error->message = "item id '" + item.id + "' clashes with a linkId the export adds";
      return false;
    }
  }
  const ordered_json& codes = codes_for(instrument.id);
  const std::string lang(language);

  ordered_json q = ordered_json::object();
  q["resourceType"] = "Questionnaire";
  q["id"] = fhir_id(instrument.id) + "-" + lang;
  q["language"] = lang;
  q["url"] = questionnaire_url(instrument);
  q["version"] = instrument.version;
  q["name"] = computable_name(instrument.id);
  std::string title = text_in(instrument.name, language);
  q["title"] = title.empty() ? instrument.id : title;
  q["status"] = "active";
  q["subjectType"] = {"Patient"};
  std::string description = instrument.authors + " (" + std::to_string(instrument.year) + ").";
  auto wording = instrument.wording.find(lang);
  if (wording != instrument.wording.end()) {
    description += std::string(" Wording (") + lang +
                   "): " + (wording->second.validated ? "validated" : "not validated") + ", " +
                   wording->second.source + ".";
  }
  q["description"] = description;
  q["copyright"] = instrument.citation + "\n\nLicence: " + instrument.licence;
  if (codes.contains("questionnaire")) q["code"] = loinc_code(codes["questionnaire"]);

  ordered_json items = ordered_json::array();
  std::string period = text_in(instrument.period, language);
  if (!period.empty()) {
    items.push_back({{"linkId", kPeriodLinkId}, {"text", period}, {"type", "display"}});
  }
  for (size_t i = 0; i < instrument.items.size(); ++i) {
    const Item& item = instrument.items[i];
    ordered_json entry = ordered_json::object();
    // Short option lists: shown as radio buttons, as the widget shows them.
    entry["extension"] = {
        {{"url", "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"},
         {"valueCodeableConcept",
          {{"coding",
            {{{"system", "http://hl7.org/fhir/questionnaire-item-control"},
              {"code", "radio-button"},
              {"display", "Radio Button"}}}}}}}};
    entry["linkId"] = item.id;
    if (codes.contains("items") && codes["items"].contains(item.id)) {
      entry["code"] = loinc_code(codes["items"][item.id]);
    }
    entry["text"] = text_in(item.text, language);
    entry["type"] = "choice";
    entry["required"] = item.required;
    ordered_json options = ordered_json::array();
    for (size_t o = 0; o < item.options.size(); ++o) {
      options.push_back({{"extension",
                          {{{"url", kOrdinalValue},
                            {"valueDecimal", score_number(item.options[o].value_hundredths)}}}},
                         {"valueCoding", answer_coding(instrument, i, o, language)}});
    }
    entry["answerOption"] = std::move(options);
    // Asked only after an answer scoring at least the minimum to one of the earlier items (the
    // Whooley help question after a "yes"): enabled by any such answer, as the widget asks it.
    if (!item.ask_when_any.empty()) {
      ordered_json when = ordered_json::array();
      for (int earlier : item.ask_when_any) {
        const Item& asked = instrument.items[static_cast<size_t>(earlier)];
        for (size_t o = 0; o < asked.options.size(); ++o) {
          if (asked.options[o].value_hundredths < item.ask_when_min_hundredths) continue;
          when.push_back({{"question", asked.id},
                          {"operator", "="},
                          {"answerCoding",
                           answer_coding(instrument, static_cast<size_t>(earlier), o, language)}});
        }
      }
      entry["enableWhen"] = std::move(when);
      entry["enableBehavior"] = "any";
    }
    items.push_back(std::move(entry));
  }
  for (const Scale& scale : instrument.scales) {
    ordered_json entry = ordered_json::object();
    entry["extension"] = {{{"url", kCalculatedExpression},
                           {"valueExpression",
                            {{"description", "score of " + scale.id + " as Kindband computes it"},
                             {"language", "text/fhirpath"},
                             {"expression", score_expression(instrument, scale)}}}}};
    entry["linkId"] = score_link_id(scale.id);
    if (codes.contains("scales") && codes["scales"].contains(scale.id)) {
      entry["code"] = loinc_code(codes["scales"][scale.id]);
    }
    entry["text"] = scale_name(scale, language);
    entry["type"] = whole_scores(instrument, scale) ? "integer" : "decimal";
    entry["readOnly"] = true;
    items.push_back(std::move(entry));
  }
  q["item"] = std::move(items);
  *out = q.dump(2);
  return true;
}

}  // namespace kindband::fhir
