#include "share_validation.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "strict_json.h"
#include "text_util.h"

namespace kindband::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxMessageChars = 2000;
constexpr size_t kMaxContactFieldChars = 200;
constexpr size_t kMaxShortTextChars = 64;
constexpr size_t kMaxRecipients = 16;

bool fail(ShareError* error, int status, std::string code, std::string message) {
  error->status = status;
  error->code = std::move(code);
  error->message = std::move(message);
  return false;
}

// Nesting depth of a JSON text, counted outside strings. nlohmann's parser would accept very deep
// input, but dumping and comparing it recurses: refuse it before parsing.
const char* type_name(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  return "an object";
}

// Field access with the error naming the JSON pointer and what was expected.
class Fields {
 public:
  Fields(const json& object, std::string pointer, ShareError* error)
      : object_(object), pointer_(std::move(pointer)), error_(error) {}

  // Fails on any key not in `allowed`.
  bool only(std::initializer_list<const char*> allowed) {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (std::none_of(allowed.begin(), allowed.end(),
                       [&](const char* key) { return it.key() == key; })) {
        return fail(error_, 400, "unknown_field",
                    pointer_ + "/" + it.key() + ": unknown field (not part of a share)");
      }
    }
    return true;
  }

  // The value at key when present and of the wanted kind; null when absent and optional.
  // `kind` is one of: string, object, array, integer, boolean.
  const json* get(const char* key, const char* kind, bool required, bool* ok) {
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) {
        *ok = fail(error_, 400, "missing_field", pointer_ + "/" + key + ": required field missing");
      }
      return nullptr;
    }
    std::string_view want(kind);
    bool right = (want == "string" && it->is_string()) || (want == "object" && it->is_object()) ||
                 (want == "array" && it->is_array()) ||
                 (want == "integer" && it->is_number_integer()) ||
                 (want == "boolean" && it->is_boolean());
    if (!right) {
      *ok = fail(error_, 400, "wrong_type",
                 pointer_ + "/" + key + ": expected " + (want == "integer" ? "an " : "a ") +
                     std::string(kind) + ", found " + type_name(*it));
      return nullptr;
    }
    return &*it;
  }

  const std::string& pointer() const { return pointer_; }

 private:
  const json& object_;
  std::string pointer_;
  ShareError* error_;
};

bool check_text(const json* value, const std::string& pointer, size_t max_chars, bool non_empty,
                ShareError* error) {
  if (!value) return true;
  const std::string& text = value->get_ref<const std::string&>();
  if (non_empty && text.empty()) {
    return fail(error, 400, "invalid_value", pointer + ": must not be empty");
  }
  // Count UTF-8 code points (nlohmann has already checked the encoding).
  size_t chars = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (chars > max_chars) {
    return fail(error, 400, "invalid_value",
                pointer + ": too long (" + std::to_string(chars) + " characters, at most " +
                    std::to_string(max_chars) + ")");
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      return fail(error, 400, "invalid_value", pointer + ": contains a control character");
    }
  }
  return true;
}

// The engine's context from the share's context object (role, stage, week).
bool parse_share_context(const json& object, Context* context, ShareError* error) {
  Fields fields(object, "/context", error);
  bool ok = true;
  if (!fields.only({"role", "stage", "week"})) return false;
  const json* role = fields.get("role", "string", false, &ok);
  const json* stage = fields.get("stage", "string", false, &ok);
  const json* week = fields.get("week", "integer", false, &ok);
  if (!ok) return false;
  // The engine owns the allowed values: hand it its own text form.
  std::string text;
  auto add = [&](const char* key, const std::string& value) {
    if (value.find_first_of(",=") != std::string::npos) return false;
    text += (text.empty() ? "" : ",") + std::string(key) + "=" + value;
    return true;
  };
  if ((role && !add("role", role->get<std::string>())) ||
      (stage && !add("stage", stage->get<std::string>()))) {
    return fail(error, 422, "invalid_context", "/context: values must not contain ',' or '='");
  }
  if (week) {
    int64_t value = week->get<int64_t>();
    if (value < 0 || value > kMaxContextWeek) {
      return fail(error, 422, "invalid_context",
                  "/context/week: must be 0-" + std::to_string(kMaxContextWeek));
    }
    add("week", std::to_string(value));
  }
  Error engine_error;
  if (!parse_context(text, context, &engine_error)) {
    return fail(error, 422, "invalid_context", "/context: " + engine_error.message);
  }
  return true;
}

bool parse_answers(const json& array, const Instrument& instrument, Answers* answers,
                   ShareError* error) {
  // Trailing items that may be left out (PHQ-9's closing question) may be: 9 or 10 answers.
  const size_t fewest = fewest_answers(instrument);
  if (array.size() < fewest || array.size() > instrument.items.size()) {
    std::string expected = std::to_string(fewest);
    if (fewest < instrument.items.size()) {
      expected += (fewest + 1 == instrument.items.size() ? " or " : " to ") +
                  std::to_string(instrument.items.size());
    }
    return fail(error, 422, "invalid_answers",
                "/answers: expected " + expected + " answers for " + instrument.id + ", found " +
                    std::to_string(array.size()));
  }
  answers->clear();
  for (size_t i = 0; i < array.size(); ++i) {
    const json& answer = array[i];
    std::string pointer = "/answers/" + std::to_string(i);
    if (answer.is_null()) {
      answers->push_back(kMissing);
    } else if (answer.is_number_integer()) {
      int64_t value = answer.get<int64_t>();
      // kMissing is -1: a negative number must never silently mean "not answered".
      if (value < 0 || value > 1000) {
        return fail(error, 422, "invalid_answers",
                    pointer + ": answer " + std::to_string(value) + " is out of range");
      }
      answers->push_back(static_cast<int>(value));
    } else {
      return fail(
          error, 400, "wrong_type",
          pointer + ": expected an option position (integer) or null, found " + type_name(answer));
    }
  }
  return true;
}

std::optional<int64_t> to_hundredths(const json& number) {
  if (!number.is_number()) return std::nullopt;
  double value = number.get<double>() * 100.0;
  double rounded = std::round(value);
  if (std::fabs(value - rounded) > 1e-6 || std::fabs(rounded) > 1e9) return std::nullopt;
  return static_cast<int64_t>(rounded);
}

// A result sent without answers cannot be rescored. It must still be one the engine could have
// produced for this instrument: same scales in order, scores in range, bands from the scale's band
// sets that contain the score, known safety flags in rule order, and a consistent `positive`.
bool check_result_shape(const json& result, const Instrument& instrument, const json& context,
                        ShareError* error) {
  auto bad = [&](const std::string& where, const std::string& what) {
    return fail(error, 422, "invalid_result", "/result" + where + ": " + what);
  };
  // Only the keys of docs/engine-json.md: nothing else can ride along into the inbox.
  auto only_keys = [&](const json& object, const std::string& where,
                       std::initializer_list<const char*> keys) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; })) {
        return bad(where + "/" + it.key(), "not part of an engine result");
      }
    }
    return true;
  };
  if (!only_keys(result, "",
                 {"instrument", "version", "context", "complete", "answered", "item_count",
                  "missing", "scales", "flags", "positive"})) {
    return false;
  }
  if (result.value("instrument", json()) != json(instrument.id)) {
    return bad("/instrument", "must be \"" + instrument.id + "\"");
  }
  if (result.value("version", json()) != json(instrument.version)) {
    return bad("/version", "must be \"" + instrument.version + "\"");
  }
  if (result.value("context", json()) != context) {
    return bad("/context", "must equal the share's context");
  }
  if (!result.value("complete", json()).is_boolean()) return bad("/complete", "expected a boolean");
  // The items the answers covered: a result from before a closing question was added has fewer.
  const json item_count = result.value("item_count", json());
  if (!item_count.is_number_unsigned() || item_count.get<uint64_t>() < fewest_answers(instrument) ||
      item_count.get<uint64_t>() > instrument.items.size()) {
    return bad("/item_count", "must be from " + std::to_string(fewest_answers(instrument)) +
                                  " to " + std::to_string(instrument.items.size()));
  }
  const json answered = result.value("answered", json());
  if (!answered.is_number_integer() || answered.get<int64_t>() < 0 ||
      answered.get<int64_t>() > static_cast<int64_t>(instrument.items.size())) {
    return bad("/answered", "expected an integer from 0 to the item count");
  }
  const json missing = result.value("missing", json());
  if (!missing.is_array()) return bad("/missing", "expected an array of item ids");
  for (size_t i = 0; i < missing.size(); ++i) {
    bool known = missing[i].is_string() &&
                 std::any_of(instrument.items.begin(), instrument.items.end(),
                             [&](const Item& item) { return item.id == missing[i]; });
    if (!known) return bad("/missing/" + std::to_string(i), "not an item id of " + instrument.id);
  }
  const json scales = result.value("scales", json());
  if (!scales.is_array() || scales.size() != instrument.scales.size()) {
    return bad("/scales", "expected " + std::to_string(instrument.scales.size()) + " scales");
  }
  bool any_positive = false;
  std::vector<std::optional<int64_t>> scores(scales.size());
  for (size_t i = 0; i < scales.size(); ++i) {
    const Scale& scale = instrument.scales[i];
    const json& given = scales[i];
    std::string where = "/scales/" + std::to_string(i);
    if (!given.is_object() || given.value("id", json()) != json(scale.id)) {
      return bad(where + "/id", "must be \"" + scale.id + "\"");
    }
    if (!only_keys(given, where, {"id", "complete", "score", "min", "max", "band"})) return false;
    if (given.value("min", json()) != json::parse(format_hundredths(scale.min_hundredths)) ||
        given.value("max", json()) != json::parse(format_hundredths(scale.max_hundredths))) {
      return bad(where, "min and max must be the scale's range " +
                            format_hundredths(scale.min_hundredths) + "-" +
                            format_hundredths(scale.max_hundredths));
    }
    const json score = given.value("score", json());
    if (given.value("complete", json()) != json(!score.is_null())) {
      return bad(where + "/complete", "must be true exactly when the scale has a score");
    }
    if (score.is_null()) {
      if (given.contains("band")) return bad(where + "/band", "an incomplete scale has no band");
      continue;
    }
    auto hundredths = to_hundredths(score);
    if (!hundredths || *hundredths < scale.min_hundredths || *hundredths > scale.max_hundredths) {
      return bad(where + "/score", "must be a number from " +
                                       format_hundredths(scale.min_hundredths) + " to " +
                                       format_hundredths(scale.max_hundredths));
    }
    scores[i] = *hundredths;
    if (!given.contains("band")) continue;
    const json& band = given["band"];
    if (!band.is_object()) return bad(where + "/band", "expected an object");
    if (!only_keys(band, where + "/band", {"id", "set", "source", "verified", "positive"})) {
      return false;
    }
    const BandSet* set = nullptr;
    for (const BandSet& candidate : scale.band_sets) {
      if (band.value("set", json()) == json(candidate.id)) set = &candidate;
    }
    if (!set) return bad(where + "/band/set", "not a band set of scale " + scale.id);
    const Band* match = nullptr;
    for (const Band& candidate : set->bands) {
      if (band.value("id", json()) == json(candidate.id)) match = &candidate;
    }
    if (!match) return bad(where + "/band/id", "not a band of set " + set->id);
    if (*hundredths < match->min_hundredths || *hundredths > match->max_hundredths) {
      return bad(where + "/band/id", "the score is not in band " + match->id);
    }
    if (band.value("source", json()) != json(set->source) ||
        band.value("verified", json()) != json(set->verified)) {
      return bad(where + "/band", "source and verified must be those of band set " + set->id);
    }
    if (band.value("positive", json()) != json(match->positive)) {
      return bad(where + "/band/positive", "does not match band " + match->id);
    }
    any_positive = any_positive || makes_positive(scale, *set, *match);
  }
  const json flags = result.value("flags", json());
  if (!flags.is_array()) return bad("/flags", "expected an array of safety rule ids");
  size_t next_rule = 0;
  for (size_t i = 0; i < flags.size(); ++i) {
    size_t rule = next_rule;
    while (rule < instrument.safety_rules.size() &&
           flags[i] != json(instrument.safety_rules[rule].id)) {
      ++rule;
    }
    if (rule == instrument.safety_rules.size()) {
      return bad("/flags/" + std::to_string(i),
                 "not a safety rule of " + instrument.id + " (or out of rule order)");
    }
    next_rule = rule + 1;
  }
  // A safety rule that the scores imply must be flagged: a result-only share cannot hide it (e.g.
  // a PHQ-9 total of 27 means every item, item 9 too, was answered "nearly every day").
  for (size_t r = 0; r < instrument.safety_rules.size(); ++r) {
    const SafetyRule& rule = instrument.safety_rules[r];
    bool implied = false;
    for (size_t i = 0; i < instrument.scales.size() && !implied; ++i) {
      if (!scores[i]) continue;
      const Scale& scale = instrument.scales[i];
      if (rule.scale_index == static_cast<int>(i)) {
        implied = rule.fires(*scores[i]);
        continue;
      }
      if (rule.item_index < 0 || std::find(scale.item_indexes.begin(), scale.item_indexes.end(),
                                           rule.item_index) == scale.item_indexes.end()) {
        continue;
      }
      // The item's smallest possible value given the score is the score less the most the other
      // items of the scale can add; its largest, the score less the least they can add.
      int64_t others_max = 0;
      int64_t others_min = 0;
      for (int item : scale.item_indexes) {
        if (item == rule.item_index) continue;
        const auto& options = instrument.items[static_cast<size_t>(item)].options;
        int64_t most = options.front().value_hundredths;
        int64_t least = most;
        for (const Option& option : options) {
          most = std::max<int64_t>(most, option.value_hundredths);
          least = std::min<int64_t>(least, option.value_hundredths);
        }
        // An optional item left unanswered adds 0.
        const bool optional = !instrument.items[static_cast<size_t>(item)].required;
        others_max += std::max<int64_t>(most, 0);
        others_min += optional ? std::min<int64_t>(least, 0) : least;
      }
      implied = rule.has_max_score ? *scores[i] - others_min <= rule.max_score_hundredths
                                   : *scores[i] - others_max >= rule.min_score_hundredths;
    }
    if (implied && std::find(flags.begin(), flags.end(), json(rule.id)) == flags.end()) {
      return bad("/flags",
                 "must contain \"" + rule.id + "\": the scores mean this safety rule fired");
    }
  }
  if (result.value("positive", json()) != json(any_positive)) {
    return bad("/positive", any_positive
                                ? "must be true: a scale is in a positive, verified band"
                                : "must be false: no scale is in a positive, verified band");
  }
  return true;
}

// The first place where two JSON values differ, as a JSON pointer ("" = the whole value).
std::string first_difference(const json& expected, const json& given) {
  json patch = json::diff(expected, given);
  if (patch.empty()) return "";
  return patch[0].value("path", std::string());
}

}  // namespace

bool parse_share_envelope(std::string_view body, ShareEnvelope* envelope, ShareError* error) {
  if (body.size() > kMaxShareBodyBytes) {
    return fail(error, 413, "payload_too_large", "the body is larger than 64 KB");
  }
  std::string problem;
  if (!parse_strict_json(body, &envelope->body, &problem)) {
    return fail(error, 400, "invalid_json", problem);
  }
  if (!envelope->body.is_object()) {
    return fail(error, 400, "wrong_type",
                std::string("the body must be a JSON object, found ") + type_name(envelope->body));
  }
  Fields fields(envelope->body, "", error);
  bool ok = true;
  const json* share_id = fields.get("share_id", "string", true, &ok);
  if (!ok) return false;
  envelope->share_id = share_id->get<std::string>();
  if (!is_canonical_uuid(envelope->share_id)) {
    return fail(
        error, 400, "invalid_value",
        "/share_id: must be a UUID in lower case, e.g. 7d4f0c4e-1b7a-4c55-9a7e-3f2a1c0d9e11");
  }
  const bool linked = envelope->body.contains("family_id");
  if (!linked) {
    const json* organisation = fields.get("organisation", "string", true, &ok);
    if (!ok) return false;
    envelope->organisation = organisation->get<std::string>();
    if (envelope->organisation.empty() || envelope->organisation.size() > 64) {
      return fail(error, 400, "invalid_value", "/organisation: must be 1-64 characters");
    }
    for (const char* name : {"recipients", "later_members", "show_to_family"}) {
      if (envelope->body.contains(name)) {
        return fail(error, 400, "unknown_field",
                    std::string("/") + name +
                        ": only for a share linked to a family (with "
                        "family_id)");
      }
    }
    return true;
  }
  if (envelope->body.contains("organisation")) {
    return fail(error, 400, "unknown_field",
                "/organisation: a share linked to a family names its recipients instead");
  }
  const json* family_id = fields.get("family_id", "string", true, &ok);
  const json* recipients = ok ? fields.get("recipients", "array", true, &ok) : nullptr;
  if (!ok) return false;
  envelope->family_id = family_id->get<std::string>();
  if (!is_canonical_uuid(envelope->family_id)) {
    return fail(error, 400, "invalid_value", "/family_id: must be a UUID in lower case");
  }
  if (recipients->empty() || recipients->size() > kMaxRecipients) {
    return fail(error, 400, "invalid_value",
                "/recipients: 1-" + std::to_string(kMaxRecipients) + " organisations");
  }
  for (size_t i = 0; i < recipients->size(); ++i) {
    const json& slug = (*recipients)[i];
    const std::string where = "/recipients/" + std::to_string(i);
    if (!slug.is_string() || slug.get_ref<const std::string&>().empty() ||
        slug.get_ref<const std::string&>().size() > 64) {
      return fail(error, 400, "invalid_value", where + ": an organisation id of 1-64 characters");
    }
    if (std::find(envelope->recipients.begin(), envelope->recipients.end(),
                  slug.get<std::string>()) != envelope->recipients.end()) {
      return fail(error, 400, "invalid_value", where + ": named twice");
    }
    envelope->recipients.push_back(slug.get<std::string>());
  }
  // The parent's own choices about the audience (docs/care-network.md, issue 21).
  for (const char* name : {"later_members", "show_to_family"}) {
    if (!envelope->body.contains(name)) continue;
    const json& value = envelope->body[name];
    if (!value.is_boolean()) {
      return fail(error, 400, "invalid_value", std::string("/") + name + ": true or false");
    }
    (std::string(name) == "later_members" ? envelope->later_members : envelope->show_to_family) =
        value.get<bool>();
  }
  return true;
}

bool validate_share(const ShareEnvelope& envelope, const Library& library, ValidatedShare* share,
                    ShareError* error) {
  const json& body = envelope.body;
  Fields fields(body, "", error);
  if (!fields.only({"share_id", "organisation", "family_id", "recipients", "later_members",
                    "show_to_family", "instrument", "context", "language", "shared", "result",
                    "answers", "contact", "message", "consent_version", "created_at"})) {
    return false;
  }
  bool ok = true;
  const json* instrument_ref = fields.get("instrument", "object", true, &ok);
  const json* context_object = ok ? fields.get("context", "object", true, &ok) : nullptr;
  const json* language = ok ? fields.get("language", "string", true, &ok) : nullptr;
  const json* shared = ok ? fields.get("shared", "string", true, &ok) : nullptr;
  const json* result = ok ? fields.get("result", "object", true, &ok) : nullptr;
  const json* answers = ok ? fields.get("answers", "array", false, &ok) : nullptr;
  const json* contact = ok ? fields.get("contact", "object", false, &ok) : nullptr;
  const json* message = ok ? fields.get("message", "string", false, &ok) : nullptr;
  const json* consent = ok ? fields.get("consent_version", "string", true, &ok) : nullptr;
  const json* created_at = ok ? fields.get("created_at", "string", true, &ok) : nullptr;
  if (!ok) return false;

  Fields instrument_fields(*instrument_ref, "/instrument", error);
  if (!instrument_fields.only({"id", "version"})) return false;
  const json* instrument_id = instrument_fields.get("id", "string", true, &ok);
  const json* instrument_version =
      ok ? instrument_fields.get("version", "string", true, &ok) : nullptr;
  if (!ok) return false;

  if (contact) {
    Fields contact_fields(*contact, "/contact", error);
    if (!contact_fields.only({"name", "phone", "email"})) return false;
    for (const char* key : {"name", "phone", "email"}) {
      const json* value = contact_fields.get(key, "string", false, &ok);
      if (!ok ||
          !check_text(value, std::string("/contact/") + key, kMaxContactFieldChars, false, error)) {
        return false;
      }
    }
  }
  if (!check_text(message, "/message", kMaxMessageChars, false, error) ||
      !check_text(consent, "/consent_version", kMaxShortTextChars, true, error)) {
    return false;
  }
  if (!is_rfc3339_utc(created_at->get<std::string>())) {
    return fail(error, 400, "invalid_value",
                "/created_at: expected a UTC time like 2026-11-22T21:00:00Z");
  }
  const std::string shared_kind = shared->get<std::string>();
  if (shared_kind != "result" && shared_kind != "result_and_answers") {
    return fail(error, 400, "invalid_value",
                "/shared: must be \"result\" or \"result_and_answers\"");
  }
  if (shared_kind == "result" && answers) {
    return fail(error, 400, "unknown_field",
                "/answers: not allowed when shared is \"result\" (the parent did not share them)");
  }
  if (shared_kind == "result_and_answers" && !answers) {
    return fail(error, 400, "missing_field",
                "/answers: required when shared is \"result_and_answers\"");
  }

  // From here on the engine judges the content.
  const Instrument* instrument = library.find(instrument_id->get<std::string>());
  if (!instrument) {
    return fail(error, 422, "unknown_instrument",
                "/instrument/id: unknown instrument '" + instrument_id->get<std::string>() + "'");
  }
  if (instrument->version != instrument_version->get<std::string>()) {
    return fail(error, 422, "instrument_version_mismatch",
                "/instrument/version: " + instrument->id + " is version " + instrument->version +
                    ", not " + instrument_version->get<std::string>());
  }
  Context context;
  if (!parse_share_context(*context_object, &context, error)) return false;
  // Instrument files carry text in these languages (docs/instrument-format.md).
  const std::string& lang = language->get_ref<const std::string&>();
  if (lang != "nl" && lang != "en") {
    return fail(error, 422, "unknown_language", "/language: must be \"nl\" or \"en\"");
  }

  if (answers) {
    Answers parsed;
    if (!parse_answers(*answers, *instrument, &parsed, error)) return false;
    Result rescored;
    Error engine_error;
    if (!score_instrument(*instrument, parsed, context, &rescored, &engine_error)) {
      std::string where = engine_error.pointer.empty() ? "/answers" : engine_error.pointer;
      return fail(error, 422, "invalid_answers", where + ": " + engine_error.message);
    }
    json expected = json::parse(to_json(rescored));
    if (expected != *result) {
      return fail(error, 422, "result_mismatch",
                  "/result" + first_difference(expected, *result) +
                      ": the result differs from the engine's scoring of the answers");
    }
  } else if (!check_result_shape(*result, *instrument, *context_object, error)) {
    return false;
  }

  share->share_id = envelope.share_id;
  share->organisation = envelope.organisation;
  share->instrument_id = instrument->id;
  share->canonical_json = body.dump();
  const json& flags = (*result)["flags"];
  share->flag_count = static_cast<int>(flags.size());
  share->positive = result->value("positive", false);
  if (const auto stage = context_object->find("stage"); stage != context_object->end()) {
    share->moment_stage = stage->get<std::string>();
  }
  if (const auto week = context_object->find("week"); week != context_object->end()) {
    share->moment_week = week->get<int64_t>();
  }
  json summary = {
      {"instrument", {{"id", instrument->id}, {"version", instrument->version}}},
      {"context", *context_object},
      {"language", *language},
      {"shared", shared_kind},
      {"flags", flags},
      {"positive", share->positive},
      {"complete", result->value("complete", false)},
      {"has_contact", contact != nullptr && !contact->empty()},
      {"has_message", message != nullptr && !message->get_ref<const std::string&>().empty()},
  };
  share->summary_json = summary.dump();
  return true;
}

}  // namespace kindband::server
