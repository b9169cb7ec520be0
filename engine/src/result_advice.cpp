// Advice for a result given as JSON (a shared result without answers): the result is read back into
// a Result that refers into the library's instrument, and advise() gives the advice, so there is
// one advice rule for scored answers and for stored results.
//
// Reading is strict: the text must be a result the engine wrote (docs/engine-json.md) for an
// instrument of this library in that version, with every field present, no others, ids the
// instrument knows, in the engine's order, and derived fields (scores in range and band, band
// source/verified/positive, completeness, positive) consistent with each other. A stored result
// that does not fit gets an error naming the field, never advice for something the parent did not
// see.
//
// Uses only a small part of the Json API (is_*, find, size, iteration, get) so that it keeps
// compiling against the engine's own Json class.
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "json_parse.h"
#include "kindband/engine.h"

namespace kindband {

namespace {

std::string kind_of(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return "text";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_null()) return "null";
  return "a number";
}

std::string quoted(const std::string& text) {
  constexpr size_t kShown = 60;
  return "'" + (text.size() <= kShown ? text : text.substr(0, kShown) + "...") + "'";
}

class ResultReader {
 public:
  ResultReader(const Library& library, Error* error) : library_(library), error_(error) {}

  bool read(const Json& root, Result* result) {
    if (!root.is_object()) return fail("", "expected a result object, found " + kind_of(root));
    const Json* id = nullptr;
    const Json* version = nullptr;
    if (!member(root, "", "instrument", &id) || !expect_string(*id, "/instrument") ||
        !member(root, "", "version", &version) || !expect_string(*version, "/version")) {
      return false;
    }
    const std::string& id_text = id->get_ref<const std::string&>();
    const Instrument* instrument = library_.find(id_text);
    if (instrument == nullptr) {
      std::string known;
      for (const Instrument* each : library_.instruments()) {
        known += (known.empty() ? "" : ", ") + each->id;
      }
      return fail("/instrument",
                  "unknown instrument " + quoted(id_text) + " (known: " + known + ")");
    }
    file_ = instrument->id;
    const std::string& version_text = version->get_ref<const std::string&>();
    if (version_text != instrument->version) {
      return fail("/version", "the result is for version " + quoted(version_text) +
                                  ", this engine has version " + quoted(instrument->version));
    }
    result->instrument = instrument;
    instrument_ = instrument;
    if (!check_keys(root, "",
                    {"instrument", "version", "context", "complete", "answered", "item_count",
                     "missing", "scales", "flags", "positive"})) {
      return false;
    }
    return read_context(root, result) && read_items(root, result) && read_scales(root, result) &&
           read_flags(root, result) && read_positive(root, *result);
  }

 private:
  bool fail(const std::string& pointer, const std::string& message) {
    *error_ = Error{file_, pointer, message};
    return false;
  }

  // Refuses keys outside `allowed`: a result with extra fields is not one the engine wrote.
  bool check_keys(const Json& object, const std::string& pointer,
                  std::initializer_list<const char*> allowed) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string key = it.key();
      bool known = false;
      for (const char* name : allowed) known = known || key == name;
      if (!known) return fail(pointer + "/" + json_pointer_token(key), "unknown key");
    }
    return true;
  }

  bool member(const Json& object, const std::string& pointer, const char* key, const Json** out) {
    auto found = object.find(key);
    if (found == object.end()) return fail(pointer + "/" + key, "missing");
    *out = &*found;
    return true;
  }

  bool expect_string(const Json& value, const std::string& pointer) {
    return value.is_string() || fail(pointer, "expected text, found " + kind_of(value));
  }
  bool expect_boolean(const Json& value, const std::string& pointer) {
    return value.is_boolean() || fail(pointer, "expected true or false, found " + kind_of(value));
  }

  bool read_whole_number(const Json& object, const std::string& pointer, const char* key,
                         int64_t* out) {
    const Json* value = nullptr;
    if (!member(object, pointer, key, &value)) return false;
    if (!value->is_number_integer()) {
      return fail(pointer + "/" + key, "expected a whole number, found " + kind_of(*value));
    }
    *out = value->get<int64_t>();
    return true;
  }

  bool read_boolean(const Json& object, const std::string& pointer, const char* key, bool* out) {
    const Json* value = nullptr;
    if (!member(object, pointer, key, &value) || !expect_boolean(*value, pointer + "/" + key)) {
      return false;
    }
    *out = value->get<bool>();
    return true;
  }

  // A score (at most two decimals) in hundredths.
  bool read_score(const Json& value, const std::string& pointer, int32_t* hundredths) {
    if (!value.is_number()) return fail(pointer, "expected a score, found " + kind_of(value));
    const double scaled = value.get<double>() * 100;
    if (!(std::fabs(scaled) < 1e9) || std::fabs(scaled - std::round(scaled)) > 1e-6) {
      return fail(pointer, "expected a score with at most two decimals");
    }
    *hundredths = static_cast<int32_t>(std::llround(scaled));
    return true;
  }

  bool read_context(const Json& root, Result* result) {
    const Json* context = nullptr;
    if (!member(root, "", "context", &context)) return false;
    if (!context->is_object()) {
      return fail("/context", "expected an object, found " + kind_of(*context));
    }
    if (!check_keys(*context, "/context", {"role", "stage", "week"})) return false;
    // parse_context owns the rules for values; the object is translated to its "key=value" form.
    std::string text;
    for (const char* key : {"role", "stage"}) {
      auto value = context->find(key);
      if (value == context->end()) continue;
      const std::string pointer = std::string("/context/") + key;
      if (!expect_string(*value, pointer)) return false;
      const std::string& value_text = value->get_ref<const std::string&>();
      if (value_text.find_first_of(",=") != std::string::npos) {
        return fail(pointer, "invalid value " + quoted(value_text));
      }
      text += std::string(text.empty() ? "" : ",") + key + "=" + value_text;
    }
    auto week = context->find("week");
    if (week != context->end()) {
      if (!week->is_number_integer() || week->get<int64_t>() < 0 ||
          week->get<int64_t>() > kMaxContextWeek) {
        return fail("/context/week",
                    "expected a whole number from 0 to " + std::to_string(kMaxContextWeek));
      }
      text += std::string(text.empty() ? "" : ",") + "week=" + std::to_string(week->get<int64_t>());
    }
    Error error;
    if (!parse_context(text, &result->context, &error)) return fail(error.pointer, error.message);
    return true;
  }

  bool read_items(const Json& root, Result* result) {
    const int64_t all_items = static_cast<int64_t>(instrument_->items.size());
    const int64_t fewest = static_cast<int64_t>(fewest_answers(*instrument_));
    int64_t item_count = 0;
    int64_t answered = 0;
    if (!read_whole_number(root, "", "item_count", &item_count)) return false;
    if (item_count < fewest || item_count > all_items) {
      std::string expected = std::to_string(fewest);
      if (fewest < all_items)
        expected += (fewest + 1 == all_items ? " or " : " to ") + std::to_string(all_items);
      return fail("/item_count", "expected " + expected + ", found " + std::to_string(item_count));
    }
    result->item_count = static_cast<int>(item_count);
    if (!read_boolean(root, "", "complete", &result->complete)) return false;
    const Json* missing = nullptr;
    if (!member(root, "", "missing", &missing)) return false;
    if (!missing->is_array()) {
      return fail("/missing", "expected an array of item ids, found " + kind_of(*missing));
    }
    result->missing_required.clear();
    size_t position = 0;
    for (const Json& entry : *missing) {
      const std::string pointer = "/missing/" + std::to_string(position++);
      if (!expect_string(entry, pointer)) return false;
      const std::string& item_id = entry.get_ref<const std::string&>();
      int found = -1;
      for (size_t i = 0; i < instrument_->items.size(); ++i) {
        if (instrument_->items[i].id == item_id) found = static_cast<int>(i);
      }
      if (found < 0) return fail(pointer, "unknown item " + quoted(item_id));
      if (!instrument_->items[static_cast<size_t>(found)].required) {
        return fail(pointer, "item " + quoted(item_id) + " is optional, it is never missing");
      }
      if (!result->missing_required.empty() && found <= result->missing_required.back()) {
        return fail(pointer, "item " + quoted(item_id) + " is repeated or out of item order");
      }
      result->missing_required.push_back(found);
    }
    if (result->complete != result->missing_required.empty()) {
      return fail("/complete", result->complete ? "true, but items are missing"
                                                : "false, but no item is missing");
    }
    if (!read_whole_number(root, "", "answered", &answered)) return false;
    if (answered < 0 ||
        answered + static_cast<int64_t>(result->missing_required.size()) > item_count) {
      return fail("/answered", std::to_string(answered) + " does not fit " +
                                   std::to_string(item_count) + " items of which " +
                                   std::to_string(result->missing_required.size()) +
                                   " are missing");
    }
    result->answered = static_cast<int>(answered);
    return true;
  }

  bool read_scales(const Json& root, Result* result) {
    const Json* scales = nullptr;
    if (!member(root, "", "scales", &scales)) return false;
    if (!scales->is_array()) {
      return fail("/scales", "expected an array of scale results, found " + kind_of(*scales));
    }
    const std::vector<Scale>& known = instrument_->scales;
    if (scales->size() != known.size()) {
      return fail("/scales", "expected " + std::to_string(known.size()) + " scales, found " +
                                 std::to_string(scales->size()));
    }
    result->scales.assign(known.size(), ScaleResult{});
    for (size_t i = 0; i < known.size(); ++i) {
      if (!read_scale((*scales)[i], "/scales/" + std::to_string(i), i, &result->scales[i])) {
        return false;
      }
    }
    return true;
  }

  bool read_scale(const Json& value, const std::string& pointer, size_t index, ScaleResult* out) {
    if (!value.is_object()) return fail(pointer, "expected an object, found " + kind_of(value));
    if (!check_keys(value, pointer, {"id", "complete", "score", "min", "max", "band"})) {
      return false;
    }
    const Json* id = nullptr;
    if (!member(value, pointer, "id", &id) || !expect_string(*id, pointer + "/id")) return false;
    const std::string& id_text = id->get_ref<const std::string&>();
    const Scale& scale = instrument_->scales[index];
    if (id_text != scale.id) {
      for (const Scale& other : instrument_->scales) {
        if (other.id == id_text) {
          return fail(pointer + "/id", "expected scale " + quoted(scale.id) + " here, found " +
                                           quoted(id_text) + " (scales are in the engine's order)");
        }
      }
      return fail(pointer + "/id", "unknown scale " + quoted(id_text));
    }
    out->scale_index = static_cast<int>(index);
    if (!read_boolean(value, pointer, "complete", &out->complete)) return false;

    const Json* score = nullptr;
    if (!member(value, pointer, "score", &score)) return false;
    if (!out->complete) {
      if (!score->is_null()) return fail(pointer + "/score", "expected null (incomplete scale)");
    } else {
      if (!read_score(*score, pointer + "/score", &out->score_hundredths)) return false;
      if (out->score_hundredths < scale.min_hundredths ||
          out->score_hundredths > scale.max_hundredths) {
        return fail(pointer + "/score", "out of range " + format_hundredths(scale.min_hundredths) +
                                            " to " + format_hundredths(scale.max_hundredths));
      }
    }
    for (const char* key : {"min", "max"}) {
      const Json* bound = nullptr;
      int32_t hundredths = 0;
      const std::string at = pointer + "/" + key;
      if (!member(value, pointer, key, &bound) || !read_score(*bound, at, &hundredths)) {
        return false;
      }
      const int32_t expected = key[1] == 'i' ? scale.min_hundredths : scale.max_hundredths;
      if (hundredths != expected) return fail(at, "expected " + format_hundredths(expected));
    }

    auto band = value.find("band");
    if (band == value.end()) return true;
    return read_band(*band, pointer + "/band", scale, out);
  }

  bool read_band(const Json& value, const std::string& pointer, const Scale& scale,
                 ScaleResult* out) {
    if (!out->complete) return fail(pointer, "an incomplete scale has no band");
    if (!value.is_object()) return fail(pointer, "expected an object, found " + kind_of(value));
    if (!check_keys(value, pointer, {"id", "set", "source", "verified", "positive"})) return false;
    const Json* set = nullptr;
    const Json* id = nullptr;
    if (!member(value, pointer, "id", &id) || !expect_string(*id, pointer + "/id") ||
        !member(value, pointer, "set", &set) || !expect_string(*set, pointer + "/set")) {
      return false;
    }
    const std::string& set_text = set->get_ref<const std::string&>();
    for (const BandSet& each : scale.band_sets) {
      if (each.id == set_text) out->band_set = &each;
    }
    if (out->band_set == nullptr) {
      return fail(pointer + "/set",
                  "unknown band set " + quoted(set_text) + " for scale " + quoted(scale.id));
    }
    const std::string& id_text = id->get_ref<const std::string&>();
    for (const Band& each : out->band_set->bands) {
      if (each.id == id_text) out->band = &each;
    }
    if (out->band == nullptr) {
      return fail(pointer + "/id",
                  "unknown band " + quoted(id_text) + " in band set " + quoted(set_text));
    }
    if (out->score_hundredths < out->band->min_hundredths ||
        out->score_hundredths > out->band->max_hundredths) {
      return fail(pointer + "/id", "band " + quoted(id_text) + " is " +
                                       format_hundredths(out->band->min_hundredths) + " to " +
                                       format_hundredths(out->band->max_hundredths) +
                                       ", the score is " +
                                       format_hundredths(out->score_hundredths));
    }
    const Json* source = nullptr;
    if (!member(value, pointer, "source", &source) ||
        !expect_string(*source, pointer + "/source")) {
      return false;
    }
    if (source->get_ref<const std::string&>() != out->band_set->source) {
      return fail(pointer + "/source", "differs from the band set's source");
    }
    bool verified = false;
    bool positive = false;
    if (!read_boolean(value, pointer, "verified", &verified)) return false;
    if (verified != out->band_set->verified) {
      return fail(pointer + "/verified",
                  out->band_set->verified ? "expected true" : "expected false");
    }
    if (!read_boolean(value, pointer, "positive", &positive)) return false;
    if (positive != out->band->positive) {
      return fail(pointer + "/positive", out->band->positive ? "expected true" : "expected false");
    }
    return true;
  }

  bool read_flags(const Json& root, Result* result) {
    const Json* flags = nullptr;
    if (!member(root, "", "flags", &flags)) return false;
    if (!flags->is_array()) {
      return fail("/flags", "expected an array of safety rule ids, found " + kind_of(*flags));
    }
    result->safety_flags.clear();
    size_t position = 0;
    for (const Json& entry : *flags) {
      const std::string pointer = "/flags/" + std::to_string(position++);
      if (!expect_string(entry, pointer)) return false;
      const std::string& rule_id = entry.get_ref<const std::string&>();
      int found = -1;
      for (size_t r = 0; r < instrument_->safety_rules.size(); ++r) {
        if (instrument_->safety_rules[r].id == rule_id) found = static_cast<int>(r);
      }
      if (found < 0) return fail(pointer, "unknown safety rule " + quoted(rule_id));
      if (!result->safety_flags.empty() && found <= result->safety_flags.back()) {
        return fail(pointer,
                    "safety rule " + quoted(rule_id) + " is repeated or out of rule order");
      }
      result->safety_flags.push_back(found);
    }
    return true;
  }

  bool read_positive(const Json& root, const Result& result) {
    bool positive = false;
    if (!read_boolean(root, "", "positive", &positive)) return false;
    if (positive != result.positive()) {
      return fail("/positive", result.positive() ? "expected true (a band is positive)"
                                                 : "expected false (no band is positive)");
    }
    return true;
  }

  const Library& library_;
  Error* error_;
  const Instrument* instrument_ = nullptr;
  std::string file_;
};

}  // namespace

bool advise_result_json(const Library& library, std::string_view result_json,
                        std::string_view language, Advice* advice, Error* error) {
  Json root;
  ParseFailure failure;
  if (!parse_json(result_json, &root, &failure)) {
    *error = Error{"", "", failure.message};
    return false;
  }
  Result result;
  if (!ResultReader(library, error).read(root, &result)) return false;
  return advise(result, language, advice, error);
}

}  // namespace kindband
