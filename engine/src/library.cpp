// Loading and validating instrument definitions and wording packs (docs/instrument-format.md).
//
// Every check reports the file, a JSON pointer and what is wrong, and keeps going so that one run
// of `kindband validate` shows all problems of a file.
#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "builtin_files.h"
#include "json_parse.h"
#include "kindband/engine.h"

namespace kindband {

namespace {

const char* const kLanguages[] = {"nl", "en"};
const char* const kRoles[] = {"mother", "partner"};
const char* const kStages[] = {"pregnancy", "postpartum"};

std::string join_pointer(const std::string& base, const std::string& token) {
  return base + "/" + json_pointer_token(token);
}

std::string join_pointer(const std::string& base, size_t index) {
  return base + "/" + std::to_string(index);
}

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

bool is_identifier(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

template <size_t N>
bool one_of(const std::string& value, const char* const (&allowed)[N]) {
  for (const char* a : allowed) {
    if (value == a) return true;
  }
  return false;
}

template <size_t N>
std::string list_of(const char* const (&allowed)[N]) {
  std::string out;
  for (const char* a : allowed) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

// Reads one definition file. Collects errors instead of stopping at the first.
class Reader {
 public:
  Reader(std::string file, std::vector<Error>* errors) : file_(std::move(file)), errors_(errors) {}

  void fail(const std::string& pointer, const std::string& message) {
    ok_ = false;
    if (errors_) errors_->push_back(Error{file_, pointer, message});
  }
  bool ok() const { return ok_; }
  const std::string& file() const { return file_; }

  static const char* type_name(const Json& v) { return v.type_name(); }

  bool expect_object(const Json& v, const std::string& pointer) {
    if (v.is_object()) return true;
    fail(pointer, std::string("expected an object, found ") + type_name(v));
    return false;
  }
  bool expect_array(const Json& v, const std::string& pointer) {
    if (v.is_array()) return true;
    fail(pointer, std::string("expected an array, found ") + type_name(v));
    return false;
  }

  // Reports keys of `object` that are not in `allowed` (typos would otherwise be silently ignored).
  void check_keys(const Json& object, const std::string& pointer,
                  std::initializer_list<const char*> allowed) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      bool known = false;
      for (const char* a : allowed) known = known || it.key() == a;
      if (!known) fail(join_pointer(pointer, it.key()), "unknown key " + in_quotes(it.key()));
    }
  }

  const Json* member(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  bool read_string(const Json& object, const std::string& pointer, const char* key, bool required,
                   std::string* out) {
    const Json* v = member(object, key);
    if (!v) {
      if (required) fail(pointer, std::string("missing required key '") + key + "'");
      return false;
    }
    if (!v->is_string()) {
      fail(join_pointer(pointer, key), std::string("expected a string, found ") + type_name(*v));
      return false;
    }
    *out = v->get_ref<const std::string&>();
    if (required && out->empty()) fail(join_pointer(pointer, key), "must not be empty");
    return true;
  }

  bool read_bool(const Json& object, const std::string& pointer, const char* key, bool* out) {
    const Json* v = member(object, key);
    if (!v) return false;
    if (!v->is_boolean()) {
      fail(join_pointer(pointer, key),
           std::string("expected true or false, found ") + type_name(*v));
      return false;
    }
    *out = v->get<bool>();
    return true;
  }

  // A whole number from `min` to `max`; anything outside is an error, never truncated.
  bool read_int(const Json& object, const std::string& pointer, const char* key, bool required,
                int min, int max, int* out) {
    const Json* v = member(object, key);
    if (!v) {
      if (required) fail(pointer, std::string("missing required key '") + key + "'");
      return false;
    }
    if (!v->is_number_integer()) {
      fail(join_pointer(pointer, key),
           std::string("expected a whole number, found ") + type_name(*v));
      return false;
    }
    // Unsigned values beyond INT64_MAX would wrap in get<int64_t>(): compare them unsigned.
    const bool unsigned_value = v->is_number_unsigned();
    const bool in_range = unsigned_value ? v->get<uint64_t>() <= static_cast<uint64_t>(max) &&
                                               v->get<int64_t>() >= min
                                         : v->get<int64_t>() >= min && v->get<int64_t>() <= max;
    if (!in_range) {
      fail(join_pointer(pointer, key), "expected a whole number from " + std::to_string(min) +
                                           " to " + std::to_string(max) + ", found " +
                                           (unsigned_value ? std::to_string(v->get<uint64_t>())
                                                           : std::to_string(v->get<int64_t>())));
      return false;
    }
    *out = static_cast<int>(v->get<int64_t>());
    return true;
  }

  // A score: a number with at most two decimals, stored in hundredths.
  bool read_score(const Json& object, const std::string& pointer, const char* key, int32_t* out) {
    const Json* v = member(object, key);
    if (!v) {
      fail(pointer, std::string("missing required key '") + key + "'");
      return false;
    }
    std::string at = join_pointer(pointer, key);
    if (!v->is_number()) {
      fail(at, std::string("expected a number, found ") + type_name(*v));
      return false;
    }
    double d = v->get<double>();
    if (!(std::fabs(d) < 1e6)) {
      fail(at, "number out of range");
      return false;
    }
    double scaled = std::round(d * 100.0);
    if (std::fabs(scaled - d * 100.0) > 1e-6) {
      fail(at, "at most two decimals allowed");
      return false;
    }
    *out = static_cast<int32_t>(scaled);
    return true;
  }

  // A per-language text {"nl": "...", "en": "..."}.
  bool read_text(const Json& object, const std::string& pointer, const char* key, bool required,
                 Text* out) {
    const Json* v = member(object, key);
    if (!v) {
      if (required) fail(pointer, std::string("missing required key '") + key + "'");
      return false;
    }
    std::string at = join_pointer(pointer, key);
    if (!expect_object(*v, at)) return false;
    for (auto it = v->begin(); it != v->end(); ++it) {
      std::string lang_at = join_pointer(at, it.key());
      if (!one_of(it.key(), kLanguages)) {
        fail(lang_at,
             "unknown language " + in_quotes(it.key()) + " (expected " + list_of(kLanguages) + ")");
      } else if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
        fail(lang_at, "expected a non-empty string");
      } else {
        (*out)[it.key()] = it->get_ref<const std::string&>();
      }
    }
    if (required && out->empty()) fail(at, "needs at least one language");
    return true;
  }

 private:
  std::string file_;
  std::vector<Error>* errors_;
  bool ok_ = true;
};

// "ask_when_any": {"items": ["1", "2"], "min_score": 1}: the item is asked only when one of the
// named earlier items scored at least min_score. Such an item cannot be required.
void read_ask_when(Reader& r, const Json& item_json, const std::string& pointer, int item_index,
                   const std::map<std::string, int>& earlier_items, Item* item) {
  const Json* condition = r.member(item_json, "ask_when_any");
  if (!condition) return;
  const std::string at = join_pointer(pointer, "ask_when_any");
  if (!r.expect_object(*condition, at)) return;
  r.check_keys(*condition, at, {"items", "min_score"});
  r.read_score(*condition, at, "min_score", &item->ask_when_min_hundredths);
  const Json* items = r.member(*condition, "items");
  const std::string items_at = join_pointer(at, "items");
  if (!items) {
    r.fail(at, "missing required key 'items'");
  } else if (r.expect_array(*items, items_at)) {
    if (items->empty()) r.fail(items_at, "expected at least one item id");
    for (size_t i = 0; i < items->size(); ++i) {
      const Json& id = (*items)[i];
      auto found = id.is_string() ? earlier_items.find(id.get<std::string>()) : earlier_items.end();
      if (found == earlier_items.end() || found->second >= item_index) {
        r.fail(join_pointer(items_at, i), "expected the id of an earlier item");
      } else {
        item->ask_when_any.push_back(found->second);
      }
    }
  }
  if (item->required) {
    r.fail(at, "an item asked only after another answer must have \"required\": false");
  }
}

bool read_options(Reader& r, const Json& array, const std::string& pointer,
                  std::vector<Option>* options) {
  if (!r.expect_array(array, pointer)) return false;
  if (array.size() < 2)
    r.fail(pointer, "expected at least 2 options, found " + std::to_string(array.size()));
  for (size_t i = 0; i < array.size(); ++i) {
    std::string at = join_pointer(pointer, i);
    const Json& o = array[i];
    if (!r.expect_object(o, at)) continue;
    r.check_keys(o, at, {"value", "label"});
    Option option;
    r.read_score(o, at, "value", &option.value_hundredths);
    r.read_text(o, at, "label", false, &option.label);
    options->push_back(std::move(option));
  }
  return true;
}

bool matches_language_list(Reader& r, const Json& v, const std::string& at,
                           std::vector<std::string>* out, bool roles) {
  if (!r.expect_array(v, at)) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    std::string value = v[i].is_string() ? v[i].get<std::string>() : std::string();
    bool valid = roles ? one_of(value, kRoles) : one_of(value, kStages);
    if (!valid) {
      r.fail(join_pointer(at, i),
             std::string("expected one of ") + (roles ? list_of(kRoles) : list_of(kStages)));
    } else {
      out->push_back(value);
    }
  }
  return true;
}

void read_band_sets(Reader& r, const Json& scale_json, const std::string& pointer, Scale* scale,
                    bool whole_numbers, std::set<std::string>* band_ids) {
  const Json* sets = r.member(scale_json, "band_sets");
  if (!sets) return;
  std::string sets_at = join_pointer(pointer, "band_sets");
  if (!r.expect_array(*sets, sets_at)) return;
  if (!sets->empty() && !whole_numbers) {
    r.fail(sets_at, "band sets need whole-number item scores on scale " + in_quotes(scale->id));
    return;
  }
  std::set<std::string> set_ids;
  for (size_t s = 0; s < sets->size(); ++s) {
    std::string at = join_pointer(sets_at, s);
    const Json& js = (*sets)[s];
    if (!r.expect_object(js, at)) continue;
    r.check_keys(js, at, {"id", "when", "source", "verified", "bands", "note"});
    BandSet set;
    if (r.read_string(js, at, "id", true, &set.id) && !set_ids.insert(set.id).second) {
      r.fail(join_pointer(at, "id"), "duplicate band set id " + in_quotes(set.id));
    }
    r.read_string(js, at, "source", true, &set.source);
    r.read_bool(js, at, "verified", &set.verified);
    if (const Json* when = r.member(js, "when")) {
      std::string when_at = join_pointer(at, "when");
      if (r.expect_object(*when, when_at)) {
        set.has_when = true;
        r.check_keys(*when, when_at, {"role", "stage", "week_min", "week_max"});
        if (const Json* roles = r.member(*when, "role")) {
          matches_language_list(r, *roles, join_pointer(when_at, "role"), &set.when.roles, true);
        }
        if (const Json* stages = r.member(*when, "stage")) {
          matches_language_list(r, *stages, join_pointer(when_at, "stage"), &set.when.stages,
                                false);
        }
        // A context's week is 0 to kMaxContextWeek (parse_context); -1 inside the engine means
        // "no limit".
        r.read_int(*when, when_at, "week_min", false, 0, kMaxContextWeek, &set.when.week_min);
        r.read_int(*when, when_at, "week_max", false, 0, kMaxContextWeek, &set.when.week_max);
        if (set.when.week_min >= 0 && set.when.week_max >= 0 &&
            set.when.week_min > set.when.week_max) {
          r.fail(when_at, "week_min is greater than week_max");
        }
      }
    }
    const Json* bands = r.member(js, "bands");
    std::string bands_at = join_pointer(at, "bands");
    if (!bands) {
      r.fail(at, "missing required key 'bands'");
    } else if (r.expect_array(*bands, bands_at)) {
      if (bands->empty()) r.fail(bands_at, "expected at least one band");
      std::set<std::string> ids_in_set;
      for (size_t b = 0; b < bands->size(); ++b) {
        std::string band_at = join_pointer(bands_at, b);
        const Json& jb = (*bands)[b];
        if (!r.expect_object(jb, band_at)) continue;
        r.check_keys(jb, band_at, {"id", "min", "max", "label", "positive"});
        Band band;
        if (r.read_string(jb, band_at, "id", true, &band.id)) {
          if (!ids_in_set.insert(band.id).second) {
            r.fail(join_pointer(band_at, "id"), "duplicate band id " + in_quotes(band.id));
          }
          band_ids->insert(band.id);
        }
        // Both read (not &&), so that one run reports a missing min and max together.
        const bool have_min = r.read_score(jb, band_at, "min", &band.min_hundredths);
        const bool have_max = r.read_score(jb, band_at, "max", &band.max_hundredths);
        const bool have_range = have_min && have_max;
        r.read_text(jb, band_at, "label", false, &band.label);
        r.read_bool(jb, band_at, "positive", &band.positive);
        if (!have_range) continue;
        if (band.min_hundredths % 100 != 0 || band.max_hundredths % 100 != 0) {
          r.fail(band_at, "band limits must be whole numbers");
        } else if (band.min_hundredths > band.max_hundredths) {
          r.fail(band_at, "band " + in_quotes(band.id) + ": min " +
                              format_hundredths(band.min_hundredths) + " is greater than max " +
                              format_hundredths(band.max_hundredths));
        } else if (set.bands.empty()) {
          if (band.min_hundredths != scale->min_hundredths) {
            r.fail(band_at, "first band " + in_quotes(band.id) + " starts at " +
                                format_hundredths(band.min_hundredths) +
                                " but the scale starts at " +
                                format_hundredths(scale->min_hundredths));
          }
        } else {
          const Band& previous = set.bands.back();
          int32_t expected = previous.max_hundredths + 100;
          if (band.min_hundredths > expected) {
            r.fail(band_at, "gap between bands " + in_quotes(previous.id) + " (max " +
                                format_hundredths(previous.max_hundredths) + ") and " +
                                in_quotes(band.id) + " (min " +
                                format_hundredths(band.min_hundredths) + ")");
          } else if (band.min_hundredths < expected) {
            r.fail(band_at,
                   "bands " + in_quotes(previous.id) + " and " + in_quotes(band.id) + " overlap");
          }
        }
        set.bands.push_back(std::move(band));
      }
      if (!set.bands.empty() && set.bands.back().max_hundredths != scale->max_hundredths) {
        r.fail(bands_at, "last band " + in_quotes(set.bands.back().id) + " ends at " +
                             format_hundredths(set.bands.back().max_hundredths) +
                             " but the scale ends at " + format_hundredths(scale->max_hundredths));
      }
    }
    scale->band_sets.push_back(std::move(set));
  }
}

// "better": which direction of the score is better for the parent ("higher" or "lower").
void read_better(Reader& r, const Json& scale_json, const std::string& pointer, Scale* scale) {
  if (r.read_string(scale_json, pointer, "better", false, &scale->better) &&
      scale->better != "higher" && scale->better != "lower") {
    r.fail(join_pointer(pointer, "better"), "expected \"higher\" or \"lower\"");
  }
}

// Scores are int32 hundredths; a scale's scores (and every partial sum of them while scoring)
// stay within this, far above any real instrument and below INT32_MAX.
constexpr int64_t kMaxScaleHundredths = 999999999;

// The scale's possible range: each item adds one of its option values, and an optional item left
// unanswered adds 0. Fails when the item scores could add up beyond kMaxScaleHundredths.
void compute_range(Reader& r, const std::string& pointer, const Instrument& instrument,
                   Scale* scale, bool* whole_numbers) {
  *whole_numbers = true;
  int64_t min = 0, max = 0, magnitude = 0;
  for (int index : scale->item_indexes) {
    const Item& item = instrument.items[static_cast<size_t>(index)];
    if (item.options.empty()) continue;
    int64_t lo = item.options[0].value_hundredths, hi = lo;
    for (const Option& o : item.options) {
      lo = std::min<int64_t>(lo, o.value_hundredths);
      hi = std::max<int64_t>(hi, o.value_hundredths);
      if (o.value_hundredths % 100 != 0) *whole_numbers = false;
    }
    if (!item.required) {
      lo = std::min<int64_t>(lo, 0);
      hi = std::max<int64_t>(hi, 0);
    }
    min += lo;
    max += hi;
    magnitude += std::max(-lo, hi);
  }
  if (magnitude > kMaxScaleHundredths) {
    r.fail(pointer, "the item scores of scale " + in_quotes(scale->id) + " can add up beyond " +
                        format_hundredths(-kMaxScaleHundredths) + " to " +
                        format_hundredths(kMaxScaleHundredths));
    min = max = 0;
  }
  scale->min_hundredths = static_cast<int32_t>(min);
  scale->max_hundredths = static_cast<int32_t>(max);
}

void read_advice_map(Reader& r, const Json& advice, const std::string& pointer, const char* key,
                     std::map<std::string, AdviceByLanguage>* out) {
  const Json* group = r.member(advice, key);
  if (!group) return;
  std::string group_at = join_pointer(pointer, key);
  if (!r.expect_object(*group, group_at)) return;
  for (auto it = group->begin(); it != group->end(); ++it) {
    std::string at = join_pointer(group_at, it.key());
    if (!r.expect_object(*it, at)) continue;
    AdviceByLanguage by_language;
    for (auto lang = it->begin(); lang != it->end(); ++lang) {
      std::string lang_at = join_pointer(at, lang.key());
      if (!one_of(lang.key(), kLanguages)) {
        r.fail(lang_at, "unknown language " + in_quotes(lang.key()));
        continue;
      }
      if (!r.expect_object(*lang, lang_at)) continue;
      r.check_keys(*lang, lang_at, {"title", "text", "steps", "reassuring"});
      AdviceText text;
      r.read_string(*lang, lang_at, "title", true, &text.title);
      r.read_string(*lang, lang_at, "text", true, &text.text);
      if (r.read_bool(*lang, lang_at, "reassuring", &text.reassuring) && text.reassuring &&
          std::string(key) != "bands") {
        r.fail(join_pointer(lang_at, "reassuring"),
               "only band advice can be reassuring (it is left out when a safety rule fires)");
      }
      if (const Json* steps = r.member(*lang, "steps")) {
        std::string steps_at = join_pointer(lang_at, "steps");
        if (r.expect_array(*steps, steps_at)) {
          for (size_t s = 0; s < steps->size(); ++s) {
            if ((*steps)[s].is_string()) {
              text.steps.push_back((*steps)[s].get<std::string>());
            } else {
              r.fail(join_pointer(steps_at, s), "expected a string");
            }
          }
        }
      }
      by_language[lang.key()] = std::move(text);
    }
    (*out)[it.key()] = std::move(by_language);
  }
}

// Every id in `needed` must have advice in every language; advice for unknown ids is an error too.
void check_advice_complete(Reader& r, const std::map<std::string, AdviceByLanguage>& advice,
                           const std::set<std::string>& needed, const std::string& pointer,
                           const char* what, bool required) {
  for (const std::string& id : needed) {
    auto it = advice.find(id);
    if (it == advice.end()) {
      if (required)
        r.fail(pointer, std::string("missing advice for ") + what + " " + in_quotes(id));
      continue;
    }
    for (const char* lang : kLanguages) {
      if (!it->second.count(lang)) {
        r.fail(join_pointer(pointer, id), std::string("missing advice for ") + what + " " +
                                              in_quotes(id) + " in language " + in_quotes(lang));
      }
    }
  }
  for (const auto& entry : advice) {
    if (!needed.count(entry.first)) {
      r.fail(join_pointer(pointer, entry.first),
             std::string("advice for unknown ") + what + " " + in_quotes(entry.first));
    }
  }
}

// Band advice is keyed "scale.band" (advice for that band of that scale) or "band" (shared by all
// scales with a band of that id). Every band needs one in every language; unused advice is an
// error.
void check_band_advice(Reader& r, const Instrument& in) {
  std::set<std::string> used;
  for (const Scale& scale : in.scales) {
    for (const BandSet& set : scale.band_sets) {
      for (const Band& band : set.bands) {
        std::string specific = scale.id + "." + band.id;
        std::string key = in.band_advice.count(specific) ? specific : band.id;
        if (!used.insert(key).second) continue;
        auto it = in.band_advice.find(key);
        if (it == in.band_advice.end()) {
          r.fail("/advice/bands", "missing advice for band " + in_quotes(band.id) + " of scale " +
                                      in_quotes(scale.id) + " (key " + in_quotes(band.id) + " or " +
                                      in_quotes(specific) + ")");
          continue;
        }
        bool reassuring = false, plain = false;
        for (const char* lang : kLanguages) {
          auto text = it->second.find(lang);
          if (text == it->second.end()) {
            r.fail(join_pointer("/advice/bands", key),
                   "missing advice for band " + in_quotes(key) + " in language " + in_quotes(lang));
          } else {
            (text->second.reassuring ? reassuring : plain) = true;
          }
        }
        if (reassuring && plain) {
          r.fail(
              join_pointer("/advice/bands", key),
              "'reassuring' must be the same in every language of band advice " + in_quotes(key));
        }
        if (reassuring && band.positive) {
          r.fail(join_pointer("/advice/bands", key),
                 "advice for band " + in_quotes(band.id) + " of scale " + in_quotes(scale.id) +
                     " is marked reassuring, but the band is positive");
        }
      }
    }
  }
  for (const auto& entry : in.band_advice) {
    if (!used.count(entry.first)) {
      r.fail(join_pointer("/advice/bands", entry.first),
             "advice for unknown band " + in_quotes(entry.first));
    }
  }
}

// Item wording in a language is all or nothing: when any item has text in a language, every item
// has it, and every option of those items has a label in it. (Option labels alone, without item
// texts, are allowed: the anchors of a scoring key whose items come from a wording pack.)
void check_wording_key_set(Reader& r, const Instrument& in) {
  for (const char* lang : kLanguages) {
    size_t with_text = 0;
    for (const Item& item : in.items) with_text += item.text.count(lang);
    if (with_text == 0) continue;
    for (size_t i = 0; i < in.items.size(); ++i) {
      const Item& item = in.items[i];
      std::string at = join_pointer("/items", i);
      if (!item.text.count(lang)) {
        r.fail(join_pointer(at, "text"), "no " + in_quotes(lang) + " text, but other items have " +
                                             in_quotes(lang) + " wording");
      }
      for (size_t o = 0; o < item.options.size(); ++o) {
        if (!item.options[o].label.count(lang)) {
          r.fail(join_pointer(join_pointer(join_pointer(at, "options"), o), "label"),
                 "no " + in_quotes(lang) + " label, but the items have " + in_quotes(lang) +
                     " wording");
        }
      }
    }
  }
}

std::unique_ptr<Instrument> read_instrument(Reader& r, std::string_view json_text) {
  Json root;
  ParseFailure failure;
  if (!parse_json(json_text, &root, &failure)) {
    r.fail("", failure.message);
    return nullptr;
  }
  if (!r.expect_object(root, "")) return nullptr;
  auto instrument = std::make_unique<Instrument>();
  Instrument& in = *instrument;
  in.file_name = r.file();
  r.check_keys(root, "",
               {"id", "version", "name", "short_name", "authors", "year", "citation", "licence",
                "validated_instrument", "period", "wording", "option_sets", "items", "total",
                "subscales", "safety_rules", "advice", "notes", "scoring_notes"});
  if (r.read_string(root, "", "id", true, &in.id) && !is_identifier(in.id)) {
    r.fail("/id", "id " + in_quotes(in.id) + " may only hold a-z, 0-9, '_' and '-'");
  }
  r.read_string(root, "", "version", true, &in.version);
  r.read_text(root, "", "name", true, &in.name);
  r.read_text(root, "", "short_name", false, &in.short_name);
  r.read_string(root, "", "authors", true, &in.authors);
  r.read_int(root, "", "year", true, 0, 9999, &in.year);
  r.read_string(root, "", "citation", true, &in.citation);
  r.read_string(root, "", "licence", true, &in.licence);
  r.read_bool(root, "", "validated_instrument", &in.validated_instrument);
  r.read_text(root, "", "period", false, &in.period);

  if (const Json* wording = r.member(root, "wording")) {
    if (r.expect_object(*wording, "/wording")) {
      for (auto it = wording->begin(); it != wording->end(); ++it) {
        std::string at = join_pointer("/wording", it.key());
        if (!one_of(it.key(), kLanguages)) {
          r.fail(at, "unknown language " + in_quotes(it.key()));
          continue;
        }
        if (!r.expect_object(*it, at)) continue;
        r.check_keys(*it, at, {"validated", "source"});
        WordingInfo info;
        if (!r.read_bool(*it, at, "validated", &info.validated)) {
          r.fail(at, "missing required key 'validated'");
        }
        r.read_string(*it, at, "source", true, &info.source);
        in.wording[it.key()] = info;
      }
    }
  } else {
    r.fail("", "missing required key 'wording'");
  }

  std::map<std::string, std::vector<Option>> option_sets;
  if (const Json* sets = r.member(root, "option_sets")) {
    if (r.expect_object(*sets, "/option_sets")) {
      for (auto it = sets->begin(); it != sets->end(); ++it) {
        read_options(r, *it, join_pointer("/option_sets", it.key()), &option_sets[it.key()]);
      }
    }
  }

  std::map<std::string, int> item_index_by_id;
  const Json* items = r.member(root, "items");
  if (!items) {
    r.fail("", "missing required key 'items'");
  } else if (r.expect_array(*items, "/items")) {
    if (items->empty()) r.fail("/items", "expected at least one item");
    for (size_t i = 0; i < items->size(); ++i) {
      std::string at = join_pointer("/items", i);
      const Json& ji = (*items)[i];
      Item item;
      if (r.expect_object(ji, at)) {
        r.check_keys(ji, at,
                     {"id", "text", "options", "expected_options", "scored", "required",
                      "may_be_left_out", "ask_when_any", "note"});
        if (r.read_string(ji, at, "id", true, &item.id)) {
          auto inserted = item_index_by_id.emplace(item.id, static_cast<int>(i));
          if (!inserted.second) {
            r.fail(join_pointer(at, "id"), "duplicate item id " + in_quotes(item.id) +
                                               " (first at /items/" +
                                               std::to_string(inserted.first->second) + ")");
          }
        }
        r.read_text(ji, at, "text", false, &item.text);
        r.read_bool(ji, at, "scored", &item.scored);
        r.read_bool(ji, at, "required", &item.required);
        // Leaving an item out of the answers must not change a score or make a result incomplete.
        if (r.read_bool(ji, at, "may_be_left_out", &item.may_be_left_out) && item.may_be_left_out &&
            (item.scored || item.required)) {
          r.fail(
              join_pointer(at, "may_be_left_out"),
              "an item that may be left out must have \"scored\": false and \"required\": false");
        }
        read_ask_when(r, ji, at, static_cast<int>(i), item_index_by_id, &item);
        std::string options_at = join_pointer(at, "options");
        const Json* options = r.member(ji, "options");
        if (!options) {
          r.fail(at, "missing required key 'options'");
        } else if (options->is_string()) {
          auto set = option_sets.find(options->get<std::string>());
          if (set == option_sets.end()) {
            r.fail(options_at, "unknown option set " + in_quotes(options->get<std::string>()));
          } else {
            item.options = set->second;
          }
        } else {
          read_options(r, *options, options_at, &item.options);
        }
        int expected = 0;
        if (r.read_int(ji, at, "expected_options", false, 0, 1000000, &expected) && options &&
            static_cast<int>(item.options.size()) != expected) {
          r.fail(options_at, "expected " + std::to_string(expected) + " options, found " +
                                 std::to_string(item.options.size()));
        }
      }
      in.items.push_back(std::move(item));
    }
    for (size_t i = 1; i < in.items.size(); ++i) {
      if (in.items[i - 1].may_be_left_out && !in.items[i].may_be_left_out) {
        r.fail(join_pointer(join_pointer("/items", i - 1), "may_be_left_out"),
               "only the last items may be left out (item " + in_quotes(in.items[i].id) +
                   " after it may not)");
      }
    }
  }

  // Scales: the total first, then subscales.
  std::set<std::string> band_ids;
  std::map<std::string, int> scale_index_by_id;
  if (const Json* total = r.member(root, "total")) {
    if (r.expect_object(*total, "/total")) {
      r.check_keys(*total, "/total", {"name", "band_sets", "better", "note"});
      Scale scale;
      scale.id = "total";
      r.read_text(*total, "/total", "name", false, &scale.name);
      read_better(r, *total, "/total", &scale);
      for (size_t i = 0; i < in.items.size(); ++i) {
        if (in.items[i].scored) scale.item_indexes.push_back(static_cast<int>(i));
      }
      bool whole = true;
      compute_range(r, "/total", in, &scale, &whole);
      read_band_sets(r, *total, "/total", &scale, whole, &band_ids);
      in.has_total = true;
      scale_index_by_id["total"] = 0;
      in.scales.push_back(std::move(scale));
    }
  }
  if (const Json* subscales = r.member(root, "subscales")) {
    if (r.expect_array(*subscales, "/subscales")) {
      for (size_t s = 0; s < subscales->size(); ++s) {
        std::string at = join_pointer("/subscales", s);
        const Json& js = (*subscales)[s];
        if (!r.expect_object(js, at)) continue;
        r.check_keys(js, at, {"id", "name", "items", "band_sets", "better", "secondary", "note"});
        Scale scale;
        read_better(r, js, at, &scale);
        r.read_bool(js, at, "secondary", &scale.secondary);
        if (r.read_string(js, at, "id", true, &scale.id)) {
          if (scale.id == "total") {
            r.fail(join_pointer(at, "id"), "'total' is reserved for the total score");
          } else if (scale_index_by_id.count(scale.id)) {
            r.fail(join_pointer(at, "id"), "duplicate subscale id " + in_quotes(scale.id));
          }
        }
        r.read_text(js, at, "name", true, &scale.name);
        const Json* members = r.member(js, "items");
        std::string items_at = join_pointer(at, "items");
        if (!members) {
          r.fail(at, "missing required key 'items'");
        } else if (r.expect_array(*members, items_at)) {
          if (members->empty()) r.fail(items_at, "expected at least one item");
          std::set<int> seen;
          for (size_t m = 0; m < members->size(); ++m) {
            std::string member_at = join_pointer(items_at, m);
            const Json& jm = (*members)[m];
            std::string id = jm.is_string() ? jm.get<std::string>() : std::string();
            auto found = item_index_by_id.find(id);
            if (!jm.is_string()) {
              r.fail(member_at, "expected an item id (string)");
            } else if (found == item_index_by_id.end()) {
              r.fail(member_at,
                     "subscale " + in_quotes(scale.id) + " names unknown item " + in_quotes(id));
            } else if (!in.items[static_cast<size_t>(found->second)].scored) {
              r.fail(member_at,
                     "subscale " + in_quotes(scale.id) + " names unscored item " + in_quotes(id));
            } else if (!seen.insert(found->second).second) {
              r.fail(member_at,
                     "subscale " + in_quotes(scale.id) + " names item " + in_quotes(id) + " twice");
            } else {
              scale.item_indexes.push_back(found->second);
            }
          }
        }
        bool whole = true;
        compute_range(r, at, in, &scale, &whole);
        read_band_sets(r, js, at, &scale, whole, &band_ids);
        scale_index_by_id[scale.id] = static_cast<int>(in.scales.size());
        in.scales.push_back(std::move(scale));
      }
    }
  }

  std::set<std::string> safety_ids;
  if (const Json* rules = r.member(root, "safety_rules")) {
    if (r.expect_array(*rules, "/safety_rules")) {
      for (size_t i = 0; i < rules->size(); ++i) {
        std::string at = join_pointer("/safety_rules", i);
        const Json& jr = (*rules)[i];
        if (!r.expect_object(jr, at)) continue;
        r.check_keys(jr, at, {"id", "item", "scale", "min_score", "max_score", "source"});
        SafetyRule rule;
        if (r.read_string(jr, at, "id", true, &rule.id) && !safety_ids.insert(rule.id).second) {
          r.fail(join_pointer(at, "id"), "duplicate safety rule id " + in_quotes(rule.id));
        }
        r.read_string(jr, at, "source", true, &rule.source);
        // Exactly one of min_score (fires at or above) and max_score (fires at or below).
        if (jr.find("max_score") != jr.end()) {
          rule.has_max_score = true;
          r.read_score(jr, at, "max_score", &rule.max_score_hundredths);
          if (jr.find("min_score") != jr.end()) {
            r.fail(at, "a safety rule needs exactly one of 'min_score' or 'max_score'");
          }
        } else {
          r.read_score(jr, at, "min_score", &rule.min_score_hundredths);
        }
        std::string item_id, scale_id;
        bool has_item = r.read_string(jr, at, "item", false, &item_id);
        bool has_scale = r.read_string(jr, at, "scale", false, &scale_id);
        if (has_item == has_scale) {
          r.fail(at, "a safety rule needs exactly one of 'item' or 'scale'");
        } else if (has_item) {
          auto found = item_index_by_id.find(item_id);
          if (found == item_index_by_id.end()) {
            r.fail(join_pointer(at, "item"), "safety rule " + in_quotes(rule.id) +
                                                 " names unknown item " + in_quotes(item_id));
          } else {
            rule.item_index = found->second;
          }
        } else {
          auto found = scale_index_by_id.find(scale_id);
          if (found == scale_index_by_id.end()) {
            r.fail(join_pointer(at, "scale"), "safety rule " + in_quotes(rule.id) +
                                                  " names unknown scale " + in_quotes(scale_id));
          } else {
            rule.scale_index = found->second;
          }
        }
        in.safety_rules.push_back(std::move(rule));
      }
    }
  }

  check_wording_key_set(r, in);

  const Json* advice = r.member(root, "advice");
  if (!advice) {
    if (!band_ids.empty() || !safety_ids.empty()) r.fail("", "missing required key 'advice'");
  } else if (r.expect_object(*advice, "/advice")) {
    r.check_keys(*advice, "/advice", {"bands", "safety", "scales"});
    read_advice_map(r, *advice, "/advice", "bands", &in.band_advice);
    read_advice_map(r, *advice, "/advice", "safety", &in.safety_advice);
    read_advice_map(r, *advice, "/advice", "scales", &in.scale_advice);
    std::set<std::string> scale_ids;
    for (const Scale& s : in.scales) scale_ids.insert(s.id);
    check_band_advice(r, in);
    check_advice_complete(r, in.safety_advice, safety_ids, "/advice/safety", "safety rule", true);
    check_advice_complete(r, in.scale_advice, scale_ids, "/advice/scales", "scale", false);
  }
  if (!in.has_total && in.scales.empty() && !in.items.empty()) {
    r.fail("", "an instrument needs a 'total' or at least one subscale");
  }
  return r.ok() ? std::move(instrument) : nullptr;
}

}  // namespace

std::string Error::to_string() const {
  std::string out = file;
  if (!pointer.empty()) out += (out.empty() ? "" : ": ") + pointer;
  out += (out.empty() ? "" : ": ") + message;
  return out;
}

Library::Library() = default;
Library::~Library() = default;
Library::Library(Library&&) noexcept = default;
Library& Library::operator=(Library&&) noexcept = default;

InstrumentSummary summarize(const Instrument& instrument) {
  InstrumentSummary summary{
      instrument.id, instrument.version, instrument.name, instrument.short_name, {}};
  for (const char* language : {"en", "nl"}) {
    if (has_wording(instrument, language)) summary.wording_languages.push_back(language);
  }
  return summary;
}

namespace {

// A text {"nl": "...", ...} of the generated summaries; false on anything else.
bool read_summary_text(const Json& node, Text* text) {
  if (!node.is_object()) return false;
  for (const auto& [language, value] : node.items()) {
    if (!value.is_string()) return false;
    (*text)[language] = value.get_ref<const std::string&>();
  }
  return true;
}

bool read_summary(const Json& node, InstrumentSummary* summary) {
  if (!node.is_object()) return false;
  auto id = node.find("id");
  auto version = node.find("version");
  auto name = node.find("name");
  auto short_name = node.find("short_name");
  auto wording = node.find("wording");
  if (id == node.end() || !id->is_string() || version == node.end() || !version->is_string() ||
      name == node.end() || !read_summary_text(*name, &summary->name) || wording == node.end() ||
      !wording->is_array()) {
    return false;
  }
  if (short_name != node.end() && !read_summary_text(*short_name, &summary->short_name)) {
    return false;
  }
  summary->id = id->get_ref<const std::string&>();
  summary->version = version->get_ref<const std::string&>();
  for (const Json& language : *wording) {
    if (!language.is_string()) return false;
    summary->wording_languages.push_back(language.get_ref<const std::string&>());
  }
  std::sort(summary->wording_languages.begin(), summary->wording_languages.end());
  return true;
}

}  // namespace

Library Library::builtin_summaries(std::vector<Error>* errors) {
  Library library;
  Json root;
  ParseFailure failure;
  bool ok = parse_json(k_builtin_summaries, &root, &failure) && root.is_array();
  for (size_t i = 0; ok && i < root.size(); ++i) {
    InstrumentSummary summary;
    ok = read_summary(root[i], &summary);
    if (ok) library.summaries_.push_back(std::move(summary));
  }
  if (!ok && errors != nullptr) {
    errors->push_back(Error{"engine/instruments", "",
                            "the generated instrument summaries cannot be read (a build error: "
                            "cmake/instrument_summaries.mjs)"});
  }
  std::sort(library.summaries_.begin(), library.summaries_.end(),
            [](const InstrumentSummary& a, const InstrumentSummary& b) { return a.id < b.id; });
  return library;
}

Library Library::builtin(std::vector<Error>* errors) {
  Library library;
  for (const EmbeddedFile* f = k_builtin_instrument_files; f->name; ++f) {
    library.add_instrument(f->name, f->content, errors);
  }
  for (const EmbeddedFile* f = k_builtin_wording_files; f->name; ++f) {
    library.add_wording_pack(f->name, f->content, errors);
  }
  return library;
}

bool Library::validate_instrument(std::string_view file_name, std::string_view json_text,
                                  std::vector<Error>* errors) {
  Reader reader{std::string(file_name), errors};
  return read_instrument(reader, json_text) != nullptr;
}

bool Library::add_instrument(std::string_view file_name, std::string_view json_text,
                             std::vector<Error>* errors) {
  Reader reader{std::string(file_name), errors};
  std::unique_ptr<Instrument> instrument = read_instrument(reader, json_text);
  if (!instrument) return false;
  if (find(instrument->id)) {
    reader.fail("/id", "instrument " + in_quotes(instrument->id) + " is already loaded");
    return false;
  }
  auto position = std::lower_bound(
      instruments_.begin(), instruments_.end(), instrument->id,
      [](const std::unique_ptr<Instrument>& a, const std::string& id) { return a->id < id; });
  instruments_.insert(position, std::move(instrument));
  return true;
}

bool Library::add_wording_pack(std::string_view file_name, std::string_view json_text,
                               std::vector<Error>* errors) {
  Reader r{std::string(file_name), errors};
  Json root;
  ParseFailure failure;
  if (!parse_json(json_text, &root, &failure)) {
    r.fail("", failure.message);
    return false;
  }
  if (!r.expect_object(root, "")) return false;
  r.check_keys(root, "",
               {"wording_pack", "instrument", "instrument_version", "language", "validated",
                "source", "licence", "title", "period", "items"});
  std::string pack_id, instrument_id, version, language, source, licence;
  bool validated = false;
  r.read_string(root, "", "wording_pack", true, &pack_id);
  r.read_string(root, "", "instrument", true, &instrument_id);
  r.read_string(root, "", "instrument_version", true, &version);
  r.read_string(root, "", "language", true, &language);
  r.read_string(root, "", "source", true, &source);
  r.read_string(root, "", "licence", true, &licence);
  if (!r.read_bool(root, "", "validated", &validated))
    r.fail("", "missing required key 'validated'");
  if (!language.empty() && !one_of(language, kLanguages)) {
    r.fail("/language",
           "unknown language " + in_quotes(language) + " (expected " + list_of(kLanguages) + ")");
  }
  Instrument* target = nullptr;
  for (auto& instrument : instruments_) {
    if (instrument->id == instrument_id) target = instrument.get();
  }
  if (!instrument_id.empty() && !target) {
    r.fail("/instrument", "unknown instrument " + in_quotes(instrument_id));
  } else if (target && target->version != version) {
    r.fail("/instrument_version", "pack is for version " + in_quotes(version) + " but " +
                                      in_quotes(instrument_id) + " is version " +
                                      in_quotes(target->version));
  }
  // The pack's key set must be the instrument's: a title, a period and every item with its text
  // and options (`kindband wording-pack template` writes them all).
  std::string title, period;
  r.read_string(root, "", "title", true, &title);
  r.read_string(root, "", "period", true, &period);
  const Json* items = r.member(root, "items");
  if (!items) {
    r.fail("", "missing required key 'items'");
  } else if (r.expect_object(*items, "/items")) {
    if (target) {
      for (const Item& item : target->items) {
        if (items->find(item.id) == items->end()) {
          r.fail("/items", "missing item " + in_quotes(item.id) + " of " +
                               in_quotes(instrument_id) + " (a pack supplies every item)");
        }
      }
    }
    for (auto it = items->begin(); it != items->end(); ++it) {
      std::string at = join_pointer("/items", it.key());
      if (!r.expect_object(*it, at)) continue;
      r.check_keys(*it, at, {"text", "options"});
      const Item* item = nullptr;
      if (target) {
        for (const Item& candidate : target->items) {
          if (candidate.id == it.key()) item = &candidate;
        }
        if (!item)
          r.fail(at, "unknown item " + in_quotes(it.key()) + " in " + in_quotes(instrument_id));
      }
      std::string text;
      r.read_string(*it, at, "text", true, &text);
      if (!r.member(*it, "options")) r.fail(at, "missing required key 'options'");
      if (const Json* options = r.member(*it, "options")) {
        std::string options_at = join_pointer(at, "options");
        if (r.expect_array(*options, options_at)) {
          if (item && options->size() != item->options.size()) {
            r.fail(options_at, "expected " + std::to_string(item->options.size()) +
                                   " options, found " + std::to_string(options->size()));
          }
          for (size_t o = 0; o < options->size(); ++o) {
            if (!(*options)[o].is_string() || (*options)[o].get_ref<const std::string&>().empty()) {
              r.fail(join_pointer(options_at, o), "expected a non-empty string");
            }
          }
        }
      }
    }
  }
  if (!r.ok()) return false;
  // Valid: apply. Wording is replaced per language only; scoring never changes.
  for (auto it = items->begin(); it != items->end(); ++it) {
    for (Item& item : target->items) {
      if (item.id != it.key()) continue;
      item.text[language] = it->find("text")->get<std::string>();
      if (const Json* options = r.member(*it, "options")) {
        for (size_t o = 0; o < options->size(); ++o) {
          item.options[o].label[language] = (*options)[o].get<std::string>();
        }
      }
    }
  }
  target->name[language] = title;
  target->period[language] = period;
  target->wording[language] = WordingInfo{validated, source};
  return true;
}

const Instrument* Library::find(std::string_view id) const {
  auto position = std::lower_bound(
      instruments_.begin(), instruments_.end(), id,
      [](const std::unique_ptr<Instrument>& a, std::string_view key) { return a->id < key; });
  if (position == instruments_.end() || (*position)->id != id) return nullptr;
  return position->get();
}

std::vector<const Instrument*> Library::instruments() const {
  std::vector<const Instrument*> out;
  for (const auto& instrument : instruments_) out.push_back(instrument.get());
  return out;
}

std::vector<InstrumentSummary> Library::summaries() const {
  std::vector<InstrumentSummary> out;
  for (const auto& instrument : instruments_) out.push_back(summarize(*instrument));
  for (const InstrumentSummary& summary : summaries_) {
    if (find(summary.id) == nullptr) out.push_back(summary);
  }
  std::sort(out.begin(), out.end(),
            [](const InstrumentSummary& a, const InstrumentSummary& b) { return a.id < b.id; });
  return out;
}

bool Library::knows(std::string_view id) const {
  if (find(id) != nullptr) return true;
  return std::any_of(summaries_.begin(), summaries_.end(),
                     [id](const InstrumentSummary& summary) { return summary.id == id; });
}

bool Library::named_in(std::string_view language) const {
  const std::string key(language);
  for (const auto& instrument : instruments_) {
    if (instrument->name.count(key) != 0) return true;
  }
  return std::any_of(
      summaries_.begin(), summaries_.end(),
      [&key](const InstrumentSummary& summary) { return summary.name.count(key) != 0; });
}

bool Library::has_wording(std::string_view id, std::string_view language) const {
  if (const Instrument* instrument = find(id)) return kindband::has_wording(*instrument, language);
  for (const InstrumentSummary& summary : summaries_) {
    if (summary.id != id) continue;
    return std::find(summary.wording_languages.begin(), summary.wording_languages.end(),
                     language) != summary.wording_languages.end();
  }
  return false;
}

}  // namespace kindband
