#include "fhir_common.h"

#include "fhir_codes_data.h"

namespace kindband::fhir {

std::string score_link_id(const std::string& scale_id) { return "score." + scale_id; }

const ordered_json& codes_for(const std::string& instrument_id) {
  // Parsed once: read-only data compiled in from engine/fhir/codes.json.
  static const ordered_json all = ordered_json::parse(kFhirCodesJson);
  static const ordered_json none = ordered_json::object();
  auto found = all["instruments"].find(instrument_id);
  return found == all["instruments"].end() ? none : *found;
}

std::string text_in(const Text& text, std::string_view language) {
  auto found = text.find(std::string(language));
  return found == text.end() ? std::string() : found->second;
}

ordered_json score_number(int32_t hundredths) {
  if (hundredths % 100 == 0) return hundredths / 100;
  return static_cast<double>(hundredths) / 100.0;
}

bool whole_scores(const Instrument& instrument, const Scale& scale) {
  for (int index : scale.item_indexes) {
    for (const Option& option : instrument.items[static_cast<size_t>(index)].options) {
      if (option.value_hundredths % 100 != 0) return false;
    }
  }
  return true;
}

ordered_json answer_coding(const Instrument& instrument, size_t item_index, size_t position,
                           std::string_view language) {
  const Item& item = instrument.items[item_index];
  const ordered_json& codes = codes_for(instrument.id);
  ordered_json coding = ordered_json::object();
  // LOINC answer codes only on the items LOINC codes (an added item keeps our position codes); an
  // item with its own answer list (PHQ-9 item 10, the difficulty question) uses that one.
  const ordered_json* answers = codes.contains("answers") ? &codes["answers"] : nullptr;
  if (codes.contains("item_answers") && codes["item_answers"].contains(item.id)) {
    answers = &codes["item_answers"][item.id];
  }
  if (answers != nullptr && answers->size() == item.options.size() && codes.contains("items") &&
      codes["items"].contains(item.id)) {
    coding["system"] = kLoinc;
    coding["code"] = (*answers)[position];
  } else {
    coding["system"] = kAnswerPositionSystem;
    coding["code"] = std::to_string(position);
  }
  std::string label = text_in(item.options[position].label, language);
  if (!label.empty()) coding["display"] = label;
  return coding;
}

std::string scale_name(const Scale& scale, std::string_view language) {
  std::string name = text_in(scale.name, language);
  if (!name.empty()) return name;
  if (scale.id == "total") return language == "nl" ? "Totaalscore" : "Total score";
  return scale.id;
}

std::string fhir_id(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    if (c == '_') c = '-';
  }
  return out;
}

}  // namespace kindband::fhir
