// A stored share -> FHIR R4 Bundle (collection): QuestionnaireResponse + Observations.
#include <string>

#include "fhir_common.h"
#include "kindband/fhir.h"

namespace kindband::fhir {

namespace {

using nlohmann::json;

bool fail(Error* error, std::string pointer, std::string message) {
  error->pointer = std::move(pointer);
  error->message = std::move(message);
  return false;
}

const json* member(const json& object, const char* key) {
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::string string_member(const json& object, const char* key) {
  const json* value = member(object, key);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

int find_scale(const Instrument& instrument, const std::string& id) {
  for (size_t s = 0; s < instrument.scales.size(); ++s) {
    if (instrument.scales[s].id == id) return static_cast<int>(s);
  }
  return -1;
}

// "Name; phone ...; e-mail ..." from what the parent gave, "" when nothing.
std::string contact_text(const json& share) {
  const json* contact = member(share, "contact");
  if (!contact || !contact->is_object()) return "";
  std::string text;
  const char* const keys[][2] = {{"name", ""}, {"phone", "phone "}, {"email", "e-mail "}};
  for (const auto& key : keys) {
    std::string value = string_member(*contact, key[0]);
    if (value.empty()) continue;
    text += (text.empty() ? "" : "; ") + std::string(key[1]) + value;
  }
  return text.empty() ? "" : "Contact given by the parent: " + text;
}

ordered_json survey_category() {
  return ordered_json::array(
      {{{"coding",
         {{{"system", "http://terminology.hl7.org/CodeSystem/observation-category"},
           {"code", "survey"},
           {"display", "Survey"}}}}}});
}

const Band* find_band(const Scale& scale, const std::string& set_id, const std::string& band_id,
                      const BandSet** set_out) {
  for (const BandSet& set : scale.band_sets) {
    if (set.id != set_id) continue;
    for (const Band& band : set.bands) {
      if (band.id == band_id) {
        *set_out = &set;
        return &band;
      }
    }
  }
  return nullptr;
}

}  // namespace

bool share_bundle_json(const Library& library, std::string_view share_json, std::string* out,
                       Error* error) {
  *error = Error{};
  json share = json::parse(share_json, nullptr, false);
  if (share.is_discarded() || !share.is_object()) return fail(error, "", "expected a JSON object");
  const std::string share_id = string_member(share, "share_id");
  if (share_id.empty()) return fail(error, "/share_id", "missing");
  const json* instrument_ref = member(share, "instrument");
  if (!instrument_ref || !instrument_ref->is_object()) return fail(error, "/instrument", "missing");
  const Instrument* instrument = library.find(string_member(*instrument_ref, "id"));
  if (!instrument) return fail(error, "/instrument/id", "unknown instrument");
  if (string_member(*instrument_ref, "version") != instrument->version) {
    return fail(error, "/instrument/version", "not the version of the built-in instrument");
  }
  const std::string language = string_member(share, "language");
  if (language != "nl" && language != "en") return fail(error, "/language", "expected nl or en");
  const std::string authored = string_member(share, "created_at");
  if (authored.empty()) return fail(error, "/created_at", "missing");
  const json* result = member(share, "result");
  if (!result || !result->is_object() || !member(*result, "scales") ||
      !(*result)["scales"].is_array()) {
    return fail(error, "/result/scales", "missing");
  }
  const std::string contact = contact_text(share);
  const std::string message = string_member(share, "message");
  const std::string response_url = "urn:uuid:" + share_id;
  const std::string short_name = text_in(instrument->short_name, language).empty()
                                     ? instrument->id
                                     : text_in(instrument->short_name, language);

  ordered_json entries = ordered_json::array();
  const json* answers = member(share, "answers");
  const bool with_answers = answers != nullptr;
  if (with_answers) {
    // Trailing items that may be left out can be missing from the answers altogether.
    if (!answers->is_array() || answers->empty() || answers->size() > instrument->items.size()) {
      return fail(error, "/answers",
                  "expected at most " + std::to_string(instrument->items.size()) + " answers");
    }
    ordered_json response = ordered_json::object();
    response["resourceType"] = "QuestionnaireResponse";
    response["id"] = share_id;
    response["language"] = language;
    response["questionnaire"] = questionnaire_url(*instrument) + "|" + instrument->version;
    const json* complete = member(*result, "complete");
    // "stopped": shared with required answers missing (R4: partially filled out, not continued).
    response["status"] =
        complete && complete->is_boolean() && complete->get<bool>() ? "completed" : "stopped";
    if (!contact.empty()) response["subject"] = {{"display", contact}};
    response["authored"] = authored;
    ordered_json items = ordered_json::array();
    for (size_t i = 0; i < answers->size(); ++i) {
      const json& answer = (*answers)[i];
      if (answer.is_null()) continue;
      const Item& item = instrument->items[i];
      if (!answer.is_number_unsigned() || answer.get<uint64_t>() >= item.options.size()) {
        return fail(error, "/answers/" + std::to_string(i), "not an option position");
      }
      ordered_json entry = {{"linkId", item.id}};
      std::string text = text_in(item.text, language);
      if (!text.empty()) entry["text"] = text;
      entry["answer"] = ordered_json::array(
          {{{"valueCoding",
             answer_coding(*instrument, i, static_cast<size_t>(answer.get<uint64_t>()),
                           language)}}});
      items.push_back(std::move(entry));
    }
    // The scores, as the Questionnaire's calculated items hold them.
    for (const json& scale_result : (*result)["scales"]) {
      int s = find_scale(*instrument, string_member(scale_result, "id"));
      const json* score = member(scale_result, "score");
      if (s < 0 || !score || !score->is_number()) continue;
      const Scale& scale = instrument->scales[static_cast<size_t>(s)];
      ordered_json value = ordered_json::object();
      if (whole_scores(*instrument, scale)) {
        value["valueInteger"] = score->get<int64_t>();
      } else {
        value["valueDecimal"] = score->get<double>();
      }
      items.push_back({{"linkId", score_link_id(scale.id)},
                       {"text", scale_name(scale, language)},
                       {"answer", ordered_json::array({value})}});
    }
    // FHIR forbids empty arrays: a response with nothing answered and no score has no "item".
    if (!items.empty()) response["item"] = std::move(items);
    entries.push_back({{"fullUrl", response_url}, {"resource", std::move(response)}});
  }

  int observation_number = 0;
  auto observation = [&](ordered_json code) {
    ordered_json o = ordered_json::object();
    o["resourceType"] = "Observation";
    o["id"] = share_id + "-" + std::to_string(++observation_number);
    o["status"] = "final";
    o["category"] = survey_category();
    o["code"] = std::move(code);
    if (!contact.empty()) o["subject"] = {{"display", contact}};
    o["effectiveDateTime"] = authored;
    return o;
  };
  auto finish = [&](ordered_json o) {
    if (with_answers) o["derivedFrom"] = ordered_json::array({{{"reference", response_url}}});
    if (observation_number == 1 && !message.empty()) {
      o["note"] = ordered_json::array({{{"text", "Message from the parent: " + message}}});
    }
    entries.push_back({{"resource", std::move(o)}});
  };

  const json& scales = (*result)["scales"];
  for (size_t r = 0; r < scales.size(); ++r) {
    const std::string at = "/result/scales/" + std::to_string(r);
    int s = find_scale(*instrument, string_member(scales[r], "id"));
    if (s < 0) return fail(error, at + "/id", "unknown scale");
    const Scale& scale = instrument->scales[static_cast<size_t>(s)];
    const ordered_json& codes = codes_for(instrument->id);
    ordered_json coding = ordered_json::array();
    if (codes.contains("scales") && codes["scales"].contains(scale.id)) {
      coding.push_back({{"system", kLoinc}, {"code", codes["scales"][scale.id]}});
    }
    coding.push_back({{"system", kScaleSystem}, {"code", instrument->id + "." + scale.id}});
    ordered_json o = observation(
        {{"coding", std::move(coding)}, {"text", short_name + ": " + scale_name(scale, language)}});
    const json* score = member(scales[r], "score");
    if (score && score->is_number()) {
      ordered_json value = ordered_json::object();
      value["value"] = score->is_number_integer() ? ordered_json(score->get<int64_t>())
                                                  : ordered_json(score->get<double>());
      value["unit"] = "{score}";
      value["system"] = "http://unitsofmeasure.org";
      value["code"] = "{score}";
      o["valueQuantity"] = std::move(value);
    } else {
      o["dataAbsentReason"] = {
          {"coding",
           {{{"system", "http://terminology.hl7.org/CodeSystem/data-absent-reason"},
             {"code", "unknown"}}}},
          {"text", "not every required item of this scale was answered"}};
    }
    const json* band = member(scales[r], "band");
    if (band && band->is_object()) {
      const BandSet* set = nullptr;
      const Band* found =
          find_band(scale, string_member(*band, "set"), string_member(*band, "id"), &set);
      if (!found) return fail(error, at + "/band", "unknown band");
      std::string text = text_in(found->label, language);
      if (text.empty()) text = found->id;
      if (!set->verified) text += " (unverified cut-off: for information only)";
      text += ". Cut-off source: " + set->source;
      ordered_json coding = ordered_json::array(
          {{{"system", kBandSystem}, {"code", instrument->id + "." + scale.id + "." + found->id}}});
      // The standard code an EHR can flag on: POS for a band that makes the result positive, NEG
      // for a band below a verified cut-off. An unverified cut-off or a secondary scale (shown
      // for information only) gets no standard code: it is not a screening result.
      if (set->verified && !scale.secondary) {
        const bool positive = makes_positive(scale, *set, *found);
        coding.push_back({{"system", kInterpretationSystem},
                          {"code", positive ? "POS" : "NEG"},
                          {"display", positive ? "Positive" : "Negative"}});
      }
      o["interpretation"] = ordered_json::array({{{"coding", std::move(coding)}, {"text", text}}});
    }
    finish(std::move(o));
  }

  const json* flags = member(*result, "flags");
  if (flags && flags->is_array()) {
    for (size_t f = 0; f < flags->size(); ++f) {
      std::string id = (*flags)[f].is_string() ? (*flags)[f].get<std::string>() : "";
      const SafetyRule* rule = nullptr;
      for (const SafetyRule& candidate : instrument->safety_rules) {
        if (candidate.id == id) rule = &candidate;
      }
      if (!rule) return fail(error, "/result/flags/" + std::to_string(f), "unknown safety rule");
      std::string title;
      auto advice = instrument->safety_advice.find(id);
      if (advice != instrument->safety_advice.end()) {
        auto in_language = advice->second.find(language);
        if (in_language != advice->second.end()) title = in_language->second.title;
      }
      ordered_json o = observation(
          {{"coding", {{{"system", kSafetyRuleSystem}, {"code", instrument->id + "." + id}}}},
           {"text", short_name + " safety rule " + id + (title.empty() ? "" : ": " + title)}});
      o["valueBoolean"] = true;
      o["interpretation"] = ordered_json::array(
          {{{"coding", {{{"system", kInterpretationSystem}, {"code", "AA"}}}},
            {"text", "urgent follow-up, whatever the total (" + rule->source + ")"}}});
      finish(std::move(o));
    }
  }

  ordered_json bundle = ordered_json::object();
  bundle["resourceType"] = "Bundle";
  bundle["id"] = share_id;
  bundle["type"] = "collection";
  bundle["timestamp"] = authored;
  bundle["entry"] = std::move(entries);
  *out = bundle.dump(2);
  return true;
}

}  // namespace kindband::fhir
