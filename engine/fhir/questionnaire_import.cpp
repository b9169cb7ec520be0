// FHIR R4 Questionnaire -> draft instrument file (docs/instrument-format.md).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fhir_common.h"
#include "kindband/fhir.h"

namespace kindband::fhir {

namespace {

using nlohmann::json;

struct Importer {
  std::string file;
  std::vector<Error>* errors;
  void fail(const std::string& pointer, const std::string& message) {
    errors->push_back(Error{file, pointer, message});
  }
};

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::string string_member(const json& object, const char* key) {
  const json* value = member(object, key);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

// "nl-NL" -> "nl"; "" when not nl or en.
std::string language_of(const std::string& code) {
  std::string primary = code.substr(0, code.find('-'));
  return primary == "nl" || primary == "en" ? primary : "";
}

// A text and its translations: value in `language`, plus every translation extension on
// `_<key>` (http://hl7.org/fhir/StructureDefinition/translation) in nl or en.
ordered_json read_text(const json& object, const char* key, const std::string& language) {
  ordered_json text = ordered_json::object();
  std::string value = string_member(object, key);
  if (!value.empty()) text[language] = value;
  const json* shadow = member(object, (std::string("_") + key).c_str());
  const json* extensions = shadow ? member(*shadow, "extension") : nullptr;
  if (!extensions || !extensions->is_array()) return text;
  for (const json& extension : *extensions) {
    if (string_member(extension, "url") != kTranslation) continue;
    const json* parts = member(extension, "extension");
    if (!parts || !parts->is_array()) continue;
    std::string lang, content;
    for (const json& part : *parts) {
      if (string_member(part, "url") == "lang")
        lang = language_of(string_member(part, "valueCode"));
      if (string_member(part, "url") == "content") content = string_member(part, "valueString");
    }
    if (!lang.empty() && !content.empty() && !text.contains(lang)) text[lang] = content;
  }
  return text;
}

// The option's scored value from an ordinalValue or itemWeight extension on the answerOption or
// on its valueCoding.
const json* score_extension(const json& option) {
  for (const json* holder : {&option, member(option, "valueCoding")}) {
    const json* extensions = holder ? member(*holder, "extension") : nullptr;
    if (!extensions || !extensions->is_array()) continue;
    for (const json& extension : *extensions) {
      std::string url = string_member(extension, "url");
      if (url != kOrdinalValue && url != kItemWeight) continue;
      if (const json* value = member(extension, "valueDecimal")) return value;
      if (const json* value = member(extension, "valueInteger")) return value;
    }
  }
  return nullptr;
}

// linkIds named in a FHIRPath expression as linkId = '...' (or "...").
std::vector<std::string> named_link_ids(const std::string& expression) {
  std::vector<std::string> ids;
  size_t at = 0;
  while ((at = expression.find("linkId", at)) != std::string::npos) {
    at += 6;
    size_t next = expression.find_first_not_of(" ", at);
    if (next == std::string::npos || expression[next] != '=') continue;
    next = expression.find_first_not_of(" ", next + 1);
    if (next == std::string::npos || (expression[next] != '\'' && expression[next] != '"'))
      continue;
    char quote = expression[next];
    std::string id;
    size_t i = next + 1;
    for (; i < expression.size() && expression[i] != quote; ++i) {
      if (expression[i] == '\\' && i + 1 < expression.size()) ++i;
      id += expression[i];
    }
    ids.push_back(id);
    at = i;
  }
  return ids;
}

std::string calculated_expression(const json& item) {
  const json* extensions = member(item, "extension");
  if (!extensions || !extensions->is_array()) return "";
  for (const json& extension : *extensions) {
    if (string_member(extension, "url") != kCalculatedExpression) continue;
    const json* value = member(extension, "valueExpression");
    if (value) return string_member(*value, "expression");
  }
  return "";
}

// [a-z0-9_] from any id: "PHQ-9" -> "phq_9".
std::string identifier(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

struct Calculated {
  std::string scale_id;
  ordered_json name;
  std::vector<std::string> link_ids;
  std::string pointer;
};

}  // namespace

bool import_questionnaire(std::string_view file_name, std::string_view questionnaire_json,
                          std::string* instrument_json, std::vector<Error>* errors) {
  Importer in{std::string(file_name), errors};
  const size_t errors_before = errors->size();
  json q = json::parse(questionnaire_json, nullptr, false);
  if (q.is_discarded()) {
    in.fail("", "not valid JSON");
    return false;
  }
  if (!q.is_object() || string_member(q, "resourceType") != "Questionnaire") {
    in.fail("/resourceType", "expected a FHIR Questionnaire (resourceType 'Questionnaire')");
    return false;
  }
  std::vector<std::string> notes;
  std::string language = language_of(string_member(q, "language"));
  if (language.empty()) {
    language = "en";
    notes.push_back("The Questionnaire names no nl or en language: its texts were taken as 'en'.");
  }

  ordered_json items = ordered_json::array();
  ordered_json period = ordered_json::object();
  std::vector<Calculated> calculated;
  std::set<std::string> item_ids;
  // Top-level items, and the items of top-level groups (one level; deeper nesting is refused).
  std::vector<std::pair<const json*, std::string>> flat;
  const json* top = member(q, "item");
  if (!top || !top->is_array() || top->empty()) {
    in.fail("/item", "expected a non-empty array of items");
    return false;
  }
  for (size_t i = 0; i < top->size(); ++i) {
    const json& item = (*top)[i];
    std::string at = "/item/" + std::to_string(i);
    if (string_member(item, "type") != "group") {
      flat.push_back({&item, at});
      continue;
    }
    const json* children = member(item, "item");
    if (!children || !children->is_array()) continue;
    for (size_t c = 0; c < children->size(); ++c) {
      std::string child_at = at + "/item/" + std::to_string(c);
      if (string_member((*children)[c], "type") == "group") {
        in.fail(child_at, "a group inside a group cannot be scored: flatten the Questionnaire");
      } else {
        flat.push_back({&(*children)[c], child_at});
      }
    }
  }

  for (const auto& [item_pointer, at] : flat) {
    const json& item = *item_pointer;
    const std::string type = string_member(item, "type");
    const std::string link_id = string_member(item, "linkId");
    if (link_id.empty()) {
      in.fail(at + "/linkId", "missing");
      continue;
    }
    std::string expression = calculated_expression(item);
    if (!expression.empty()) {
      std::string id = link_id.rfind("score.", 0) == 0 ? link_id.substr(6) : identifier(link_id);
      calculated.push_back({id.empty() ? "scale" : id, read_text(item, "text", language),
                            named_link_ids(expression), at});
      continue;
    }
    if (type == "display") {
      if (items.empty() && period.empty()) period = read_text(item, "text", language);
      continue;
    }
    if (type != "choice" && type != "coding") {
      in.fail(at + "/type", "'" + type +
                                "' items cannot be scored (only choice items with "
                                "scored answerOptions)");
      continue;
    }
    const json* options = member(item, "answerOption");
    if (!options || !options->is_array() || options->empty()) {
      in.fail(at + "/answerOption", "no answerOption list (an answerValueSet cannot be imported)");
      continue;
    }
    if (!item_ids.insert(link_id).second) {
      in.fail(at + "/linkId", "duplicate linkId '" + link_id + "'");
      continue;
    }
    ordered_json draft_options = ordered_json::array();
    for (size_t o = 0; o < options->size(); ++o) {
      const json& option = (*options)[o];
      std::string option_at = at + "/answerOption/" + std::to_string(o);
      const json* score = score_extension(option);
      if (!score || !score->is_number()) {
        in.fail(option_at, "option has no scored value (ordinalValue or itemWeight extension)");
        continue;
      }
      double value = score->get<double>();
      if (std::fabs(std::round(value * 100) - value * 100) > 1e-6 || std::fabs(value) >= 1e6) {
        in.fail(option_at, "scored value " + score->dump() + " has more than two decimals");
        continue;
      }
      ordered_json label = ordered_json::object();
      if (const json* coding = member(option, "valueCoding")) {
        label = read_text(*coding, "display", language);
      } else if (member(option, "valueString")) {
        label = read_text(option, "valueString", language);
      }
      ordered_json draft_option = ordered_json::object();
      draft_option["value"] =
          score->is_number_integer() ? ordered_json(score->get<int64_t>()) : ordered_json(value);
      if (!label.empty()) draft_option["label"] = std::move(label);
      draft_options.push_back(std::move(draft_option));
    }
    ordered_json draft_item = ordered_json::object();
    draft_item["id"] = link_id;
    ordered_json text = read_text(item, "text", language);
    if (!text.empty()) draft_item["text"] = std::move(text);
    draft_item["options"] = std::move(draft_options);
    const json* required = member(item, "required");
    draft_item["required"] = required && required->is_boolean() && required->get<bool>();
    items.push_back(std::move(draft_item));
  }
  if (items.empty() && errors->size() == errors_before) {
    in.fail("/item", "no choice item with scored options");
  }

  // Scales: each calculated item that names imported items. The one named score.total (or the
  // only one naming every item) is the total; the items it leaves out are not scored.
  ordered_json total;
  ordered_json subscales = ordered_json::array();
  std::set<std::string> in_total;
  for (const Calculated& scale : calculated) {
    std::vector<std::string> members;
    for (const std::string& id : scale.link_ids) {
      if (item_ids.count(id) && std::find(members.begin(), members.end(), id) == members.end()) {
        members.push_back(id);
      }
    }
    if (members.empty()) {
      in.fail(scale.pointer, "its calculatedExpression names no imported item by linkId");
      continue;
    }
    if (scale.scale_id == "total") {
      total = {{"name", scale.name}};
      if (scale.name.empty()) total.erase("name");
      in_total.insert(members.begin(), members.end());
      continue;
    }
    ordered_json subscale = ordered_json::object();
    subscale["id"] = scale.scale_id;
    subscale["name"] = scale.name.empty() ? ordered_json{{language, scale.scale_id}} : scale.name;
    subscale["items"] = members;
    subscales.push_back(std::move(subscale));
  }
  if (calculated.empty()) {
    total = ordered_json::object();
    for (const std::string& id : item_ids) in_total.insert(id);
    notes.push_back(
        "The Questionnaire has no calculatedExpression: every item counts in the total.");
  }
  if (!total.is_null()) {
    for (ordered_json& item : items) {
      if (!in_total.count(item["id"].get<std::string>())) item["scored"] = false;
    }
  }
  if (errors->size() != errors_before) return false;

  const std::string url = string_member(q, "url");
  std::string id_source = url.rfind(kQuestionnairePrefix, 0) == 0
                              ? url.substr(std::string(kQuestionnairePrefix).size())
                              : string_member(q, "name");
  if (id_source.empty()) id_source = string_member(q, "id");
  std::string id = identifier(id_source);
  if (id.empty()) id = "imported";
  const std::string copyright = string_member(q, "copyright");
  const size_t licence_at = copyright.find("\n\nLicence: ");
  std::string citation = copyright.substr(0, licence_at);
  std::string licence =
      licence_at == std::string::npos ? copyright : copyright.substr(licence_at + 11);
  const std::string date = string_member(q, "date");
  int year = date.size() >= 4 ? std::atoi(date.substr(0, 4).c_str()) : 0;

  ordered_json draft = ordered_json::object();
  draft["id"] = id;
  draft["version"] = string_member(q, "version").empty() ? "1" : string_member(q, "version");
  ordered_json name = read_text(q, "title", language);
  if (name.empty())
    name[language] = string_member(q, "name").empty() ? id : string_member(q, "name");
  draft["name"] = std::move(name);
  draft["authors"] = string_member(q, "publisher").empty() ? "unknown (add the authors)"
                                                           : string_member(q, "publisher");
  draft["year"] = year;
  draft["citation"] = citation.empty() ? "unknown (add the citation)" : citation;
  draft["licence"] = licence.empty() ? "unknown (check the licence before use)" : licence;
  draft["validated_instrument"] = false;
  if (!period.empty()) draft["period"] = std::move(period);
  ordered_json wording = ordered_json::object();
  std::set<std::string> languages;
  for (const ordered_json& item : items) {
    if (item.contains("text")) {
      for (auto it = item["text"].begin(); it != item["text"].end(); ++it)
        languages.insert(it.key());
    }
  }
  for (const std::string& lang : languages) {
    wording[lang] = {{"validated", false},
                     {"source", "imported from the FHIR Questionnaire " +
                                    (url.empty() ? std::string(file_name) : url) +
                                    "; not checked against the published text"}};
  }
  draft["wording"] = std::move(wording);
  draft["items"] = std::move(items);
  if (!total.is_null()) draft["total"] = std::move(total);
  if (!subscales.empty()) draft["subscales"] = std::move(subscales);
  std::string note =
      "DRAFT imported from FHIR (kindband fhir import): items, options, scored values and scales "
      "only. Add bands (with their source), safety rules and advice in nl and en "
      "(docs/instrument-format.md), and check wording, authors, year, citation and licence before "
      "use.";
  for (const std::string& extra : notes) note += " " + extra;
  draft["notes"] = note;
  *instrument_json = draft.dump(2) + "\n";
  return true;
}

}  // namespace kindband::fhir
